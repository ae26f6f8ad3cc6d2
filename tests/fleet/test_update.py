"""`prodready fleet update` on real git repositories served from local bare remotes
(`file://`): projects made by `prodready new` at template version 1 are brought to the current
templates on a branch; a local server plays GitHub for the pull requests."""

from __future__ import annotations

import tempfile
import tomllib
from pathlib import Path
from typing import Any

import pytest

from prodready.cli import main
from prodready.scaffold.answers import RECORD, Record
from prodready.scaffold.render import TEMPLATE_VERSION, render
from tests.conftest import commit_all, git
from tests.fleet.conftest import Call, FakeApi, last_run
from tests.fleet.test_fix import bare, branches, listing, show

BRANCH = "prodready/template-update"
TOKEN = "ghp_fleet"  # noqa: S105 - a made-up token the fake host expects
PRE_COMMIT = ".pre-commit-config.yaml"


def version_1(tmp_path: Path, name: str, conflict: bool = False) -> Path:
    """A project made by `prodready new` at template version 1 (its own edit in the
    pre-commit configuration, which clashes with version 2 when `conflict`), pushed to a bare
    remote; the remote's path."""
    work = tmp_path / "work" / name
    assert main(["new", name, "--yes", "--dir", str(work), "--no-git"]) == 0
    record = tomllib.loads((work / RECORD).read_text(encoding="utf-8"))
    files = render(1, record["kind"], record["answers"])
    files[RECORD] = Record(1, record["kind"], record["answers"]).dumps()
    for path, text in files.items():
        (work / path).write_text(text, encoding="utf-8")
    config = work / PRE_COMMIT
    text = config.read_text(encoding="utf-8")
    if conflict:
        assert "rev: v0.8.6" in text
        text = text.replace("rev: v0.8.6", "rev: v0.8.7")
    ours = "      - id: check-yaml\n        args: [--unsafe]  # ours\n"
    config.write_text(text.replace("      - id: check-yaml\n", ours), encoding="utf-8")
    commit_all(work)
    remote = tmp_path / "remotes" / f"{name}.git"
    remote.parent.mkdir(parents=True, exist_ok=True)
    git(tmp_path, "clone", "--quiet", "--bare", str(work), str(remote))
    return remote


def test_a_dry_run_shows_the_update_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    remote = version_1(tmp_path, "old")
    before = show(remote, "for-each-ref")
    results = tmp_path / "results"
    argv = ["fleet", "update", f"file://{remote}", "--branch", BRANCH, "--results", str(results)]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert "-    rev: v0.8.6" in out
    assert f"+version = {TEMPLATE_VERSION}" in out
    assert f"old: would change (template version 1 to {TEMPLATE_VERSION})" in err
    assert show(remote, "for-each-ref") == before
    assert [(r["repository"], r["action"], r["commit"]) for r in last_run(results)] == [
        ("old", "dry-run", "")
    ]
    assert not list(scratch.iterdir())  # the temporary clone is gone


def test_push_updates_on_a_branch_skips_others_and_a_second_run_updates_the_branch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    remote = version_1(tmp_path, "old")
    other = bare(tmp_path, "plain")
    sources = listing(tmp_path, f"file://{remote}", f"file://{other}")
    results = tmp_path / "results"
    argv = ["fleet", "update", str(sources), "--branch", BRANCH, "--push",
            "--results", str(results)]  # fmt: skip
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert f"old: pushed (template version 1 to {TEMPLATE_VERSION}); branch {BRANCH}" in err
    assert "plain: skipped: not made by `prodready new` (no .prodready-template.toml)" in err
    assert branches(remote) == ["main", BRANCH]
    assert branches(other) == ["main"]
    message = show(remote, "log", "-1", "--format=%B", BRANCH)
    assert message.startswith(f"prodready: update to template version {TEMPLATE_VERSION} (from 1)")
    assert f"- {PRE_COMMIT}: merged with this project's edits" in message
    assert f"- {RECORD}: updated" in message
    assert "Conflicts" not in message
    config = show(remote, "show", f"{BRANCH}:{PRE_COMMIT}")
    assert "rev: v0.8.6" not in config
    assert "args: [--unsafe]  # ours" in config  # the project's edit stays
    assert f"version = {TEMPLATE_VERSION}" in show(remote, "show", f"{BRANCH}:{RECORD}")
    assert show(remote, "rev-parse", f"{BRANCH}^") == show(remote, "rev-parse", "main")
    first = show(remote, "rev-parse", BRANCH).strip()
    lines = last_run(results)
    assert [(x["repository"], x["action"], x["change"]) for x in lines] == [
        ("old", "pushed", "update"),
        ("plain", "skipped", "update"),
    ]
    assert lines[0]["commit"] == first
    assert PRE_COMMIT in lines[0]["files"]
    assert lines[0]["conflicts"] == []

    # the same update again: the branch is left as it is
    assert main(argv) == 0
    assert "old: unchanged" in capsys.readouterr().err
    assert show(remote, "rev-parse", BRANCH).strip() == first

    # the base moved on: the branch is rebuilt on it and pushed over the previous one
    work = tmp_path / "work" / "old"
    (work / "NOTES.md").write_text("# notes\n", encoding="utf-8")
    git(work, "add", "NOTES.md")
    git(work, "commit", "-q", "-m", "notes")
    git(work, "push", "-q", str(remote), "HEAD:main")
    assert main(argv) == 0
    assert "old: updated (template version 1 to" in capsys.readouterr().err
    assert branches(remote) == ["main", BRANCH]
    assert show(remote, "rev-parse", f"{BRANCH}^") == show(remote, "rev-parse", "main")
    assert [x["action"] for x in last_run(results)] == ["updated", "skipped"]

    # once main holds the update, there is nothing to do
    git(work, "pull", "-q", str(remote), BRANCH)
    git(work, "push", "-q", str(remote), "HEAD:main")
    assert main(argv) == 0
    assert f"old: clean (template version {TEMPLATE_VERSION})" in capsys.readouterr().err


def test_conflicts_are_listed_and_proposed_as_a_draft_then_the_same_pull_request_updated(
    tmp_path: Path,
    fake_api: FakeApi,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    remote = version_1(tmp_path, "old", conflict=True)
    fake_api.route(
        "GET",
        "/orgs/acme/repos",
        (200, {}, [
            {"full_name": "acme/old", "clone_url": f"file://{remote}", "default_branch": "main",
             "html_url": "https://github.example/acme/old", "archived": False, "fork": False},
        ]),
    )  # fmt: skip
    opened: list[dict[str, Any]] = []
    page = "https://github.example/acme/old/pull/7"
    fake_api.route("GET", "/repos/acme/old/pulls", lambda call: (200, {}, opened))

    def create(call: Call) -> tuple[int, dict[str, str], Any]:
        made = {"number": 7, "html_url": page}
        opened.append(made)
        return 201, {}, made

    fake_api.route("POST", "/repos/acme/old/pulls", create)
    fake_api.route("PATCH", "/repos/acme/old/pulls/7", (200, {}, {"number": 7, "html_url": page}))
    results = tmp_path / "results"
    argv = ["fleet", "update", "github:acme", "--branch", BRANCH, "--push",
            "--github-api", fake_api.url, "--results", str(results)]  # fmt: skip
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert (
        f"old: pushed (template version 1 to {TEMPLATE_VERSION}; conflicts in {PRE_COMMIT})" in err
    )
    assert page in err
    config = show(remote, "show", f"{BRANCH}:{PRE_COMMIT}")
    assert f"<<<<<<< {PRE_COMMIT} (yours)" in config
    assert "rev: v0.8.7" in config
    create_call = next(c for c in fake_api.calls if c.method == "POST")
    assert create_call.body["draft"] is True  # conflicts: a draft without --draft
    assert create_call.body["title"].endswith("(from 1), 1 conflict")
    assert "Conflicts to resolve" in create_call.body["body"]
    assert f"- {PRE_COMMIT}: CONFLICT" in create_call.body["body"]
    (line,) = last_run(results)
    assert line["conflicts"] == [PRE_COMMIT]
    assert (line["action"], line["url"], line["number"]) == ("opened", page, 7)

    # a second run (the base moved) updates the branch and the same pull request
    work = tmp_path / "work" / "old"
    (work / "NOTES.md").write_text("# notes\n", encoding="utf-8")
    git(work, "add", "NOTES.md")
    git(work, "commit", "-q", "-m", "notes")
    git(work, "push", "-q", str(remote), "HEAD:main")
    assert main(argv) == 0
    assert "old: updated" in capsys.readouterr().err
    assert [(c.method, c.path) for c in fake_api.calls if c.path.startswith("/repos")] == [
        ("GET", "/repos/acme/old/pulls"),
        ("POST", "/repos/acme/old/pulls"),
        ("GET", "/repos/acme/old/pulls"),
        ("PATCH", "/repos/acme/old/pulls/7"),
    ]
    assert branches(remote) == ["main", BRANCH]

    # the pull request was closed unmerged: the next run reopens the recorded one
    opened.clear()
    closed = {"number": 7, "state": "closed", "merged_at": None, "head": {"ref": BRANCH}}
    fake_api.route("GET", "/repos/acme/old/pulls/7", (200, {}, closed))
    fake_api.calls.clear()
    (work / "NOTES.md").write_text("# notes, again\n", encoding="utf-8")
    git(work, "commit", "-q", "-am", "notes again")
    git(work, "push", "-q", str(remote), "HEAD:main")
    assert main(argv) == 0, capsys.readouterr().err
    assert [(c.method, c.path) for c in fake_api.calls if c.path.startswith("/repos")] == [
        ("GET", "/repos/acme/old/pulls"),
        ("GET", "/repos/acme/old/pulls/7"),
        ("PATCH", "/repos/acme/old/pulls/7"),
    ]
    assert fake_api.calls[-1].body["state"] == "open"
    (line,) = last_run(results)
    assert (line["action"], line["url"], line["number"]) == ("reopened", page, 7)


def test_a_damaged_record_fails_the_repository_and_the_rest_go_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    damaged = version_1(tmp_path, "damaged")
    work = tmp_path / "work" / "damaged"
    (work / RECORD).write_text("version = 99\n", encoding="utf-8")
    git(work, "commit", "-q", "-am", "damage")
    git(work, "push", "-q", str(damaged), "HEAD:main")
    good = version_1(tmp_path, "good")
    sources = listing(tmp_path, f"file://{damaged}", f"file://{good}")
    assert main(["fleet", "update", str(sources), "--branch", BRANCH]) == 1
    err = capsys.readouterr().err
    assert "damaged: failed: " in err
    assert "good: would change" in err
