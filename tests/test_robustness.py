"""Broken input never crashes: each problem becomes a finding or a clear message."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from prodready import Auditor
from prodready.cli import main
from tests.conftest import commit_all, write_tree


def codes(root: Path, select: str = "ALL") -> dict[str, list[str]]:
    report = Auditor(select=[select]).check(root)
    assert not report.repositories[0].errors
    found: dict[str, list[str]] = {}
    for finding in report.findings:
        found.setdefault(finding.code, []).append(finding.message)
    return found


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"[project\nname = 1", "not valid TOML"),
        (b"\x00\x01binary\x02", "binary"),
        (b'[project]\nname = "caf\xe9"\n', "not UTF-8"),
        (b"", None),
        (b'[project]\nname = 3\nversion = ["1"]\ndependencies = "requests"\n', "must be"),
        (b"project = 5\n", "[project] must be a table"),
    ],
)
def test_broken_pyproject(tmp_path: Path, content: bytes, says: str | None) -> None:
    write_tree(
        tmp_path, {"pyproject.toml": content, "tests/test_x.py": "def test_x():\n    assert 1\n"}
    )
    found = codes(tmp_path)
    if says is None:
        assert "PKG014" not in found
    else:
        assert any(says in m for m in found["PKG014"]), found.get("PKG014")


def test_broken_yaml_everywhere(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            ".pre-commit-config.yaml": "repos:\n  - repo: [unclosed\n",
            ".github/workflows/a.yml": b"\xff\xfe not utf-8",
            ".github/workflows/b.yml": "- just\n- a list\n",
            ".github/workflows/c.yml": "&a [*a, *a]\n",
            ".github/workflows/d.yaml": "on: push\njobs:\n"
            + "  " * 2
            + "x: "
            + "[" * 5000
            + "]" * 5000
            + "\n",
        },
    )
    found = codes(tmp_path)
    assert len(found["PC010"]) == 1
    assert {m.split(":")[0] for m in found["CI008"]} >= {
        "cannot read the workflow",
        "a workflow must be a mapping",
    }


def test_symlink_loop_and_escape(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    write_tree(root, {"pyproject.toml": '[project]\nname = "x"\nversion = "1"\n'})
    os.symlink(root / "loop", root / "loop")
    (root / "sub").mkdir()
    os.symlink(root, root / "sub" / "up")
    outside = tmp_path / "secret.txt"
    outside.write_text("outside\n")
    os.symlink(outside, root / "README.md")
    assert main(["check", str(root)]) == 1
    found = codes(root)
    assert found["DOC001"] == ["README.md is a link to a file outside the repository"]


def test_folder_named_like_a_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").mkdir()
    (tmp_path / "pyproject.toml" / "x").write_text("")
    found = codes(tmp_path, "PKG")
    assert list(found) == ["PKG001"]


def test_pyproject_path_is_accepted(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": '[project]\nname = "x"\nversion = "1"\n'})
    assert main(["check", str(tmp_path / "pyproject.toml"), "--select", "PKG004"]) == 1


def test_git_work_tree_lists_tracked_and_untracked(tmp_path: Path) -> None:
    write_tree(tmp_path, {".gitignore": "ignored.env\n", "a.py": "", "ignored.env": "TOKEN=1\n"})
    commit_all(tmp_path)
    (tmp_path / "new.py").write_text("")
    from prodready.project import Project

    project = Project(tmp_path)
    assert project.repo.files == (".gitignore", "a.py", "new.py")
    assert project.repo.tracked == frozenset({".gitignore", "a.py"})


def test_not_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "file.txt").write_text("x")
    assert main(["check", str(tmp_path / "file.txt")]) == 2
    assert "not a directory" in capsys.readouterr().err


def test_monorepo_members_own_their_code(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[tool.uv.workspace]\nmembers = ["backend"]\n',
            "backend/pyproject.toml": '[project]\nname = "backend"\n',
            "backend/app/__init__.py": "",
            "backend/tests/test_app.py": "import pytest\n\ndef test_a():\n    assert 1\n",
            "backend/Dockerfile": "FROM python\n",
        },
    )
    from prodready.project import Project

    project = Project(tmp_path)
    assert project.repo.subproject_dirs == ("backend",)
    assert project.packaging.test_files == []
    assert project.packaging.package_dirs == {}
    assert project.automation.dockerfiles == []


def test_published_framework_extension_is_a_library(tmp_path: Path) -> None:
    from prodready.project import Project

    meta = '[project]\nname = "web"\nversion = "1"\nclassifiers = ["Framework :: FastAPI"]\ndependencies = ["starlette>=0.40"]\n'
    write_tree(tmp_path, {"pyproject.toml": meta})
    assert Project(tmp_path).kind.value == "library"
    (tmp_path / "Dockerfile").write_text(
        'FROM python:3.12-slim\nUSER app\nCMD ["uvicorn", "web:app"]\n'
    )
    assert (Project(tmp_path).kind.value, Project(tmp_path).kind_reason) == (
        "service",
        "Dockerfile starts uvicorn",
    )


def test_a_framework_project_whose_image_runs_its_own_module_is_a_service(tmp_path: Path) -> None:
    """`CMD ["python", "-m", "web"]` where `web/__main__.py` starts the server (what `prodready
    new --kind service` writes); a module that is not the project's own says nothing."""
    from prodready.project import Project

    meta = (
        '[project]\nname = "web"\nversion = "1"\nclassifiers = ["Framework :: FastAPI"]\n'
        'dependencies = ["fastapi>=0.110"]\n'
    )
    dockerfile = 'FROM python:3.12-slim\nUSER app\nCMD ["python", "-m", "web"]\n'
    write_tree(tmp_path, {"pyproject.toml": meta, "Dockerfile": dockerfile})
    assert Project(tmp_path).kind.value == "library"  # no web/__main__.py: not its own module
    write_tree(tmp_path, {"src/web/__init__.py": "", "src/web/__main__.py": "import uvicorn\n"})
    assert Project(tmp_path).kind.value == "service"


def test_an_image_deep_in_the_tree_whose_entrypoint_script_starts_a_server(tmp_path: Path) -> None:
    """wger: `extras/docker/production/Dockerfile` runs `entrypoint.sh`, which starts gunicorn;
    the same image in a demo folder, or a server's image of itself (gunicorn's own), says
    nothing."""
    from prodready.project import Project

    meta = '[project]\nname = "{}"\nversion = "1"\nclassifiers = ["Framework :: Django"]\n'
    script = "#!/bin/sh\n# gunicorn is started below\nexec gunicorn site.wsgi --bind 0.0.0.0:80\n"
    image = (
        'FROM python:3.12\nCOPY ${DIR}/entrypoint.sh /home/app/\nCMD ["/home/app/entrypoint.sh"]\n'
    )
    write_tree(
        tmp_path,
        {
            "pyproject.toml": meta.format("site"),
            "extras/docker/demo/Dockerfile": image,
            "extras/docker/demo/entrypoint.sh": script,
            # a scaffold's template of another project's image (prodready's own)
            "src/site/templates/service/Dockerfile.jinja": 'FROM python:3.12\nCMD ["uvicorn", "app:app"]\n',
        },
    )
    assert Project(tmp_path).kind.value == "library"
    write_tree(
        tmp_path,
        {
            "extras/docker/production/Dockerfile": image,
            "extras/docker/production/entrypoint.sh": script,
        },
    )
    project = Project(tmp_path)
    assert (project.kind.value, project.kind_reason) == (
        "service",
        "extras/docker/production/Dockerfile starts gunicorn",
    )
    write_tree(tmp_path, {"pyproject.toml": meta.format("gunicorn")})
    assert Project(tmp_path).kind.value == "library"
