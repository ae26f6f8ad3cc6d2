"""Bad input is a finding or one line and exit 2: never a traceback, never an "internal error"."""

from __future__ import annotations

import collections
import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import commit_all, write_tree
from tests.security.hostile import environment, prodready

PROJECT = '[project]\nname = "x"\nversion = "1"\nrequires-python = ">=3.11"\n'


def _corrupt(path: Path) -> None:
    path.write_bytes(b"this is not a database" * 100)


def _wrong_schema(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE runs (x TEXT)")
    db.commit()
    db.close()


def _read_only(path: Path) -> None:
    _wrong_schema(path)
    path.chmod(0o444)
    path.parent.chmod(0o555)


def _unopenable(path: Path) -> None:
    path.mkdir()


@pytest.mark.parametrize("damage", [_corrupt, _wrong_schema, _read_only, _unopenable])
@pytest.mark.parametrize(
    "args",
    [("check", ".", "--save"), ("history", "."), ("report", ".", "-o", "../r.html")],
    ids=["check-save", "history", "report"],
)
def test_a_damaged_history_is_one_line(tmp_path: Path, damage, args: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    if damage is _read_only and os.geteuid() == 0:
        damage = _corrupt  # root writes through permissions
    root = write_tree(tmp_path / "repo", {"pyproject.toml": PROJECT})
    folder = tmp_path / "db"
    folder.mkdir()
    db = folder / "h.sqlite3"
    damage(db)
    try:
        run = prodready(*args, "--history", str(db), cwd=root, home=tmp_path / "h")
    finally:
        folder.chmod(0o755)
    assert run.one_line_error, run


def test_a_locked_history_is_one_line(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", {"pyproject.toml": PROJECT})
    db_path = tmp_path / "h.sqlite3"
    first = prodready(
        "check", ".", "--save", "--history", str(db_path), cwd=root, home=tmp_path / "h"
    )
    assert first.code in (0, 1), first
    holder = sqlite3.connect(db_path, timeout=0)
    holder.execute("PRAGMA journal_mode=DELETE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        run = prodready(
            "check",
            ".",
            "--save",
            "--history",
            str(db_path),
            cwd=root,
            home=tmp_path / "h",
            timeout=90,
        )
    finally:
        holder.rollback()
        holder.close()
    assert run.one_line_error, run


def test_a_full_disk_is_one_line(tmp_path: Path) -> None:
    import resource
    import signal
    import subprocess
    import sys

    from tests.security.hostile import environment

    root = write_tree(tmp_path / "repo", {"pyproject.toml": PROJECT})

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100))

    done = subprocess.run(
        [sys.executable, "-m", "prodready", "check", ".", "--format", "json", "-o", "../out.json"],
        cwd=root,
        env=environment(tmp_path / "h"),
        capture_output=True,
        text=True,
        preexec_fn=small_files,
        check=False,
    )
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 2, done.stderr
    assert len(lines) == 1, lines
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out.json").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


WRONG_TYPES = {
    "pre-commit hooks of the wrong types": {
        ".pre-commit-config.yaml": (
            "repos:\n  - repo: https://github.com/PyCQA/bandit\n    rev: 1.7.0\n    hooks:\n"
            "      - id: bandit\n        args: -c pyproject.toml\n        additional_dependencies: bandit\n"
            "        stages: pre-push\n        entry: 3\n"
            "  - repo: 5\n    rev: [1]\n    hooks: {a: 1}\n  - 7\n"
        )
    },
    "mypy settings of the wrong types": {
        "pyproject.toml": PROJECT
        + '\n[tool.mypy]\npython_version = 3.8\nplugins = 3\nignore_missing_imports = "yes"\n'
        + '\n[tool.ruff]\ntarget-version = 38\nselect = "E"\n[tool.ruff.lint]\nignore = {a = 1}\n'
        + '\n[tool.pytest.ini_options]\naddopts = 5\nmarkers = "x"\n'
        + '\n[tool.coverage.report]\nfail_under = "ninety"\n'
    },
    "project metadata of the wrong types": {
        "pyproject.toml": (
            '[build-system]\nrequires = "hatchling"\nbuild-backend = 3\n'
            '[project]\nname = 5\nversion = [1]\nrequires-python = 3.11\ndependencies = "x"\n'
            'optional-dependencies = ["a"]\nscripts = "x:y"\nreadme = {file = 3}\nlicense = [1]\n'
            'authors = "me"\nurls = "u"\nclassifiers = "c"\nentry-points = 4\ndynamic = "version"\n'
            'keywords = 3\n[tool.hatch.build.targets.wheel]\npackages = "src"\n'
            '[tool.setuptools]\npackages = 3\npackage-dir = "src"\n'
            '[tool.poetry]\ndependencies = 4\ngroup = 5\n[dependency-groups]\ndev = "x"\n'
            "[tool]\nuv = 3\n"
        )
    },
    "tool is a string": {"pyproject.toml": PROJECT + 'tool = "x"\n'},
    "lists where names go": {
        "pyproject.toml": '[project]\nname = "x"\nversion = "1"\ndynamic = [[], {}, 3]\n',
        ".pre-commit-config.yaml": (
            "repos:\n  - repo: https://github.com/PyCQA/bandit\n    rev: 1.7.0\n    hooks:\n"
            "      - id: bandit\n        args: [-c, pyproject.toml]\n"
            "        additional_dependencies: 3.5\n"
        ),
    },
    "prodready table of the wrong type": {"pyproject.toml": PROJECT + "[tool]\nprodready = 3\n"},
    "a workflow of the wrong shape": {
        ".github/workflows/ci.yml": "on: [push]\npermissions: 3\njobs:\n  a: [1]\n  b:\n    steps: 3\n  c:\n    steps: [1, {uses: 3}, {run: [1]}]\n"
    },
}


@pytest.mark.parametrize("name", list(WRONG_TYPES))
def test_wrong_types_are_findings_not_crashes(tmp_path: Path, name: str) -> None:
    files = {"pyproject.toml": PROJECT, **WRONG_TYPES[name]}
    root = write_tree(tmp_path / "repo", files)
    commit_all(root)
    for args in (
        ("check", "."),
        ("fix", ".", "--unsafe-fixes"),
        ("report", ".", "-o", "../r.html"),
    ):
        run = prodready(*args, cwd=root, home=tmp_path / "h")
        assert "internal error" not in run.out + run.err, (args, run)
        assert "Traceback" not in run.err, (args, run)
        assert run.code is not None


def test_a_lone_backslash_in_gitignore_outside_git(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", {"pyproject.toml": PROJECT, ".gitignore": "\\\n*.log\n"})
    run = prodready("check", ".", "--select", "GIT001", cwd=root, home=tmp_path / "h")
    assert run.code in (0, 1), run
    assert "Traceback" not in run.err


@pytest.mark.parametrize("use_git", [True, False])
def test_paths_that_are_not_utf8_and_paths_that_talk_to_the_terminal(
    tmp_path: Path, use_git: bool
) -> None:
    root = write_tree(tmp_path / "repo", {"pyproject.toml": PROJECT})
    token = (
        'key = "ghp_' + 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5"\n'
    )  # a made-up token SEC003 reports
    bad = os.fsencode(str(root)) + b"/caf\xe9.py"
    with open(bad, "wb") as handle:
        handle.write(token.encode())
    (root / "evil\x1b[2K\r  all good\x1b[0m.py").write_text(token)
    (root / "new\nline.py").write_text(token)
    if use_git:
        commit_all(root)
    for fmt in ("text", "json", "sarif", "github", "concise", "html"):
        run = prodready("check", ".", "--format", fmt, "--no-cache", cwd=root, home=tmp_path / "h")
        assert run.code == 1, (fmt, run)
        assert run.out.count("SEC003") >= 3, fmt
        assert "\x1b" not in run.out, fmt
        assert "\r" not in run.out, fmt
        if fmt in ("text", "concise"):
            assert not any(line.startswith("  all good") for line in run.out.splitlines()), fmt


def test_malformed_ini_files_are_findings(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": PROJECT,
        "setup.cfg": "no section header\n[metadata]\nname = x\n",
        "tox.ini": "[tox]\nenvlist = py311\n[testenv\ncommands = pytest\n",
        ".flake8": "max-line-length = 100\n",
        "mypy.ini": "[mypy]\nstrict = true\n[mypy]\nstrict = false\n",
    }
    root = write_tree(tmp_path / "repo", files)
    run = prodready("check", ".", "--format", "concise", cwd=root, home=tmp_path / "h")
    for name in ("setup.cfg", "tox.ini", ".flake8", "mypy.ini"):
        assert any(
            line.startswith(f"{name}:") and "does not parse" in line
            for line in run.out.splitlines()
        ), (name, run.out)


def test_score_says_what_it_runs_first(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", {"pyproject.toml": PROJECT, "src/x/__init__.py": ""})
    run = prodready(
        "score", ".", "--only", "ruff", "--no-save", cwd=root, home=tmp_path / "h", timeout=120
    )
    first = run.err.splitlines()[0]
    assert "prodready score runs" in first, run.err
    assert "python" in first


def test_a_crafted_cache_file_runs_nothing(tmp_path: Path) -> None:
    import pickle

    mark = tmp_path / "cache-ran"
    root = write_tree(tmp_path / "repo", {"pyproject.toml": PROJECT, "src/x/a.py": "x = 1\n"})
    home = tmp_path / "h"
    assert prodready("check", ".", cwd=root, home=home).code in (0, 1)
    cache = home / "cache" / "prodready"

    class Evil:
        def __reduce__(self):  # type: ignore[no-untyped-def]
            return (os.system, (f"touch {mark}",))

    files = [p for p in cache.rglob("*") if p.is_file()]
    assert files
    for path in files:
        path.write_bytes(pickle.dumps({"format": 2, "files": Evil()}))
    run = prodready("check", ".", cwd=root, home=home)
    assert run.code in (0, 1), run
    assert not mark.exists()


@pytest.mark.parametrize("module", ["json", "tomllib", "yaml", "typing", "pathlib", "enum"])
def test_python_m_does_not_import_from_the_audited_folder(tmp_path: Path, module: str) -> None:
    mark = tmp_path / f"{module}-ran"
    root = write_tree(
        tmp_path / "repo",
        {"pyproject.toml": PROJECT, f"{module}.py": f"open({str(mark)!r}, 'w').close()\n"},
    )
    prodready("check", ".", cwd=root, home=tmp_path / "h", module=True)
    assert not mark.exists()


def test_python_m_loads_no_plugin_from_the_audited_folder(tmp_path: Path) -> None:
    mark = tmp_path / "plugin-ran"
    root = write_tree(
        tmp_path / "repo",
        {
            "pyproject.toml": PROJECT,
            "evil_rules.py": f"open({str(mark)!r}, 'w').close()\n",
            "evil-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: evil\nVersion: 1.0\n",
            "evil-1.0.dist-info/entry_points.txt": "[prodready.rules]\nevil = evil_rules\n",
        },
    )
    prodready("check", ".", cwd=root, home=tmp_path / "h", module=True)
    assert not mark.exists()


def test_symlinked_history_folder_is_fine_but_a_history_link_to_a_device_is_not(
    tmp_path: Path,
) -> None:
    root = write_tree(tmp_path / "repo", {"pyproject.toml": PROJECT})
    link = tmp_path / "h.sqlite3"
    link.symlink_to("/dev/null")
    run = prodready("check", ".", "--save", "--history", str(link), cwd=root, home=tmp_path / "h")
    assert run.one_line_error, run
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_config_errors_and_diff_headers_do_not_talk_to_the_terminal(tmp_path: Path) -> None:
    key = '"\\u001b]0;pwned\\u0007\\u001b[2K\\r  all good" = 1\n'
    root = write_tree(tmp_path / "a", {"pyproject.toml": PROJECT + "[tool.prodready]\n" + key})
    run = prodready("check", ".", cwd=root, home=tmp_path / "h")
    assert run.one_line_error, run
    assert "\x1b" not in run.err
    assert "\r" not in run.err
    assert "all good: Extra inputs are not permitted" in run.err
    name = "e\x1b]0;pwned\x07\x1b[2K\r  fake\n+++ b.py"
    files = {
        "pyproject.toml": PROJECT,
        "src/x/__init__.py": "",
        f"src/x/{name}": "from typing import TYPE_CHECKING\nfrom pydantic import BaseModel\n"
        "if TYPE_CHECKING:\n    from pathlib import Path\nclass M(BaseModel):\n    p: Path\n",
    }
    root = write_tree(tmp_path / "b", files)
    run = prodready("fix", ".", "--diff", "--unsafe-fixes", cwd=root, home=tmp_path / "h")
    assert run.code == 1, run
    assert "+++ b/src/x/e\\x1b]0;pwned" in run.out
    assert "\x1b" not in run.out
    assert "\r" not in run.out
    assert not any(line.startswith("+++ b.py") for line in run.out.splitlines())


def test_findings_are_bounded_per_file_and_per_rule(tmp_path: Path) -> None:
    from prodready.auditor import MAX_PER_RULE
    from prodready.source.secrets import MAX_PER_FILE

    keys = ("-----BEGIN PRIVATE KEY-----\n" + "A" * 64 + "\n") * (MAX_PER_FILE * 3)
    count = MAX_PER_RULE // MAX_PER_FILE + 2
    files = {"pyproject.toml": PROJECT, **{f"notes{i}.md": keys for i in range(count)}}
    root = write_tree(tmp_path / "repo", files)
    run = prodready("check", ".", "--format", "json", "--no-cache", cwd=root, home=tmp_path / "h")
    assert run.code == 1, run
    found = [f for f in json.loads(run.out)["repositories"][0]["findings"] if f["code"] == "SEC003"]
    assert len(found) == MAX_PER_RULE + 1
    stopped = [f for f in found if "only the first 1,000 are shown" in f["message"]]
    assert len(stopped) == 1
    assert stopped[0]["path"] == "pyproject.toml"  # where an ignore of the rule would go
    per_file = collections.Counter(f["path"] for f in found if f not in stopped)
    assert max(per_file.values()) == MAX_PER_FILE


def test_fix_leaves_a_read_only_file_and_says_so_once(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", {"pyproject.toml": PROJECT, "src/x/__init__.py": ""})
    before = (root / "pyproject.toml").read_bytes()
    (root / "pyproject.toml").chmod(0o444)
    run = prodready("fix", ".", cwd=root, home=tmp_path / "h")
    assert run.code == 2, run
    assert (root / "pyproject.toml").read_bytes() == before
    refusals = [line for line in run.err.splitlines() if "read-only" in line]
    assert len(refusals) == 1, run.err


def test_a_prodready_package_in_the_audited_folder_is_not_run_by_the_documented_commands(
    tmp_path: Path,
) -> None:
    mark = tmp_path / "shadow-ran"
    code = f"open({str(mark)!r}, 'w').close()\n"
    root = write_tree(
        tmp_path / "repo",
        {"pyproject.toml": PROJECT, "prodready/__init__.py": code, "prodready/__main__.py": code},
    )
    assert prodready("check", ".", cwd=root, home=tmp_path / "h").code in (0, 1)
    safe = subprocess.run(
        [sys.executable, "-P", "-m", "prodready", "check", "."],
        cwd=root,
        env=environment(tmp_path / "h"),
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert safe.returncode in (0, 1), safe.stderr
    assert not mark.exists()
