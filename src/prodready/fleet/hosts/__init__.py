"""Code hosts reached through their REST APIs: list an organisation's repositories, open or
update the pull request of a branch. One module per host (`github.py` is `github:ORG`).

A host module registers one `Host` subclass with `@host(name)`. Everything goes through the
standard library's `urllib.request` with a timeout; the token comes from the environment and is
sent only to the configured API's origin (scheme, host and port): a redirect elsewhere is
followed without it, and a pagination link elsewhere is refused. Every failure is one
`UsageError` line naming the host, the request and what the host said.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from email.message import Message
from http.client import HTTPMessage
from typing import Any, ClassVar, NamedTuple

from prodready.errors import UsageError
from prodready.registry import Registry

TIMEOUT = 30.0
MAX_RESPONSE = 64 * 2**20
MAX_PAGES = 1000
# Header names (lower case) that carry a credential: never sent to another origin.
SECRET_HEADERS = frozenset({"authorization", "private-token"})
USER_AGENT = "prodready-fleet"


class HostRepository(NamedTuple):
    """One repository as its host lists it. `project` is how the API names it (`owner/name` on
    GitHub, the full path on GitLab)."""

    project: str
    clone_url: str
    default_branch: str
    web_url: str
    archived: bool = False
    fork: bool = False


class Proposal(NamedTuple):
    """A pull or merge request of a branch: its page, its number, whether this call opened it
    (else it updated the open one) and whether it reopened one closed unmerged."""

    url: str
    number: int
    created: bool
    reopened: bool = False

    @property
    def action(self) -> str:
        """What this call did to it: "opened", "reopened" or "updated"."""
        return "opened" if self.created else "reopened" if self.reopened else "updated"


class Response(NamedTuple):
    """A decoded JSON body and the response's headers."""

    data: Any
    headers: Message


def origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port of a URL (the port filled in from the scheme)."""
    parts = urllib.parse.urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    return parts.scheme.lower(), (parts.hostname or "").lower(), port or default


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects, dropping the credential headers when one leads to another origin."""

    def __init__(self, home: tuple[str, str, int | None]) -> None:
        self.home = home

    def redirect_request(  # noqa: PLR0917 - urllib's signature
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and origin(new.full_url) != self.home:
            for name in [*new.headers, *new.unredirected_hdrs]:
                if name.lower() in SECRET_HEADERS:
                    new.remove_header(name)
        return new


class Host:
    """A code host's REST API at one base URL, with a token from the environment."""

    name: ClassVar[str]
    title: ClassVar[str]  # for messages: "GitHub"
    token_variable: ClassVar[str]
    git_user: ClassVar[str]  # the user name git over HTTPS takes beside the token
    api_variable: ClassVar[str]  # the environment variable CI sets to the API's base URL
    default_api: ClassVar[str]

    def __init__(
        self, api_url: str | None = None, token: str | None = None, timeout: float = TIMEOUT
    ) -> None:
        url = (api_url or os.environ.get(self.api_variable) or self.default_api).rstrip("/")
        if urllib.parse.urlsplit(url).scheme.lower() not in ("http", "https"):
            raise UsageError(f"{self.title} API URL must start with https:// (got {url!r})")
        self.api_url = url
        self.token = token if token is not None else os.environ.get(self.token_variable) or None
        self.timeout = timeout
        self.home = origin(url)
        self._opener = urllib.request.build_opener(_SameOriginRedirects(self.home))

    @property
    def web_host(self) -> str:
        """The host name (and port) repositories are cloned from."""
        return urllib.parse.urlsplit(self.api_url).netloc.lower()

    def auth_headers(self) -> dict[str, str]:
        """The headers that carry the token (empty without one)."""
        raise NotImplementedError

    def base_headers(self) -> dict[str, str]:
        """The headers every request carries besides the token."""
        return {"Accept": "application/json", "User-Agent": USER_AGENT}

    def repositories(
        self, owner: str, *, archived: bool = False, forks: bool = False
    ) -> list[HostRepository]:
        """The repositories of an organisation (group), without archived ones and forks unless
        asked for."""
        raise NotImplementedError

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
        """Open the pull (merge) request of `branch` into `base`, or update the open one. When
        none is open and `known` (the number an earlier run recorded) names a request of the
        same branch that was closed without being merged, that one is reopened and updated
        instead of a second one opened; if the host refuses to reopen it, a new one is opened."""
        raise NotImplementedError

    def require_token(self, what: str) -> None:
        """A usage error when the token the action needs is missing."""
        if not self.token:
            raise UsageError(f"{what} on {self.title} needs a token: set {self.token_variable}")

    def url(self, path: str, query: Mapping[str, str | int] | None = None) -> str:
        """The API URL of `path` (relative to the base), with its query."""
        text = f"{self.api_url}/{path.lstrip('/')}"
        return f"{text}?{urllib.parse.urlencode(query)}" if query else text

    def request(self, method: str, url: str, body: Mapping[str, Any] | None = None) -> Response:
        """One call to the API at `url` (absolute, on the configured origin)."""
        if origin(url) != self.home:
            raise UsageError(
                f"{self.title}: refusing to send the token to {urllib.parse.urlsplit(url).netloc}"
                f" (the API is {self.api_url})"
            )
        headers = {**self.base_headers(), **(self.auth_headers() if self.token else {})}
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310 - the scheme is checked in __init__
        where = f"{self.title}: {method} {self._shown(url)}"
        try:
            with self._opener.open(req, timeout=self.timeout) as answer:
                raw = answer.read(MAX_RESPONSE + 1)
                reply_headers = answer.headers
        except urllib.error.HTTPError as exc:
            raise UsageError(f"{where}: {exc.code} {exc.reason}{_said(exc)}") from None
        except urllib.error.URLError as exc:
            raise UsageError(f"{where}: cannot connect: {exc.reason}") from None
        except TimeoutError:
            raise UsageError(f"{where}: no answer within {self.timeout:g} s") from None
        except OSError as exc:
            raise UsageError(f"{where}: {exc.strerror or exc}") from None
        if len(raw) > MAX_RESPONSE:
            raise UsageError(f"{where}: the answer is larger than {MAX_RESPONSE} bytes")
        try:
            decoded = json.loads(raw) if raw.strip() else None
        except ValueError:
            raise UsageError(f"{where}: the answer is not JSON") from None
        return Response(decoded, reply_headers)

    def field(self, data: Any, key: str) -> Any:
        """`data[key]` of an answer, or a one-line error naming the host."""
        if not isinstance(data, dict) or key not in data:
            raise UsageError(f"{self.title}: the answer has no {key!r}")
        return data[key]

    def _shown(self, url: str) -> str:
        """The URL as messages show it: the path and query after the base."""
        return url[len(self.api_url) :] if url.startswith(self.api_url) else url

    def pages(self, url: str, next_url: Callable[[Response, str], str | None]) -> list[Any]:
        """Every item of a paginated list, following `next_url` from page to page."""
        items: list[Any] = []
        current: str | None = url
        for _ in range(MAX_PAGES):
            if current is None:
                return items
            answer = self.request("GET", current)
            if not isinstance(answer.data, list):
                raise UsageError(f"{self.title}: GET {self._shown(current)}: expected a list")
            items.extend(answer.data)
            current = next_url(answer, current)
        raise UsageError(f"{self.title}: GET {self._shown(url)}: more than {MAX_PAGES} pages")


def kept(found: list[HostRepository], *, archived: bool, forks: bool) -> list[HostRepository]:
    """The listed repositories without archived ones and forks, unless they were asked for."""
    return [r for r in found if (archived or not r.archived) and (forks or not r.fork)]


def _said(exc: urllib.error.HTTPError) -> str:
    """What the host said about an error, on one short line."""
    try:
        data = json.loads(exc.read(65536) or b"null")
    except (ValueError, OSError):
        return ""
    parts: list[str] = []
    if isinstance(data, dict):
        for key in ("message", "error", "errors"):
            if data.get(key):
                value = data[key]
                parts.append(value if isinstance(value, str) else json.dumps(value))
    text = " ".join(" ".join(parts).split())
    return f": {text[:300]}" if text else ""


HOSTS: Registry[type[Host]] = Registry("prodready.fleet.hosts", "host", one_per_module=True)


def host(name: str) -> Callable[[type[Host]], type[Host]]:
    """Register the decorated `Host` subclass as the host `name` (`github:ORG`)."""

    def register(cls: type[Host]) -> type[Host]:
        cls.name = name
        return HOSTS.add(name, cls)

    return register


def parse_listing(spec: str) -> tuple[str, str] | None:
    """`github:ORG` -> ("github", "ORG"); None when `spec` names no known host."""
    name, colon, owner = spec.partition(":")
    if not colon or name not in HOSTS.names() or owner.startswith("/"):
        return None
    if not owner.strip():
        raise UsageError(f"{spec!r}: name the organisation or group after {name}:")
    return name, owner.strip()
