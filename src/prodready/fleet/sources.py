"""Which repositories a fleet scan audits: a file of git addresses, a folder of checkouts, or an
organisation or group a code host lists (`github:ORG`, `gitlab:GROUP`), each with
include/exclude patterns on the repositories' names."""

from __future__ import annotations

import fnmatch
import os
import re
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
MAX_LIST = 4 * 2**20


class Source(NamedTuple):
    """One repository to audit: its name in the results, where git fetches it from, and the
    ref to audit ("" for the remote's default branch, or a checkout's HEAD)."""

    name: str
    url: str
    ref: str = ""


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
    twice is a usage error (results are keyed by it). `github:ORG` and `gitlab:GROUP` are
    listed through `hosts` (archived repositories and forks left out unless asked for); each
    is audited at its default branch, named as the host names it (`ORG/NAME`)."""
    from prodready.fleet.hosts import parse_listing

    found: list[Source] = []
    for item in given:
        path = Path(item)
        listing = None if path.exists() else parse_listing(item)
        if listing is not None and hosts is not None:
            listed = hosts[listing[0]].repositories(listing[1], archived=archived, forks=forks)
            found.extend(Source(r.project, r.clone_url, "") for r in listed)
        elif path.is_dir():
            found.extend(checkouts(path))
        elif path.is_file():
            found.extend(url_list(path))
        else:
            raise UsageError(
                f"{item}: no such file or folder (give a list of git URLs, a folder, github:ORG"
                " or gitlab:GROUP)"
            )
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


def url_list(path: Path) -> list[Source]:
    """A file of git addresses, one a line, each with an optional `@ref`; `#` starts a comment."""
    if path.stat().st_size > MAX_LIST:
        raise UsageError(f"{path}: larger than {MAX_LIST // 2**20} MiB; not a list of git URLs")
    found: list[Source] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
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
