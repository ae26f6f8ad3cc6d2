"""LINT rules: one modern linter, configured where it reads, ignores explained."""

from __future__ import annotations

import pytest

from tests.conftest import Audit
from tests.rules.cases import Case, ids, run_case

PROJECT = '[project]\nname = "x"\nversion = "1"\nrequires-python = ">=3.10"\n'
HOOKS = "repos:\n  - repo: https://github.com/x/y\n    rev: v1\n    hooks:\n"

CASES = [
    Case("none", "LINT001", {"pyproject.toml": PROJECT}, 1),
    Case("ruff-table", "LINT001", {"pyproject.toml": PROJECT + "[tool.ruff]\n"}, 0),
    # reduced from pydub: pylama (pyflakes and pycodestyle) runs in CI
    Case(
        "pylama-in-ci",
        "LINT001",
        {"pyproject.toml": PROJECT, ".travis.yml": "script:\n  - pylama pydub || true\n"},
        0,
    ),
    # reduced from toolz: pycodestyle alone, a blocking CI step
    Case(
        "pycodestyle-in-ci",
        "LINT001",
        {
            "pyproject.toml": PROJECT,
            ".github/workflows/test.yml": "on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n"
            "      - run: pycodestyle -r --show-source .\n",
        },
        0,
    ),
    Case("flake8-file", "LINT001", {".flake8": "[flake8]\n"}, 0),
    Case(
        "ruff-in-ci",
        "LINT001",
        {
            ".github/workflows/ci.yml": "on: push\njobs:\n  l:\n    runs-on: x\n    steps:\n      - run: ruff check .\n"
        },
        0,
    ),
    Case(
        "ruff-in-comment-only",
        "LINT001",
        {".github/workflows/ci.yml": "on: push\n# ruff later\njobs: {}\n"},
        1,
    ),
    Case(
        "top-level-select",
        "LINT002",
        {
            "pyproject.toml": PROJECT
            + '[tool.ruff]\nline-length = 100\nselect = ["E"]\nignore = ["E501"]\n\n[tool.ruff.isort]\n'
        },
        3,
    ),
    Case("ruff-toml-top-level", "LINT002", {"ruff.toml": 'select = ["E"]\n'}, 1, line=1),
    # reduced from redash: CI and pre-commit run ruff 0.0.287, before the lint table existed
    Case(
        "ruff-pinned-before-the-lint-table",
        "LINT002",
        {
            "pyproject.toml": PROJECT + '[tool.ruff]\nselect = ["E"]\n',
            ".pre-commit-config.yaml": "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n"
            "    rev: v0.0.287\n    hooks:\n      - id: ruff\n",
        },
        0,
    ),
    # reduced from parler-tts: the dev extra caps ruff at 0.0.259 (an upper bound, no `==`);
    # a lower bound alone says nothing of the release that runs
    *[
        Case(
            f"ruff-bounded-{name}",
            "LINT002",
            {
                "pyproject.toml": PROJECT + "[project.optional-dependencies]\n"
                f'dev = ["{requirement}"]\n[tool.ruff]\nselect = ["E"]\n',
            },
            expected,
        )
        for name, requirement, expected in [
            ("at-most", "ruff>=0.0.241,<=0.0.259", 0),
            ("below", "ruff<0.1", 0),
            ("at-least", "ruff>=0.0.241", 1),
        ]
    ],
    # reduced from gitlint: the hatch environment CI lints with pins ruff 0.0.252
    Case(
        "ruff-pinned-in-a-hatch-environment",
        "LINT002",
        {
            "pyproject.toml": PROJECT + '[tool.hatch.envs.test]\ndependencies = ["ruff==0.0.252"]\n'
            '[tool.ruff]\nselect = ["E"]\n',
        },
        0,
    ),
    Case(
        "ruff-pinned-after",
        "LINT002",
        {
            "pyproject.toml": PROJECT + '[tool.ruff]\nselect = ["E"]\n',
            ".pre-commit-config.yaml": "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n"
            "    rev: v0.6.9\n    hooks:\n      - id: ruff\n",
        },
        1,
    ),
    Case(
        "lint-table",
        "LINT002",
        {
            "pyproject.toml": PROJECT
            + '[tool.ruff]\nline-length = 100\n\n[tool.ruff.lint]\nselect = ["E"]\n'
        },
        0,
    ),
    Case(
        "target-older",
        "LINT003",
        {"pyproject.toml": PROJECT + '[tool.ruff]\ntarget-version = "py38"\n'},
        1,
        says="py310",
    ),
    Case(
        "target-matches",
        "LINT003",
        {"pyproject.toml": PROJECT + '[tool.ruff]\ntarget-version = "py310"\n'},
        0,
    ),
    Case("target-unset", "LINT003", {"pyproject.toml": PROJECT + "[tool.ruff]\n"}, 0),
    # reduced from loguru: requires-python >=3.5, and py37 is the oldest target ruff accepts
    Case(
        "target-at-ruffs-oldest",
        "LINT003",
        {
            "pyproject.toml": PROJECT.replace(">=3.10", ">=3.5")
            + '[tool.ruff]\ntarget-version = "py37"\n'
        },
        0,
    ),
    Case(
        "bare-ignores",
        "LINT004",
        {"pyproject.toml": PROJECT + '[tool.ruff.lint]\nignore = ["E501", "B008"]\n'},
        2,
        line=6,
    ),
    Case(
        "commented-ignores",
        "LINT004",
        {
            "pyproject.toml": PROJECT
            + '[tool.ruff.lint]\nignore = [\n    "E501",  # formatter wraps\n    # typer defaults call functions\n    "B008",\n]\n'
        },
        0,
    ),
    Case(
        "one-line-comment",
        "LINT004",
        {"pyproject.toml": PROJECT + '[tool.ruff.lint]\nignore = ["E501"]  # formatter wraps\n'},
        0,
    ),
    Case(  # both are hooks: PC007 reports the pair at the hook, once
        "black-and-ruff-format-hooks",
        "LINT005",
        {".pre-commit-config.yaml": HOOKS + "      - id: black\n      - id: ruff-format\n"},
        0,
    ),
    Case(
        "black-in-make-and-ruff-format-hook",
        "LINT005",
        {
            ".pre-commit-config.yaml": HOOKS + "      - id: ruff-format\n",
            "Makefile": "lint:\n\tblack src tests\n",
        },
        1,
    ),
    # reduced from umap: `black` is isort's profile, not a command; ruff formats the code, and
    # the ruff it pins (0.15) selects no `I` rule by default
    Case(
        "black-as-isorts-profile",
        "LINT005",
        {
            "pyproject.toml": PROJECT
            + '[project.optional-dependencies]\ndev = ["ruff==0.15.22"]\n',
            "Makefile": "format:\n\t-uv run isort --profile black umap/\n"
            "\t-uv run ruff format --target-version=py310 umap/\n"
            "lint:\n\tuv run isort --check --profile=black umap/\n",
        },
        0,
    ),
    # the ruff a pre-commit hook pins decides the default selection
    *[
        Case(
            f"isort-beside-ruff-{rev}",
            "LINT005",
            {
                "pyproject.toml": PROJECT,
                ".pre-commit-config.yaml": "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n"
                f"    rev: {rev}\n    hooks:\n      - id: ruff-check\n",
                "Makefile": "lint:\n\tisort --check src/\n",
            },
            expected,
        )
        for rev, expected in [("v0.15.9", 0), ("v0.17.1", 1)]
    ],
    # reduced from textual: a `[tool.ruff]` table, but ruff's linter runs nowhere
    Case(
        "isort-hook-and-a-ruff-table-only",
        "LINT005",
        {
            "pyproject.toml": PROJECT + '[tool.ruff]\ntarget-version = "py39"\n',
            ".pre-commit-config.yaml": "repos:\n  - repo: https://github.com/pycqa/isort\n"
            "    rev: 5.13.2\n    hooks:\n      - id: isort\n",
        },
        0,
    ),
    # since ruff 0.16 the default selection sorts imports (I001): isort beside it sorts twice
    Case(
        "isort-beside-ruffs-newer-default",
        "LINT005",
        {
            "pyproject.toml": PROJECT + '[project.optional-dependencies]\ndev = ["ruff==0.16.2"]\n',
            "Makefile": "lint:\n\tuv run isort --check umap/\n\tuv run ruff check umap/\n",
        },
        1,
        says="isort",
    ),
    # reduced from mkdocs: black with a short option (`-q`) runs, beside `ruff format`
    Case(
        "black-short-option-and-ruff-format",
        "LINT005",
        {
            "pyproject.toml": PROJECT
            + '[tool.hatch.envs.style.scripts]\nfix = ["black -q mkdocs docs", '
            '"ruff format mkdocs"]\n',
        },
        1,
    ),
    # reduced from poethepoet: the task `format-ruff` runs ruff's lint autofix, not its
    # formatter; a sequence naming it is no `ruff format`
    Case(
        "ruff-in-a-task-name",
        "LINT005",
        {
            "pyproject.toml": PROJECT + "[tool.poe.tasks.format]\n"
            'sequence = ["format-ruff", "format-black"]\n'
            '[tool.poe.tasks.format-ruff]\ncmd = "ruff check . --fix-only"\n'
            '[tool.poe.tasks.format-black]\ncmd = "black ."\n',
        },
        0,
    ),
    # reduced from hydra's noxfile: the command's words in a list still run `ruff format`
    Case(
        "ruff-format-as-a-list",
        "LINT005",
        {
            "noxfile.py": 'def lint(session):\n    session.run("ruff", "format", ".")\n'
            '    session.run("black", "--check", ".")\n',
            "Makefile": "fmt:\n\tblack --check .\n",
        },
        1,
    ),
    # reduced from pipx: DeepSource's black transformer formats every commit, while the
    # pre-commit hook runs `ruff format`
    Case(
        "black-deepsource-transformer",
        "LINT005",
        {
            ".deepsource.toml": 'version = 1\n[[transformers]]\nname = "black"\nenabled = true\n',
            ".pre-commit-config.yaml": HOOKS + "      - id: ruff-check\n      - id: ruff-format\n",
        },
        1,
        says="black",
    ),
    Case(
        "black-deepsource-transformer-disabled",
        "LINT005",
        {
            ".deepsource.toml": 'version = 1\n[[transformers]]\nname = "black"\nenabled = false\n',
            ".pre-commit-config.yaml": HOOKS + "      - id: ruff-check\n      - id: ruff-format\n",
        },
        0,
    ),
    Case(
        "isort-and-ruff-i",
        "LINT005",
        {
            "pyproject.toml": PROJECT
            + '[dependency-groups]\ndev = ["isort>=5", "ruff"]\n'
            + '[tool.ruff.lint]\nselect = ["E", "I"]\n\n[tool.isort]\nprofile = "black"\n'
        },
        1,
    ),
    # reduced from hydra and returns: an isort configuration left behind when ruff took over;
    # isort is neither installed nor run
    Case(
        "isort-configuration-left-behind",
        "LINT005",
        {
            "pyproject.toml": PROJECT + '[tool.ruff.lint]\nselect = ["E", "I"]\n',
            ".isort.cfg": "[settings]\nprofile = black\n",
            ".pre-commit-config.yaml": HOOKS + "      - id: ruff-check\n",
        },
        0,
    ),
    Case(
        "black-config-for-blacken-docs",
        "LINT005",
        {
            "pyproject.toml": PROJECT + "[tool.black]\nline-length = 88\n",
            ".pre-commit-config.yaml": HOOKS
            + "      - id: blacken-docs\n        additional_dependencies: [black==24.1.1]\n      - id: ruff-format\n",
        },
        0,
    ),
    # reduced from pydantic-settings and starlette: black installed for pytest-examples and
    # mkdocstrings to call, while ruff formats the code
    Case(
        "black-installed-for-another-tool",
        "LINT005",
        {
            ".pre-commit-config.yaml": HOOKS + "      - id: ruff-format\n",
            "pyproject.toml": PROJECT + '[dependency-groups]\nlinting = ["black", "ruff"]\n',
        },
        0,
    ),
    # reduced from nicegui: the documentation site calls isort as a library
    Case(
        "isort-installed-as-a-library",
        "LINT005",
        {
            "pyproject.toml": PROJECT + '[dependency-groups]\nwebsite = ["isort>=6"]\n'
            '[tool.ruff.lint]\nselect = ["E", "I"]\n',
            "website/extract.py": "import isort\n\ndef tidy(code):\n    return isort.code(code)\n",
        },
        0,
    ),
    Case(
        "ruff-only",
        "LINT005",
        {".pre-commit-config.yaml": HOOKS + "      - id: ruff-check\n      - id: ruff-format\n"},
        0,
    ),
    Case(
        "flake8-beside-ruff",
        "LINT006",
        {
            ".pre-commit-config.yaml": HOOKS
            + "      - id: ruff\n      - id: flake8\n      - id: pyupgrade\n"
        },
        1,
        says="flake8, pyupgrade",
    ),
    Case(
        "manual-pyupgrade",
        "LINT006",
        {
            ".pre-commit-config.yaml": HOOKS
            + "      - id: ruff\n      - id: pyupgrade\n        stages: [manual]\n"
        },
        0,
    ),
    Case("no-ruff", "LINT006", {".pre-commit-config.yaml": HOOKS + "      - id: flake8\n"}, 0),
]
TC = PROJECT + 'dependencies = ["pydantic>=2"]\n[tool.ruff.lint]\nselect = ["E", "TC"]\n'
CASES += [
    Case("tc-with-pydantic", "LINT007", {"pyproject.toml": TC}, 1, says="pydantic"),
    Case(
        "tc-all-with-typer",
        "LINT007",
        {"pyproject.toml": TC.replace("pydantic>=2", "typer>=0.12").replace('"E", "TC"', '"ALL"')},
        1,
    ),
    Case(
        "tc-configured",
        "LINT007",
        {
            "pyproject.toml": TC
            + '\n[tool.ruff.lint.flake8-type-checking]\nruntime-evaluated-base-classes = ["pydantic.BaseModel"]\n'
        },
        0,
    ),
    Case(
        "tc-ignored",
        "LINT007",
        {"pyproject.toml": TC.replace('"E", "TC"', '"ALL"') + 'ignore = ["TC"]\n'},
        0,
    ),
    # `T` is the old category of flake8-debugger and flake8-print (`T10`, `T20`), not of `TC`
    # (haystack-core-integrations' integrations select "T" for print statements)
    Case("t-is-not-tc", "LINT007", {"pyproject.toml": TC.replace('"E", "TC"', '"E", "T"')}, 0),
    Case("tc0-is-tc", "LINT007", {"pyproject.toml": TC.replace('"E", "TC"', '"TC0"')}, 1),
    # ruff redirects the old prefix (`TCH` is read as `TC`, `TCH003` as `TC003`)
    Case(
        "tch-redirected",
        "LINT007",
        {"pyproject.toml": TC.replace('"E", "TC"', '"E", "TCH"')},
        1,
        says="pydantic",
    ),
    Case(
        "tch-ignored-by-old-code",
        "LINT007",
        {"pyproject.toml": TC.replace('"E", "TC"', '"ALL"') + 'ignore = ["TCH001"]\n'},
        0,
    ),
    Case(
        "no-frameworks", "LINT007", {"pyproject.toml": TC.replace("pydantic>=2", "requests>=2")}, 0
    ),
    Case("none", "LINT008", {"pyproject.toml": PROJECT + "[tool.ruff]\n"}, 1),
    Case(
        "ruff-format-hook",
        "LINT008",
        {".pre-commit-config.yaml": HOOKS + "      - id: ruff-format\n"},
        0,
    ),
    Case(
        "black-dev-dep",
        "LINT008",
        {"pyproject.toml": PROJECT + '[dependency-groups]\ndev = ["black>=24"]\n'},
        0,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_lint_rules(audit: Audit, case: Case) -> None:
    run_case(audit, case)


def test_a_tool_word_after_a_rejected_overlapping_candidate_is_found() -> None:
    from prodready.project.tools import TOOLS, _pattern

    words = _pattern(TOOLS["black"].words)
    assert words.search("uv run --with flake8-black black .")
    assert not words.search("uv run --with flake8-black ruff .")


@pytest.mark.parametrize(
    ("selector", "code", "selected"),
    [
        ("T", "TC001", False),  # the old category of T10 and T20, not flake8-type-checking
        ("T", "T201", True),
        ("C", "C901", True),
        ("C", "C401", True),
        ("E", "ERA001", False),  # eradicate is a linter of its own
        ("D", "DJ001", False),
        ("F", "FAST001", False),
        ("PL", "PLC0414", True),
        ("PLC", "PLC0414", True),
        ("PLR", "PLC0414", False),
        ("TC0", "TC001", True),
        ("ALL", "TC001", True),
    ],
)
def test_a_selector_selects_within_the_codes_linter(
    selector: str, code: str, selected: bool
) -> None:
    from prodready.project.tools import ruff_selects

    assert ruff_selects(selector, code) is selected
