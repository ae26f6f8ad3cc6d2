"""Which repositories a fleet scan audits or a fleet fix changes: a file of git addresses, one git
address, a folder of checkouts, or an organisation (group) listed through its host's REST API
(`github:ORG`, `gitlab:GROUP`, see `fleet/hosts`), each with include/exclude patterns on the
repositories' names."""

from __future__ import annotations

import fnmatch
import os
import re
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from prodready.errors import UsageError

if TYPE_CHECKING:
    from prodready.fleet.hosts import Host

# A ref is a branch, a tag or a commit id: git's own ref syntax, never an option.
REF = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._/+-]{0,254}$")
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)
SCP_LIKE = re.compile(r"^[\w.-]+@[\w.-]+:(?!//)")
# `[user@]host:path`, the scp-like address git reads (the host, then the path)
SCP_PARTS = re.compile(r"^(?:[^@/:]+@)?(?P<host>[^/:]+):(?P<path>[^/].*)$")
COMMENT = re.compile(r"(?:^|\s)#")
MAX_LIST = 4 * 2**20


class Source(NamedTuple):
    """One repository: its name in the results, where git fetches it from, the ref to audit or
    fix from ("" for the remote's default branch, or a checkout's HEAD), and, when it is on a
    known code host, the host's name, the repository's name there and its default branch (for
    pull requests)."""

    name: str
    url: str
    ref: str = ""
    host: str = ""
    project: str = ""
    default_branch: str = ""


def read_sources(
    given: Sequence[str],
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    *,
    hosts: Mapping[str, Host] | None = None,
    archived: bool = False,
    forks: bool = False,
) -> list[Source]:
    """The repositories the command-line sources name, filtered by the patterns; a name seen
    twice is a usage error (results are keyed by it). A source is a folder of checkouts, a file
    of git URLs, one git URL, or `github:ORG` / `gitlab:GROUP`: the organisation's repositories
    as `hosts` list them (without archived ones and forks unless asked for). A URL on one of
    `hosts` is marked as that host's, so a fix can open its pull request."""
    from prodready.fleet.hosts import parse_listing

    found: list[Source] = []
    for item in given:
        path = Path(item)
        listing = parse_listing(item) if not path.exists() else None
        if listing is not None:
            host = (hosts if hosts is not None else default_hosts())[listing[0]]
            found.extend(
                Source(r.project, r.clone_url, "", host.name, r.project, r.default_branch)
                for r in host.repositories(listing[1], archived=archived, forks=forks)
            )
        elif path.is_dir():
            found.extend(checkouts(path))
        elif path.is_file():
            found.extend(url_list(path))
        elif SCHEME.match(item) or SCP_LIKE.match(item):
            found.append(parse_line(item))
        else:
            raise UsageError(
                f"{item}: not a file of git URLs, a folder of checkouts, a git URL, github:ORG "
                "or gitlab:GROUP"
            )
    found = [on_host(s, hosts or {}) for s in found]
    kept = select(found, include, exclude)
    seen: dict[str, Source] = {}
    for source in kept:
        if source.name in seen:
            raise UsageError(
                f"two repositories are named {source.name!r} ({seen[source.name].url} and "
                f"{source.url}); exclude one"
            )
        seen[source.name] = source
    return kept


def select(
    sources: Iterable[Source], include: Sequence[str], exclude: Sequence[str]
) -> list[Source]:
    """The sources whose name matches an include pattern (all when none is given) and no
    exclude pattern; patterns are shell globs (`*`, `?`, `[...]`)."""
    return [
        s
        for s in sources
        if (not include or any(fnmatch.fnmatchcase(s.name, p) for p in include))
        and not any(fnmatch.fnmatchcase(s.name, p) for p in exclude)
    ]


def default_hosts() -> dict[str, Host]:
    """Every registered code host at its default API (or the one its environment variable
    names)."""
    from prodready.fleet.hosts import HOSTS

    return {name: HOSTS.get(name)() for name in HOSTS.names()}


def on_host(source: Source, hosts: Mapping[str, Host]) -> Source:
    """`source` marked as a host's when its URL is on that host (and not marked yet)."""
    if source.host:
        return source
    netloc, path = url_path(source.url)
    for host in hosts.values():
        if netloc and netloc == host.web_host:
            return source._replace(host=host.name, project=path)
    return source


def url_path(url: str) -> tuple[str, str]:
    """The host (with its port) and the repository's path of a clone URL, the path without
    slashes around it or `.git`; the host is "" for a local path or `file://`."""
    scp = SCP_PARTS.match(url) if "://" not in url else None
    if scp:
        host, path = scp.group("host").lower(), scp.group("path")
    else:
        parts = urllib.parse.urlsplit(url)
        host = parts.netloc.rpartition("@")[2].lower() if parts.scheme != "file" else ""
        path = parts.path
    return host, path.strip("/").removesuffix(".git")


def url_list(path: Path) -> list[Source]:
    """A file of git addresses, one a line, each with an optional `@ref`; `#` at the start of
    a line or after a space starts a comment."""
    if path.stat().st_size > MAX_LIST:
        raise UsageError(f"{path}: larger than {MAX_LIST // 2**20} MiB; not a list of git URLs")
    found: list[Source] = []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: cannot read the list of repositories: {exc}") from None
    for number, raw in enumerate(text.splitlines(), 1):
        line = COMMENT.split(raw, maxsplit=1)[0].strip()
        if not line:
            continue
        try:
            found.append(parse_line(line))
        except UsageError as exc:
            raise UsageError(f"{path}:{number}: {exc}") from None
    return found


def parse_line(line: str) -> Source:
    """One line of a URL list: `URL` or `URL@REF` (an `@` in `user@host:` is the address's)."""
    url, ref = line, ""
    scheme, scp = SCHEME.match(line), SCP_LIKE.match(line)
    start = scp.end() if scp else 0  # an `@` before the path is the user's, not a ref
    if scheme:
        slash = line.find("/", scheme.end())
        start = slash if slash >= 0 else len(line)
    at = line.rfind("@", start)
    if at > start:
        url, ref = line[:at], line[at + 1 :]
    if url.startswith("-") or any(c.isspace() for c in url):
        raise UsageError(f"{line!r} is not a git address")
    if url.lower().startswith("ext::") or "::" in url.split("/", 1)[0]:
        raise UsageError(f"{url!r}: remote helpers (`transport::address`) are not fetched")
    if ref and not REF.match(ref):
        raise UsageError(f"{ref!r} is not a branch, tag or commit id")
    return Source(name_of(url), url, ref)


def name_of(url: str) -> str:
    """A repository's name in the results: the address's path without `.git` (`org/repo`), or
    the folder's name for a local repository."""
    text = url.rstrip("/")
    if text.endswith(".git"):
        text = text[:-4]
    local = text.startswith("file://") or not (SCHEME.match(text) or SCP_LIKE.match(text))
    if local:
        return os.path.basename(text.rstrip("/")) or text
    if SCP_LIKE.match(text):
        path = text.split(":", 1)[1]
    else:
        path = SCHEME.sub("", text).split("/", 1)[1] if "/" in SCHEME.sub("", text) else ""
    return path.strip("/") or text


def checkouts(folder: Path) -> list[Source]:
    """The git checkouts directly inside `folder` (a subfolder with `.git`), each audited at
    its HEAD commit through the mirror, so a result always names a commit."""
    found = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.is_dir(follow_symlinks=False) and os.path.lexists(
            os.path.join(entry.path, ".git")
        ):
            found.append(Source(entry.name, str(Path(entry.path).resolve()), ""))
    return found
