"""TYPE rules: a type checker that runs, targets the right Python and knows its plug-ins."""

from __future__ import annotations

import pytest

from tests.conftest import Audit
from tests.rules.cases import Case, ids, run_case

PROJECT = '[project]\nname = "x"\nversion = "1"\nrequires-python = ">=3.10"\n'
MIRROR = "repos:\n  - repo: https://github.com/pre-commit/mirrors-mypy\n    rev: v1.8.0\n    hooks:\n      - id: mypy\n        additional_dependencies: [pydantic]\n"

CASES = [
    Case("none", "TYPE001", {"pyproject.toml": PROJECT}, 1),
    Case("mypy-ini", "TYPE001", {"mypy.ini": "[mypy]\nstrict = True\n"}, 0),
    Case("pyright-table", "TYPE001", {"pyproject.toml": PROJECT + "[tool.pyright]\n"}, 0),
    Case(
        "unknown-mypy-is-not-guessed",
        "TYPE002",
        {"pyproject.toml": PROJECT + '[tool.mypy]\npython_version = "3.9"\n'},
        0,
    ),
    Case(
        "mypy-pinned-in-a-requirements-file",
        "TYPE002",
        {
            "pyproject.toml": PROJECT + '[tool.mypy]\npython_version = "3.9"\n',
            "requirements/typing.in": "mypy\n",
            "requirements/typing.txt": "mypy==2.0.1\n",
        },
        1,
        says="oldest: 3.10",
        line=6,
    ),
    Case(
        "mirror-1.8-38",
        "TYPE002",
        {
            "pyproject.toml": PROJECT + '[tool.mypy]\npython_version = "3.8"\n',
            ".pre-commit-config.yaml": MIRROR,
        },
        0,
    ),
    Case(
        "mirror-1.8-36",
        "TYPE002",
        {
            "pyproject.toml": PROJECT + '[tool.mypy]\npython_version = "3.6"\n',
            ".pre-commit-config.yaml": MIRROR,
        },
        1,
        says="mypy 1.8",
    ),
    Case(
        "mirror-1.10-37",
        "TYPE002",
        {
            "pyproject.toml": PROJECT + '[tool.mypy]\npython_version = "3.7"\n',
            ".pre-commit-config.yaml": MIRROR.replace("v1.8.0", "v1.10.1"),
        },
        1,
        says="oldest: 3.8",
    ),
    Case(
        "dev-pin-1.16",
        "TYPE002",
        {
            "pyproject.toml": PROJECT
            + '[tool.mypy]\npython_version = "3.8"\n[dependency-groups]\ndev = ["mypy==1.16.0"]\n'
        },
        0,
    ),
    Case(
        "setup-cfg",
        "TYPE002",
        {"setup.cfg": "[mypy]\npython_version = 3.6\n", "requirements-dev.txt": "mypy==1.13.0\n"},
        1,
        line=2,
    ),
    Case(
        "newer-than-requires",
        "TYPE003",
        {"pyproject.toml": PROJECT + '[tool.mypy]\npython_version = "3.12"\n'},
        1,
        says="3.12",
    ),
    Case(
        "pyright-older",
        "TYPE003",
        {"pyproject.toml": PROJECT + '[tool.pyright]\npythonVersion = "3.9"\n'},
        1,
    ),
    Case(
        "matches",
        "TYPE003",
        {"pyproject.toml": PROJECT + '[tool.mypy]\npython_version = "3.10"\n'},
        0,
    ),
    Case(
        "global",
        "TYPE004",
        {"pyproject.toml": PROJECT + "[tool.mypy]\nignore_missing_imports = true\n"},
        1,
    ),
    Case("mypy-ini-global", "TYPE004", {"mypy.ini": "[mypy]\nignore_missing_imports = True\n"}, 1),
    Case(
        "per-module",
        "TYPE004",
        {
            "pyproject.toml": PROJECT
            + '[[tool.mypy.overrides]]\nmodule = ["x.*"]\nignore_missing_imports = true\n'
        },
        0,
    ),
    Case(
        "missing-plugin",
        "TYPE005",
        {
            "pyproject.toml": PROJECT
            + 'dependencies = ["pydantic>=2"]\n[tool.mypy]\nstrict = true\n'
        },
        1,
    ),
    Case(
        "plugin-present",
        "TYPE005",
        {
            "pyproject.toml": PROJECT
            + 'dependencies = ["pydantic>=2"]\n[tool.mypy]\nplugins = ["pydantic.mypy"]\n'
        },
        0,
    ),
    Case(
        "ini-plugin-present",
        "TYPE005",
        {
            "pyproject.toml": PROJECT + 'dependencies = ["pydantic>=2"]\n',
            "mypy.ini": "[mypy]\nplugins = pydantic.mypy\n",
        },
        0,
    ),
    Case("no-pydantic", "TYPE005", {"pyproject.toml": PROJECT + "[tool.mypy]\nstrict = true\n"}, 0),
]
# reduced from haystack-core-integrations: a package using pydantic without a model of its own
PYDANTIC_MYPY = PROJECT + 'dependencies = ["pydantic>=2"]\n[tool.mypy]\nstrict = true\n'
CASES += [
    Case(
        f"models-{name}",
        "TYPE005",
        {"pyproject.toml": PYDANTIC_MYPY, "src/demo/__init__.py": code},
        expected,
    )
    for name, code, expected in [
        ("dataclasses-only", "from pydantic.dataclasses import dataclass\n", 0),
        ("type-alias-only", "from pydantic.json_schema import JsonSchemaValue\n", 0),
        ("base-model", "from pydantic import BaseModel, Field\n", 1),
        ("settings", "from pydantic_settings import BaseSettings\n", 1),
        ("whole-module", "import pydantic\n", 1),
    ]
]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_typecheck_rules(audit: Audit, case: Case) -> None:
    run_case(audit, case)
