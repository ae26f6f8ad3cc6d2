"""setuptools metadata outside pyproject.toml: setup.cfg sections and setup.py's literal
`setup()` arguments are read as setuptools reads them (reduced from pre-commit, httpie and
google-cloud-storage), and never where another backend builds the project."""

from __future__ import annotations

from pathlib import Path

from prodready import Auditor
from prodready.project import Project
from tests.conftest import Audit, write_tree

SETUP_CFG = """
    [metadata]
    name = pre_commit
    description = A framework for hooks.
    license = MIT
    url = https://github.com/pre-commit/pre-commit
    classifiers =
        Programming Language :: Python :: 3

    [options]
    packages = find:
    install_requires =
        cfgv>=2.0.0
        pyyaml
        nodeenv>=0.11.1
    python_requires = >=3.10

    [options.extras_require]
    docs = sphinx

    [options.entry_points]
    console_scripts =
        pre-commit = pre_commit.main:main
"""
PACKAGE = {
    "pre_commit/__init__.py": "",
    "pre_commit/main.py": "import cfgv\nimport yaml\n\ndef main() -> int:\n    return 0\n",
    "pre_commit/node.py": "import sys\nCMD = [sys.executable, '-mnodeenv', '--prebuilt']\n",
}
SETUP_PY = """
    import os

    import setuptools

    name = "google-cloud-storage"
    dependencies = [
        "google-auth >= 2.26.1, < 3.0.0",
        "requests",
    ]
    extras = {"tracing": ["opentelemetry-api >= 1.1.0, < 2.0.0"]}
    package_root = os.path.abspath(os.path.dirname(__file__))

    setuptools.setup(
        name=name,
        description="Google Cloud Storage API client library",
        license="Apache 2.0",
        url="https://github.com/googleapis/python-storage",
        classifiers=["Programming Language :: Python :: 3"],
        install_requires=dependencies,
        extras_require=extras,
        python_requires=">=3.10",
    )
"""


def _project(tmp_path: Path, files: dict[str, str]) -> Project:
    root = write_tree(tmp_path / "repo", files)
    return Auditor().audit(root).project


def test_setup_cfg_dependencies_are_checked_at_their_line(audit: Audit) -> None:
    findings = audit({"setup.cfg": SETUP_CFG, **PACKAGE}, "DEP001")
    assert [(f.path, f.line, f.data) for f in findings] == [("setup.cfg", 13, ("pyyaml",))]
    assert not findings[0].fixable  # the fix edits pyproject.toml, not setup.cfg


def test_a_requirement_is_found_in_its_own_option(audit: Audit) -> None:
    # reduced from thinc: setup_requires lists the same requirement first
    config = SETUP_CFG.replace(
        "    install_requires =\n",
        "    setup_requires =\n        # the Cython packages, to compile against\n"
        "        cymem>=2.0.2,<2.1.0\n    install_requires =\n        cymem>=2.0.2,<2.1.0\n",
    )
    findings = audit({"setup.cfg": config, **PACKAGE}, "DEP003")
    assert [(f.path, f.line) for f in findings] == [("setup.cfg", 15)]  # not 13


def test_setup_cfg_metadata_decides_kind_and_python(tmp_path: Path) -> None:
    project = _project(tmp_path, {"setup.cfg": SETUP_CFG, **PACKAGE})
    assert project.kind.value == "library"  # classifiers, description, licence, url: published
    assert project.packaging.min_python == (3, 10)
    assert project.packaging.project_name == "pre-commit"
    assert project.packaging.declared["scripts"] == {"pre-commit": "pre_commit.main:main"}
    assert [d.name for d in project.packaging.optional_deps["docs"]] == ["sphinx"]


def test_console_scripts_in_setup_cfg_without_published_metadata_make_an_application(
    tmp_path: Path,
) -> None:
    config = "[options]\ninstall_requires =\n    click>=8\n\n[options.entry_points]\n"
    config += "console_scripts =\n    tool = tool.cli:main\n"
    project = _project(tmp_path, {"setup.cfg": config, "tool/__init__.py": ""})
    assert project.kind.value == "application"


def test_a_module_run_with_dash_m_is_used_by_name(audit: Audit) -> None:
    findings = audit({"setup.cfg": SETUP_CFG, **PACKAGE}, "DEP008")
    assert findings == []  # cfgv and yaml are imported, nodeenv is run as `-mnodeenv`
    unnamed = {**PACKAGE, "pre_commit/node.py": "CMD = ['node']\n"}
    findings = audit({"setup.cfg": SETUP_CFG, **unnamed}, "DEP008")
    assert [(f.path, f.line) for f in findings] == [("setup.cfg", 14)]  # nothing names nodeenv


def test_static_setup_py_names_are_followed(tmp_path: Path) -> None:
    project = _project(tmp_path, {"setup.py": SETUP_PY, "google/cloud/storage/__init__.py": ""})
    packaging = project.packaging
    assert [d.name for d in packaging.runtime_deps] == ["google-auth", "requests"]
    assert [(d.file, d.line) for d in packaging.runtime_deps] == [("setup.py", 7), ("setup.py", 8)]
    assert [d.name for d in packaging.optional_deps["tracing"]] == ["opentelemetry-api"]
    assert packaging.min_python == (3, 10)
    assert project.kind.value == "library"


def test_computed_setup_py_arguments_are_not_guessed(tmp_path: Path) -> None:
    setup = """
        from setuptools import setup

        deps = open("requirements.txt").read().splitlines()
        extra = ["a"]
        extra = extra + ["b"]
        setup(name="x", install_requires=deps, extras_require={"e": extra})
    """
    packaging = _project(tmp_path, {"setup.py": setup, "x/__init__.py": ""}).packaging
    assert packaging.runtime_deps == []  # read from a file at build time: not known
    assert packaging.optional_deps == {}  # `extra` is bound twice: not a literal
    assert packaging.project_name == "x"


def test_setup_py_is_never_run(tmp_path: Path) -> None:
    mark = tmp_path / "ran"
    setup = f"open({str(mark)!r}, 'w').close()\nfrom setuptools import setup\nsetup(name='x')\n"
    _project(tmp_path, {"setup.py": setup})
    assert not mark.exists()


def test_pyproject_fields_win_and_dynamic_ones_come_from_setup_cfg(tmp_path: Path) -> None:
    pyproject = """
        [build-system]
        requires = ["setuptools>=61"]
        build-backend = "setuptools.build_meta"

        [project]
        name = "pre-commit"
        requires-python = ">=3.9"
        dynamic = ["dependencies"]
    """
    packaging = _project(
        tmp_path, {"pyproject.toml": pyproject, "setup.cfg": SETUP_CFG, **PACKAGE}
    ).packaging
    assert packaging.min_python == (3, 9)  # [project] says so; setup.cfg's is ignored
    assert [d.name for d in packaging.runtime_deps] == ["cfgv", "pyyaml", "nodeenv"]
    assert "scripts" not in packaging.declared  # not dynamic: setuptools ignores setup.cfg's


def test_another_backend_ignores_setup_cfg(tmp_path: Path) -> None:
    pyproject = """
        [build-system]
        requires = ["hatchling"]
        build-backend = "hatchling.build"

        [project]
        name = "pre-commit"
        dynamic = ["dependencies"]
    """
    packaging = _project(
        tmp_path, {"pyproject.toml": pyproject, "setup.cfg": SETUP_CFG, **PACKAGE}
    ).packaging
    assert packaging.runtime_deps == []
