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
FLASK: dict[str, str | bytes] = {
    "pyproject.toml": """[project]
name = "Flask"
version = "3.2.0.dev0"
requires-python = ">=3.10"
dependencies = [
    "blinker>=1.9.0",
    "Click>=8.1.3",
    "markupsafe>=2.1.1",
]

[project.optional-dependencies]
async = ["asgiref>=3.2"]
dotenv = ["python_dotenv"]

[dependency-groups]
dev = [
    "ruff",
    { include-group = "tests" },
]
tests = ["pytest", "PyYAML >= 6.0"]
docs = []
""",
    "src/flask/__init__.py": "",
}
FLASK_LOCK = """version = 1
revision = 3
requires-python = ">=3.10"

[[package]]
name = "blinker"
version = "1.9.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "flask"
version = "3.2.0.dev0"
source = { editable = "." }
dependencies = [
    { name = "blinker" },
]

[package.metadata]
requires-dist = [
    { name = "asgiref", marker = "extra == 'async'", specifier = ">=3.2" },
    { name = "blinker", specifier = ">=1.9.0" },
    { name = "click", specifier = ">=8.1.3" },
    { name = "markupsafe", specifier = ">=2.1.1" },
    { name = "python-dotenv", marker = "extra == 'dotenv'" },
]
provides-extras = ["async", "dotenv"]

[package.metadata.requires-dev]
dev = [
    { name = "pytest" },
    { name = "pyyaml", specifier = ">=6" },
    { name = "ruff" },
]
docs = []
tests = [
    { name = "pytest" },
    { name = "pyyaml", specifier = ">=6.0" },
]
"""
WORKSPACE: dict[str, str | bytes] = {
    "pyproject.toml": """[project]
name = "mcp"
version = "1"
dependencies = ["mcp-types", "httpx>=0.27"]

[tool.uv.workspace]
members = ["types"]

[tool.uv.sources]
mcp-types = { workspace = true }
""",
    "types/pyproject.toml": '[project]\nname = "mcp-types"\nversion = "1"\ndependencies = ["pydantic>=2.11"]\n',
    "uv.lock": """version = 1
revision = 3
requires-python = ">=3.10"

[manifest]
members = [
    "mcp",
    "mcp-types",
]

[[package]]
name = "mcp"
version = "1"
source = { editable = "." }

[package.metadata]
requires-dist = [
    { name = "httpx", specifier = ">=0.27" },
    { name = "mcp-types", editable = "types" },
]

[[package]]
name = "mcp-types"
version = "1"
source = { editable = "types" }

[package.metadata]
requires-dist = [{ name = "pydantic", specifier = ">=2.11" }]
""",
}
CASES = [
    Case("bare", "DEP001", project('"requests"'), 1, line=5),
    Case("marker-only", "DEP001", project("\"colorama; platform_system == 'Windows'\""), 1),
    Case("bounded", "DEP001", project('"requests>=2.31"'), 0),
    # reduced from Flask-SocketIO: the same distribution listed again with a floor
    Case("listed-twice", "DEP001", project('"flask", "Flask >= 2.1.0"'), 0),
    # reduced from python-sdk: the workspace's own SDK, and what the root takes from a path
    Case(
        "workspace-sourced",
        "DEP001",
        {
            "pyproject.toml": '[project]\nname = "demo"\nversion = "1"\ndependencies = ["mcp", "tools"]\n'
            '[tool.uv.sources]\nmcp = { workspace = true }\ntools = { path = "../tools" }\n',
            "src/demo/__init__.py": "import mcp\nimport tools\n",
        },
        0,
    ),
    # reduced from quart: flask's wheel requires Jinja2>=3.1.2 and itsdangerous>=2.2, werkzeug's
    # MarkupSafe>=2.1.1: no version below those floors can be installed beside them
    Case(
        "required-with-a-floor-by-another",
        "DEP001",
        {
            "pyproject.toml": '[project]\nname = "web"\nversion = "1"\n'
            'dependencies = ["flask>=3.0", "itsdangerous", "jinja2", "markupsafe"]\n',
            "src/web/__init__.py": "import flask\nimport itsdangerous\nimport jinja2\nimport markupsafe\n",
        },
        0,
    ),
    # reduced from django-helpdesk and haystack-core-integrations (vllm): requests-oauthlib's
    # wheel requires oauthlib>=3.0.0 and requests>=2.0.0, haystack-ai's openai>=1.99.2 (the
    # data read again by the script); akismet is floored by nothing
    Case(
        "required-with-a-floor-by-another-read-again",
        "DEP001",
        {
            "pyproject.toml": '[project]\nname = "web"\nversion = "1"\n'
            'dependencies = ["requests-oauthlib>=2", "oauthlib", "requests", "haystack-ai>=2.30.0",'
            ' "openai", "akismet"]\n',
            "src/web/__init__.py": "import requests_oauthlib\nimport oauthlib\nimport requests\n"
            "import haystack\nimport openai\nimport akismet\n",
        },
        1,
        says="`akismet`",
    ),
    # reduced from peft: accelerate requires psutil with no floor, so nothing keeps an ancient
    # psutil out; and a dependency under a marker may not be installed to set one
    Case(
        "required-by-another-without-a-floor",
        "DEP001",
        {
            "pyproject.toml": '[project]\nname = "web"\nversion = "1"\n'
            'dependencies = ["accelerate>=1", "psutil", "flask>=3; sys_platform == \'linux\'", "jinja2"]\n',
            "src/web/__init__.py": "import accelerate\nimport psutil\nimport flask\nimport jinja2\n",
        },
        2,
        says="`psutil`",
    ),
    # reduced from evaluate: a backport only for Pythons the project no longer admits
    Case(
        "for-pythons-the-project-dropped",
        "DEP001",
        {
            "pyproject.toml": '[project]\nname = "x"\nversion = "1"\nrequires-python = ">=3.8"\n'
            "dependencies = [\"importlib_metadata; python_version<'3.8'\", \"tomli; python_version<'3.11'\"]\n",
            "src/x/__init__.py": "import importlib_metadata\nimport tomli\n",
        },
        1,
        says="tomli",
    ),
    # reduced from dispatch: declared, never imported: no API of it is called
    Case(
        "never-imported",
        "DEP001",
        {
            "pyproject.toml": '[project]\nname = "app"\nversion = "1"\ndependencies = ["chardet", "pandas"]\n',
            "src/app/__init__.py": "import pandas\n",
        },
        1,
        says="`pandas`",
    ),
    Case("url", "DEP001", project('"pkg @ https://example.org/pkg-1.0.tar.gz"'), 0),
    Case("service-no-lock", "DEP002", project('"uvicorn>=0.30"' + SERVICE), 1, kind="service"),
    # reduced from django-oauth-toolkit: the root Dockerfile serves the test app, a demo of
    # the library; an image that serves the project itself makes it a service
    Case(
        "image-of-the-test-app",
        "DEP002",
        {
            **project('"django>=4.2"'),
            "Dockerfile": "FROM python:3.12-slim\nCOPY . /code\nWORKDIR /code/tests/app/idp\n"
            'CMD ["gunicorn", "idp.wsgi:application"]\n',
        },
        0,
    ),
    Case(
        "image-of-the-project",
        "DEP002",
        {
            **project('"django>=4.2"'),
            "Dockerfile": "FROM python:3.12-slim\nCOPY . /code\nWORKDIR /code\n"
            'CMD ["gunicorn", "site.wsgi:application"]\n',
        },
        1,
    ),
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
    # one or two pinned tools in requirements/ lock nothing; a compiled file does
    Case(
        "service-docs-pin-is-no-lock",
        "DEP002",
        {**project('"uvicorn>=0.30"' + SERVICE), "requirements/docs.txt": "sphinx==7.3.7\n"},
        1,
        kind="service",
    ),
    Case(
        "service-compiled-requirements",
        "DEP002",
        {
            **project('"uvicorn>=0.30"' + SERVICE),
            "requirements.txt": "# This file was autogenerated by uv via the following command:\n"
            "#    uv pip compile pyproject.toml -o requirements.txt\nuvicorn==0.30.1\n",
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
    # reduced from posting: a program its README installs with `uv tool install` or pipx, in
    # an environment of its own; a README that installs another tool says nothing of it
    Case(
        "installed-as-a-tool",
        "DEP003",
        {
            **project(
                '"httpx[brotli]==0.28.1", "textual[syntax]==6.1.0"',
                '[project.scripts]\nposting = "posting.__main__:cli"\n',
                name="posting",
            ),
            "README.md": "```bash\nuv tool install --python 3.13 posting\n```\n"
            "If you'd prefer `pipx`: `pipx install posting`.\n",
        },
        0,
    ),
    Case(
        "readme-installs-another-tool",
        "DEP003",
        {
            **project(
                '"httpx[brotli]==0.28.1"',
                '[project.scripts]\nposting = "posting.__main__:cli"\n',
                name="posting",
            ),
            "README.md": "Run the tests with `pipx install nox` and `nox`.\n",
        },
        1,
    ),
    # reduced from jrnl: its README sends readers to the documentation, whose installation
    # page installs it with pipx
    Case(
        "installed-as-a-tool-by-its-docs",
        "DEP003",
        {
            **project(
                '"rich (>=15.0.0,<15.1.0)"',
                "[project.scripts]\njrnl = 'jrnl.main:run'\n",
                name="jrnl",
            ),
            "README.md": "# jrnl\n\nRead the documentation at https://jrnl.sh.\n",
            "docs/installation.md": "## Installation\n\n``` sh\npipx install jrnl\n```\n",
        },
        0,
    ),
    # reduced from llm: the README installs it with pip as well (plug-ins depend on it)
    Case(
        "readme-installs-it-with-pip-too",
        "DEP003",
        {
            **project('"httpx==0.28.1"', '[project.scripts]\nllm = "llm.cli:cli"\n', name="llm"),
            "README.md": "```bash\npip install llm\n```\nOr with pipx:\n```bash\n"
            "pipx install llm\n```\n",
        },
        1,
    ),
    # reduced from djangoproject.com: classifiers, but `[tool.uv] package = false` says the
    # project is never built, so its pins are an application's (kind detected, not given)
    Case(
        "never-built-exempt",
        "DEP003",
        project('"django==6.1", "requests==2.34.2"', "[tool.uv]\npackage = false\n"),
        0,
    ),
    # reduced from virtualenv: the last filelock for Python 3.9, the newest for the others
    Case(
        "cap-for-older-pythons-only",
        "DEP003",
        project(
            "\"filelock>=3.16.1,<=3.19.1; python_version < '3.10'\", \"filelock>=3.20.1; python_version >= '3.10'\""
        ),
        0,
    ),
    # reduced from haystack-core-integrations (dspy, vespa): the comment above a cap says why
    # (an upstream issue, the release that breaks); reduced from litgpt and django-oscar: a
    # heading over a group of requirements says nothing of the cap
    Case(
        "cap-explained-by-the-comment-above",
        "DEP003",
        project(
            '\n    "haystack-ai>=2.22.0",\n    # https://github.com/BerriAI/litellm/issues/36384\n'
            '    "litellm<1.97.0",\n    # `httpr` is a transitive dependency of `pyvespa`, pinned\n'
            "    # here because httpr 0.5.2 made 404s raise\n"
            '    "httpr>=0.4.0,<0.5.2",\n'
        ),
        0,
    ),
    Case(
        "cap-under-a-heading",
        "DEP003",
        project('\n    # download models:\n    "huggingface-hub>=0.30,<1.4",\n'),
        1,
        says="<1.4",
    ),
    # reduced from haystack-core-integrations (ragas, spacy): the comment above a one-line array
    # is the comment of the requirement it names, not of the others on the line
    Case(
        "one-line-array-comment-names-the-capped",
        "DEP003",
        {
            "pyproject.toml": '[project]\nname = "example"\nversion = "1"\nclassifiers = ["x"]\n'
            "# langchain-community pinned due to https://github.com/vibrantlabsai/ragas/issues/2741\n"
            'dependencies = ["ragas>=0.4.3", "langchain-community>=0.3.9,<0.4.2"]\n'
        },
        0,
    ),
    Case(
        "one-line-array-comment-names-another",
        "DEP003",
        {
            "pyproject.toml": '[project]\nname = "example"\nversion = "1"\nclassifiers = ["x"]\n'
            "# `click` is required to make spacy work but not declared by spacy itself.\n"
            "# See https://github.com/explosion/spaCy/issues/13971\n"
            'dependencies = ["spacy>=3.8.13,<3.9", "click>=8.0.0"]\n'
        },
        1,
        says="<3.9",
    ),
    # reduced from thinc: the build requires blis and preshed too, and the Cython extensions
    # cimport them, so the wheels are bound to that release line; wasabi is only imported,
    # catalogue not built against
    Case(
        "cap-on-what-the-extensions-compile-against",
        "DEP003",
        {
            **project(
                '"blis>=1.0.0,<1.1.0", "preshed>=3.0.2,<3.1.0", "wasabi>=1.0.0,<1.2.0",'
                ' "catalogue>=2.0.4,<2.1.0"',
                '[build-system]\nrequires = ["setuptools", "cython>=0.25,<3.0", "blis>=1.0.0,<1.1.0",'
                ' "preshed>=3.0.2,<3.1.0", "wasabi>=1.0.0,<1.2.0"]\n',
            ),
            "src/example/__init__.py": "",
            "src/example/cblas.pyx": "cimport blis.cy\nimport wasabi\n",
            "src/example/ops.pxd": "from preshed.maps cimport PreshMap\nimport catalogue\n",
        },
        2,
    ),
    Case("app-unbounded", "DEP004", project('"pydantic>=2.5"'), 1, kind="application"),
    Case("app-capped", "DEP004", project('"pydantic>=2.5,<3"'), 0, kind="application"),
    Case(
        "app-locked", "DEP004", {**project('"pydantic>=2.5"'), "uv.lock": ""}, 0, kind="application"
    ),
    Case("torch-core", "DEP005", project('"numpy>=1.24", "torch>=2.0"'), 1, says="torch"),
    # reduced from optax: jax installs jaxlib whatever the extras say
    Case(
        "required-by-another-core",
        "DEP005",
        {
            **project('"jax>=0.4", "jaxlib>=0.4"'),
            "src/example/__init__.py": "import jax\n",
        },
        0,
    ),
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
    # reduced from peft: `import peft` loads transformers through peft_model, though most
    # of its many modules import it only where used
    Case(
        "import-of-the-package-loads-the-framework",
        "DEP005",
        {
            **project('"transformers>=4"', name="adapters"),
            "adapters/__init__.py": "from .model import Model\n",
            "adapters/model.py": "from transformers import PreTrainedModel\n",
            **{f"adapters/m{i}.py": "import json\n" for i in range(12)},
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
    # reduced from pytest-cov: the plug-in's own code runs coverage
    Case(
        "tool-the-package-imports",
        "DEP006",
        {
            **project('"coverage>=7.5"', name="pytest-cover"),
            "src/pytest_cover/__init__.py": "",
            "src/pytest_cover/engine.py": "import coverage\n",
        },
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
            "src/x/__init__.py": "import requests\n",
        },
        1,
    ),
    # reduced from python-dotenv: the contributors' environment, and the CLI extra's click
    Case(
        "development-environment",
        "DEP011",
        {
            "pyproject.toml": '[project]\nname = "x"\nversion = "1"\n'
            '[project.optional-dependencies]\ncli = ["click>=5"]\n',
            "requirements.txt": "click\nipython\npytest>=3.9\ntox\nruff\nbuild\n",
            "src/x/__init__.py": "import os\n",
            "src/x/cli.py": "import click\n",
            "src/x/ipython.py": "from IPython.core.magic import Magics\n",
        },
        0,
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
    Case(
        "pylock",
        "DEP002",
        {**project('"fastapi>=0.110"'), "pylock.toml": 'lock-version = "1.0"\n'},
        0,
        kind="service",
    ),
    Case(
        "named-pylock",
        "DEP004",
        {**project('"fastapi>=0.110"'), "pylock.prod.toml": 'lock-version = "1.0"\n'},
        0,
        kind="service",
    ),
    Case("no-lock", "DEP004", project('"fastapi>=0.110"'), 1, kind="service"),
    # reduced from flask: the lock records exactly what pyproject.toml declares, written as
    # uv writes it (normalised names and versions, extras as markers, groups with includes expanded)
    Case("lock-current", "DEP012", {**FLASK, "uv.lock": FLASK_LOCK}, 0),
    Case(
        "dependency-added",
        "DEP012",
        {
            **FLASK,
            "pyproject.toml": str(FLASK["pyproject.toml"]).replace(
                '"Click>=8.1.3"', '"Click>=8.1.3", "rich"'
            ),
            "uv.lock": FLASK_LOCK,
        },
        1,
        says="declared but not in uv.lock: rich",
        line=5,
    ),
    # reduced from jsonschema: a floor added to an extra's requirement after the lock was written
    Case(
        "floor-raised-in-extra",
        "DEP012",
        {
            **FLASK,
            "pyproject.toml": str(FLASK["pyproject.toml"]).replace(
                '"asgiref>=3.2"', '"asgiref>=3.9"'
            ),
            "uv.lock": FLASK_LOCK,
        },
        1,
        says="asgiref>=3.9 (extra async)",
    ),
    # reduced from pipx: a tool added to the dev group, the lock not refreshed
    Case(
        "group-grown",
        "DEP012",
        {
            **FLASK,
            "pyproject.toml": str(FLASK["pyproject.toml"]).replace(
                '"ruff",', '"ruff", "sphinx-llm>=0.4.1",'
            ),
            "uv.lock": FLASK_LOCK,
        },
        1,
        says="dependency group dev",
    ),
    # reduced from posting: the version bumped, the lock not
    Case(
        "version-bumped",
        "DEP012",
        {
            **FLASK,
            "pyproject.toml": str(FLASK["pyproject.toml"]).replace(
                'version = "3.2.0.dev0"', 'version = "3.2.0"'
            ),
            "uv.lock": FLASK_LOCK,
        },
        1,
        says="version 3.2.0",
    ),
    # the version is computed by the build: uv cannot compare it, neither does prodready
    Case(
        "dynamic-dependencies",
        "DEP012",
        {
            "pyproject.toml": '[project]\nname = "flask"\nversion = "3.2.0.dev0"\ndynamic = ["dependencies"]\n',
            "uv.lock": FLASK_LOCK,
        },
        0,
    ),
    # reduced from python-sdk: a workspace member taken from the workspace, its specifier
    # lowered by uv to the member's folder
    Case("workspace-member", "DEP012", WORKSPACE, 0),
    Case(
        "workspace-member-drifted",
        "DEP012",
        {
            **WORKSPACE,
            "types/pyproject.toml": '[project]\nname = "mcp-types"\nversion = "1"\ndependencies = ["pydantic>=2.12"]\n',
        },
        1,
        says="pydantic>=2.12",
    ),
    Case("no-uv-lock", "DEP012", FLASK, 0),
    Case(
        "dependabot-pip-only",
        "DEP013",
        {
            **project('"httpx>=0.27"'),
            "uv.lock": "version = 1\n",
            ".github/workflows/ci.yml": "on: push\njobs: {}\n",
            ".github/dependabot.yml": "version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: /\n    schedule: {interval: weekly}\n",
        },
        2,
    ),
    Case(
        "dependabot-complete",
        "DEP013",
        {
            **project('"httpx>=0.27"'),
            "uv.lock": "version = 1\n",
            ".github/workflows/ci.yml": "on: push\njobs: {}\n",
            ".github/dependabot.yml": "version: 2\nupdates:\n  - package-ecosystem: uv\n    directory: /\n    schedule: {interval: weekly}\n  - package-ecosystem: github-actions\n    directory: /\n    schedule: {interval: weekly}\n",
        },
        0,
    ),
    Case("no-dependabot", "DEP013", {**project('"httpx>=0.27"'), "uv.lock": "version = 1\n"}, 0),
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
