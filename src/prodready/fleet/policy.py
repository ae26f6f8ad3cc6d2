"""The organisation's policy of `fleet scan --policy`: a file, or a file kept in a git repository
and named `URL[@REF]#PATH` (`PATH` defaults to `pyproject.toml`).

A policy kept in a repository is fetched through the scan's own mirror (`fleet/mirror.py`: no
system or user configuration, hooks off, nothing of the repository run, timeouts, the host's
token for a private repository as the scan's fetches send it) and read at
one fixed commit: REF (a branch, a tag or a commit id; the default branch without one) resolved
once for the whole scan. The commit is part of the scan's configuration hash, so a new policy
commit audits every repository again, and the `scans` table records the policy's source and
commit. The file is read as a policy file is (`config.read_policy`: a `[tool.prodready]`-shaped
table, or a `pyproject.toml` holding one), validated before any repository is audited.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, NamedTuple

from prodready.errors import UsageError
from prodready.fleet.sources import SCHEME, SCP_LIKE, name_of, parse_line

if TYPE_CHECKING:
    from collections.abc import Sequence

    from prodready.fleet.mirror import Credential

DEFAULT_PATH = "pyproject.toml"
MAX_BYTES = 1 << 20  # a policy is a short TOML table
# a path in the repository, as written: no glob, no option, nothing git would read as magic
PATH = re.compile(r"^[A-Za-z0-9_.][A-Za-z0-9_./+ -]{0,499}$")


class Policy(NamedTuple):
    """A policy read for one scan: its table as canonical JSON (`config.read_policy`), where it
    came from (the file's absolute path, or `URL[@REF]#PATH`) and the commit it was read at
    ("" for a file)."""

    text: str
    source: str
    commit: str = ""


class Location(NamedTuple):
    """Where in a git repository a policy is kept."""

    url: str
    ref: str
    path: str


def in_repository(spec: str) -> bool:
    """True when `--policy` names a git address (`URL[@REF][#PATH]`) rather than a file: an
    existing file is always a file."""
    return not Path(spec).exists() and bool(SCHEME.match(spec) or SCP_LIKE.match(spec))


def parse(spec: str) -> Location:
    """`URL[@REF][#PATH]`, each part checked: the address and ref as in a list of repositories,
    the path relative to the repository's root and plain."""
    address, hash_, path = spec.rpartition("#")
    if not hash_:
        address, path = spec, DEFAULT_PATH
    source = parse_line(address)
    parts = PurePosixPath(path).parts
    if not PATH.match(path) or path.startswith("-") or ".." in parts or not parts:
        raise UsageError(f"--policy {spec}: {path!r} is not a path in the repository")
    return Location(source.url, source.ref, str(PurePosixPath(*parts)))


def read(
    spec: str, mirrors: Path, timeout: float, credentials: Sequence[Credential] = ()
) -> Policy:
    """The policy `--policy` names: a file, or a file of a git repository fetched into the
    mirrors' folder and read at one commit. Every failure is one line (a usage error)."""
    from prodready.config import read_policy

    if not in_repository(spec):
        path = Path(spec)
        return Policy(read_policy(path), str(path.resolve()))
    from prodready.fleet.mirror import Mirror, MirrorError

    where = parse(spec)
    spec = spec if "#" in spec else f"{spec}#{where.path}"
    mirror = Mirror(mirrors, name_of(where.url), where.url, timeout, credentials)
    try:
        mirror.fetch()
        commit = mirror.resolve(where.ref)
        data = mirror.read_file(commit, where.path, MAX_BYTES)
    except MirrorError as exc:
        raise UsageError(f"--policy {spec}: cannot read the policy: {exc}") from None
    with tempfile.TemporaryDirectory(prefix="prodready-policy-") as folder:
        copy = Path(folder) / PurePosixPath(where.path).name
        copy.write_bytes(data)
        try:
            text = read_policy(copy)
        except UsageError as exc:
            shown = f"{spec} (at {commit[:12]})"
            message = str(exc).replace(f"--policy {copy}", f"--policy {shown}")
            raise UsageError(message.replace(str(copy), shown)) from None
    return Policy(text, spec, commit)
