"""The scan's mirror fetches private repositories with the host's token: sent as an HTTP header
through git's configuration in the environment, to that host only, never on a command line nor
in the mirror's stored configuration; against local smart-HTTP git servers (`git http-backend`)
that refuse a fetch without the header."""

from __future__ import annotations

import base64
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from prodready.cli import main
from prodready.errors import UsageError
from prodready.fleet.hosts.github import GitHub
from prodready.fleet.hosts.gitlab import GitLab
from prodready.fleet.mirror import Credential, Mirror, MirrorError, credentials
from prodready.fleet.results import latest_scan, read_table
from tests.fleet.conftest import GitServer, MakeRemote, Remote, url_list

TOKEN = "ghp_private_token_0123456789"  # noqa: S105 - a made-up token the fake host expects
HEADER = "Basic " + base64.b64encode(f"x-access-token:{TOKEN}".encode()).decode()


POLICY = {"org/policy.toml": 'select = ["GIT001"]\n'}


@pytest.fixture
def remotes(make_remote: MakeRemote) -> dict[str, Remote]:
    """Two repositories, and one that keeps the organisation's policy."""
    made = {name: make_remote(name) for name in ("private", "public")}
    return {**made, "policies": make_remote("policies", POLICY)}


@pytest.fixture
def private_host(tmp_path: Path, remotes: dict[str, Remote]) -> Iterator[GitServer]:
    with GitServer(tmp_path / "remotes", token=("x-access-token", TOKEN)) as server:
        yield server


@pytest.fixture
def other_host(tmp_path: Path, remotes: dict[str, Remote]) -> Iterator[GitServer]:
    with GitServer(tmp_path / "remotes") as server:
        yield server


def _scan(tmp_path: Path, urls: list[str], *extra: str) -> int:
    listing = url_list(tmp_path / "fleet.txt", urls)
    return main(
        [
            "fleet", "scan", str(listing), "--results", str(tmp_path / "results"),
            "--cache", str(tmp_path / "mirrors"), "--jobs", "2", "-q", "--timeout", "60", *extra,
        ]
    )  # fmt: skip


def _statuses(results: Path) -> dict[str, tuple[str, str]]:
    latest = latest_scan(results)
    return {
        r["repository"]: (r["status"], r["reason"])
        for r in read_table(results, "repositories").to_pylist()
        if r["scan_id"] == latest
    }


def _nothing_stored(tmp_path: Path) -> None:
    """The token is in no file: not in a mirror's configuration, nor in the results."""
    for path in (tmp_path / "mirrors").rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path
            assert HEADER.encode() not in path.read_bytes(), path
    for path in (tmp_path / "results").rglob("*.parquet"):
        assert TOKEN.encode() not in path.read_bytes(), path


def test_a_private_repository_is_fetched_with_its_hosts_token_and_no_other_host_gets_it(
    tmp_path: Path,
    private_host: GitServer,
    other_host: GitServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    urls = [f"{private_host.url}/private.git", f"{other_host.url}/public.git"]
    api = ["--github-api", private_host.url]  # the GitHub whose repositories live there
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    assert _scan(tmp_path, urls, *api) == 2
    refused = _statuses(tmp_path / "results")
    assert refused["public"][0] == "audited"
    assert refused["private"][0] == "failed"
    assert refused["private"][1].startswith("fetch failed: ")
    assert "\n" not in refused["private"][1]

    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    private_host.requests.clear()
    other_host.requests.clear()
    assert _scan(tmp_path, urls, *api) == 0, _statuses(tmp_path / "results")
    statuses = _statuses(tmp_path / "results")
    assert (statuses["private"][0], statuses["public"][0]) == ("audited", "cached")
    assert private_host.requests
    assert all(headers.get("authorization") == HEADER for _, headers in private_host.requests)
    assert other_host.requests
    assert not any("authorization" in headers for _, headers in other_host.requests)
    _nothing_stored(tmp_path)

    # named by --token-host, the other host gets the token too
    other_host.requests.clear()
    assert _scan(tmp_path, urls, *api, "--token-host", f"github={other_host.url}") == 0
    assert other_host.requests
    assert all(headers.get("authorization") == HEADER for _, headers in other_host.requests)

    # a policy kept in a private repository is fetched the same way
    policy = ["--policy", f"{private_host.url}/policies.git#org/policy.toml"]
    assert _scan(tmp_path, urls, *api, *policy) == 0
    monkeypatch.delenv("GITHUB_TOKEN")
    capsys.readouterr()
    assert _scan(tmp_path, urls, *api, *policy) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "cannot read the policy: could not read Username" in err


def test_the_token_is_in_gits_environment_only_and_scoped_to_its_host(
    tmp_path: Path,
    private_host: GitServer,
    other_host: GitServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    runs: list[tuple[list[str], dict[str, str]]] = []
    real = subprocess.run

    def watched(command: list[str], **kwargs: Any) -> Any:
        runs.append((list(command), dict(kwargs.get("env") or {})))
        return real(command, **kwargs)

    monkeypatch.setattr(subprocess, "run", watched)  # as the mirror module calls it
    tokens = credentials({"github": GitHub(private_host.url)})
    assert tokens == (Credential(f"{private_host.url}/", "GITHUB_TOKEN", "x-access-token"),)
    for url in (f"{private_host.url}/private.git", f"{other_host.url}/public.git"):
        fetched = Mirror(tmp_path / "mirrors", "x", url, timeout=60, credentials=tokens)
        fetched.fetch()
        assert len(fetched.resolve("")) == 40
    fetches = [(command, env) for command, env in runs if "fetch" in command]
    assert len(fetches) == 2
    for command, _ in runs:
        assert not any(TOKEN in part or HEADER in part for part in command), command
    (_, private_env), (_, other_env) = fetches
    assert private_env["GIT_CONFIG_COUNT"] == "2"
    assert private_env["GIT_CONFIG_KEY_0"] == f"http.{private_host.url}/.extraHeader"
    assert private_env["GIT_CONFIG_VALUE_0"] == f"Authorization: {HEADER}"
    assert private_env["GIT_CONFIG_KEY_1"] == f"http.{private_host.url}/.followRedirects"
    assert "GIT_CONFIG_COUNT" not in other_env
    assert not any(TOKEN in value for value in other_env.values())
    _nothing_stored(tmp_path)


def test_a_redirect_to_another_host_is_not_followed_with_the_token(
    tmp_path: Path, other_host: GitServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """git follows a first redirect and then sends its configured headers to the new address:
    with a token, redirects are off."""
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    with GitServer(tmp_path / "remotes", redirect=other_host.url) as moved:
        tokens = credentials({"github": GitHub(moved.url)})
        fetched = Mirror(tmp_path / "mirrors", "x", f"{moved.url}/private.git", 60, tokens)
        with pytest.raises(MirrorError, match="301"):
            fetched.fetch()
        assert moved.requests
    assert not any("authorization" in headers for _, headers in other_host.requests)


def test_which_hosts_get_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    hosts = {
        "github": GitHub(),
        "gitlab": GitLab("https://gitlab.acme.example/api/v4"),
    }
    found = credentials(hosts, ["github=git.acme.example:8443", "gitlab=http://localhost:8080"])
    assert [(c.prefix, c.variable, c.user) for c in found] == [
        ("https://github.com/", "GITHUB_TOKEN", "x-access-token"),
        ("https://gitlab.acme.example/", "GITLAB_TOKEN", "oauth2"),
        ("https://git.acme.example:8443/", "GITHUB_TOKEN", "x-access-token"),
        ("http://localhost:8080/", "GITLAB_TOKEN", "oauth2"),
    ]
    github = found[0]
    assert github.covers("https://github.com/acme/api.git")
    assert github.covers("https://someone@github.com:443/acme/api.git")
    assert not github.covers("http://github.com/acme/api.git"), "never in clear"
    assert not github.covers("https://github.com.evil.example/acme/api.git")
    assert not github.covers("git@github.com:acme/api.git"), "ssh uses its own keys"
    assert not github.covers("https://gitlab.acme.example/acme/api.git")
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    assert github.config() == {}, "no token in the environment: nothing is sent"
    # a plain-HTTP API on another machine gets no token for git
    assert credentials({"github": GitHub("http://ghe.internal/api/v3")}) == ()
    for bad in ("github=http://ghe.internal", "nohost=git.acme.example", "github"):
        with pytest.raises(UsageError, match="--token-host"):
            credentials(hosts, [bad])
