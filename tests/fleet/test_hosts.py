"""The GitHub and GitLab REST calls, against a local server that checks each request the way
the documented APIs expect it: method, path, query, headers and JSON body."""

from __future__ import annotations

from typing import Any

import pytest

from prodready.errors import UsageError
from prodready.fleet.hosts import HOSTS, Proposal, parse_listing
from prodready.fleet.hosts.github import GitHub
from prodready.fleet.hosts.gitlab import GitLab
from tests.fleet.conftest import Call, FakeApi

TOKEN = "ghp_secret123"  # noqa: S105 - a made-up token the fake host expects


def github_repo(name: str, **extra: Any) -> dict[str, Any]:
    return {
        "full_name": f"acme/{name}",
        "clone_url": f"https://github.example/acme/{name}.git",
        "html_url": f"https://github.example/acme/{name}",
        "default_branch": "main",
        "archived": False,
        "fork": False,
        **extra,
    }


def assert_github(call: Call) -> None:
    assert call.headers["authorization"] == f"Bearer {TOKEN}"
    assert call.headers["accept"] == "application/vnd.github+json"
    assert call.headers["x-github-api-version"] == "2022-11-28"
    assert call.headers["user-agent"]
    if call.body is not None:
        assert call.headers["content-type"] == "application/json"


def assert_gitlab(call: Call) -> None:
    assert call.headers["private-token"] == TOKEN
    assert "authorization" not in call.headers


def test_the_hosts_are_registered() -> None:
    assert set(HOSTS.names()) == {"github", "gitlab"}
    assert parse_listing("github:acme") == ("github", "acme")
    assert parse_listing("gitlab:acme/platform") == ("gitlab", "acme/platform")
    assert parse_listing("repos.txt") is None
    with pytest.raises(UsageError, match="name the organisation"):
        parse_listing("github:")


def test_github_lists_an_organisation_over_two_pages(fake_api: FakeApi) -> None:
    base = f"{fake_api.url}/api/v3"

    def page(call: Call) -> tuple[int, dict[str, str], Any]:
        if call.query.get("page") == "2":
            return 200, {}, [github_repo("three"), github_repo("old", archived=True)]
        link = f'<{base}/orgs/acme/repos?per_page=100&type=all&page=2>; rel="next", <{base}/orgs/acme/repos?page=2>; rel="last"'
        return 200, {"Link": link}, [github_repo("one"), github_repo("copy", fork=True)]

    fake_api.route("GET", "/api/v3/orgs/acme/repos", page)
    found = GitHub(base, TOKEN).repositories("acme")
    assert [r.project for r in found] == ["acme/one", "acme/three"]
    assert found[0].clone_url == "https://github.example/acme/one.git"
    assert found[0].default_branch == "main"
    assert len(fake_api.calls) == 2
    for call in fake_api.calls:
        assert call.method == "GET"
        assert call.query["per_page"] == "100"
        assert_github(call)
    assert [c.query.get("page") for c in fake_api.calls] == [None, "2"]
    everything = GitHub(base, TOKEN).repositories("acme", archived=True, forks=True)
    assert len(everything) == 4


def test_github_falls_back_to_a_user(fake_api: FakeApi) -> None:
    fake_api.route("GET", "/users/someone/repos", (200, {}, [github_repo("mine")]))
    found = GitHub(fake_api.url, TOKEN).repositories("someone")
    assert [r.project for r in found] == ["acme/mine"]
    assert [c.path for c in fake_api.calls] == ["/orgs/someone/repos", "/users/someone/repos"]


def test_github_opens_a_pull_request(fake_api: FakeApi) -> None:
    fake_api.route("GET", "/repos/acme/one/pulls", (200, {}, []))
    fake_api.route(
        "POST",
        "/repos/acme/one/pulls",
        (201, {}, {"number": 7, "html_url": "https://github.example/acme/one/pull/7"}),
    )
    made = GitHub(fake_api.url, TOKEN).propose(
        "acme/one", branch="prodready/fix", base="main", title="T", body="B", draft=True
    )
    assert made.url.endswith("/pull/7")
    assert made.number == 7
    assert made.created
    lookup, create = fake_api.calls
    assert lookup.query == {"head": "acme:prodready/fix", "state": "open"}
    assert create.body == {
        "title": "T",
        "head": "prodready/fix",
        "base": "main",
        "body": "B",
        "draft": True,
    }
    for call in fake_api.calls:
        assert_github(call)


def test_github_updates_the_open_pull_request(fake_api: FakeApi) -> None:
    fake_api.route(
        "GET", "/repos/acme/one/pulls", (200, {}, [{"number": 7, "html_url": "x/pull/7"}])
    )
    fake_api.route(
        "PATCH", "/repos/acme/one/pulls/7", (200, {}, {"number": 7, "html_url": "x/pull/7"})
    )
    made = GitHub(fake_api.url, TOKEN).propose(
        "acme/one", branch="b", base="main", title="T2", body="B2", draft=False
    )
    assert made == Proposal("x/pull/7", 7, created=False)
    assert [c.method for c in fake_api.calls] == ["GET", "PATCH"]
    assert fake_api.calls[1].body == {"title": "T2", "body": "B2"}
    for call in fake_api.calls:
        assert_github(call)


def test_a_pull_request_needs_a_token(fake_api: FakeApi, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    with pytest.raises(UsageError, match="set GITHUB_TOKEN"):
        GitHub(fake_api.url).propose("a/b", branch="x", base="main", title="", body="", draft=False)
    assert not fake_api.calls


def test_the_token_comes_from_the_environment(
    fake_api: FakeApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("GITHUB_API_URL", fake_api.url)
    fake_api.route("GET", "/orgs/acme/repos", (200, {}, []))
    assert GitHub().repositories("acme") == []
    assert_github(fake_api.calls[0])


def test_gitlab_lists_a_group_over_two_pages(fake_api: FakeApi) -> None:
    def project(name: str, **extra: Any) -> dict[str, Any]:
        return {
            "path_with_namespace": f"acme/platform/{name}",
            "http_url_to_repo": f"https://gitlab.example/acme/platform/{name}.git",
            "web_url": f"https://gitlab.example/acme/platform/{name}",
            "default_branch": "main",
            "archived": False,
            **extra,
        }

    def page(call: Call) -> tuple[int, dict[str, str], Any]:
        if call.query.get("page") == "2":
            return 200, {"x-next-page": ""}, [project("three"), project("old", archived=True)]
        forked = project("copy", forked_from_project={"id": 1})
        return 200, {"x-next-page": "2"}, [project("one"), forked]

    fake_api.route("GET", "/api/v4/groups/acme%2Fplatform/projects", page)
    # the path keeps its encoded slash: http.server gives the raw path
    found = GitLab(f"{fake_api.url}/api/v4", TOKEN).repositories("acme/platform")
    assert [r.project for r in found] == ["acme/platform/one", "acme/platform/three"]
    assert len(fake_api.calls) == 2
    for call in fake_api.calls:
        assert call.method == "GET"
        assert call.query["include_subgroups"] == "true"
        assert call.query["archived"] == "false"
        assert call.query["per_page"] == "100"
        assert_gitlab(call)
    assert fake_api.calls[1].query["page"] == "2"


def test_gitlab_opens_then_updates_a_merge_request(fake_api: FakeApi) -> None:
    path = "/projects/acme%2Fone/merge_requests"
    opened: list[dict[str, Any]] = []
    fake_api.route("GET", path, lambda call: (200, {}, opened))

    def create(call: Call) -> tuple[int, dict[str, str], Any]:
        made = {"iid": 3, "web_url": "https://gitlab.example/acme/one/-/merge_requests/3"}
        opened.append({**made, "title": call.body["title"]})
        return 201, {}, made

    fake_api.route("POST", path, create)
    fake_api.route("PUT", f"{path}/3", (200, {}, {"iid": 3, "web_url": "u/3"}))
    gitlab = GitLab(fake_api.url, TOKEN)
    first = gitlab.propose("acme/one", branch="fix", base="main", title="T", body="B", draft=True)
    assert first.created
    assert first.number == 3
    second = gitlab.propose("acme/one", branch="fix", base="main", title="T", body="C", draft=False)
    assert second == Proposal("u/3", 3, created=False)
    methods = [(c.method, c.path) for c in fake_api.calls]
    assert methods == [("GET", path), ("POST", path), ("GET", path), ("PUT", f"{path}/3")]
    assert fake_api.calls[0].query == {"source_branch": "fix", "state": "opened"}
    assert fake_api.calls[1].body == {
        "source_branch": "fix",
        "target_branch": "main",
        "title": "Draft: T",
        "description": "B",
        "remove_source_branch": True,
    }
    assert fake_api.calls[3].body == {"title": "Draft: T", "description": "C"}
    for call in fake_api.calls:
        assert_gitlab(call)


def test_a_redirect_to_another_host_does_not_carry_the_token(
    fake_api: FakeApi, other_api: FakeApi
) -> None:
    other = other_api.url.replace("127.0.0.1", "localhost")
    fake_api.route("GET", "/orgs/acme/repos", (302, {"Location": f"{other}/elsewhere"}, None))
    other_api.route("GET", "/elsewhere", (200, {}, [github_repo("moved")]))
    found = GitHub(fake_api.url, TOKEN).repositories("acme")
    assert [r.project for r in found] == ["acme/moved"]
    (elsewhere,) = other_api.calls
    assert "authorization" not in elsewhere.headers
    assert TOKEN not in repr(elsewhere)


def test_a_redirect_on_the_same_host_keeps_the_token(fake_api: FakeApi) -> None:
    fake_api.route("GET", "/orgs/acme/repos", (301, {"Location": "/organizations/1/repos"}, None))
    fake_api.route("GET", "/organizations/1/repos", (200, {}, [github_repo("one")]))
    assert len(GitHub(fake_api.url, TOKEN).repositories("acme")) == 1
    assert_github(fake_api.calls[1])


def test_gitlab_token_is_not_sent_elsewhere(fake_api: FakeApi, other_api: FakeApi) -> None:
    fake_api.route("GET", "/groups/g/projects", (307, {"Location": f"{other_api.url}/p"}, None))
    other_api.route("GET", "/p", (200, {}, []))
    assert GitLab(fake_api.url, TOKEN).repositories("g") == []
    assert "private-token" not in other_api.calls[0].headers


def test_a_next_page_on_another_host_is_refused(fake_api: FakeApi, other_api: FakeApi) -> None:
    link = f'<{other_api.url}/orgs/acme/repos?page=2>; rel="next"'
    fake_api.route("GET", "/orgs/acme/repos", (200, {"Link": link}, [github_repo("one")]))
    with pytest.raises(UsageError, match="refusing to send the token"):
        GitHub(fake_api.url, TOKEN).repositories("acme")
    assert not other_api.calls


def test_errors_are_one_line(fake_api: FakeApi) -> None:
    fake_api.route(
        "POST",
        "/repos/acme/one/pulls",
        (422, {}, {"message": "Validation Failed", "errors": [{"message": "No commits\nbetween"}]}),
    )
    fake_api.route("GET", "/repos/acme/one/pulls", (200, {}, []))
    with pytest.raises(UsageError) as caught:
        GitHub(fake_api.url, TOKEN).propose(
            "acme/one", branch="b", base="main", title="t", body="", draft=False
        )
    message = str(caught.value)
    assert "\n" not in message
    assert "422" in message
    assert "Validation Failed" in message
    assert TOKEN not in message
    with pytest.raises(UsageError, match="cannot connect"):
        GitHub("http://127.0.0.1:9", TOKEN).repositories("acme")
    with pytest.raises(UsageError, match="https://"):
        GitHub("file:///etc", TOKEN)


def test_a_silent_host_times_out() -> None:
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    try:
        port = listener.getsockname()[1]
        with pytest.raises(UsageError, match="no answer within"):
            GitHub(f"http://127.0.0.1:{port}", TOKEN, timeout=0.3).repositories("acme")
    finally:
        listener.close()


@pytest.mark.parametrize(
    ("closed", "reopened"),
    [
        ({"state": "closed", "merged_at": None, "head": {"ref": "b"}}, True),
        ({"state": "closed", "merged_at": "2025-01-01T00:00:00Z", "head": {"ref": "b"}}, False),
        ({"state": "closed", "merged_at": None, "head": {"ref": "other"}}, False),
    ],
)
def test_github_reopens_the_recorded_pull_request_closed_unmerged(
    fake_api: FakeApi, closed: dict[str, Any], reopened: bool
) -> None:
    fake_api.route("GET", "/repos/acme/one/pulls", (200, {}, []))
    fake_api.route("GET", "/repos/acme/one/pulls/7", (200, {}, {"number": 7, **closed}))
    fake_api.route(
        "PATCH", "/repos/acme/one/pulls/7", (200, {}, {"number": 7, "html_url": "x/pull/7"})
    )
    fake_api.route("POST", "/repos/acme/one/pulls", (201, {}, {"number": 8, "html_url": "x/8"}))
    made = GitHub(fake_api.url, TOKEN).propose(
        "acme/one", branch="b", base="main", title="T", body="B", draft=False, known=7
    )
    calls = [(c.method, c.path) for c in fake_api.calls]
    if reopened:
        assert made == Proposal("x/pull/7", 7, created=False, reopened=True)
        assert made.action == "reopened"
        assert calls[-1] == ("PATCH", "/repos/acme/one/pulls/7")
        assert fake_api.calls[-1].body == {"title": "T", "body": "B", "state": "open"}
    else:
        assert made == Proposal("x/8", 8, created=True)
        assert calls[-1] == ("POST", "/repos/acme/one/pulls")
        assert ("PATCH", "/repos/acme/one/pulls/7") not in calls
    for call in fake_api.calls:
        assert_github(call)


def test_github_opens_a_new_pull_request_when_reopening_is_refused(fake_api: FakeApi) -> None:
    """GitHub refuses to reopen a pull request whose branch was recreated: a new one opens."""
    fake_api.route("GET", "/repos/acme/one/pulls", (200, {}, []))
    closed = {"number": 7, "state": "closed", "merged_at": None, "head": {"ref": "b"}}
    fake_api.route("GET", "/repos/acme/one/pulls/7", (200, {}, closed))
    fake_api.route("PATCH", "/repos/acme/one/pulls/7", (422, {}, {"message": "Validation Failed"}))
    fake_api.route("POST", "/repos/acme/one/pulls", (201, {}, {"number": 8, "html_url": "x/8"}))
    made = GitHub(fake_api.url, TOKEN).propose(
        "acme/one", branch="b", base="main", title="T", body="B", draft=False, known=7
    )
    assert made == Proposal("x/8", 8, created=True)


def test_gitlab_reopens_the_recorded_merge_request(fake_api: FakeApi) -> None:
    path = "/projects/acme%2Fone/merge_requests"
    fake_api.route("GET", path, (200, {}, []))
    closed = {"iid": 3, "state": "closed", "source_branch": "fix"}
    fake_api.route("GET", f"{path}/3", (200, {}, closed))
    fake_api.route("PUT", f"{path}/3", (200, {}, {"iid": 3, "web_url": "u/3"}))
    made = GitLab(fake_api.url, TOKEN).propose(
        "acme/one", branch="fix", base="main", title="T", body="B", draft=True, known=3
    )
    assert made == Proposal("u/3", 3, created=False, reopened=True)
    assert [(c.method, c.path) for c in fake_api.calls] == [
        ("GET", path),
        ("GET", f"{path}/3"),
        ("PUT", f"{path}/3"),
    ]
    assert fake_api.calls[2].body == {
        "title": "Draft: T",
        "description": "B",
        "state_event": "reopen",
    }
    for call in fake_api.calls:
        assert_gitlab(call)
