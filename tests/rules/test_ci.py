"""CI rules: present, committed, running tests and checks on the right Pythons."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Audit
from tests.rules.cases import Case, ids, run_case

PROJECT = '[project]\nname = "x"\nversion = "1"\nrequires-python = ">=3.10"\nclassifiers = ["x"]\n'


def workflow(steps: str, extra: str = "") -> dict[str, str | bytes]:
    """A workflow running `steps`, with optional extra job keys (indented 4)."""
    return {
        ".github/workflows/ci.yml": f"on: push\npermissions: {{}}\njobs:\n  t:\n    runs-on: x\n{extra}    steps:\n{steps}"
    }


CASES = [
    # reduced from flask-wtf: uv sync with no --locked anywhere in CI
    Case(
        "uv-sync-unlocked",
        "CI009",
        {
            **workflow("      - run: uv sync --group dev\n      - run: uv run pytest\n"),
            "uv.lock": "version = 1\n",
        },
        1,
        says="uv sync --group dev",
    ),
    Case(
        "uv-sync-locked",
        "CI009",
        {
            **workflow("      - run: uv sync --locked --group dev\n      - run: uv run pytest\n"),
            "uv.lock": "version = 1\n",
        },
        0,
    ),
    Case(
        "uv-locked-env",
        "CI009",
        {
            **workflow("      - run: uv run pytest\n", "    env:\n      UV_FROZEN: 1\n"),
            "uv.lock": "version = 1\n",
        },
        0,
    ),
    # reduced from pydantic-ai: a reporting job that runs a tool outside the project
    Case(
        "uv-no-project",
        "CI009",
        {
            **workflow("      - run: uv run --no-project --with rich report.py\n"),
            "uv.lock": "version = 1\n",
        },
        0,
    ),
    # reduced from pydantic's third-party workflow: uv sync in a project another step cloned
    Case(
        "uv-sync-elsewhere",
        "CI009",
        {
            **workflow("      - run: uv sync\n        working-directory: fastapi-src\n"),
            "uv.lock": "version = 1\n",
        },
        0,
    ),
    Case(
        "lock-checked-by-make",
        "CI009",
        {
            **workflow("      - run: make check\n      - run: uv run pytest\n"),
            "uv.lock": "version = 1\n",
            "Makefile": "check:\n\tuv lock --check\n",
        },
        0,
    ),
    Case("no-uv-lock", "CI009", workflow("      - run: uv sync\n"), 0),
    # reduced from diffusers and huggingface_hub
    Case(
        "curl-sh",
        "CI010",
        workflow("      - run: curl -LsSf https://astral.sh/uv/install.sh | sh\n"),
        1,
    ),
    Case(
        "curl-bash",
        "CI010",
        workflow("      - run: |\n          curl -fsSL https://opencode.ai/install | bash\n"),
        1,
    ),
    Case(
        "bash-process-substitution",
        "CI010",
        workflow("      - run: bash <(curl -s https://codecov.io/bash)\n"),
        1,
    ),
    Case(
        "curl-to-file",
        "CI010",
        workflow(
            "      - run: curl -LO https://example.com/tool.tar.gz && sha256sum -c tool.sha256\n"
        ),
        0,
    ),
    Case("pip-install-tool", "CI010", workflow("      - run: pip install pytest\n"), 0),
    Case(
        "dependabot-no-cooldown",
        "CI011",
        {
            ".github/dependabot.yml": "version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: /\n    schedule:\n      interval: weekly\n  - package-ecosystem: github-actions\n    directory: /\n    schedule:\n      interval: weekly\n    cooldown:\n      default-days: 7\n"
        },
        1,
        line=3,
    ),
    Case(
        "dependabot-short-cooldown",
        "CI011",
        {
            ".github/dependabot.yml": "version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: /\n    schedule:\n      interval: weekly\n    cooldown:\n      default-days: 3\n"
        },
        1,
        says="a cooldown of 3 days",
    ),
    Case("renovate-no-age", "CI011", {"renovate.json": '{"extends": ["config:recommended"]}\n'}, 1),
    Case("renovate-age", "CI011", {"renovate.json": '{"minimumReleaseAge": "7 days"}\n'}, 0),
    Case(
        "uv-no-exclude-newer", "CI011", {"pyproject.toml": PROJECT, "uv.lock": "version = 1\n"}, 1
    ),
    Case(
        "uv-exclude-newer",
        "CI011",
        {
            "pyproject.toml": PROJECT + '[tool.uv]\nexclude-newer = "7 days"\n',
            "uv.lock": "version = 1\n",
        },
        0,
    ),
    Case("none", "CI001", {"pyproject.toml": PROJECT}, 1),
    Case("github", "CI001", workflow("      - run: pytest\n"), 0),
    Case("gitlab", "CI001", {".gitlab-ci.yml": "test:\n  script: pytest\n"}, 0),
    Case("kokoro", "CI001", {".kokoro/build.sh": "python -m nox -s unit\n"}, 0),
    Case("ignored-workflows", "CI002", {".gitignore": "*.pyc\n.github/workflows/\n"}, 1, line=2),
    Case(
        "ignored-workflows-git",
        "CI002",
        {".gitignore": ".github/\n", "src/x.py": ""},
        1,
        use_git=True,
    ),
    Case("not-ignored", "CI002", {".gitignore": "*.pyc\n"}, 0, use_git=True),
    Case("lint-only", "CI003", workflow("      - run: ruff check .\n"), 1),
    Case("pytest", "CI003", workflow("      - run: python -m pytest -q\n"), 0),
    Case("tox", "CI003", workflow("      - run: tox -e py\n"), 0),
    # reduced from peewee: a unittest runner script of the repository
    Case("runtests-script", "CI003", workflow("      - run: python runtests.py -s -v2\n"), 0),
    Case(
        "script-runs-tests",
        "CI003",
        {
            **workflow("      - run: scripts/check\n"),
            "scripts/check": "#!/bin/sh\npython -m pytest\n",
        },
        0,
    ),
    Case("tests-only", "CI004", workflow("      - run: pytest\n"), 1),
    Case(
        "pre-commit",
        "CI004",
        workflow("      - run: pre-commit run --all-files\n      - run: pytest\n"),
        0,
    ),
    Case(
        "pre-commit-ci",
        "CI004",
        {
            **workflow("      - run: pytest\n"),
            ".pre-commit-config.yaml": "ci:\n  autofix_prs: false\nrepos: []\n",
        },
        0,
    ),
    Case(
        "make-lint",
        "CI004",
        {**workflow("      - run: make check\n"), "Makefile": "check:\n\truff check .\n"},
        0,
    ),
    Case(
        "matrix-misses-oldest",
        "CI005",
        {
            "pyproject.toml": PROJECT,
            **workflow(
                "      - uses: actions/setup-python@v5\n        with:\n          python-version: ${{ matrix.python }}\n",
                "    strategy:\n      matrix:\n        python: ['3.11', '3.12']\n",
            ),
        },
        1,
        says="3.10",
    ),
    Case(
        "matrix-has-oldest",
        "CI005",
        {
            "pyproject.toml": PROJECT,
            **workflow(
                "      - uses: actions/setup-python@v5\n",
                "    strategy:\n      matrix:\n        python-version: ['3.10', '3.13']\n",
            ),
        },
        0,
    ),
    Case(
        "unquoted-310-float",
        "CI005",
        {
            "pyproject.toml": PROJECT,
            **workflow(
                "      - uses: actions/setup-python@v5\n        with:\n          python-version: 3.11\n"
            ),
        },
        1,
    ),
    Case(
        "computed-matrix",
        "CI005",
        {
            "pyproject.toml": PROJECT,
            **workflow(
                "      - run: pytest\n",
                "    strategy:\n      matrix:\n        python-version: ${{ fromJson(needs.a.outputs.v) }}\n",
            ),
        },
        0,
    ),
    Case(
        "no-versions-named",
        "CI005",
        {"pyproject.toml": PROJECT, **workflow("      - run: pytest\n")},
        0,
    ),
    Case("installs-all", "CI006", workflow('      - run: pip install -e ".[all]"\n'), 1, line=7),
    Case(
        "installs-heavy-extra",
        "CI006",
        {
            "pyproject.toml": PROJECT + '[project.optional-dependencies]\nvision = ["torch>=2"]\n',
            **workflow("      - run: pip install .[test,vision]\n"),
        },
        1,
        says="vision",
    ),
    Case("installs-test", "CI006", workflow('      - run: pip install -e ".[test]"\n'), 0),
    # the dedicated job with the CPU build of torch that `prodready new --kind ml` writes
    Case(
        "cpu-torch-job",
        "CI006",
        workflow(
            '      - run: pip install -e ".[dev,ml]" '
            "--extra-index-url https://download.pytorch.org/whl/cpu\n"
        ),
        0,
    ),
    Case("none", "CI007", {"pyproject.toml": PROJECT}, 1),
    Case("dependabot", "CI007", {".github/dependabot.yml": "version: 2\n"}, 0),
    Case("renovate", "CI007", {"renovate.json": "{}\n"}, 0),
    Case(
        "not-yaml",
        "CI008",
        {".github/workflows/ci.yml": "on: push\njobs: [\n"},
        1,
        says="not valid YAML",
    ),
    Case(
        "no-runs-on",
        "CI008",
        {".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    steps:\n      - run: pytest\n"},
        1,
        line=3,
    ),
    Case(
        "no-trigger",
        "CI008",
        {".github/workflows/ci.yml": "jobs:\n  t:\n    runs-on: x\n    steps: []\n"},
        1,
    ),
    Case("valid", "CI008", workflow("      - run: pytest\n"), 0),
    Case(
        "reusable-job",
        "CI008",
        {
            ".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    uses: ./.github/workflows/other.yml\n"
        },
        0,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_ci_rules(audit: Audit, case: Case) -> None:
    run_case(audit, case)


def test_workflows_committed_despite_an_ignore_rule_run(tmp_path: Path) -> None:
    # reduced from drf-spectacular: `.*` ignores .github/, but the workflows are tracked
    from prodready import Auditor
    from tests.conftest import commit_all, git, write_tree

    root = write_tree(
        tmp_path / "r",
        {".gitignore": ".*\n!.gitignore\n", ".github/workflows/ci.yml": "on: push\n"},
    )
    commit_all(root)
    assert Auditor(select=["CI002"]).check(root).findings != ()  # ignored, never committed
    git(root, "add", "-f", ".github/workflows/ci.yml")
    git(root, "commit", "-q", "-m", "workflows")
    assert Auditor(select=["CI002"]).check(root).findings == ()
