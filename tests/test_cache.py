"""The per-file cache: a second run re-reads only changed files; --no-cache reads everything."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from prodready import Auditor, safeio
from prodready.project import sources
from prodready.source import facts as source_analysis
from tests.conftest import write_tree

FILES = {
    "pyproject.toml": '[project]\nname = "pkg"\nversion = "1"\nrequires-python = ">=3.9"\n',
    "src/pkg/__init__.py": "import tomllib\n",
    "src/pkg/a.py": "def f():\n    raise Exception('boom')\n",
    "tests/test_a.py": "def test_a():\n    f()\n",
}


@pytest.fixture
def analysed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records every file the source layer analyses afresh."""
    seen: list[str] = []
    real = source_analysis.analyse_path

    def spy(root: str, path: str, context: object, *rest: object) -> object:
        seen.append(path)
        return real(root, path, context, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(source_analysis, "analyse_path", spy)
    return seen


def codes(root: Path, *, use_cache: bool = True) -> list[tuple[str, str | None]]:
    findings = Auditor(use_cache=use_cache).check(root).findings
    return sorted((f.code, f.path) for f in findings if f.code.startswith(("CODE", "TEST007")))


def test_second_run_reads_only_changed_files(tmp_path: Path, analysed: list[str]) -> None:
    write_tree(tmp_path, FILES)
    first = codes(tmp_path)
    assert "src/pkg/a.py" in analysed
    analysed.clear()
    assert codes(tmp_path) == first
    assert analysed == []
    (tmp_path / "src/pkg/a.py").write_text("def f():\n    return 1\n")
    assert ("CODE005", "src/pkg/a.py") not in codes(tmp_path)
    assert analysed == ["src/pkg/a.py"]


def test_touched_file_is_recognised_by_content(tmp_path: Path, analysed: list[str]) -> None:
    write_tree(tmp_path, FILES)
    codes(tmp_path)
    analysed.clear()
    target = tmp_path / "src/pkg/a.py"
    os.utime(target, (1_000_000_000, 1_000_000_000))
    codes(tmp_path)
    assert analysed == []


def test_no_cache_reads_everything_and_results_agree(tmp_path: Path, analysed: list[str]) -> None:
    write_tree(tmp_path, FILES)
    cached = codes(tmp_path)
    analysed.clear()
    assert codes(tmp_path, use_cache=False) == cached
    assert "src/pkg/a.py" in analysed


def test_context_change_invalidates(tmp_path: Path, analysed: list[str]) -> None:
    write_tree(tmp_path, FILES)
    assert ("CODE003", "src/pkg/__init__.py") in codes(tmp_path)
    (tmp_path / "pyproject.toml").write_text(FILES["pyproject.toml"].replace(">=3.9", ">=3.11"))
    analysed.clear()
    assert ("CODE003", "src/pkg/__init__.py") not in codes(tmp_path)
    assert "src/pkg/__init__.py" in analysed


def test_broken_cache_file_is_ignored(tmp_path: Path, private_cache: Path) -> None:
    write_tree(tmp_path, FILES)
    first = codes(tmp_path)
    for entry in private_cache.iterdir():
        entry.write_bytes(b"\x00garbage")
    assert codes(tmp_path) == first


def test_repositories_in_parallel_match_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = write_tree(tmp_path / "one", FILES)
    two = write_tree(tmp_path / "two", {**FILES, "src/pkg/b.py": 'P = "/home/kevin/x"\n'})
    together = Auditor(use_cache=False).check_many([one, two])
    monkeypatch.setenv(sources.IN_WORKER, "1")
    apart = Auditor(use_cache=False).check_many([one, two])
    assert [r.findings for r in together.repositories] == [r.findings for r in apart.repositories]
    assert together.repositories[1].findings != together.repositories[0].findings


def test_configuration_rules_alone_analyse_only_files_with_findings(
    tmp_path: Path, analysed: list[str]
) -> None:
    files = {
        **FILES,
        "pyproject.toml": "# prodready: ignore[PKG002] -- built by a tool outside this repo\n"
        + FILES["pyproject.toml"],
    }
    write_tree(tmp_path, files)
    found = {f.code for f in Auditor(select=["PKG"]).check(tmp_path).findings}
    assert "PKG005" in found
    assert "PKG002" not in found  # the comment above the table still suppresses it
    assert analysed == ["pyproject.toml"]


def test_expected_work_reads_python_bytes_from_the_git_index(tmp_path: Path) -> None:
    from prodready.auditor import _expected_work
    from tests.conftest import commit_all, write_tree

    root = write_tree(
        tmp_path / "r", {"a.py": "x = 1\n" * 50, "pkg/b.py": "y\n", "README.md": "# r\n" * 99}
    )
    assert _expected_work(root) == 0
    commit_all(root)
    assert _expected_work(root) == 302


def test_a_copy_of_a_repository_is_not_analysed_again(tmp_path: Path, analysed: list[str]) -> None:
    found = codes(write_tree(tmp_path / "one", FILES))
    assert "src/pkg/a.py" in analysed
    analysed.clear()
    assert codes(write_tree(tmp_path / "two", FILES)) == found
    assert analysed == []  # every file's content was seen before, in another folder


def test_git_index_ids_spare_reading_unchanged_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prodready.project import files as listing
    from tests.conftest import commit_all

    root = write_tree(tmp_path / "r", FILES)
    commit_all(root)
    index = root / ".git" / "index"
    os.utime(index, (index.stat().st_atime, index.stat().st_mtime + 5))  # not racily clean
    stamps = listing.list_files(root).ids
    assert set(stamps) == set(FILES)
    assert stamps["src/pkg/a.py"].size == len(FILES["src/pkg/a.py"])
    codes(root)
    reads: list[str] = []
    real = safeio.read_bytes

    def spy(base: Path, path: str, limit: int) -> bytes:
        reads.append(path)
        return real(base, path, limit)

    monkeypatch.setattr("prodready.project.sources.read_bytes", spy)
    codes(root)
    assert reads == []  # found by the ids git's index holds, without reading a file


def test_identical_files_are_found_together(tmp_path: Path, analysed: list[str]) -> None:
    from tests.conftest import commit_all

    files = {**FILES, "src/pkg/sub/__init__.py": "", "src/pkg/other/__init__.py": ""}
    root = write_tree(tmp_path / "r", files)
    commit_all(root)
    index = root / ".git" / "index"
    os.utime(index, (index.stat().st_atime, index.stat().st_mtime + 5))  # not racily clean
    codes(root)
    analysed.clear()
    codes(root)
    assert analysed == []  # both empty modules answered by the one row their blob id keys


def test_the_cache_keeps_at_most_its_bound(
    tmp_path: Path, private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from prodready.source import cache

    monkeypatch.setattr(cache, "MAX_ENTRIES", 10)
    for number in range(4):
        write_tree(tmp_path / str(number), {**FILES, "src/pkg/n.py": f"N = {number}\n"})
        codes(tmp_path / str(number))
    with sqlite3.connect(cache.database_path()) as db:
        (count,) = db.execute("SELECT count(*) FROM facts").fetchone()
    assert 0 < count <= 10


def test_files_of_other_versions_and_formats_go_after_a_day(
    tmp_path: Path, private_cache: Path
) -> None:
    day_old = os.path.getmtime(private_cache) - 2 * 86_400
    names = ["facts-4-0123456789abcdef.sqlite3", "0123456789abcdef0123.json", "notes.json"]
    for name in names:
        (private_cache / name).write_text("x")
        os.utime(private_cache / name, (day_old, day_old))
    (private_cache / "facts-3-fresh.sqlite3").write_text("x")  # used within the day
    codes(write_tree(tmp_path / "r", FILES))
    from prodready.source.cache import database_path

    current = database_path().name
    left = sorted(p.name for p in private_cache.iterdir() if not p.name.startswith(current))
    assert left == ["facts-3-fresh.sqlite3", "notes.json"]  # not ours to delete, or recent


def test_identical_bytes_at_paths_read_differently_are_cached_apart(tmp_path: Path) -> None:
    # a settings module's literal is a secret; the same line in another module is not looked at
    line = 'password = "hunter2hunter2xq"\n'
    files = {**FILES, "src/pkg/settings.py": line, "src/pkg/other.py": line}
    root = write_tree(tmp_path / "r", files)
    runs = [
        sorted(f.path or "" for f in Auditor(select=["SEC003"]).check(root).findings)
        for _ in range(2)
    ]
    assert runs[0] == runs[1] == ["src/pkg/settings.py"]
