"""DEP rules (configuration side): bounds, locks, layers and extras."""

from __future__ import annotations

import pytest

from tests.conftest import Audit
from tests.rules.cases import Case, ids, run_case


def project(deps: str, extra: str = "", name: str = "example") -> dict[str, str | bytes]:
    """A pyproject whose runtime dependencies are `deps` (TOML array body)."""
    return {
        "pyproject.toml": f'[project]\nname = "{name}"\nversion = "1"\nclassifiers = ["x"]\ndependencies = [{deps}]\n{extra}'
    }


SERVICE = ', "fastapi>=0.110"'
CASES = [
    Case("bare", "DEP001", project('"requests"'), 1, line=5),
    Case("marker-only", "DEP001", project("\"colorama; platform_system == 'Windows'\""), 1),
    Case("bounded", "DEP001", project('"requests>=2.31"'), 0),
    Case("url", "DEP001", project('"pkg @ https://example.org/pkg-1.0.tar.gz"'), 0),
    Case("service-no-lock", "DEP002", project('"uvicorn>=0.30"' + SERVICE), 1, kind="service"),
    Case(
        "service-uv-lock",
        "DEP002",
        {**project('"uvicorn>=0.30"' + SERVICE), "uv.lock": "version = 1\n"},
        0,
        kind="service",
    ),
    Case(
        "service-pinned-requirements",
        "DEP002",
        {
            **project('"uvicorn>=0.30"' + SERVICE),
            "requirements.txt": "fastapi==0.110.0 \\\n    --hash=sha256:abc\nuvicorn==0.30.1\n",
        },
        0,
        kind="service",
    ),
    Case("library-exempt", "DEP002", project('"requests>=2"'), 0),
    Case("exact-pin", "DEP003", project('"requests==2.31.0"'), 1, says="==2.31.0"),
    Case("minor-cap", "DEP003", project('"pydantic>=2,<2.6"'), 1, says="<2.6"),
    Case("compatible-release-patch", "DEP003", project('"attrs~=23.1.0"'), 1),
    Case("major-cap", "DEP003", project('"pydantic>=2,<3", "numpy<2.0"'), 0),
    Case("zero-minor-cap", "DEP003", project('"typer>=0.9,<0.13", "pytokens~=0.4.0"'), 0),
    Case("application-exempt", "DEP003", project('"requests==2.31.0"'), 0, kind="application"),
    Case("app-unbounded", "DEP004", project('"pydantic>=2.5"'), 1, kind="application"),
    Case("app-capped", "DEP004", project('"pydantic>=2.5,<3"'), 0, kind="application"),
    Case(
        "app-locked", "DEP004", {**project('"pydantic>=2.5"'), "uv.lock": ""}, 0, kind="application"
    ),
    Case("torch-core", "DEP005", project('"numpy>=1.24", "torch>=2.0"'), 1, says="torch"),
    Case(
        "torch-extra",
        "DEP005",
        project('"numpy>=1.24"', '\n[project.optional-dependencies]\nml = ["torch>=2.0"]\n'),
        0,
    ),
    Case(
        "a-package-built-on-the-framework",
        "DEP005",
        {
            **project('"numpy>=1.24", "torch>=2.0"', name="speech"),
            "speech/__init__.py": "from .model import load\n",
            "speech/model.py": "import torch\ndef load():\n    return torch.nn.Linear(1, 1)\n",
            "speech/audio.py": "import torch\nimport numpy as np\n",
            "speech/decoding.py": "import torch.nn.functional as F\n",
        },
        0,
    ),
    Case(
        "one-corner-of-the-package-uses-the-framework",
        "DEP005",
        {
            **project('"fastapi>=0.110", "torch>=2.0"', name="svc"),
            "svc/__init__.py": "",
            "svc/api.py": "import fastapi\n",
            "svc/routes.py": "import fastapi\n",
            "svc/db.py": "import sqlite3\n",
            "svc/ml.py": "import torch\n",
            "svc/util.py": "import os\n",
            "svc/settings.py": "import os\n",
        },
        1,
        says="torch",
    ),
    Case("torch-own-family", "DEP005", project('"torch>=2.0"', name="torchmetrics"), 0),
    Case("pytest-runtime", "DEP006", project('"httpx>=0.27", "pytest>=8", "ruff>=0.5"'), 2),
    Case(
        "pytest-plugin",
        "DEP006",
        project(
            '"pytest>=8"',
            '\n[project.entry-points.pytest11]\nexample = "example.plugin"\n',
            name="pytest-example",
        ),
        0,
    ),
    Case(
        "dev-group",
        "DEP006",
        project('"httpx>=0.27"', '\n[dependency-groups]\ndev = ["pytest>=8"]\n'),
        0,
    ),
    Case(
        "typo-self-reference",
        "DEP010",
        project(
            '"a>=1"',
            '\n[project.optional-dependencies]\ntest = ["pytest"]\ndev = ["exmaple[test]"]\n',
        ),
        1,
        says="misspelt",
    ),
    Case(
        "missing-extra",
        "DEP010",
        project(
            '"a>=1"',
            '\n[project.optional-dependencies]\ntest = ["pytest"]\ndev = ["example[tests]"]\n',
        ),
        1,
        says="`tests`",
    ),
    Case(
        "good-self-reference",
        "DEP010",
        project(
            '"a>=1"',
            '\n[project.optional-dependencies]\ntest = ["pytest"]\ndev = ["example[test]"]\n',
        ),
        0,
    ),
    Case(
        "other-project-extra",
        "DEP010",
        project(
            '"a>=1"',
            '\n[project.optional-dependencies]\ntest = ["pytest"]\nhttp = ["httpx[http2]"]\n',
        ),
        0,
    ),
    Case(
        "requirements-only",
        "DEP011",
        {
            "pyproject.toml": '[project]\nname = "x"\nversion = "1"\n',
            "requirements.txt": "requests>=2\n",
        },
        1,
    ),
    Case(
        "dynamic-from-file",
        "DEP011",
        {
            "pyproject.toml": '[project]\nname = "x"\nversion = "1"\ndynamic = ["dependencies"]\n',
            "requirements.txt": "requests>=2\n",
        },
        0,
    ),
    Case(
        "declared", "DEP011", {**project('"requests>=2"'), "requirements.txt": "requests>=2\n"}, 0
    ),
]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_dependency_rules(audit: Audit, case: Case) -> None:
    run_case(audit, case)


def test_lockstep_sibling_may_be_pinned(audit: Audit) -> None:
    files = {
        **project('"example-core==2.1.0"'),
        "example-core/pyproject.toml": '[project]\nname = "example-core"\n',
    }
    assert audit(files, "DEP003") == []
