"""Monorepo members and workspace packages are audited as units of their own; a plain
subfolder is not audited as if it were a repository; `fix` never writes repository-wide files
into a member (reduced from full-stack-fastapi-template's uv workspace)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from prodready import Auditor
from tests.conftest import commit_all, write_tree

ROOT_PYPROJECT = """
    [project]
    name = "stack"
    version = "0"
    requires-python = ">=3.11"

    [tool.uv.workspace]
    members = ["backend"]
"""
BACKEND_PYPROJECT = """
    [project]
    name = "app"
    version = "0.1.0"
    requires-python = ">=3.11"
    dependencies = ["fastapi>=0.114,<1", "psycopg[binary]>=3.1,<4"]
"""
FILES = {
    "pyproject.toml": ROOT_PYPROJECT,
    "uv.lock": "version = 1\n",
    "backend/pyproject.toml": BACKEND_PYPROJECT,
    "backend/app/__init__.py": "",
    "backend/app/main.py": "import fastapi\n\nURL = 'postgresql+psycopg://db/app'\n",
    "backend/app/tests/test_main.py": "def test_ok() -> None:\n    assert True\n",
}
REPOSITORY_WIDE = ("CI", "GIT", "PC", "DOC003", "SEC006")


def _cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "prodready", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_workspace_root_audits_each_member_as_a_unit(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "stack", FILES)
    commit_all(root)
    report = Auditor().check(root)
    paths = [r.path for r in report.repositories]
    assert paths == [str(root), str(root / "backend")]
    member = report.repositories[1]
    assert member.kind.value == "service"  # its own kind: the root is a plain library
    codes = {f.code for f in member.findings}
    assert not any(c.startswith(REPOSITORY_WIDE) for c in codes)
    assert "DEP002" not in codes  # the workspace's uv.lock pins the member's dependencies
    assert "DEP008" not in codes  # psycopg is the driver of a database URL: used by name


def test_check_of_a_member_folder_audits_that_member(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "stack", FILES)
    commit_all(root)
    done = _cli("check", root / "backend", "--format", "concise")
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr
    report = Auditor().check(root / "backend")
    assert [r.path for r in report.repositories] == [str(root / "backend")]
    assert "a member of" in report.repositories[0].kind_reason


def test_check_of_a_plain_subfolder_is_a_usage_error(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "stack", FILES)
    commit_all(root)
    done = _cli("check", root / "backend" / "app")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "not a project root" in done.stderr


def test_fix_of_a_member_writes_no_repository_files_into_it(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "stack", FILES)
    commit_all(root)
    before = sorted(p.name for p in (root / "backend").iterdir())
    done = _cli("fix", root / "backend")
    assert "Traceback" not in done.stderr
    after = sorted(p.name for p in (root / "backend").iterdir())
    assert after == before  # no .gitignore, .pre-commit-config.yaml or workflow in the member


def test_a_folder_outside_git_is_audited_as_given(tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "plain", {"pkg/__init__.py": ""})
    report = Auditor().check(folder / "pkg")
    assert [r.path for r in report.repositories] == [str(folder / "pkg")]


# reduced from python-sdk: demo servers beside the SDK, which they take from the workspace
EXAMPLES = {
    "pyproject.toml": """
        [project]
        name = "sdk"
        version = "1"
        requires-python = ">=3.10"
        dependencies = ["starlette>=0.27", "httpx>=0.27"]

        [tool.uv.workspace]
        members = ["examples/servers/*"]

        [tool.uv.sources]
        sdk = { workspace = true }
    """,
    "uv.lock": "version = 1\n",
    "src/sdk/__init__.py": "import starlette\nimport httpx\n",
    "tests/test_sdk.py": "def test_sdk() -> None:\n    assert True\n",
    "examples/servers/demo/pyproject.toml": """
        [project]
        name = "sdk-demo"
        version = "0.1.0"
        description = "A demo server"
        classifiers = ["Programming Language :: Python"]
        license = "MIT"
        dependencies = ["sdk", "starlette", "click>=8"]

        [build-system]
        requires = ["hatchling"]
        build-backend = "hatchling.build"
    """,
    "examples/servers/demo/README.md": "# Demo\n\nRun `uv run sdk-demo`.\n",
    "examples/servers/demo/sdk_demo/__init__.py": "import click\nimport sdk\nimport starlette\n",
}


def test_an_example_member_is_an_application_that_the_workspace_provides_for(
    tmp_path: Path,
) -> None:
    root = write_tree(tmp_path / "sdk", EXAMPLES)
    commit_all(root)
    member = Auditor().check(root).repositories[1]
    assert (member.kind.value, member.kind_reason.split(";")[0]) == (
        "application",
        "an example project (examples/servers/demo)",
    )
    codes = {f.code for f in member.findings}
    # its tests and test instructions are the repository's; the SDK and what the SDK requires
    # come from the workspace with their floors; nobody publishes it
    assert not codes & {"TEST001", "DOC001", "DEP001", "PKG005"}, codes


# reduced from opentelemetry-python: members of one uv workspace, released in lockstep, whose
# tests pytest runs with the root's settings (it walks up from the member to find them)
LOCKSTEP = {
    "pyproject.toml": """
        [project]
        name = "otel-dev"
        version = "0"
        requires-python = ">=3.9"

        [tool.uv.workspace]
        members = ["otel-api", "otel-sdk"]

        [tool.pytest.ini_options]
        addopts = ["-ra", "--strict-markers"]
        markers = ["slow: long tests"]
    """,
    "otel-api/pyproject.toml": """
        [project]
        name = "otel-api"
        version = "1.45.0.dev"
        requires-python = ">=3.9"
        dependencies = ["typing-extensions>=4.5"]
    """,
    "otel-api/src/otel/api/__init__.py": "import typing_extensions\n",
    "otel-api/tests/test_api.py": "import otel.api\n\n\ndef test_api() -> None:\n    assert otel.api\n",
    "otel-sdk/pyproject.toml": """
        [project]
        name = "otel-sdk"
        version = "1.45.0.dev"
        requires-python = ">=3.9"
        dependencies = ["otel-api == 1.45.0.dev", "requests==2.32.0"]
    """,
    "otel-sdk/src/otel/sdk/__init__.py": "import requests\n\nimport otel.api\n",
    "otel-sdk/tests/test_sdk.py": """
        import pytest

        import otel.sdk


        @pytest.mark.slow
        def test_sdk() -> None:
            assert otel.sdk
    """,
}


def test_a_member_has_its_workspace_s_pytest_settings_and_siblings(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "otel", LOCKSTEP)
    commit_all(root)
    report = Auditor().check(root)
    sdk = next(r for r in report.repositories if r.path.endswith("otel-sdk"))
    found = {(f.code, f.message.split(":")[0]) for f in sdk.findings}
    assert not any(code == "TEST002" for code, _ in found)  # the root's settings apply
    assert not any(code == "TEST004" for code, _ in found)  # `slow` is registered there
    pins = sorted(message for code, message in found if code == "DEP003")
    assert pins == ["`requests==2.32.0`"]  # the fellow member released with it may be pinned


# reduced from langgraph: a root that is no project, its projects under libs/ (no workspace)
CONTAINER = {
    "README.md": "# graphs\n",
    "libs/graph/pyproject.toml": """
        [project]
        name = "graph"
        version = "1.1.0"
        requires-python = ">=3.10"
        dependencies = ["graph-prebuilt>=1.1.0,<1.2.0", "rich==13.0"]

        [tool.pytest.ini_options]
        addopts = ["--strict-markers"]
    """,
    "libs/graph/graph/__init__.py": "import rich\n\nimport graph.prebuilt\n",
    "libs/graph/tests/test_graph.py": "import graph\n\n\ndef test_graph() -> None:\n    assert graph\n",
    "libs/prebuilt/pyproject.toml": """
        [project]
        name = "graph-prebuilt"
        version = "1.1.0"
        requires-python = ">=3.10"
    """,
    "libs/prebuilt/graph/prebuilt/__init__.py": "AGENT = 1\n",
    "libs/graph/examples/demo/pyproject.toml": '[project]\nname = "demo"\nversion = "0"\n',
}


def test_a_root_that_is_no_project_audits_the_projects_in_its_folders(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "graphs", CONTAINER)
    commit_all(root)
    report = Auditor().check(root)
    paths = [r.path for r in report.repositories]
    # the outermost projects; the example inside a member is the member's
    assert paths == [str(root), str(root / "libs/graph"), str(root / "libs/prebuilt")]
    top = {f.code for f in report.repositories[0].findings}
    assert not top & {"PKG001", "LINT001", "TEST001", "TEST002"}  # no project of its own
    graph = {(f.code, f.message.split(":")[0]) for f in report.repositories[1].findings}
    pins = sorted(message for code, message in graph if code == "DEP003")
    assert pins == ["`rich==13.0`"]  # the fellow project built beside it may be capped
    assert not any(code == "DEP008" for code, _ in graph)  # `graph.prebuilt` is its module


def test_a_template_s_project_is_no_member(tmp_path: Path) -> None:
    # reduced from cookiecutter-flask: the project under `{{cookiecutter.app_name}}/` is Jinja
    # (`from {{cookiecutter.app_name}}.database import db`), rendered into another repository
    files = {
        "cookiecutter.json": '{"app_name": "my_flask_app"}\n',
        "requirements.txt": "cookiecutter==2.6.0\n",
        "{{cookiecutter.app_name}}/pyproject.toml": '[project]\nname = "{{cookiecutter.app_name}}"\n',
        "{{cookiecutter.app_name}}/tests/conftest.py": "from {{cookiecutter.app_name}}.app import create_app\n",
    }
    root = write_tree(tmp_path / "tmpl", files)
    commit_all(root)
    report = Auditor().check(root)
    assert [r.path for r in report.repositories] == [str(root)]
    assert not [f for f in report.repositories[0].findings if f.code == "CODE009"]


def test_a_template_root_is_audited_for_the_repository_only(tmp_path: Path) -> None:
    # reduced from cookiecutter-flask: no project at the root, the app under the template folder
    files = {
        "cookiecutter.json": '{"app_name": "my_flask_app"}\n',
        "requirements.txt": "cookiecutter==2.6.0\ninvoke==2.2.0\n",
        "tasks.py": "from invoke import task\n",
        ".gitignore": "__pycache__/\n*.py[cod]\n",
        "{{cookiecutter.app_name}}/.env.example": "DATABASE_URL=sqlite:////tmp/dev.db\n",
        "{{cookiecutter.app_name}}/requirements/prod.txt": "flask==3.0\nenvirons==11.0\n",
    }
    root = write_tree(tmp_path / "tmpl", files)
    commit_all(root)
    findings = Auditor().check(root).repositories[0].findings
    assert not {f.code for f in findings} & {"PKG001", "TEST001", "LINT001"}
    assert not [f for f in findings if f.message.endswith("does not cover .env")]


def test_a_generated_project_s_template_is_no_member(tmp_path: Path) -> None:
    # reduced from haystack-core-integrations: `scripts/utils/templates/pyproject.toml` is a
    # `string.Template` (`name = "$pkg"`) a script fills for each new integration
    files = {
        "integrations/chroma/pyproject.toml": '[project]\nname = "chroma-haystack"\nversion = "1"\n',
        "integrations/chroma/src/haystack_integrations/chroma.py": "",
        "scripts/utils/templates/pyproject.toml": (
            '[project]\nname = "$pkg"\nreadme = "README.md"\n'
            '[tool.hatch.build.targets.wheel]\npackages = ["src/haystack_integrations"]\n'
        ),
    }
    root = write_tree(tmp_path / "mono", files)
    commit_all(root)
    report = Auditor().check(root)
    assert [r.path for r in report.repositories] == [str(root), str(root / "integrations/chroma")]
    assert not [f for r in report.repositories for f in r.findings if "templates" in (f.path or "")]
