"""GitHub (and GitHub Enterprise Server): `github:ORG` lists an organisation's (or a user's)
repositories; a branch's pull request is opened or updated.

The API is `https://api.github.com`, or `GITHUB_API_URL` (Actions sets it; GitHub Enterprise
Server answers at `https://HOST/api/v3`), or `--github-api`. The token is `GITHUB_TOKEN`, sent as
`Authorization: Bearer` with the media type and API version GitHub documents
(https://docs.github.com/en/rest/about-the-rest-api/api-versions). Lists follow the `Link`
header's `next` page (https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api).
"""

from __future__ import annotations

import re
import urllib.parse
from typing import Any

from prodready.errors import UsageError
from prodready.fleet.hosts import Host, HostRepository, Proposal, Response, host, kept

API_VERSION = "2022-11-28"
PER_PAGE = 100
NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


def next_link(answer: Response, _current: str) -> str | None:
    """The `rel="next"` URL of the `Link` header, None on the last page."""
    for value in answer.headers.get_all("Link") or []:
        for part in value.split(","):
            found = NEXT.search(part)
            if found:
                return found.group(1)
    return None


@host("github")
class GitHub(Host):
    """The GitHub REST API."""

    title = "GitHub"
    token_variable = "GITHUB_TOKEN"  # noqa: S105 - the variable\'s name, not a token
    git_user = "x-access-token"
    api_variable = "GITHUB_API_URL"
    default_api = "https://api.github.com"

    @property
    def web_host(self) -> str:
        netloc = urllib.parse.urlsplit(self.api_url).netloc.lower()
        return "github.com" if netloc == "api.github.com" else netloc

    def base_headers(self) -> dict[str, str]:
        return {
            **super().base_headers(),
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
        }

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def repositories(
        self, owner: str, *, archived: bool = False, forks: bool = False
    ) -> list[HostRepository]:
        name = urllib.parse.quote(owner, safe="")
        query: dict[str, str | int] = {"per_page": PER_PAGE, "type": "all"}
        try:
            items = self.pages(self.url(f"orgs/{name}/repos", query), next_link)
        except UsageError as exc:
            if ": 404 " not in str(exc):
                raise
            # not an organisation: a user's repositories
            items = self.pages(
                self.url(f"users/{name}/repos", {"per_page": PER_PAGE, "type": "owner"}),
                next_link,
            )
        found = [_repository(item) for item in items if isinstance(item, dict)]
        return kept(found, archived=archived, forks=forks)

    def propose(
        self,
        project: str,
        *,
        branch: str,
        base: str,
        title: str,
        body: str,
        draft: bool,
        known: int = 0,
    ) -> Proposal:
        self.require_token("opening a pull request")
        path = "repos/" + "/".join(urllib.parse.quote(p, safe="") for p in project.split("/"))
        owner = project.split("/", 1)[0]
        found = self.request(
            "GET", self.url(f"{path}/pulls", {"head": f"{owner}:{branch}", "state": "open"})
        ).data
        if isinstance(found, list) and found and isinstance(found[0], dict):
            number = int(found[0]["number"])
            data = self.request(
                "PATCH", self.url(f"{path}/pulls/{number}"), {"title": title, "body": body}
            ).data
            return Proposal(str(self.field(data, "html_url")), number, created=False)
        if known and (reopened := self._reopen(path, known, branch, title, body)):
            return reopened
        data = self.request(
            "POST",
            self.url(f"{path}/pulls"),
            {"title": title, "head": branch, "base": base, "body": body, "draft": draft},
        ).data
        return Proposal(
            str(self.field(data, "html_url")), int(self.field(data, "number")), created=True
        )

    def _reopen(
        self, path: str, number: int, branch: str, title: str, body: str
    ) -> Proposal | None:
        """Reopen and update pull request `number` when it is of `branch` and was closed
        without being merged; None when it cannot be (GitHub refuses to reopen one whose branch
        was recreated)."""
        try:
            data = self.request("GET", self.url(f"{path}/pulls/{number}")).data
            head = data.get("head") if isinstance(data, dict) else None
            if (
                not isinstance(data, dict)
                or data.get("state") != "closed"
                or data.get("merged_at")
                or not isinstance(head, dict)
                or head.get("ref") != branch
            ):
                return None
            data = self.request(
                "PATCH",
                self.url(f"{path}/pulls/{number}"),
                {"title": title, "body": body, "state": "open"},
            ).data
        except UsageError:
            return None
        return Proposal(str(self.field(data, "html_url")), number, created=False, reopened=True)


def _repository(item: dict[str, Any]) -> HostRepository:
    return HostRepository(
        project=str(item.get("full_name", "")),
        clone_url=str(item.get("clone_url", "")),
        default_branch=str(item.get("default_branch") or ""),
        web_url=str(item.get("html_url", "")),
        archived=bool(item.get("archived") or item.get("disabled")),
        fork=bool(item.get("fork")),
    )
