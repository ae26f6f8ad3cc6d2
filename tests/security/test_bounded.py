"""Nothing is unbounded: hostile sizes and shapes finish in seconds, with a finding or quietly."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import commit_all, write_tree
from tests.security.hostile import prodready

PROJECT = '[project]\nname = "x"\nversion = "1"\nrequires-python = ">=3.11"\n'
ALIAS_BOMB = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
    "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps: *h\n"
)


HUGE = "1" * 5000  # past Python's 4,300-digit int conversion limit
DEEP_HEAD = (
    "from typing import TYPE_CHECKING\nfrom pydantic import BaseModel\n"
    "if TYPE_CHECKING:\n    from pathlib import Path\n"
)


def _many_dependencies(count: int) -> str:
    lines = "".join(f'    "package{i}>=1",\n' for i in range(count))
    return PROJECT + f"dependencies = [\n{lines}]\n"


CASES = {
    "yaml alias bomb in a workflow": {".github/workflows/ci.yml": ALIAS_BOMB},
    "yaml alias bomb in pre-commit": {
        ".pre-commit-config.yaml": "repos: "
        + ALIAS_BOMB.split("on:", maxsplit=1)[0].replace("\n", "\n  ")
    },
    "a 30 kB line of secret words": {"settings.py": "password" * 4000 + "\n"},
    "a 30 kB line of secret assignments": {"config.py": 'api_key_x = "' * 2500 + "\n"},
    "100k dependencies": {"pyproject.toml": _many_dependencies(100_000)},
    "a 7 MB pre-commit file": {
        ".pre-commit-config.yaml": "repos:\n  - repo: local\n    hooks:\n"
        + "".join(
            f"      - id: h{i}\n        name: h\n        entry: h\n        language: system\n"
            for i in range(90_000)
        )
    },
    "digits past the int limit in a TOML value": {
        "pyproject.toml": PROJECT + f"[tool.x]\ny = {HUGE}\n"
    },
    "digits past the int limit in requires-python": {
        "pyproject.toml": PROJECT.replace(">=3.11", f">=3.{HUGE}")
    },
    "digits past the int limit in versions read from files": {
        "pyproject.toml": PROJECT + f'dependencies = ["requests>={HUGE}"]\n',
        "src/x/a.py": f"import sys\nif sys.version_info >= (3, {HUGE}):\n    import tomllib\n",
        "noxfile.py": f'PY = "3.{HUGE}"\n',
        "mypy.ini": f"[mypy]\npython_version = 3.{HUGE}\n",
        ".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    strategy: {matrix: "
        + f'{{python-version: ["3.{HUGE}"]}}}}\n    steps: []\n',
    },
    "python nested deeper than the analysis follows": {
        "src/x/a.py": DEEP_HEAD
        + "if f"
        + "()" * 1500
        + ":\n    pass\nclass M(BaseModel):\n    p: Path\n",
        "src/x/b.py": DEEP_HEAD
        + "from pydantic import validate_call\n@validate_call\n@a"
        + ".b" * 1500
        + "\ndef g(p: Path): pass\n",
    },
    "a yaml alias inside the node it names": {
        ".github/workflows/ci.yml": "on: push\njobs: &j\n  a: *j\n",
        ".pre-commit-config.yaml": "repos: &r\n  - *r\n",
    },
    "TOML nested 900 deep": {"pyproject.toml": PROJECT + "x = " + "[" * 900 + "]" * 900 + "\n"},
    "TOML nested tables 900 deep": {
        "pyproject.toml": PROJECT + "[tool." + ".".join("a" * 900) + "]\n"
    },
}


@pytest.mark.parametrize("use_git", [True, False], ids=["git", "no-git"])
@pytest.mark.parametrize("name", list(CASES))
def test_hostile_shapes_finish_in_seconds(tmp_path: Path, name: str, use_git: bool) -> None:
    files = {"pyproject.toml": PROJECT, "src/x/__init__.py": "", **CASES[name]}
    root = write_tree(tmp_path / "repo", files)
    if use_git:
        commit_all(root)
    run = prodready("check", ".", "--no-cache", cwd=root, home=tmp_path / "h", timeout=60)
    assert run.code in (0, 1), run
    assert run.seconds < 15, run.seconds
    assert "internal error" not in run.out + run.err


def test_gitignore_patterns_that_backtrack_finish_outside_git(tmp_path: Path) -> None:
    ignore = "".join(f"{'*a' * 12}{i}\n" for i in range(20)) + "\\\n"
    files = {
        "pyproject.toml": PROJECT,
        ".gitignore": ignore,
        "a" * 200 + ".py": "",
        "src/x/" + "a" * 250: "",
    }
    root = write_tree(tmp_path / "repo", files)
    run = prodready("check", ".", "--no-cache", cwd=root, home=tmp_path / "h", timeout=60)
    assert run.code in (0, 1), run
    assert run.seconds < 15, run.seconds


def test_twenty_thousand_stored_runs(tmp_path: Path) -> None:
    import sqlite3
    import time

    root = write_tree(tmp_path / "repo", {"pyproject.toml": PROJECT})
    home = tmp_path / "h"
    home.mkdir()
    assert prodready("check", ".", "--save", cwd=root, home=home).code in (0, 1)
    db = sqlite3.connect(home / "history.sqlite3")
    row = db.execute("SELECT repository, revision, command, metrics FROM runs").fetchone()
    now = time.time()
    db.executemany(
        "INSERT INTO runs (repository, revision, created, command, metrics) VALUES (?, ?, ?, ?, ?)",
        [(row[0], row[1], now - i, row[2], row[3]) for i in range(20_000)],
    )
    db.commit()
    db.close()
    for args in (("history", "."), ("report", ".", "-o", "../r.html")):
        run = prodready(*args, cwd=root, home=home, timeout=60)
        assert run.code == 0, run
        assert run.seconds < 15, (args, run.seconds)
    assert (tmp_path / "r.html").stat().st_size < 5_000_000


def test_per_path_ignores_are_bounded(tmp_path: Path) -> None:
    stars = '"' + "*a" * 100 + 'b" = ["CODE004"]\n'
    many = "".join(f'"g{i}/**/*.py" = {{CODE004 = "r"}}\n' for i in range(1500))
    long = '"' + "**/" * 300 + '*" = ["CODE004"]\n'
    for table, one_line in ((stars, False), (many, True), (long, True)):
        text = PROJECT + "[tool.prodready.per-path-ignores]\n" + table
        root = write_tree(
            tmp_path / str(len(table)), {"pyproject.toml": text, "a" * 200 + ".py": ""}
        )
        run = prodready("check", ".", cwd=root, home=tmp_path / "h", timeout=60)
        assert run.seconds < 15, run.seconds
        assert run.one_line_error if one_line else run.code in (0, 1), run


def test_fix_on_python_nested_deeper_than_libcst_follows(tmp_path: Path) -> None:
    deep = DEEP_HEAD + "from pydantic import validate_call\n@validate_call\n@a" + ".b" * 1500
    files = {
        "pyproject.toml": PROJECT,
        "src/x/__init__.py": "",
        "src/x/b.py": deep + "\ndef g(p: Path): pass\n",
    }
    root = write_tree(tmp_path / "repo", files)
    run = prodready("fix", ".", "--unsafe-fixes", cwd=root, home=tmp_path / "h", timeout=60)
    assert "internal error" not in run.out + run.err, run
    assert run.err.count("CODE001: not fixed") <= 1, run.err
    assert (root / "src/x/b.py").read_text() == files["src/x/b.py"]


def test_gitignore_folder_patterns_and_pattern_counts_are_bounded_outside_git(
    tmp_path: Path,
) -> None:
    deep = "/".join(["a"] * 40)
    files = {
        "pyproject.toml": PROJECT,
        ".gitignore": "a/**/a/**/a/**/a/**/a/**/a/**/a/**/a/**/a/**/b\n",
        f"{deep}/x.py": "",
    }
    root = write_tree(tmp_path / "deep", files)
    run = prodready("check", ".", "--no-cache", cwd=root, home=tmp_path / "h", timeout=60)
    assert run.code in (0, 1), run
    assert run.seconds < 15, run.seconds
    many = {f"src/f{i}.py": "x = 1\n" for i in range(2000)}
    patterns = "".join(f"*zz{i}*q\n" for i in range(10_000))
    nested = {f"{'d/' * depth}.gitignore": patterns for depth in range(10)}
    root = write_tree(
        tmp_path / "many", {"pyproject.toml": PROJECT, ".gitignore": patterns, **nested, **many}
    )
    run = prodready("check", ".", "--no-cache", cwd=root, home=tmp_path / "h", timeout=60)
    assert run.code in (0, 1), run
    assert run.seconds < 15, run.seconds
