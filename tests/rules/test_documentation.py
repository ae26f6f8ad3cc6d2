"""DOC, GIT, APP and CFG rules."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from prodready import Auditor
from tests.conftest import Audit, write_tree
from tests.rules.cases import Case, ids, run_case

GOOD_README = (
    "# x\n\n    pip install x\n\n## Usage\n\n```python\nimport x\n```\n\n## Tests\n\n    pytest\n"
)
SERVICE = '[project]\nname = "svc"\nversion = "1"\ndependencies = ["fastapi>=0.110"]\n'
CASES = [
    Case("missing", "DOC001", {"pyproject.toml": "[project]\nname = 'x'\n"}, 1),
    Case(
        "no-install",
        "DOC001",
        {"README.md": "# x\nA thing.\n\n## Usage\n\n```python\nimport x\n```\nRun pytest.\n"},
        1,
        says="install",
    ),
    Case(
        "tests-in-contributing",
        "DOC001",
        {"README.md": "# x\npip install x\n## Usage\n", "CONTRIBUTING.md": "Run `pytest`.\n"},
        0,
    ),
    Case("complete", "DOC001", {"README.md": GOOD_README}, 0),
    # reduced from frogmouth: a project with no tests has no test instructions to give
    Case("no-tests-to-explain", "DOC001", {"README.md": "# x\npip install x\n## Usage\n"}, 0),
    Case(
        "tests-unexplained",
        "DOC001",
        {"README.md": "# x\npip install x\n## Usage\n", "tests/test_x.py": "def test_x(): ...\n"},
        1,
        says="test",
    ),
    # reduced from simplejson and langgraph: the agents' instructions say how to run them
    Case(
        "tests-in-agents-instructions",
        "DOC001",
        {
            "README.md": "# x\npip install x\n## Usage\n",
            "tests/test_x.py": "def test_x(): ...\n",
            "AGENTS.md": "# Agents\n\nRun the tests with `make test`.\n",
        },
        0,
    ),
    # reduced from ansible-lint: the usage is a section on running it as a GitHub Action
    Case(
        "usage-as-a-using-section",
        "DOC001",
        {
            "README.md": "# x\n\npip install x\n\n# Using x as a GitHub Action\n\n"
            "```yaml\nsteps:\n  - uses: org/x@main\n```\n",
            "CONTRIBUTING.md": "Run `pytest`.\n",
        },
        0,
    ),
    Case(
        "no-usage-only-install",
        "DOC001",
        {"README.md": "# x\n\nA thing. Install it:\n\n    pip install x\n\nRun pytest.\n"},
        1,
        says="usage",
    ),
    # reduced from searxng: an inline link to the quick start on the project's own docs domain
    Case(
        "tests-behind-an-inline-rst-link",
        "DOC001",
        {
            "README.rst": "x\n=\n\n    pip install x\n\nUsage: run ``x``.\n",
            "CONTRIBUTING.rst": "See the `quickstart <https://docs.x.org/dev/quickstart.html>`_.\n",
            "docs/dev/quickstart.rst": "Run ``make test``.\n",
        },
        0,
    ),
    # reduced from packaging: a reStructuredText link target to the hosted development section,
    # whose index lists the page that says how to run the tests
    Case(
        "tests-in-a-hosted-section",
        "DOC001",
        {
            "README.rst": "x\n=\n\n    pip install x\n\nUsage: see the docs.\n\nSee `dev`_.\n\n"
            ".. _`dev`: https://x.pypa.io/en/latest/development/\n",
            "docs/development/index.rst": "Development\n===========\n\n.. toctree::\n\n   getting-started\n",
            "docs/development/getting-started.rst": "Run ``nox -s tests``.\n",
        },
        0,
    ),
    # reduced from virtualenv: the guide links to the hosted page built from docs/development.rst
    Case(
        "tests-in-the-hosted-development-docs",
        "DOC001",
        {
            "README.md": "# x\npip install x\n## Usage\n",
            ".github/CONTRIBUTING.md": "See [development](https://x.pypa.io/en/latest/development.html#development).\n",
            "docs/development.rst": "Running tests\n=============\n\n    tox -e py\n",
        },
        0,
    ),
    Case("missing", "DOC002", {"README.md": GOOD_README}, 1),
    Case("changes-rst", "DOC002", {"CHANGES.rst": "1.0\n"}, 0),
    Case("docs-changelog", "DOC002", {"docs/changelog.md": "# 1.0\n"}, 0),
    Case("towncrier", "DOC002", {"changelog.d/1.feature.md": "x\n"}, 0),
    Case("missing", "DOC003", {"README.md": GOOD_README}, 1),
    Case("license-txt", "DOC003", {"LICENSE.txt": "MIT\n"}, 0),
    # reduced from jaraco.text: the SPDX expression names the licence, the text is missing
    Case(
        "spdx-expression-without-its-text",
        "DOC003",
        {"pyproject.toml": '[project]\nname = "x"\nlicense = "MIT"\n'},
        1,
        says="names the licence",
    ),
    Case("copying", "DOC003", {"COPYING": "GPL\n"}, 0),
    Case(
        "license-files",
        "DOC003",
        {
            "pyproject.toml": '[project]\nname = "x"\nlicense-files = ["legal/*.txt"]\n',
            "legal/mit.txt": "MIT\n",
        },
        0,
    ),
    Case("missing", "DOC004", {"README.md": GOOD_README}, 1),
    Case("github-folder", "DOC004", {".github/CONTRIBUTING.md": "x\n"}, 0),
    Case("broken-example", "DOC005", {"examples/demo.py": 'print "hello"\n'}, 1, line=1),
    Case("good-example", "DOC005", {"examples/demo.py": 'print("hello")\n'}, 0),
    # reduced from bandit: a linter's own tests read its broken examples as input
    Case(
        "example-read-by-the-tests",
        "DOC005",
        {
            "examples/nonsense.py": "test(hi\n",
            "tests/test_runtime.py": "def test_nonsense():\n    assert scan('examples/nonsense.py').errors\n",
        },
        0,
    ),
    Case("missing", "GIT001", {"README.md": GOOD_README}, 1),
    Case(
        "partial",
        "GIT001",
        {".gitignore": "*.pyc\n", "pyproject.toml": "[project]\nname = 'x'\n"},
        1,
        says="dist/, .venv/",
    ),
    # reduced from healthchecks and alpaca-lora: an application run from its source builds no
    # distribution, so nothing lands in dist/
    Case(
        "application-without-packaging",
        "GIT001",
        {
            ".gitignore": "__pycache__/\n.venv/\n.env\n",
            "requirements.txt": "django==5.1\n",
            "manage.py": "import django\n",
            "pyproject.toml": "[tool.black]\nline-length = 100\n",
            # reduced from flask-realworld-example-app: a setup.cfg for flake8 only
            "setup.cfg": "[flake8]\nmax-line-length = 100\n",
        },
        0,
    ),
    # reduced from redash and zope.interface: an application uv never builds, and the HTML
    # report written under an ignored folder
    Case(
        "never-built-and-html-elsewhere",
        "GIT001",
        {
            ".gitignore": "__pycache__/\n.venv/\n.env\n.coverage\nparts/\n",
            "pyproject.toml": "[project]\nname = 'app'\nversion = '1'\ndependencies = ['coverage']\n"
            "[tool.uv]\npackage = false\n[tool.coverage.html]\ndirectory = 'parts/htmlcov'\n",
            "tox.ini": "[testenv]\ncommands = coverage run -m pytest\n    coverage html\n",
        },
        0,
        kind="application",
    ),
    # reduced from platformdirs: tox.toml writes the HTML report under its own folders
    Case(
        "html-directory-on-the-command-line",
        "GIT001",
        {
            ".gitignore": "__pycache__/\ndist/\n.venv/\n.coverage\n",
            "pyproject.toml": "[project]\nname = 'x'\ndependencies = ['coverage']\n",
            "tox.toml": '[env.cov]\ncommands = [["pytest", "--cov", "--cov-report", '
            '"html:{env_tmp_dir}/htmlcov"], [ "coverage", "html", "-d", "{work_dir}/htmlcov" ]]\n',
            "tox.ini": "[testenv]\ncommands = coverage run -m pytest\n",
        },
        0,
    ),
    Case(
        "html-directory-in-tox-ini",
        "GIT001",
        {
            ".gitignore": "__pycache__/\ndist/\n.venv/\n.coverage\n",
            "pyproject.toml": "[project]\nname = 'x'\ndependencies = ['coverage']\n",
            "tox.ini": "[testenv]\ncommands = pytest --cov --cov-report=html:{envtmpdir}/htmlcov\n"
            "    coverage html -d {toxworkdir}/htmlcov\n",
        },
        0,
    ),
    Case(
        "html-report-at-the-root-from-tox-toml",
        "GIT001",
        {
            ".gitignore": "__pycache__/\ndist/\n.venv/\n.coverage\n",
            "pyproject.toml": "[project]\nname = 'x'\ndependencies = ['coverage']\n",
            "tox.toml": '[env.cov]\ncommands = [["coverage", "run", "-m", "pytest"], '
            '["coverage", "html"]]\n',
        },
        1,
        says="htmlcov/",
    ),
    # reduced from nicegui: bundled components keep their own dist/ folders in git
    Case(
        "nested-dist-kept",
        "GIT001",
        {
            ".gitignore": "__pycache__/\n.venv/\n",
            "pyproject.toml": "[project]\nname = 'x'\n",
            "x/elements/chart/dist/index.js": "export {}\n",
        },
        1,
        says="/dist/",
    ),
    # reduced from dateutil: tox writes coverage data under .tox/
    Case(
        "coverage-file-moved",
        "GIT001",
        {
            ".gitignore": "__pycache__/\ndist/\n.venv/\n.tox/\n",
            "pyproject.toml": "[project]\nname = 'x'\n",
            "tox.ini": "[testenv]\nsetenv =\n    COVERAGE_FILE={toxworkdir}/.coverage.{envname}\n"
            "commands = pytest --cov\ndeps = pytest-cov\n",
        },
        0,
    ),
    Case("pycache-covers-pyc", "GIT001", {".gitignore": "__pycache__/\ndist/\n.venv\n"}, 0),
    Case(
        "setuptools-egg-info",
        "GIT001",
        {
            ".gitignore": "__pycache__/\ndist/\n.venv/\n",
            "pyproject.toml": '[build-system]\nbuild-backend = "setuptools.build_meta"\n[project]\nname = "x"\n',
        },
        1,
        says="build/, *.egg-info/",
    ),
    Case(
        "named-egg-info",
        "GIT001",
        {
            ".gitignore": "__pycache__/\ndist\n.venv/\nbuild/\nmy_pkg.egg-info/\n",
            "pyproject.toml": '[build-system]\nbuild-backend = "setuptools.build_meta"\n[project]\nname = "my-pkg"\n',
            "src/my_pkg/__init__.py": "",
        },
        0,
        use_git=True,
    ),
    # reduced from PyMySQL: setuptools keeps the name's case in the folder it writes
    Case(
        "named-egg-info-keeps-case",
        "GIT001",
        {
            ".gitignore": "__pycache__/\ndist\n.venv/\nbuild/\n/PyMySQL.egg-info\n",
            "pyproject.toml": '[build-system]\nbuild-backend = "setuptools.build_meta"\n[project]\nname = "PyMySQL"\n',
            "pymysql/__init__.py": "",
        },
        0,
        use_git=True,
    ),
    Case(
        "lower-case-egg-info-misses-the-folder",
        "GIT001",
        {
            ".gitignore": "__pycache__/\ndist\n.venv/\nbuild/\n/pymysql.egg-info\n",
            "pyproject.toml": '[build-system]\nbuild-backend = "setuptools.build_meta"\n[project]\nname = "PyMySQL"\n',
            "pymysql/__init__.py": "",
        },
        1,
        use_git=True,
    ),
    # reduced from setuptools-scm and djangoproject.com: an application that reads variables
    # from its environment, with nothing that reads a `.env` file
    Case(
        "application-without-env-file",
        "GIT001",
        {
            ".gitignore": "__pycache__/\n.venv/\n.envrc\n",
            "pyproject.toml": '[project]\nname = "tool"\nversion = "1"\n[tool.uv]\npackage = false\n',
            "tool.py": "import os\nVERSION = os.getenv('PRETEND_VERSION')\n",
        },
        0,
        kind="application",
    ),
    Case(
        "application-with-compose",
        "GIT001",
        {
            ".gitignore": "__pycache__/\n.venv/\n",
            "pyproject.toml": '[project]\nname = "tool"\nversion = "1"\n[tool.uv]\npackage = false\n',
            "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n",
        },
        1,
        says=".env",
        kind="application",
    ),
    Case(
        "service-env",
        "GIT001",
        {".gitignore": "__pycache__/\ndist/\n.venv/\n", "pyproject.toml": SERVICE},
        1,
        says=".env",
    ),
    Case(
        "pyc-tracked",
        "GIT002",
        {"pkg/__pycache__/mod.cpython-312.pyc": b"\x00", "pkg/mod.py": ""},
        1,
        use_git=True,
    ),
    Case("egg-info-tracked", "GIT002", {"x.egg-info/PKG-INFO": "Name: x\n"}, 1, use_git=True),
    Case(
        "fixture-egg-info",
        "GIT002",
        {"tests/fixtures/x.egg-info/PKG-INFO": "Name: x\n"},
        0,
        use_git=True,
    ),
    Case(
        "clean",
        "GIT002",
        {"pkg/mod.py": "", ".gitignore": "__pycache__/\n", "pkg/__pycache__/mod.pyc": b"\x00"},
        0,
        use_git=True,
    ),
    Case(
        "scattered-env",
        "APP001",
        {
            "pyproject.toml": SERVICE,
            "src/svc/routes.py": "import os\nTIMEOUT = os.getenv('TIMEOUT')\n",
        },
        1,
        line=2,
    ),
    # reduced from dispatch: the whole environment handed to a child process
    Case(
        "environment-handed-to-a-child-process",
        "APP001",
        {
            "pyproject.toml": SERVICE,
            "src/svc/cli.py": "import os, subprocess\ndef serve():\n    env = os.environ.copy()\n"
            "    subprocess.run(['npm', 'run', 'serve'], env=env)\n",
            "src/svc/version.py": "import os, subprocess\n"
            "REV = subprocess.run(['git', 'rev-parse', 'HEAD'], env=os.environ).stdout\n",
        },
        0,
    ),
    # reduced from flasky and wger: WSGI's request environment, and the variable naming the
    # settings module, are no configuration read outside the settings
    Case(
        "request-environ-and-settings-module-name",
        "APP001",
        {
            "pyproject.toml": SERVICE,
            "src/svc/views.py": "def shutdown(request):\n    stop = request.environ.get('werkzeug.server.shutdown')\n",
            "src/svc/tasks.py": "import os\nif os.environ.get('DJANGO_SETTINGS_MODULE') is not None:\n    pass\n",
        },
        0,
    ),
    # reduced from redash: setting a variable for the database driver to read
    Case(
        "environment-written-for-a-library",
        "APP001",
        {
            "pyproject.toml": SERVICE,
            "src/svc/oracle.py": "import os\ndef connect(cfg):\n    os.environ['NLS_LANG'] = cfg['encoding']\n",
        },
        0,
    ),
    Case(
        "settings-module",
        "APP001",
        {
            "pyproject.toml": SERVICE,
            "src/svc/settings.py": "import os\nTIMEOUT = os.environ['TIMEOUT']\n",
        },
        0,
    ),
    Case(
        "library-exempt",
        "APP001",
        {
            "pyproject.toml": '[project]\nname = "lib"\n',
            "src/lib/core.py": "import os\nX = os.getenv('X')\n",
        },
        0,
    ),
    Case(
        "no-example",
        "APP002",
        {
            "pyproject.toml": SERVICE,
            "src/svc/settings.py": "from pydantic_settings import BaseSettings\nclass S(BaseSettings):\n    url: str\n",
        },
        1,
    ),
    Case(
        "example",
        "APP002",
        {
            "pyproject.toml": SERVICE,
            "src/svc/settings.py": "import os\nX = os.getenv('X')\n",
            ".env.example": "X=\n",
        },
        0,
    ),
    Case(
        "latest-root-single-stage",
        "APP003",
        {
            "pyproject.toml": SERVICE,
            "Dockerfile": 'FROM python:latest\nRUN apt-get update && \\\n    apt-get install -y build-essential\nCMD ["uvicorn", "svc:app"]\n',
        },
        3,
    ),
    Case(
        "untagged",
        "APP003",
        {"pyproject.toml": SERVICE, "Dockerfile": "FROM python\nUSER app\n"},
        1,
        line=1,
    ),
    # reduced from djangoproject.com: make is kept to run the Makefile, the compilers named
    # by a build argument are purged in their layer (the image still runs as root)
    Case(
        "make-kept-compilers-purged",
        "APP003",
        {
            "pyproject.toml": SERVICE,
            "Dockerfile": "FROM python:3.12-slim\nRUN apt-get install -y gettext make rsync\n"
            'ARG BUILD_DEPENDENCIES="g++ gcc libpq-dev"\nRUN apt-get install -y '
            "${BUILD_DEPENDENCIES} && pip install -r r.txt && apt-get purge -y "
            "${BUILD_DEPENDENCIES}\n",
        },
        1,
        says="root",
    ),
    # reduced from taiga-back: a comment line inside the continued RUN (Docker drops it)
    Case(
        "purged-after-a-comment-inside-the-run",
        "APP003",
        {
            "pyproject.toml": SERVICE,
            "Dockerfile": "FROM python:3.12-slim\nRUN set -eux; \\\n    apt-get install -y \\\n"
            "        build-essential \\\n        # libpq5 is needed at run time\n"
            "        libpq5 \\\n        libpq-dev; \\\n    pip install -r r.txt; \\\n"
            "    apt-get purge -y build-essential libpq-dev\nUSER app\n",
        },
        0,
    ),
    # reduced from ArchiveBox: compilers purged in the layer that used them, and an
    # entrypoint that drops to the application's user with gosu
    Case(
        "purged-tools-and-gosu",
        "APP003",
        {
            "pyproject.toml": SERVICE,
            "Dockerfile": "FROM python:3.12-slim\nRUN apt-get install -y gcc python3-dev && pip install . "
            "&& apt-get purge -y gcc python3-dev && apt-get autoremove -y\n"
            'RUN apt-get install -y gosu\nENTRYPOINT ["/app/entrypoint.sh"]\n',
        },
        0,
    ),
    # reduced from dispatch and redash: the editor's development container and CI's own image
    Case(
        "development-and-ci-images",
        "APP003",
        {
            "pyproject.toml": SERVICE,
            ".devcontainer/Dockerfile": "FROM python:3.12\nRUN apt-get install -y git\n",
            ".ci/Dockerfile.cypress": "FROM cypress/browsers:latest\n",
        },
        0,
    ),
    Case(
        "multi-stage-nonroot",
        "APP003",
        {
            "pyproject.toml": SERVICE,
            "Dockerfile": 'FROM python:3.12-slim AS build\nRUN apt-get install -y gcc\nFROM python:3.12-slim\nCOPY --from=build /venv /venv\nUSER 10001\nCMD ["uvicorn", "svc:app"]\n',
        },
        0,
    ),
    Case(
        "no-reason",
        "CFG001",
        {"pyproject.toml": '[project]\nname = "x"\n[tool.prodready]\nignore = ["DOC004"]\n'},
        1,
        says="DOC004",
    ),
    Case(
        "empty-reason",
        "CFG001",
        {
            "pyproject.toml": '[project]\nname = "x"\n[tool.prodready.ignore]\nDOC004 = ""\n[tool.prodready.per-path-ignores]\n"examples/*" = ["DOC005"]\n'
        },
        2,
    ),
    Case(
        "reasons",
        "CFG001",
        {
            "pyproject.toml": '[project]\nname = "x"\n[tool.prodready.ignore]\nDOC004 = "internal tool, no outside contributors"\n'
        },
        0,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_other_rules(audit: Audit, case: Case) -> None:
    run_case(audit, case)


def test_a_dockerfile_linked_to_another_is_that_image(tmp_path: Path) -> None:
    """Reduced from dispatch: `Dockerfile` at the root links to `docker/Dockerfile`."""
    root = write_tree(
        tmp_path / "repo",
        {
            "pyproject.toml": '[project]\nname = "svc"\nversion = "1"\ndependencies = ["fastapi>=0.110"]\n',
            "docker/Dockerfile": 'FROM python:3.12-slim\nCMD ["uvicorn", "svc:app"]\n',
        },
    )
    os.symlink("docker/Dockerfile", root / "Dockerfile")
    findings = Auditor(select=["APP003"]).check(root).findings
    assert [(f.path, f.message) for f in findings] == [
        ("docker/Dockerfile", "the image runs as root: add a non-root USER")
    ]
