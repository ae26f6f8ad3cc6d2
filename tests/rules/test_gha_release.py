"""GHA rules on releases: caches in release jobs, publishing tokens, attestations, workflow linters.

The workflows are reduced from real ones of the ecosystem check (named in each case)."""

from __future__ import annotations

import pytest

from tests.conftest import Audit
from tests.rules.cases import Case, ids, run_case

TAGS = "on:\n  push:\n    tags: ['v*']\npermissions:\n  contents: read\n"
RELEASE = "on:\n  release:\n    types: [published]\npermissions:\n  contents: read\n"
PUSH = "on:\n  push:\n    branches: [main]\n  pull_request:\npermissions:\n  contents: read\n"
JOB = "  release:\n    runs-on: ubuntu-latest\n"
OIDC = "    permissions:\n      id-token: write\n"
LINTED = {
    ".pre-commit-config.yaml": "repos:\n  - repo: https://github.com/zizmorcore/zizmor-pre-commit\n    rev: v1.16.0\n    hooks:\n      - id: zizmor\n"
}


def workflow(head: str, body: str, name: str = "release.yml") -> dict[str, str | bytes]:
    return {f".github/workflows/{name}": head + "jobs:\n" + body, **LINTED}


def steps(*lines: str) -> str:
    return "    steps:\n" + "".join(f"      {line}\n" for line in lines)


PUBLISH_ACTION = "- uses: pypa/gh-action-pypi-publish@release/v1"
STORED_CREDENTIAL_INPUT = "  with:\n          password: ${{ secrets.PYPI_API_TOKEN }}"

# a tag-triggered build (with setup-uv's default cache) that uploads what it built
BUILD_AND_UPLOAD = "  build:\n    runs-on: ubuntu-latest\n" + steps(
    "- uses: astral-sh/setup-uv@v5",
    "- run: uv build",
    "- uses: actions/upload-artifact@v4",
    "  with:",
    "    name: dist-artifact",
)

CASES = [
    # --- GHA008 ---------------------------------------------------------------------------
    # reduced from litestar's publish.yml: setup-uv with the cache on, then an upload
    Case(
        "setup-uv-cache-in-publish-job",
        "GHA008",
        workflow(
            RELEASE,
            JOB
            + OIDC
            + steps(
                "- uses: astral-sh/setup-uv@v10.0.1",
                "  with:",
                "    enable-cache: true",
                "- run: uv build",
                PUBLISH_ACTION,
            ),
        ),
        1,
        says="publishes to PyPI",
        line=12,
    ),
    # reduced from streamlink's release.yml: setup-uv v5-v9 caches without being asked
    Case(
        "setup-uv-default-cache",
        "GHA008",
        workflow(
            TAGS,
            JOB
            + OIDC
            + steps(
                "- uses: astral-sh/setup-uv@c771a70e6277c0a99b617c7a806ffedaca235ff9  # v7.1.0",
                "- run: uv build",
                "- run: uv publish",
            ),
        ),
        1,
        says="v7 caches by default",
    ),
    # setup-uv v10 caches only when asked; v4 did not cache by default either
    Case(
        "setup-uv-v10-and-v4-default",
        "GHA008",
        workflow(
            TAGS,
            JOB
            + OIDC
            + steps(
                "- uses: astral-sh/setup-uv@v10",
                "- uses: astral-sh/setup-uv@v4",
                "- run: uv build",
                "- run: uv publish",
            ),
        ),
        0,
    ),
    # reduced from datasette's publish.yml: setup-python's pip cache in a release-triggered build
    Case(
        "setup-python-cache-on-release",
        "GHA008",
        workflow(
            RELEASE,
            JOB
            + steps(
                "- uses: actions/setup-python@v6",
                "  with:",
                "    cache: pip",
                "- run: python -m build",
                "- uses: actions/upload-artifact@v4",
            ),
        ),
        1,
        says="hands on to the release",
    ),
    # reduced from browser-use's package.yaml: the built artifact is only installed by a smoke
    # test of the same run (PyPI gets a fresh build in publish.yml)
    Case(
        "artifact-only-for-a-smoke-test",
        "GHA008",
        workflow(
            TAGS,
            BUILD_AND_UPLOAD
            + "  build_test:\n    needs: build\n    runs-on: ubuntu-latest\n"
            + steps(
                "- uses: actions/download-artifact@v4",
                "  with:",
                "    name: dist-artifact",
                "- run: pip install dist/*.whl && python -c 'import pkg'",
            ),
        ),
        0,
    ),
    # the same artifact taken by a job that publishes it
    Case(
        "artifact-for-a-publishing-job",
        "GHA008",
        workflow(
            TAGS,
            BUILD_AND_UPLOAD
            + "  publish:\n    needs: build\n    runs-on: ubuntu-latest\n"
            + OIDC
            + steps(
                "- uses: actions/download-artifact@v4",
                "  with:",
                "    name: dist-artifact",
                PUBLISH_ACTION,
            ),
        ),
        1,
        says="job build, which builds what it hands on",
    ),
    # the trap: a tag-triggered CI whose test job caches but neither builds nor publishes
    # (aiohttp's ci-cd.yml installs `build` and `wheel` in its test job)
    Case(
        "test-job-of-tag-workflow",
        "GHA008",
        workflow(
            TAGS,
            "  test:\n    runs-on: ubuntu-latest\n"
            + steps(
                "- uses: astral-sh/setup-uv@v10",
                "  with:",
                "    enable-cache: true",
                "- run: uv pip install -U pip wheel setuptools build twine",
                "- run: pytest",
            ),
        ),
        0,
    ),
    # a cache switched off for tags by an expression is the author's own switch
    Case(
        "cache-switched-by-expression",
        "GHA008",
        workflow(
            TAGS,
            JOB
            + OIDC
            + steps(
                "- uses: astral-sh/setup-uv@v6",
                "  with:",
                "    enable-cache: ${{ !startsWith(github.ref, 'refs/tags/') }}",
                "- uses: actions/cache@v4",
                "  with:",
                "    path: ~/.cache",
                "    key: x",
                "    lookup-only: true",
                "- run: uv build",
                PUBLISH_ACTION,
            ),
        ),
        0,
    ),
    # an ordinary CI workflow that builds (no release trigger, no upload) is not a release
    Case(
        "build-in-ci",
        "GHA008",
        workflow(
            PUSH,
            JOB + steps("- uses: actions/cache@v4", "- run: python -m build"),
            name="ci.yml",
        ),
        0,
    ),
    # reduced from sqlfluff's ci-tests.yml: maturin's action building wheels on pushes is no
    # release; with `command: upload` it is
    Case(
        "maturin-build-is-not-a-publisher",
        "GHA008",
        workflow(
            PUSH,
            JOB
            + steps(
                "- uses: Swatinem/rust-cache@v2",
                "- uses: PyO3/maturin-action@v1",
                "  with:",
                "    command: build",
            ),
            name="ci.yml",
        ),
        0,
    ),
    Case(
        "rust-cache-before-maturin-upload",
        "GHA008",
        workflow(
            PUSH,
            JOB
            + OIDC
            + steps(
                "- uses: Swatinem/rust-cache@v2",
                "- uses: PyO3/maturin-action@v1",
                "  with:",
                "    command: upload",
                "    args: --non-interactive dist/*",
            ),
        ),
        1,
    ),
    # --- GHA009 ---------------------------------------------------------------------------
    # reduced from cookiecutter-data-science's release.yml
    Case(
        "action-with-password",
        "GHA009",
        workflow(
            RELEASE,
            JOB + steps("- uses: pypa/gh-action-pypi-publish@v1.3.0", STORED_CREDENTIAL_INPUT),
        ),
        1,
        says="the `password:` input",
    ),
    Case(
        "action-with-trusted-publishing",
        "GHA009",
        workflow(RELEASE, JOB + OIDC + steps(PUBLISH_ACTION)),
        0,
    ),
    # a private index has no trusted publishing
    Case(
        "action-to-private-index",
        "GHA009",
        workflow(
            RELEASE,
            JOB
            + steps(
                PUBLISH_ACTION,
                "  with:",
                "    repository-url: https://pkgs.example.com/simple/",
                "    password: ${{ secrets.INTERNAL }}",
            ),
        ),
        0,
    ),
    # reduced from evaluate and marko: twine with the token on the command line
    Case(
        "twine-token-user",
        "GHA009",
        workflow(
            TAGS,
            JOB
            + steps(
                "- run: |",
                "    python -m build",
                '    twine upload dist/* -u __token__ -p "$PYPI_TOKEN"',
                "  env:",
                "    PYPI_TOKEN: ${{ secrets.PYPI_TOKEN }}",
            ),
        ),
        1,
        says="twine uploads",
    ),
    Case(
        "pipx-run-twine",
        "GHA009",
        workflow(
            TAGS,
            JOB
            + steps(
                "- run: pipx run twine upload --username __token__ --password ${{ secrets.PYPI }} dist/*"
            ),
        ),
        1,
    ),
    # reduced from nicegui's _pypi.yml
    Case(
        "uv-publish-token",
        "GHA009",
        workflow(
            TAGS, JOB + OIDC + steps("- run: uv publish --token ${{ secrets.PYPI_API_TOKEN }}")
        ),
        1,
        says="`--token`",
    ),
    # reduced from fastapi-users' build.yml: hatch has no trusted publishing
    Case(
        "hatch-publish",
        "GHA009",
        workflow(
            TAGS,
            JOB
            + steps(
                "- run: |",
                "    hatch build",
                "    hatch publish",
                "  env:",
                "    HATCH_INDEX_USER: __token__",
                "    HATCH_INDEX_AUTH: ${{ secrets.HATCH_INDEX_AUTH }}",
            ),
        ),
        1,
    ),
    # reduced from pendulum's release.yml: poetry publish, credentials from the environment
    Case(
        "poetry-publish",
        "GHA009",
        workflow(
            RELEASE,
            JOB + OIDC + steps("- run: poetry publish", "  env:", "    POETRY_PYPI_TOKEN_PYPI: x"),
        ),
        1,
    ),
    # twine with nothing passed, in a job that cannot request an OIDC token: a stored credential
    Case(
        "twine-without-id-token",
        "GHA009",
        workflow(RELEASE, JOB + steps("- run: python -m twine upload dist/*")),
        1,
        says="cannot request",
    ),
    # the traps: trusted publishing by uv and twine, dry runs, checks, echo, other indexes
    Case(
        "quiet-commands",
        "GHA009",
        workflow(
            RELEASE,
            JOB
            + OIDC
            + steps(
                "- run: |",
                "    uv publish",
                "    python -m twine upload dist/*",
                "    twine check dist/*",
                "    uv publish --dry-run",
                '    echo "twine upload -p secret"',
                "    pip install twine",
                "    twine upload --repository-url https://nexus.example.com/ -p $X dist/*",
            ),
        ),
        0,
    ),
    # --- GHA010 ---------------------------------------------------------------------------
    Case(
        "release-v1-trusted",
        "GHA010",
        workflow(RELEASE, JOB + OIDC + steps(PUBLISH_ACTION)),
        0,
    ),
    Case(
        "pinned-v1-12-trusted",
        "GHA010",
        workflow(
            RELEASE,
            JOB
            + OIDC
            + steps(
                "- uses: pypa/gh-action-pypi-publish@76f52bc884231f62b9a034ebfe128415bbaabdfc  # v1.12.4"
            ),
        ),
        0,
    ),
    # reduced from markdown's deploy.yml: a version older than v1.11 makes no attestations
    Case(
        "old-action",
        "GHA010",
        workflow(RELEASE, JOB + OIDC + steps("- uses: pypa/gh-action-pypi-publish@v1.9.0")),
        1,
        says="below v1.11",
    ),
    Case(
        "attestations-off",
        "GHA010",
        workflow(RELEASE, JOB + OIDC + steps(PUBLISH_ACTION, "  with:", "    attestations: false")),
        1,
        says="attestations: false",
    ),
    Case(
        "token-upload",
        "GHA010",
        workflow(RELEASE, JOB + steps(PUBLISH_ACTION, STORED_CREDENTIAL_INPUT)),
        1,
        says="with a token",
    ),
    Case(
        "uv-publish-without-attest",
        "GHA010",
        workflow(RELEASE, JOB + OIDC + steps("- run: uv publish")),
        1,
        says="through uv",
    ),
    Case(
        "uv-publish-with-attest",
        "GHA010",
        workflow(
            RELEASE,
            JOB
            + "    permissions:\n      id-token: write\n      attestations: write\n"
            + steps(
                "- uses: actions/attest-build-provenance@v3",
                "  with:",
                "    subject-path: dist/*",
                "- run: uv publish",
            ),
        ),
        0,
    ),
    # --- GHA011 ---------------------------------------------------------------------------
    Case(
        "no-linter",
        "GHA011",
        {".github/workflows/ci.yml": PUSH + "jobs:\n" + JOB + steps("- run: pytest")},
        1,
    ),
    Case("pre-commit-zizmor", "GHA011", workflow(PUSH, JOB + steps("- run: pytest")), 0),
    Case(
        "actionlint-in-ci",
        "GHA011",
        {
            ".github/workflows/ci.yml": PUSH
            + "jobs:\n"
            + JOB
            + steps("- uses: raven-actions/actionlint@v2")
        },
        0,
    ),
    Case(
        "zizmor-in-tox",
        "GHA011",
        {
            ".github/workflows/ci.yml": PUSH + "jobs:\n" + JOB + steps("- run: tox"),
            "tox.ini": "[testenv:lint]\ncommands = zizmor --offline .github\n",
        },
        0,
    ),
    Case("no-workflows", "GHA011", {"pyproject.toml": "[project]\nname = 'x'\n"}, 0),
]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_gha_release_rules(audit: Audit, case: Case) -> None:
    run_case(audit, case)
