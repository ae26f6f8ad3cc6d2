"""PC rules: pinned, fast, non-redundant hooks in a valid configuration."""

from __future__ import annotations

import pytest

from tests.conftest import Audit
from tests.rules.cases import Case, ids, run_case


def config(
    hooks: str, repo: str = "https://github.com/pre-commit/pre-commit-hooks", rev: str = "v5.0.0"
) -> dict[str, str | bytes]:
    """A pre-commit configuration with one repository holding `hooks` (YAML list items)."""
    return {
        ".pre-commit-config.yaml": f"repos:\n  - repo: {repo}\n    rev: {rev}\n    hooks:\n{hooks}"
    }


RUFF = "https://github.com/astral-sh/ruff-pre-commit"
CASES = [
    Case("missing", "PC001", {"pyproject.toml": "[project]\nname = 'x'\n"}, 1),
    Case("present", "PC001", config("      - id: check-yaml\n"), 0),
    Case(
        "branch-rev",
        "PC002",
        config("      - id: black\n", "https://github.com/psf/black", "stable"),
        1,
        line=3,
    ),
    Case(
        "no-rev",
        "PC002",
        {
            ".pre-commit-config.yaml": "repos:\n  - repo: https://github.com/psf/black\n    hooks:\n      - id: black\n"
        },
        1,
    ),
    Case(
        "tag-and-local",
        "PC002",
        {
            ".pre-commit-config.yaml": "repos:\n  - repo: https://github.com/psf/black\n    rev: 24.10.0\n    hooks:\n      - id: black\n  - repo: local\n    hooks:\n      - id: t\n        name: t\n        entry: echo\n        language: system\n"
        },
        0,
    ),
    Case(
        "safe-arg", "PC003", config("      - id: check-yaml\n        args: [--safe]\n"), 1, line=6
    ),
    Case("unsafe-arg", "PC003", config("      - id: check-yaml\n        args: [--unsafe]\n"), 0),
    Case(
        "bandit-no-extra",
        "PC004",
        config(
            "      - id: bandit\n        args: [-c, pyproject.toml]\n",
            "https://github.com/PyCQA/bandit",
            "1.7.9",
        ),
        1,
    ),
    Case(
        "bandit-extra",
        "PC004",
        config(
            "      - id: bandit\n        args: ['-c', 'pyproject.toml']\n        additional_dependencies: ['bandit[toml]']\n",
            "https://github.com/PyCQA/bandit",
            "1.7.9",
        ),
        0,
    ),
    Case(
        "bandit-no-config",
        "PC004",
        config("      - id: bandit\n", "https://github.com/PyCQA/bandit", "1.7.9"),
        0,
    ),
    Case(
        "mypy-bare",
        "PC005",
        {
            **config("      - id: mypy\n", "https://github.com/pre-commit/mirrors-mypy", "v1.11.0"),
            "pyproject.toml": '[project]\nname = "x"\ndependencies = ["pydantic>=2"]\n[tool.mypy]\nexclude = ["tests/"]\n',
        },
        2,
    ),
    # reduced from ansible-lint: ansible/actions' mypy hook runs `uv run mypy .` (system)
    Case(
        "mypy-hook-of-another-repository",
        "PC005",
        {
            **config("      - id: mypy\n", "https://github.com/ansible/actions", "v1.1.2"),
            "pyproject.toml": '[project]\nname = "x"\ndependencies = ["pydantic>=2"]\n[tool.mypy]\nexclude = ["tests/"]\n',
        },
        0,
    ),
    # reduced from rq: the mirrors-mypy hook's entry runs mypy in hatch's test environment
    Case(
        "mypy-hook-entry-replaced",
        "PC005",
        {
            **config(
                "      - id: mypy\n        entry: hatch run test:typing\n        pass_filenames: false\n",
                "https://github.com/pre-commit/mirrors-mypy",
                "v1.11.0",
            ),
            "pyproject.toml": '[project]\nname = "x"\ndependencies = ["pydantic>=2"]\n[tool.mypy]\nexclude = ["tests/"]\n',
        },
        0,
    ),
    # reduced from faststream: a local python hook whose entry hands mypy to a task runner that
    # runs it in the project's locked environment; a local hook running mypy itself is isolated
    *[
        Case(
            f"local-mypy-hook-{name}",
            "PC005",
            {
                ".pre-commit-config.yaml": "repos:\n  - repo: local\n    hooks:\n      - id: mypy\n"
                f"        name: mypy\n        entry: {entry}\n        language: python\n"
                "        types: [python]\n",
                "pyproject.toml": '[project]\nname = "x"\ndependencies = ["pydantic>=2"]\n',
            },
            expected,
        )
        for name, entry, expected in [("task-runner", "just mypy", 0), ("mypy", "mypy", 1)]
    ],
    # reduced from pdm-backend: its one dependency is a backport only Pythons before 3.10
    # install, imported in the `sys.version_info` branch mypy skips
    Case(
        "mypy-and-a-backport-for-older-pythons",
        "PC005",
        {
            **config(
                "      - id: mypy\n        exclude: ^tests\n",
                "https://github.com/pre-commit/mirrors-mypy",
                "v1.11.0",
            ),
            "pyproject.toml": '[project]\nname = "x"\n'
            "dependencies = ['importlib-metadata>=3.6; python_version < \"3.10\"']\n",
        },
        0,
    ),
    Case(
        "mypy-checking-for-the-python-the-backport-serves",
        "PC005",
        {
            **config(
                "      - id: mypy\n        exclude: ^tests\n",
                "https://github.com/pre-commit/mirrors-mypy",
                "v1.11.0",
            ),
            "pyproject.toml": '[project]\nname = "x"\n'
            "dependencies = ['importlib-metadata>=3.6; python_version < \"3.10\"']\n"
            '[tool.mypy]\npython_version = "3.9"\n',
        },
        1,
        says="additional_dependencies",
    ),
    Case(
        "mypy-equipped",
        "PC005",
        {
            **config(
                "      - id: mypy\n        files: ^src/\n        additional_dependencies: [pydantic]\n",
                "https://github.com/pre-commit/mirrors-mypy",
                "v1.11.0",
            ),
            "pyproject.toml": '[project]\nname = "x"\ndependencies = ["pydantic>=2"]\n[tool.mypy]\nexclude = ["tests/"]\n',
        },
        0,
    ),
    Case(
        "pip-audit-on-commit",
        "PC006",
        config("      - id: pip-audit\n", "https://github.com/pypa/pip-audit", "v2.7.3"),
        1,
    ),
    Case(
        "local-pytest-on-commit",
        "PC006",
        {
            ".pre-commit-config.yaml": "repos:\n  - repo: local\n    hooks:\n      - id: tests\n        name: tests\n        entry: python -m pytest\n        language: system\n"
        },
        1,
    ),
    Case(
        "pip-audit-on-push",
        "PC006",
        config(
            "      - id: pip-audit\n        stages: [pre-push]\n",
            "https://github.com/pypa/pip-audit",
            "v2.7.3",
        ),
        0,
    ),
    Case(
        "default-stages-push",
        "PC006",
        {
            ".pre-commit-config.yaml": "default_stages: [pre-push]\nrepos:\n  - repo: https://github.com/pypa/pip-audit\n    rev: v2.7.3\n    hooks:\n      - id: pip-audit\n"
        },
        0,
    ),
    Case(
        "black-and-ruff-format",
        "PC007",
        config("      - id: ruff-format\n      - id: black\n", RUFF),
        1,
        says="black",
    ),
    Case("flake8-and-ruff", "PC007", config("      - id: ruff\n      - id: flake8\n", RUFF), 1),
    # reduced from djangoproject.com: ruff selects only E731 and I; flake8 still does the rest
    Case(
        "flake8-and-ruff-isort-only",
        "PC007",
        {
            **config("      - id: ruff-check\n      - id: flake8\n", RUFF),
            "ruff.toml": '[lint]\nselect = ["E731", "I"]\n',
        },
        0,
    ),
    # reduced from nox-poetry: flake8 runs only darglint and flake8-rst-docstrings
    Case(
        "flake8-plugins-only",
        "PC007",
        {
            **config("      - id: ruff\n      - id: flake8\n", RUFF),
            ".flake8": "[flake8]\nselect = DAR,RST\nmax-line-length = 80\n",
        },
        0,
    ),
    Case(
        "flake8-selects-its-own-checks",
        "PC007",
        {
            **config("      - id: ruff\n      - id: flake8\n", RUFF),
            ".flake8": "[flake8]\nselect = E,W,F,DAR\n",
        },
        1,
    ),
    Case("ruff-only", "PC007", config("      - id: ruff\n      - id: ruff-format\n", RUFF), 0),
    Case("too-many", "PC008", config("".join(f"      - id: hook{i}\n" for i in range(16))), 1),
    Case("fifteen", "PC008", config("".join(f"      - id: hook{i}\n" for i in range(15))), 0),
    Case(
        "fix-after-format",
        "PC009",
        config("      - id: ruff-format\n      - id: ruff-check\n        args: [--fix]\n", RUFF),
        1,
    ),
    # reduced from djangoproject.com: black runs early, but ruff-format follows the fixes
    Case(
        "formatter-after-the-fixes",
        "PC009",
        config(
            "      - id: black\n      - id: ruff-check\n        args: [--fix]\n"
            "      - id: ruff-format\n",
            RUFF,
        ),
        0,
    ),
    Case(
        "fix-first",
        "PC009",
        config("      - id: ruff-check\n        args: [--fix]\n      - id: ruff-format\n", RUFF),
        0,
    ),
    Case(
        "not-yaml",
        "PC010",
        {".pre-commit-config.yaml": "repos: [\n  - oops: {\n"},
        1,
        says="not valid YAML",
    ),
    Case("no-repos", "PC010", {".pre-commit-config.yaml": "hooks: []\n"}, 1),
    Case(
        "local-hook-incomplete",
        "PC010",
        {".pre-commit-config.yaml": "repos:\n  - repo: local\n    hooks:\n      - id: tests\n"},
        1,
        says="name, entry, language",
        line=4,
    ),
    Case("binary", "PC010", {".pre-commit-config.yaml": b"\x00\x01\x02"}, 1, says="binary"),
    Case("valid", "PC010", config("      - id: check-yaml\n"), 0),
    # the hook id a template used at a revision that does not have it yet
    Case(
        "ruff-check-before-its-time",
        "PC011",
        config("      - id: ruff-check\n      - id: ruff-format\n", RUFF, "v0.8.6"),
        1,
        says="v0.8.6 has no hook `ruff-check` (it has it from v0.11.10 on)",
        line=5,
    ),
    Case("ruff-check-in-time", "PC011", config("      - id: ruff-check\n", RUFF, "v0.11.10"), 0),
    Case("old-id-at-old-rev", "PC011", config("      - id: ruff\n", RUFF, "v0.8.6"), 0),
    Case(
        "pinned-by-commit",
        "PC011",
        config(
            "      - id: ruff-check\n",
            "git@github.com:astral-sh/ruff-pre-commit.git",
            "89c421dff2e1026ba12cdb9ebd731f4a83aa8021  # frozen: v0.8.6",
        ),
        1,
    ),
    Case(
        "removed-hook",
        "PC011",
        config("      - id: flake8\n", rev="v5.0.0"),
        1,
        says="has no hook `flake8` (it has it v0.7.0 to v3.4.0)",
    ),
    Case(
        "never-a-hook",
        "PC011",
        config("      - id: check-yml\n"),
        1,
        says="(its hooks: ",
    ),
    Case("newer-than-the-data", "PC011", config("      - id: brand-new\n", RUFF, "v99.0.0"), 0),
    Case(
        "unknown-repository",
        "PC011",
        config("      - id: anything\n", "https://github.com/example/hooks", "v1.0.0"),
        0,
    ),
    Case(
        "years-behind",
        "PC012",
        config("      - id: check-yaml\n", rev="v4.0.1"),
        1,
        says="pinned to v4.0.1 (2021-05-16)",
        line=3,
    ),
    Case("current", "PC012", config("      - id: check-yaml\n", rev="v6.0.0"), 0),
    Case(
        "a-year-of-patches-only",
        "PC012",
        config(
            "      - id: codespell\n", "https://github.com/codespell-project/codespell", "v2.4.1"
        ),
        0,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_precommit_rules(audit: Audit, case: Case) -> None:
    run_case(audit, case)
