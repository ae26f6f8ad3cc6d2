"""Every safe fix on real files: the rule is quiet afterwards, comments and unrelated bytes stay,
a second run changes nothing, and `--diff` writes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest

from prodready import Auditor
from prodready.cli import main
from tests.conftest import Files, commit_all, write_tree

META = '[project]\nname = "pkg"\nversion = "1"\nrequires-python = ">=3.10"\n'
BUILD = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n'
PKG = {"src/pkg/__init__.py": "def f(x: int) -> int:\n    return x\n"}
MODELS = {**PKG, "src/pkg/models.py": "from pydantic import BaseModel\n"}  # what TYPE005 checks
PRECOMMIT = ".pre-commit-config.yaml"
WORKFLOW = ".github/workflows/ci.yml"


class FixCase(NamedTuple):
    code: str
    files: Files
    path: str  # the file to inspect afterwards
    wanted: tuple[str, ...]  # text the fixed file must hold
    kept: tuple[str, ...] = ()  # text that must survive (comments, unrelated settings)
    gone: tuple[str, ...] = ()  # text the fix must remove


def pyproject(extra: str, deps: str = '"pydantic>=2"') -> str:
    return BUILD + META + f"dependencies = [{deps}]\n\n" + extra


CASES = [
    FixCase(
        "LINT002",
        {
            "pyproject.toml": pyproject(
                '[tool.ruff]\nline-length = 100\n# why these\nselect = ["E"]  # core\n\n[tool.ruff.isort]\n# ours\nknown-first-party = ["pkg"]\n'
            ),
            **PKG,
        },
        "pyproject.toml",
        ('[tool.ruff.lint]\n# why these\nselect = ["E"]  # core', "[tool.ruff.lint.isort]\n# ours"),
        ("line-length = 100",),
    ),
    FixCase(
        "LINT002",
        {
            "pyproject.toml": pyproject(""),
            "ruff.toml": 'line-length = 100\n# chosen\nselect = ["E"]\n[isort]\nknown-first-party = ["pkg"]\n',
            **PKG,
        },
        "ruff.toml",
        ('[lint]\n# chosen\nselect = ["E"]', "[lint.isort]\nknown-first-party"),
        ("line-length = 100\n",),
    ),
    FixCase(
        "LINT003",
        {"pyproject.toml": pyproject('[tool.ruff]\ntarget-version = "py38"  # keep\n'), **PKG},
        "pyproject.toml",
        ('target-version = "py310"  # keep',),
    ),
    FixCase(
        "LINT007",
        {"pyproject.toml": pyproject('[tool.ruff.lint]\nselect = ["TC"]\n'), **PKG},
        "pyproject.toml",
        ('runtime-evaluated-base-classes = ["pydantic.BaseModel"]',),
        ('select = ["TC"]',),
    ),
    FixCase(
        "TYPE003",
        {
            "pyproject.toml": pyproject(
                '[tool.mypy]\npython_version = "3.11"  # pinned\nstrict = true\nplugins = ["pydantic.mypy"]\n'
            ),
            **PKG,
        },
        "pyproject.toml",
        ('python_version = "3.10"  # pinned',),
        ("strict = true",),
    ),
    FixCase(
        "TYPE003",
        {
            "pyproject.toml": pyproject(""),
            "mypy.ini": "[mypy]\n# target\npython_version = 3.12\nstrict = True\nplugins = pydantic.mypy\n",
            **PKG,
        },
        "mypy.ini",
        ("python_version = 3.10\n",),
        ("# target", "strict = True"),
    ),
    FixCase(
        "TYPE002",
        {
            "pyproject.toml": pyproject(
                '[tool.mypy]\npython_version = "3.6"\nplugins = ["pydantic.mypy"]\n',
                '"pydantic>=2", "mypy>=1.10"',
            ),
            **PKG,
        },
        "pyproject.toml",
        ('python_version = "3.10"',),
    ),
    FixCase(
        "TYPE005",
        {"pyproject.toml": pyproject("[tool.mypy]\nstrict = true  # all of it\n"), **MODELS},
        "pyproject.toml",
        ('plugins = ["pydantic.mypy"]', "strict = true  # all of it"),
    ),
    FixCase(
        "TYPE005",
        {
            "pyproject.toml": pyproject(""),
            "setup.cfg": "[metadata]\nname = pkg\n\n[mypy]\nplugins = other.plugin\n",
            **MODELS,
        },
        "setup.cfg",
        ("plugins = other.plugin, pydantic.mypy",),
        ("[metadata]\nname = pkg\n",),
    ),
    FixCase(
        "PKG002",
        {"pyproject.toml": "# the package\n" + META, **PKG},
        "pyproject.toml",
        (
            '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n[project]',
        ),
        ("# the package\n",),
    ),
    FixCase(
        "PKG002",
        {
            "pyproject.toml": "[tool.black]\nline-length = 100\n",
            "setup.py": "from setuptools import setup\nsetup(name='pkg')\n",
            **PKG,
        },
        "pyproject.toml",
        (
            '[build-system]\nrequires = ["setuptools>=40.8.0"]\nbuild-backend = "setuptools.build_meta:__legacy__"\n\n[tool.black]',
        ),
    ),
    FixCase(
        "PKG002",
        {"pyproject.toml": '[build-system]\nrequires = ["hatchling"]\n\n' + META, **PKG},
        "pyproject.toml",
        ('build-backend = "hatchling.build"',),
    ),
    FixCase(
        "PKG008",
        {
            "pyproject.toml": BUILD
            + META
            + '\n[tool.hatch.build.targets.wheel]\npackages = ["src"]  # the code\n',
            **PKG,
        },
        "pyproject.toml",
        ('packages = ["src/pkg"]  # the code',),
    ),
    FixCase(
        "PKG008",
        {
            "pyproject.toml": BUILD.replace('"hatchling"', '"setuptools>=61"').replace(
                "hatchling.build", "setuptools.build_meta"
            )
            + META
            + '\n[tool.setuptools.packages.find]\nwhere = ["lib"]  # the code\n',
            **PKG,
        },
        "pyproject.toml",
        ('where = ["src"]  # the code',),
    ),
    FixCase(
        "PKG008",
        {
            "pyproject.toml": BUILD.replace('"hatchling"', '"setuptools>=61"').replace(
                "hatchling.build", "setuptools.build_meta"
            )
            + META
            + '\n[tool.setuptools]\npackages = ["pkg"]\n',
            **PKG,
        },
        "pyproject.toml",
        ('package-dir = {"" = "src"}',),
    ),
    FixCase(
        "PKG012",
        {"pyproject.toml": BUILD + META + "\n[tool.mypy]\nstrict = true\n", **PKG},
        "src/pkg/py.typed",
        (),
    ),
    FixCase(
        "DEP006",
        {
            "pyproject.toml": BUILD
            + META
            + 'dependencies = [\n    "httpx>=0.27",  # client\n    "pytest>=8",\n]\n\n[dependency-groups]\ndev = ["ruff"]\n',
            **PKG,
        },
        "pyproject.toml",
        ('dev = ["ruff", "pytest>=8"]', '"httpx>=0.27",  # client'),
        gone=('    "pytest>=8",\n',),
    ),
    FixCase(
        "GIT001",
        {"pyproject.toml": BUILD + META, ".gitignore": "# mine\n/secret.txt\n", **PKG},
        ".gitignore",
        ("__pycache__/\n", "dist/\n", ".venv/\n"),
        ("# mine\n/secret.txt\n",),
    ),
    FixCase(
        "TEST003",
        {
            "pyproject.toml": BUILD
            + META
            + '\n[project.optional-dependencies]\ntest = ["pytest>=8"]\n\n[tool.pytest.ini_options]\naddopts = "--cov=pkg"\n',
            **PKG,
            "tests/test_a.py": "def test_a():\n    assert True\n",
        },
        "pyproject.toml",
        ('test = ["pytest>=8", "pytest-cov"]',),
    ),
    FixCase(
        "TEST003",
        {
            "pyproject.toml": '[tool.poetry]\nname = "pkg"\nversion = "1"\n\n[tool.poetry.group.dev.dependencies]\npytest = "^8.0"  # tests\n\n[tool.pytest.ini_options]\naddopts = "-n auto"\n',
            **PKG,
            "tests/test_a.py": "def test_a():\n    assert True\n",
        },
        "pyproject.toml",
        ('pytest = "^8.0"  # tests\npytest-xdist = "*"',),
    ),
    FixCase(
        "TEST004",
        {
            "pyproject.toml": BUILD
            + META
            + '\n[tool.pytest.ini_options]\naddopts = "-ra"  # report\n',
            **PKG,
            "tests/test_a.py": "import pytest\n\n@pytest.mark.slow\ndef test_a():\n    assert True\n",
        },
        "pyproject.toml",
        ('addopts = "-ra --strict-markers"  # report', 'markers = ["slow"]'),
    ),
    FixCase(
        "TEST004",
        {
            "pyproject.toml": BUILD + META,
            "tox.ini": "[tox]\nenv_list = py\n\n[pytest]\naddopts = --strict-markers\nmarkers =\n    gpu: needs a GPU\n",
            **PKG,
            "tests/test_a.py": "import pytest\n\n@pytest.mark.slow\ndef test_a():\n    assert True\n",
        },
        "tox.ini",
        ("markers =\n    gpu: needs a GPU\n    slow\n",),
        ("[tox]\nenv_list = py\n",),
    ),
    # reduced from mkdocs-material's CI: test jobs that only read, one job with its own grants
    FixCase(
        "SEC006",
        {
            "pyproject.toml": BUILD + META,
            **PKG,
            ".github/workflows/ci.yml": "name: ci\non:\n  push:\n    branches: [main]\n\n"
            "# the jobs\njobs:\n    test:\n        runs-on: ubuntu-latest\n        steps:\n"
            "            - uses: actions/checkout@v6  # code\n"
            "            - uses: astral-sh/setup-uv@v7\n            - run: uv run pytest\n"
            "    pages:\n        runs-on: ubuntu-latest\n        permissions:\n"
            "            pages: write\n            id-token: write\n        steps:\n"
            "            - uses: actions/deploy-pages@v4\n",
        },
        ".github/workflows/ci.yml",
        (
            "    branches: [main]\n\npermissions:\n    contents: read\n\n# the jobs\njobs:\n",
            "            pages: write\n",
        ),
        ("- uses: actions/checkout@v6  # code",),
    ),
    FixCase(
        "PC003",
        {
            "pyproject.toml": BUILD + META,
            **PKG,
            PRECOMMIT: "repos:\n  - repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v5.0.0\n    hooks:\n      # yaml\n      - id: check-yaml\n        args:\n          - --safe\n          - --unsafe-tags\n",
        },
        PRECOMMIT,
        ("        args:\n          - --unsafe-tags\n",),
        ("      # yaml\n",),
        ("--safe",),
    ),
    FixCase(
        "PC004",
        {
            "pyproject.toml": BUILD + META,
            **PKG,
            PRECOMMIT: 'repos:\n  - repo: https://github.com/PyCQA/bandit\n    rev: 1.7.9\n    hooks:\n      - id: bandit  # security\n        args: ["-c", "pyproject.toml"]\n        additional_dependencies: [bandit]\n',
        },
        PRECOMMIT,
        ('additional_dependencies: ["bandit[toml]"]', "- id: bandit  # security"),
    ),
    FixCase(
        "PC006",
        {
            "pyproject.toml": BUILD + META,
            **PKG,
            PRECOMMIT: "repos:\n  - repo: https://github.com/pypa/pip-audit\n    rev: v2.7.3\n    hooks:\n      - id: pip-audit  # network\n",
        },
        PRECOMMIT,
        ("      - id: pip-audit  # network\n        stages: [pre-push]\n",),
    ),
    FixCase(
        "PC009",
        {
            "pyproject.toml": BUILD + META,
            **PKG,
            PRECOMMIT: "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.8.0\n    hooks:\n      - id: ruff-format\n      # lint\n      - id: ruff\n        args: [--fix]\n",
        },
        PRECOMMIT,
        ("      # lint\n      - id: ruff\n        args: [--fix]\n      - id: ruff-format\n",),
    ),
    # reduced from pip-audit's .github/dependabot.yml: two entries, comments, one with a
    # cooldown already (left as it is)
    FixCase(
        "CI011",
        {
            "pyproject.toml": BUILD + META,
            **PKG,
            ".github/dependabot.yml": "version: 2\n\nupdates:\n  # Python deps\n  - package-ecosystem: pip\n    directory: /\n    schedule:\n      interval: daily  # often\n\n  - package-ecosystem: github-actions\n    directory: /\n    schedule:\n      interval: daily\n    cooldown:\n      default-days: 10\n  - package-ecosystem: docker\n    directory: /\n    schedule: {interval: weekly}\n",
        },
        ".github/dependabot.yml",
        (
            "      interval: daily  # often\n    cooldown:\n      default-days: 7\n\n  - package-ecosystem: github-actions",
            "    schedule: {interval: weekly}\n    cooldown:\n      default-days: 7\n",
            "    cooldown:\n      default-days: 10\n",
        ),
        ("  # Python deps\n",),
    ),
    FixCase(
        "GHA001",
        {
            "pyproject.toml": BUILD + META,
            **PKG,
            WORKFLOW: "on: issues\npermissions: {}\njobs:\n  triage:\n    runs-on: ubuntu-latest\n"
            "    steps:\n      - name: greet\n        run: |\n          # say hello\n"
            '          echo "New: ${{ github.event.issue.title }}" ${{ github.event.issue.title }}\n'
            "      - run: git log ${{ github.head_ref }}\n        env:\n          OTHER: 1  # kept\n",
        },
        WORKFLOW,
        (
            '          echo "New: ${ISSUE_TITLE}" ${ISSUE_TITLE}\n        env:\n'
            "          ISSUE_TITLE: ${{ github.event.issue.title }}\n",
            "      - run: git log ${GITHUB_HEAD_REF}\n",
        ),
        ("          # say hello\n", "OTHER: 1  # kept"),
    ),
    FixCase(
        "GHA003",
        {
            "pyproject.toml": BUILD + META,
            **PKG,
            WORKFLOW: "on: push\npermissions: {}\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
            "    steps:\n      - uses: actions/checkout@v4  # code\n"
            "      - uses: actions/checkout@v4\n        with:\n          fetch-depth: 0  # all\n"
            "      - run: pytest\n",
        },
        WORKFLOW,
        (
            "      - uses: actions/checkout@v4  # code\n        with:\n          persist-credentials: false\n",
            "          fetch-depth: 0  # all\n          persist-credentials: false\n",
        ),
    ),
]


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.parts
    }


def findings(root: Path, code: str) -> list[str]:
    return [f.message for f in Auditor(select=[code], use_cache=False).check(root).findings]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.code}-{i}" for i, c in enumerate(CASES)])
def test_safe_fix(tmp_path: Path, case: FixCase, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_tree(tmp_path / "repo", case.files)
    commit_all(root)
    assert findings(root, case.code), "the case must make the rule fire"
    before = snapshot(root)

    assert main(["fix", "--select", case.code, "--diff", str(root)]) == 1
    assert snapshot(root) == before, "--diff wrote something"
    assert "+++ b/" in capsys.readouterr().out

    main(["fix", "--select", case.code, str(root)])
    assert findings(root, case.code) == []
    text = (root / case.path).read_text(encoding="utf-8")
    for wanted in (*case.wanted, *case.kept):
        assert wanted in text, f"{wanted!r} not in:\n{text}"
    for gone in case.gone:
        assert gone not in text
    after = snapshot(root)
    changed = {p for p in after if after[p] != before.get(p)}
    assert changed == {case.path}, changed

    main(["fix", "--select", case.code, str(root)])
    assert snapshot(root) == after, "a second fix changed something"


def test_every_safe_rule_has_a_fixer_and_a_case() -> None:
    from prodready.fixes import FIXERS
    from prodready.rules import load_rules

    safe = {code for code, r in load_rules().items() if r.fix.value == "safe"}
    assert safe <= set(FIXERS.load())
    assert safe <= {case.code for case in CASES}


# a job without its own permissions that pushes, or calls an action or a workflow: the fix
# cannot know the grants it needs, and leaves the workflow to the user
@pytest.mark.parametrize(
    "job",
    [
        "    steps:\n      - uses: actions/checkout@v6\n      - run: git push origin HEAD:gh-pages\n",
        "    steps:\n      - uses: softprops/action-gh-release@v2\n",
        "    steps:\n      - run: gh release create v1\n        env:\n          GH_TOKEN: ${{ github.token }}\n",
        "    env:\n      GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n    steps:\n      - run: python stale.py\n",
    ],
)
def test_read_only_token_left_to_the_user(tmp_path: Path, job: str) -> None:
    text = f"on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n{job}"
    root = write_tree(tmp_path / "repo", {".github/workflows/ci.yml": text})
    reported = Auditor(select=["SEC006"], use_cache=False).check(root).findings
    assert reported
    assert not any(f.fixable for f in reported)
    main(["fix", "--select", "SEC006", str(root)])
    assert (root / ".github/workflows/ci.yml").read_text(encoding="utf-8") == text
