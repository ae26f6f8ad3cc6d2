"""GitLab (gitlab.com or self-managed): `gitlab:GROUP` lists a group's projects, subgroups
included; a branch's merge request is opened or updated.

The API is `https://gitlab.com/api/v4`, or `CI_API_V4_URL` (GitLab CI sets it), or
`--gitlab-api`. The token is `GITLAB_TOKEN`, sent as `PRIVATE-TOKEN`
(https://docs.gitlab.com/ee/api/rest/authentication.html). Lists follow the `x-next-page` header
(https://docs.gitlab.com/ee/api/rest/index.html#pagination-link-header). A draft merge request is
one whose title starts with `Draft:` (https://docs.gitlab.com/ee/user/project/merge_requests/drafts.html).
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from prodready.errors import UsageError
from prodready.fleet.hosts import Host, HostRepository, Proposal, Response, host, kept

PER_PAGE = 100
DRAFT = "Draft: "


@host("gitlab")
class GitLab(Host):
    """The GitLab REST API (v4)."""

    title = "GitLab"
    token_variable = "GITLAB_TOKEN"  # noqa: S105 - the variable\'s name, not a token
    git_user = "oauth2"
    api_variable = "CI_API_V4_URL"
    default_api = "https://gitlab.com/api/v4"

    def auth_headers(self) -> dict[str, str]:
        return {"PRIVATE-TOKEN": str(self.token)}

    def _next_page(self, answer: Response, current: str) -> str | None:
        page = (answer.headers.get("x-next-page") or "").strip()
        if not page.isdigit():
            return None
        parts = urllib.parse.urlsplit(current)
        query = dict(urllib.parse.parse_qsl(parts.query))
        query["page"] = page
        return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))

    def repositories(
        self, owner: str, *, archived: bool = False, forks: bool = False
    ) -> list[HostRepository]:
        group = urllib.parse.quote(owner, safe="")
        query: dict[str, str | int] = {
            "per_page": PER_PAGE,
            "include_subgroups": "true",
            "order_by": "id",
            "sort": "asc",
        }
        if not archived:
            query["archived"] = "false"
        items = self.pages(self.url(f"groups/{group}/projects", query), self._next_page)
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
        self.require_token("opening a merge request")
        path = f"projects/{urllib.parse.quote(project, safe='')}/merge_requests"
        title = DRAFT + title if draft and not title.startswith(DRAFT) else title
        found = self.request(
            "GET", self.url(path, {"source_branch": branch, "state": "opened"})
        ).data
        if isinstance(found, list) and found and isinstance(found[0], dict):
            iid = int(found[0]["iid"])
            if not draft and str(found[0].get("title", "")).startswith(DRAFT):
                title = DRAFT + title  # a draft stays one until a person marks it ready
            data = self.request(
                "PUT", self.url(f"{path}/{iid}"), {"title": title, "description": body}
            ).data
            return Proposal(str(self.field(data, "web_url")), iid, created=False)
        if known and (reopened := self._reopen(path, known, branch, title, body)):
            return reopened
        data = self.request(
            "POST",
            self.url(path),
            {
                "source_branch": branch,
                "target_branch": base,
                "title": title,
                "description": body,
                "remove_source_branch": True,
            },
        ).data
        return Proposal(
            str(self.field(data, "web_url")), int(self.field(data, "iid")), created=True
        )

    def _reopen(self, path: str, iid: int, branch: str, title: str, body: str) -> Proposal | None:
        """Reopen and update merge request `iid` when it is of `branch` and was closed without
        being merged; None when it cannot be."""
        try:
            data = self.request("GET", self.url(f"{path}/{iid}")).data
            if (
                not isinstance(data, dict)
                or data.get("state") != "closed"
                or data.get("source_branch") != branch
            ):
                return None
            data = self.request(
                "PUT",
                self.url(f"{path}/{iid}"),
                {"title": title, "description": body, "state_event": "reopen"},
            ).data
        except UsageError:
            return None
        return Proposal(str(self.field(data, "web_url")), iid, created=False, reopened=True)


def _repository(item: dict[str, Any]) -> HostRepository:
    return HostRepository(
        project=str(item.get("path_with_namespace", "")),
        clone_url=str(item.get("http_url_to_repo", "")),
        default_branch=str(item.get("default_branch") or ""),
        web_url=str(item.get("web_url", "")),
        archived=bool(item.get("archived")),
        fork=bool(item.get("forked_from_project")),
    )
