"""`prodready fleet fix` on real git repositories served from local bare remotes (`file://`),
and with a local server playing GitHub for the pull requests."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

from prodready.cli import main
from prodready.fleet.query import query
from prodready.fleet.results import read_table
from prodready.fleet.sources import parse_line, url_path
from tests.conftest import commit_all, git, write_tree
from tests.fleet.conftest import Call, FakeApi, last_run

TOKEN = "ghp_fleet"  # noqa: S105 - a made-up token the fake host expects
PYPROJECT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "pkg"
version = "1"
requires-python = ">=3.10"

[tool.ruff]
target-version = "py38"  # keep this comment
"""
BRANCH = "prodready/lint003"


def bare(tmp_path: Path, name: str, pyproject: str = PYPROJECT) -> Path:
    """A repository with one fixable LINT003 finding, pushed to a bare remote; its URL."""
    work = write_tree(
        tmp_path / "work" / name,
        {
            "pyproject.toml": pyproject,
            "src/pkg/__init__.py": "def f(x: int) -> int:\n    return x\n",
        },
    )
    commit_all(work)
    remote = tmp_path / "remotes" / f"{name}.git"
    remote.parent.mkdir(parents=True, exist_ok=True)
    git(tmp_path, "clone", "--quiet", "--bare", str(work), str(remote))
    return remote


def show(remote: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(remote), *args], capture_output=True, text=True, check=True
    )
    return done.stdout


def branches(remote: Path) -> list[str]:
    return show(remote, "for-each-ref", "--format=%(refname:short)", "refs/heads").split()


def listing(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "repos.txt"
    path.write_text("# the fleet\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_sources_parse_refs_and_hosts() -> None:
    def split_ref(line: str) -> tuple[str, str]:
        source = parse_line(line)
        return source.url, source.ref

    assert split_ref("https://github.com/a/b.git@v1") == ("https://github.com/a/b.git", "v1")
    assert split_ref("git@github.com:a/b.git") == ("git@github.com:a/b.git", "")
    assert split_ref("git@github.com:a/b@release/2") == ("git@github.com:a/b", "release/2")
    assert split_ref("https://user@host.example/a/b") == ("https://user@host.example/a/b", "")
    assert url_path("git@github.com:a/b.git") == ("github.com", "a/b")
    assert url_path("https://tok@gitlab.example:8443/g/sub/p.git") == (
        "gitlab.example:8443",
        "g/sub/p",
    )
    assert url_path("file:///tmp/r.git") == ("", "tmp/r")


def test_a_dry_run_shows_the_diff_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    remote = bare(tmp_path, "one")
    before = show(remote, "for-each-ref")
    sources = listing(tmp_path, f"file://{remote}")
    results = tmp_path / "results"
    code = main(
        ["fleet", "fix", str(sources), "--select", "LINT003", "--branch", BRANCH,
         "--results", str(results)]
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    assert '-target-version = "py38"  # keep this comment' in out
    assert '+target-version = "py310"  # keep this comment' in out
    assert "one: would change (LINT003)" in err
    assert show(remote, "for-each-ref") == before
    (row,) = last_run(results)  # the run is recorded; the repository is left as it was
    assert (row["repository"], row["action"], row["commit"], row["url"]) == (
        "one", "dry-run", "", ""
    )  # fmt: skip
    assert row["fixed"] == ["LINT003"]
    assert not list(scratch.iterdir())  # the temporary clone is gone


def test_push_creates_the_branch_then_a_second_run_updates_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    remote = bare(tmp_path, "one")
    clean = bare(tmp_path, "two", PYPROJECT.replace("py38", "py310"))
    sources = listing(tmp_path, f"file://{remote}", f"file://{clean}@main")
    results = tmp_path / "results"
    argv = ["fleet", "fix", str(sources), "--select", "LINT003", "--branch", BRANCH, "--push",
            "--results", str(results)]  # fmt: skip
    assert main(argv) == 0, capsys.readouterr().err
    assert branches(remote) == ["main", BRANCH]
    assert branches(clean) == ["main"]
    message = show(remote, "log", "-1", "--format=%B", BRANCH)
    assert message.startswith("prodready: fix LINT003 (")
    assert "https://github.com/prodready/prodready/blob/main/docs/rules/LINT003.md" in message
    fixed = show(remote, "show", f"{BRANCH}:pyproject.toml")
    assert 'target-version = "py310"  # keep this comment' in fixed
    assert show(remote, "rev-parse", f"{BRANCH}^") == show(remote, "rev-parse", "main")
    first = show(remote, "rev-parse", BRANCH)
    lines = last_run(results)
    assert [(x["repository"], x["action"]) for x in lines] == [("one", "pushed"), ("two", "clean")]
    assert lines[0]["commit"] == first.strip()
    assert lines[0]["fixed"] == ["LINT003"]
    assert lines[0]["change"] == "fix"

    # the same fix again: the branch is left as it is, the record updated in place
    assert main(argv) == 0
    assert "one: unchanged" in capsys.readouterr().err
    assert show(remote, "rev-parse", BRANCH) == first
    assert [(x["repository"], x["action"]) for x in last_run(results)] == [
        ("one", "unchanged"),
        ("two", "clean"),
    ]

    # the base moved on: the branch is rebuilt on it and pushed over the previous one
    work = tmp_path / "work" / "one"
    (work / "README.md").write_text("# one\n", encoding="utf-8")
    git(work, "add", "README.md")
    git(work, "commit", "-q", "-m", "readme")
    git(work, "push", "-q", str(remote), "HEAD:main")
    assert main(argv) == 0
    assert "one: updated (LINT003)" in capsys.readouterr().err
    assert branches(remote) == ["main", BRANCH]
    assert show(remote, "rev-parse", f"{BRANCH}^") == show(remote, "rev-parse", "main")
    assert [(x["repository"], x["action"]) for x in last_run(results)] == [
        ("one", "updated"),
        ("two", "clean"),
    ]
    # append-only: one partition per run
    assert len(list((results / "changes").glob("run=*/part-0.parquet"))) == 3
    assert len(read_table(results, "changes")) == 6


def test_a_repository_that_cannot_be_cloned_is_reported_and_the_rest_go_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    remote = bare(tmp_path, "one")
    sources = listing(tmp_path, f"file://{tmp_path}/missing.git", f"file://{remote}")
    code = main(["fleet", "fix", str(sources), "--select", "LINT003", "--branch", BRANCH])
    err = capsys.readouterr().err
    assert code == 1
    assert "missing: failed: git clone:" in err
    assert "one: would change" in err


def test_limit_and_refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, second = bare(tmp_path, "one"), bare(tmp_path, "two")
    sources = listing(tmp_path, f"file://{first}", f"file://{second}")
    assert (
        main(["fleet", "fix", str(sources), "--select", "LINT003", "--branch", "x", "--limit", "1"])
        == 0
    )
    err = capsys.readouterr().err
    assert "one: would change" in err
    assert "two:" not in err
    assert (
        main(["fleet", "fix", str(sources), "--select", "LINT003", "--branch", "main", "--push"])
        == 1
    )
    assert "is the base branch" in capsys.readouterr().err
    assert branches(first) == ["main"]
    assert main(["fleet", "fix", str(sources), "--select", "LINT003", "--branch", "a..b"]) == 2
    assert "not a valid branch name" in capsys.readouterr().err


def test_an_organisation_is_fixed_through_pull_requests(
    tmp_path: Path,
    fake_api: FakeApi,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    remote = bare(tmp_path, "one")
    fake_api.route(
        "GET",
        "/orgs/acme/repos",
        (200, {}, [
            {"full_name": "acme/one", "clone_url": f"file://{remote}", "default_branch": "main",
             "html_url": "https://github.example/acme/one", "archived": False, "fork": False},
            {"full_name": "acme/old", "clone_url": f"file://{tmp_path}/nothing.git",
             "default_branch": "main", "archived": True, "fork": False},
        ]),
    )  # fmt: skip
    opened: list[dict[str, Any]] = []
    fake_api.route("GET", "/repos/acme/one/pulls", lambda call: (200, {}, opened))

    def create(call: Call) -> tuple[int, dict[str, str], Any]:
        made = {"number": 5, "html_url": "https://github.example/acme/one/pull/5"}
        opened.append(made)
        return 201, {}, made

    fake_api.route("POST", "/repos/acme/one/pulls", create)
    fake_api.route(
        "PATCH",
        "/repos/acme/one/pulls/5",
        (200, {}, {"number": 5, "html_url": "https://github.example/acme/one/pull/5"}),
    )
    results = tmp_path / "results"
    argv = ["fleet", "fix", "github:acme", "--select", "LINT003", "--branch", BRANCH, "--push",
            "--draft", "--github-api", fake_api.url, "--results", str(results)]  # fmt: skip
    assert main(argv) == 0, capsys.readouterr().err
    assert main(argv) == 0, capsys.readouterr().err
    calls = [(c.method, c.path) for c in fake_api.calls]
    assert calls == [
        ("GET", "/orgs/acme/repos"),
        ("GET", "/repos/acme/one/pulls"),
        ("POST", "/repos/acme/one/pulls"),
        ("GET", "/orgs/acme/repos"),
        ("GET", "/repos/acme/one/pulls"),
        ("PATCH", "/repos/acme/one/pulls/5"),
    ]
    for call in fake_api.calls:
        assert call.headers["authorization"] == f"Bearer {TOKEN}"
        assert call.headers["x-github-api-version"] == "2022-11-28"
    lookup, create_call = fake_api.calls[1:3]
    assert lookup.query == {"head": f"acme:{BRANCH}", "state": "open"}
    assert create_call.body["head"] == BRANCH
    assert create_call.body["base"] == "main"
    assert create_call.body["draft"] is True
    assert create_call.body["title"].startswith("prodready: fix LINT003")
    assert "docs/rules/LINT003.md" in create_call.body["body"]
    assert set(fake_api.calls[5].body) == {"title", "body"}
    assert branches(remote) == ["main", BRANCH]
    rows = query(
        results, "SELECT repository, action, url, number FROM changes ORDER BY recorded_at"
    ).rows
    page = "https://github.example/acme/one/pull/5"
    assert rows == [("acme/one", "opened", page, 5), ("acme/one", "unchanged", page, 5)]


def test_git_runs_no_hook_and_ignores_the_callers_configuration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    remote = bare(tmp_path, "one")
    marker = tmp_path / "hook-ran"
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for name in ("post-checkout", "pre-commit", "pre-push"):
        hook = hooks / name
        hook.write_text(f"#!/bin/sh\ntouch {marker}\n", encoding="utf-8")
        hook.chmod(0o755)
    config = tmp_path / "gitconfig"
    config.write_text(f"[core]\n\thooksPath = {hooks}\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "elsewhere"))
    argv = ["fleet", "fix", f"file://{remote}", "--select", "LINT003", "--branch", BRANCH, "--push"]
    assert main(argv) == 0, capsys.readouterr().err
    assert not marker.exists()
    monkeypatch.delenv("GIT_DIR")
    assert branches(remote) == ["main", BRANCH]


def test_an_https_push_gives_the_token_to_its_host_only() -> None:
    from prodready.fleet.branches import Git
    from prodready.fleet.hosts.github import GitHub
    from prodready.process import run

    git = Git("https://github.com/acme/one.git", GitHub(token=TOKEN))
    for url, given in (
        ("https://github.com/acme/one.git", True),
        ("https://evil.example/x", False),
    ):
        done = run(
            ["git", *git.config, "credential", "fill"],
            stdin=f"url={url}\n\n".encode(),
            env=git.env,
            timeout=30,
        )
        assert done is not None
        assert (f"password={TOKEN}" in done.stdout.decode()) is given
    assert "GITHUB_TOKEN" not in " ".join(git.config)
    assert TOKEN not in " ".join(git.config)


def test_a_gitlab_group_is_fixed_through_merge_requests(
    tmp_path: Path,
    fake_api: FakeApi,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GITLAB_TOKEN", TOKEN)
    remote = bare(tmp_path, "one")
    project = {
        "path_with_namespace": "acme/one",
        "http_url_to_repo": f"file://{remote}",
        "web_url": "https://gitlab.example/acme/one",
        "default_branch": "main",
        "archived": False,
    }
    fork = {**project, "path_with_namespace": "acme/fork", "forked_from_project": {"id": 1}}
    fake_api.route(
        "GET", "/api/v4/groups/acme/projects", (200, {"x-next-page": ""}, [project, fork])
    )
    path = "/api/v4/projects/acme%2Fone/merge_requests"
    fake_api.route("GET", path, (200, {}, []))
    fake_api.route("POST", path, (201, {}, {"iid": 2, "web_url": "https://gitlab.example/mr/2"}))
    argv = ["fleet", "fix", "gitlab:acme", "--select", "LINT003", "--branch", BRANCH, "--push",
            "--gitlab-api", f"{fake_api.url}/api/v4"]  # fmt: skip
    assert main(argv) == 0, capsys.readouterr().err
    assert "https://gitlab.example/mr/2" in capsys.readouterr().err
    (create,) = [c for c in fake_api.calls if c.method == "POST"]
    assert create.headers["private-token"] == TOKEN
    assert create.body["source_branch"] == BRANCH
    assert create.body["target_branch"] == "main"
    assert create.body["title"].startswith("prodready: fix LINT003")
    assert "docs/rules/LINT003.md" in create.body["description"]
    assert [c.path for c in fake_api.calls].count(path) == 2
    assert branches(remote) == ["main", BRANCH]


class PullRequests:
    """A fake GitHub organisation with one repository whose pull requests a test can close."""

    PAGE = "https://github.example/acme/one/pull/5"

    def __init__(self, api: FakeApi, remote: Path) -> None:
        self.api = api
        self.open: list[dict[str, Any]] = []
        self.closed = False
        api.route(
            "GET",
            "/orgs/acme/repos",
            (200, {}, [{"full_name": "acme/one", "clone_url": f"file://{remote}",
                        "default_branch": "main", "html_url": "https://github.example/acme/one",
                        "archived": False, "fork": False}]),
        )  # fmt: skip
        api.route("GET", "/repos/acme/one/pulls", lambda call: (200, {}, self.open))
        api.route("POST", "/repos/acme/one/pulls", self._create)
        api.route("GET", "/repos/acme/one/pulls/5", self._get)
        api.route("PATCH", "/repos/acme/one/pulls/5", self._patch)

    def _made(self) -> dict[str, Any]:
        return {"number": 5, "html_url": self.PAGE, "head": {"ref": BRANCH}, "merged_at": None}

    def _create(self, call: Call) -> tuple[int, dict[str, str], Any]:
        self.open.append(self._made())
        return 201, {}, self._made()

    def _get(self, call: Call) -> tuple[int, dict[str, str], Any]:
        return 200, {}, {**self._made(), "state": "closed" if self.closed else "open"}

    def _patch(self, call: Call) -> tuple[int, dict[str, str], Any]:
        if call.body.get("state") == "open":
            self.closed = False
            self.open.append(self._made())
        return 200, {}, self._made()

    def close(self) -> None:
        """A person closes the pull request without merging it."""
        self.closed = True
        self.open.clear()

    def requests(self) -> list[tuple[str, str]]:
        calls = [(c.method, c.path) for c in self.api.calls if c.path.startswith("/repos")]
        self.api.calls.clear()
        return calls


def test_a_second_run_reopens_the_pull_request_recorded_in_the_changes_table(
    tmp_path: Path,
    fake_api: FakeApi,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    remote = bare(tmp_path, "one")
    github = PullRequests(fake_api, remote)
    results = tmp_path / "results"
    argv = ["fleet", "fix", "github:acme", "--select", "LINT003", "--branch", BRANCH, "--push",
            "--github-api", fake_api.url, "--results", str(results)]  # fmt: skip
    assert main(argv) == 0, capsys.readouterr().err
    assert github.requests() == [
        ("GET", "/repos/acme/one/pulls"),
        ("POST", "/repos/acme/one/pulls"),
    ]
    # closed unmerged: the next run finds its number in the changes table and reopens it
    github.close()
    assert main(argv) == 0, capsys.readouterr().err
    assert github.requests() == [
        ("GET", "/repos/acme/one/pulls"),
        ("GET", "/repos/acme/one/pulls/5"),
        ("PATCH", "/repos/acme/one/pulls/5"),
    ]
    # open: the next run updates it
    assert main(argv) == 0, capsys.readouterr().err
    assert github.requests() == [
        ("GET", "/repos/acme/one/pulls"),
        ("PATCH", "/repos/acme/one/pulls/5"),
    ]
    actions = query(results, "SELECT action, number, url FROM changes ORDER BY recorded_at").rows
    assert actions == [
        ("opened", 5, PullRequests.PAGE),
        ("reopened", 5, PullRequests.PAGE),
        ("unchanged", 5, PullRequests.PAGE),
    ]
    assert not (results / "fixes.jsonl").exists()
    # the dashboard lists the open pull request
    assert main(["fleet", "scan", "github:acme", "--github-api", fake_api.url, "--results",
                 str(results), "--cache", str(tmp_path / "mirrors"), "-q"]) == 0  # fmt: skip
    page = tmp_path / "dashboard.html"
    assert main(["fleet", "report", "--results", str(results), "-o", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    assert f"<td>{PullRequests.PAGE}</td>" in html
    assert "Open pull requests of fleet fix and update (1)" in html


def test_an_old_fixes_jsonl_is_read_then_moved_into_the_changes_table(
    tmp_path: Path,
    fake_api: FakeApi,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    remote = bare(tmp_path, "one")
    github = PullRequests(fake_api, remote)
    github.close()  # opened by an earlier prodready, which recorded it in fixes.jsonl
    results = tmp_path / "results"
    results.mkdir()
    old = {"repository": "acme/one", "url": f"file://{remote}", "branch": BRANCH, "base": "main",
           "commit": "0" * 40, "status": "pushed", "reason": "", "fixed": ["LINT003"],
           "remaining": 0, "pull_request": PullRequests.PAGE, "title": "prodready: fix LINT003",
           "change": "fix", "label": "LINT003", "files": ["pyproject.toml"], "conflicts": [],
           "number": 5, "updated_at": "2025-01-02T03:04:05Z"}  # fmt: skip
    (results / "fixes.jsonl").write_text(json.dumps(old) + "\nnot json\n", encoding="utf-8")
    argv = ["fleet", "fix", "github:acme", "--select", "LINT003", "--branch", BRANCH, "--push",
            "--github-api", fake_api.url, "--results", str(results)]  # fmt: skip
    assert main(argv) == 0, capsys.readouterr().err
    assert ("GET", "/repos/acme/one/pulls/5") in github.requests(), "the recorded one is reopened"
    assert not (results / "fixes.jsonl").exists()
    assert (results / "fixes.jsonl.migrated").exists()
    rows = query(
        results, "SELECT run_id, action, number, files FROM changes ORDER BY recorded_at"
    ).rows
    assert rows[0] == ("fixes-jsonl", "opened", 5, ["pyproject.toml"])
    assert rows[1][1:3] == ("reopened", 5)
    assert len(rows) == 2
