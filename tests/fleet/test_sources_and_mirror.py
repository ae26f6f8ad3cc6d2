"""Where a fleet scan's repositories come from, and how one commit's tree is exported."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from prodready.cli import main
from prodready.errors import UsageError
from prodready.fleet.mirror import Mirror, MirrorError
from prodready.fleet.results import latest_scan, read_table
from prodready.fleet.scan import TerminalProgress
from prodready.fleet.sources import Source, parse_line, read_sources
from prodready.project.gitdir import head_commit, read_index
from tests.conftest import commit_all, git, write_tree
from tests.fleet.conftest import MakeRemote, url_list


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("https://github.com/org/repo.git", Source("org/repo", "https://github.com/org/repo.git")),
        ("https://github.com/org/repo@v1.2", Source("org/repo", "https://github.com/org/repo", "v1.2")),
        ("https://u@host/org/repo.git", Source("org/repo", "https://u@host/org/repo.git")),
        ("git@github.com:org/repo.git", Source("org/repo", "git@github.com:org/repo.git")),
        ("git@github.com:org/repo@main", Source("org/repo", "git@github.com:org/repo", "main")),
        ("ssh://git@host/group/sub/repo.git@feature/x", Source("group/sub/repo", "ssh://git@host/group/sub/repo.git", "feature/x")),
        ("file:///srv/git/alpha.git@0123abc", Source("alpha", "file:///srv/git/alpha.git", "0123abc")),
    ],
)  # fmt: skip
def test_a_url_line_names_the_repository_and_its_ref(line: str, expected: Source) -> None:
    assert parse_line(line) == expected


@pytest.mark.parametrize(
    "line", ["--upload-pack=touch /tmp/x", "ext::sh -c touch% /tmp/x", "https://h/r.git@-b"]
)
def test_options_remote_helpers_and_odd_refs_are_refused(line: str) -> None:
    with pytest.raises(UsageError):
        parse_line(line)


def test_patterns_select_by_name_and_a_name_seen_twice_is_refused(tmp_path: Path) -> None:
    listing = url_list(
        tmp_path / "fleet.txt",
        ["https://h/org/api.git  # the service", "https://h/org/api-client", "https://h/org/docs"],
    )
    names = [s.name for s in read_sources([str(listing)], ["org/api*"], ["*client"])]
    assert names == ["org/api"]
    twice = url_list(tmp_path / "twice.txt", ["https://h/org/api.git", "https://h/org/api@v1"])
    with pytest.raises(UsageError, match="two repositories are named 'org/api'"):
        read_sources([str(twice)])


def test_a_folder_of_checkouts_is_audited_at_each_head(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "checkouts"
    for name in ("one", "two"):
        write_tree(
            folder / name, {"pyproject.toml": f'[project]\nname = "{name}"\nversion = "1"\n'}
        )
        commit_all(folder / name)
    (folder / "two" / "uncommitted.py").write_text("import nothing_declared\n", encoding="utf-8")
    write_tree(folder / "not-a-repository", {"README.md": "notes\n"})
    results = tmp_path / "results"
    code = main(
        ["fleet", "scan", str(folder), "--results", str(results), "--cache", str(tmp_path / "m")]
    )
    assert code == 0
    scan_id = latest_scan(results)
    rows = {r["repository"]: r for r in read_table(results, "repositories").to_pylist()}
    assert sorted(rows) == ["one", "two"]
    assert rows["two"]["commit"] == head_commit(folder / "two")
    paths = {r["path"] for r in read_table(results, "findings", [scan_id or ""]).to_pylist()}
    assert "uncommitted.py" not in paths  # the commit is audited, not the work tree
    assert "2 audited" in capsys.readouterr().err


def test_the_export_is_the_commit_as_a_checkout_has_it_and_nothing_more(
    tmp_path: Path, make_remote: MakeRemote
) -> None:
    remote = make_remote(
        "tricky",
        {
            ".gitattributes": "kept.txt export-ignore\nstamp.txt export-subst\n",
            "kept.txt": "still here\n",
            "stamp.txt": "$Format:%H$\n",
        },
    )
    os.symlink("/etc/passwd", remote.work / "outside")
    os.symlink("kept.txt", remote.work / "inside")
    remote.commit({}, "links")
    mirror = Mirror(tmp_path / "mirrors", "tricky", remote.url, timeout=60)
    mirror.fetch()
    commit = mirror.resolve("")
    target = tmp_path / "export"
    skipped = mirror.export(commit, target)
    assert skipped == 1
    assert not (target / "outside").exists()
    assert not (target / "outside").is_symlink()
    assert os.readlink(target / "inside") == "kept.txt"
    assert (target / "kept.txt").read_text(encoding="utf-8") == "still here\n"
    assert (target / "stamp.txt").read_text(encoding="utf-8") == "$Format:%H$\n"
    index = read_index(target)
    assert index is not None
    assert {"kept.txt", "outside", "inside", "pyproject.toml"} <= {e.path for e in index.entries}
    assert head_commit(target) == commit


def test_a_fetch_is_incremental_and_a_missing_ref_is_an_error(
    tmp_path: Path, make_remote: MakeRemote
) -> None:
    remote = make_remote("inc")
    mirror = Mirror(tmp_path / "mirrors", "inc", remote.url, timeout=60)
    mirror.fetch()
    first = mirror.resolve("main")
    remote.commit({"new.py": "x = 1\n"})
    git(remote.work, "tag", "v1")
    git(remote.work, "push", "-q", str(remote.bare), "v1")
    mirror.fetch()
    assert mirror.resolve("main") != first
    assert mirror.resolve("v1") == mirror.resolve("")
    assert mirror.resolve(first) == first
    with pytest.raises(MirrorError, match="no branch, tag or commit"):
        mirror.resolve("gone")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_shown_on_a_terminal_only() -> None:
    screen, pipe = Terminal(), io.StringIO()
    for stream in (screen, pipe):
        progress = TerminalProgress(stream)
        progress(3, 10, 1, 2.0)
        progress.finish()
    assert "3/10 done, 1 failed, 1.5/s" in screen.getvalue()
    assert pipe.getvalue() == ""


def test_an_export_larger_than_the_bound_is_refused_without_hanging(
    tmp_path: Path, make_remote: MakeRemote, monkeypatch: pytest.MonkeyPatch
) -> None:
    from prodready.fleet import mirror as module

    remote = make_remote("big", {"data.txt": "x" * 50_000 + "\n"})
    fetched = Mirror(tmp_path / "mirrors", "big", remote.url, timeout=60)
    fetched.fetch()
    monkeypatch.setattr(module, "MAX_BYTES", 10_000)  # the bound, scaled down to the test
    with pytest.raises(MirrorError, match="larger than"):
        fetched.export(fetched.resolve(""), tmp_path / "export")
