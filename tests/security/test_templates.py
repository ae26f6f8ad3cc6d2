"""Template records and answers are hostile input: `update` and `new` never run, read or write
anything outside prodready's templates and the project, and escape every answer."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

from prodready.cli import main
from tests.security.hostile import prodready

# Jinja that would run a command if rendered outside a sandbox (prodready's delimiters).
PAYLOAD = "<< cycler.__init__.__globals__.os.system('touch {mark}') >>\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    assert main(["new", "demo", "--yes", "--no-git", "--dir", str(root)]) == 0
    return root


def _set_answer(root: Path, key: str, value: str) -> None:
    record = root / ".prodready-template.toml"
    text = record.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    old = data["answers"][key]
    record.write_text(text.replace(f'{key} = "{old}"', f"{key} = {value!r}".replace("'", '"')))


@pytest.mark.parametrize("how", ["absolute", "relative"])
@pytest.mark.parametrize("diff", [True, False])
def test_a_licence_answer_is_never_a_path(
    project: Path, tmp_path: Path, how: str, diff: bool
) -> None:
    mark = tmp_path / "licence-ran"
    evil = tmp_path / "evil.txt"
    evil.write_text(PAYLOAD.format(mark=mark))
    value = str(evil) if how == "absolute" else "../../../../../../../../../.." + str(evil)
    _set_answer(project, "license", value)
    run = prodready("update", ".", *(["--diff"] if diff else []), cwd=project, home=tmp_path / "h")
    assert not mark.exists()
    assert run.one_line_error, run
    assert "licence" in run.err or "license" in run.err


def test_a_package_answer_cannot_climb_out(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep\n")
    _set_answer(project, "package", "../../outside")
    run = prodready("update", ".", cwd=project, home=tmp_path / "h")
    assert run.one_line_error, run
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt"]
    assert (outside / "keep.txt").read_text() == "keep\n"


def test_an_update_does_not_write_through_a_linked_folder(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    package = project / "src" / "demo"
    package.rename(outside)
    package.symlink_to(outside, target_is_directory=True)
    before = {p.name: p.read_bytes() for p in outside.iterdir()}
    templates = tmp_path / "templates"
    import shutil
    from importlib import resources

    from prodready.scaffold.render import TEMPLATE_VERSION

    shutil.copytree(Path(str(resources.files("prodready") / "templates")), templates)
    following = str(TEMPLATE_VERSION + 1)
    shutil.copytree(templates / str(TEMPLATE_VERSION), templates / following)
    core = templates / following / "lib" / "src" / "__package__" / "core.py.jinja"
    core.write_text(core.read_text() + "# version 2\n")
    run = prodready("update", ".", "--templates", str(templates), cwd=project, home=tmp_path / "h")
    assert {p.name: p.read_bytes() for p in outside.iterdir()} == before
    assert run.code == 2, run
    assert "link" in run.err


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--description", 'A "quoted" tool'),
        ("--description", 'ends with three quotes """; import os; os.system("x")  #'),
        ("--author", 'Ann "the builder" O\'Neil'),
        ("--email", "a@example.org\ninjected = true"),
        ("--description", "line one\nline two"),
    ],
)
def test_new_escapes_or_refuses_every_answer(tmp_path: Path, option: str, value: str) -> None:
    root = tmp_path / "demo"
    code = main(["new", "demo", "--yes", "--no-git", "--dir", str(root), option, value])
    if code == 2:
        assert not root.exists() or not any(root.iterdir())
        return
    assert code == 0
    data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert "injected" not in data
    package = root / "src" / "demo" / "__init__.py"
    tree = ast.parse(package.read_text(encoding="utf-8"))
    assert not any(isinstance(n, ast.Import) and n.names[0].name == "os" for n in tree.body)
    if option == "--description":
        assert data["project"]["description"] == value


def test_new_with_a_name_too_long_for_a_file_is_one_line(tmp_path: Path) -> None:
    run = prodready("new", "x" * 256, "--yes", "--no-git", cwd=tmp_path, home=tmp_path / "h")
    assert run.one_line_error, run
