"""What prodready needs from a repository's `.git` folder, read here instead of asking git.

git reads the repository's own configuration (includes, excludes files, work trees, filters,
alternates), its nested repositories and their `gitdir:` links, and blocks on special files:
each a way for a hostile repository to make it read outside, wait, or run something. The three
questions prodready asks (which files are tracked, which commit is checked out, whether the work
tree differs from it) are answered from the index, `HEAD` and the refs, read through the safe
file layer, bounded, and never followed out of `.git`.

The index is read in versions 2 to 4; a split or sparse index (rare, opt-in) is not: the
repository is then listed as a folder outside git.
"""

from __future__ import annotations

import re
import stat
import zlib
from pathlib import Path
from typing import NamedTuple

from prodready.safeio import Unreadable, read_bytes

MAX_INDEX = 256 * 2**20
GITLINK = 0o160000
REF_NAME = re.compile(r"refs/[A-Za-z0-9._/-]{1,200}")
SHA = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
SHA256 = re.compile(r"^\s*objectformat\s*=\s*sha256\s*$", re.I | re.M)


class Entry(NamedTuple):
    """One index record: the path, its mode and the id of its content, and the size and
    modification time the file had when git last read it."""

    path: str
    mode: int
    blob: str
    checked_out: bool = True  # False for a sparse checkout's skip-worktree records
    size: int = -1
    mtime_ns: int = -1


class Index(NamedTuple):
    """The index: its records, and the tree they made when last written (None when changed
    since, by `git add` or `git rm`, or when the index does not record it)."""

    entries: tuple[Entry, ...]
    tree: str | None


class Unsupported(ValueError):
    """An index this reader does not take apart (split, sparse, damaged, unknown version)."""


def dot_git(root: Path) -> bool:
    """True when `root/.git` is a real folder (a `gitdir:` file or a link leads elsewhere)."""
    try:
        return stat.S_ISDIR((root / ".git").lstat().st_mode)
    except OSError:
        return False


def read_index(root: Path) -> Index | None:
    """The index of the repository at `root`: empty when it has none yet; None when there is
    no `.git` folder or the index cannot be read here."""
    if not dot_git(root):
        return None
    try:
        data = read_bytes(root, ".git/index", MAX_INDEX)
    except Unreadable as exc:
        return Index((), None) if str(exc) == "does not exist" else None
    try:
        return parse_index(data, 32 if _sha256(root) else 20)
    except (Unsupported, IndexError, ValueError):
        return None


def parse_index(data: bytes, hash_size: int = 20) -> Index:
    """Take an index file apart (see git's `gitformat-index`)."""
    if data[:4] != b"DIRC":
        raise Unsupported("not an index")
    version, count = _u32(data, 4), _u32(data, 8)
    if version not in (2, 3, 4):
        raise Unsupported(f"index version {version}")
    entries: list[Entry] = []
    offset, previous = 12, b""
    fixed = 40 + hash_size + 2  # stat data, object id, flags
    for _ in range(count):
        mode, size = _u32(data, offset + 24), _u32(data, offset + 36)
        mtime_ns = _u32(data, offset + 8) * 1_000_000_000 + _u32(data, offset + 12)
        blob = data[offset + 40 : offset + 40 + hash_size].hex()
        flags = int.from_bytes(data[offset + fixed - 2 : offset + fixed], "big")
        extended = version >= 3 and flags & 0x4000
        skip = extended and data[offset + fixed] & 0x40  # skip-worktree, in the extended flags
        start = offset + fixed + (2 if extended else 0)
        if version == 4:
            strip, start = _varint(data, start)
            end = data.index(b"\0", start)
            name = previous[: len(previous) - strip] + data[start:end]
            offset = end + 1
        else:
            end = data.index(b"\0", start)
            name = data[start:end]
            offset += (end - offset + 8) // 8 * 8
        previous = name
        path = _checked(name.decode("utf-8", "surrogateescape"))
        entries.append(Entry(path, mode, blob, not skip, size, mtime_ns))
    return Index(tuple(entries), _extensions(data, offset, len(data) - hash_size, hash_size))


def _checked(path: str) -> str:
    """`path`, refusing what git itself never records: a way out of the work tree or into
    `.git` (a crafted index must not make prodready read elsewhere)."""
    if any(part in ("", ".", "..") or part.lower() == ".git" for part in path.split("/")):
        raise Unsupported(f"an index path leads outside the work tree: {path!r}")
    return path


def _extensions(data: bytes, offset: int, end: int, hash_size: int) -> str | None:
    """The root tree the index recorded (`TREE`), refusing a split (`link`) or sparse index."""
    tree = None
    while offset + 8 <= end:
        signature, size = data[offset : offset + 4], _u32(data, offset + 4)
        body = data[offset + 8 : offset + 8 + size]
        if signature in (b"link", b"sdir"):
            raise Unsupported("split or sparse index")
        if signature == b"TREE":
            tree = _root_tree(body, hash_size)
        offset += 8 + size
    return tree


def _root_tree(body: bytes, hash_size: int) -> str | None:
    """The root entry of the cache tree: `\\0<entries> <subtrees>\\n<id>`; -1 entries: changed."""
    if not body.startswith(b"\0"):
        return None
    line_end = body.index(b"\n")
    entries = int(body[1:line_end].split(b" ")[0])
    return body[line_end + 1 : line_end + 1 + hash_size].hex() if entries >= 0 else None


def head_commit(root: Path) -> str | None:
    """The id of the commit checked out (following one symbolic ref), or None."""
    head = _small(root, "HEAD")
    if head is None:
        return None
    text = head.strip()
    if SHA.fullmatch(text):
        return text
    name = text.removeprefix("ref:").strip()
    if not text.startswith("ref:") or not REF_NAME.fullmatch(name) or ".." in name:
        return None
    loose = _small(root, name)
    if loose is not None:
        return loose.strip() if SHA.fullmatch(loose.strip()) else None
    packed = _small(root, "packed-refs", 64 * 2**20) or ""
    for line in packed.splitlines():
        sha, _, ref = line.partition(" ")
        if ref == name and SHA.fullmatch(sha):
            return sha
    return None


def commit_tree(root: Path, commit: str) -> str | None:
    """The root tree of a commit stored as a loose object, or None (packed, or unreadable)."""
    try:
        raw = read_bytes(root, f".git/objects/{commit[:2]}/{commit[2:]}", 2**20)
        data = zlib.decompressobj().decompress(raw, 4096)
    except (Unreadable, zlib.error):
        return None
    header, _, body = data.partition(b"\0")
    match = re.match(rb"tree ([0-9a-f]{40,64})\n", body)
    return match.group(1).decode() if header.startswith(b"commit ") and match else None


def _small(root: Path, name: str, limit: int = 4096) -> str | None:
    try:
        return read_bytes(root, f".git/{name}", limit).decode("ascii", "replace")
    except Unreadable:
        return None


def _sha256(root: Path) -> bool:
    config = _small(root, "config", 1_000_000) or ""
    return SHA256.search(config) is not None


def _u32(data: bytes, offset: int) -> int:
    if offset + 4 > len(data):
        raise Unsupported("truncated")
    return int.from_bytes(data[offset : offset + 4], "big")


def _varint(data: bytes, offset: int) -> tuple[int, int]:
    """git's offset encoding (index v4 path compression): value and the offset after it."""
    byte = data[offset]
    offset += 1
    value = byte & 0x7F
    while byte & 0x80:
        byte = data[offset]
        offset += 1
        value = ((value + 1) << 7) | (byte & 0x7F)
    return value, offset


def revision(root: Path) -> str:
    """The commit checked out, with `+` when the files differ from it; "" outside git.

    The index differs from the commit when its recorded tree is gone (something was staged) or
    is not the commit's (when the commit is stored loose enough to read); the work tree differs
    from the index when a tracked file's content or link hashes to another id, as git's would.
    """
    root = root.resolve()
    head = head_commit(root)
    if head is None:
        return ""
    index = read_index(root)
    tree = commit_tree(root, head)
    dirty = (
        index is None
        or index.tree is None
        or (tree is not None and tree != index.tree)
        or _work_tree_differs(root, index.entries)
    )
    return head[:12] + ("+" if dirty else "")


def _work_tree_differs(root: Path, entries: tuple[Entry, ...]) -> bool:
    """True when a tracked file's content (or link) is not what the index records."""
    import hashlib
    import os

    for entry in entries:
        if not entry.checked_out:
            continue
        kind = entry.mode & 0o170000
        full = root / entry.path
        try:
            if kind == 0o120000:
                data = os.fsencode(os.readlink(full))
            elif kind == 0o100000:
                data = read_bytes(root, entry.path, 256 * 2**20)
            else:
                continue
        except (OSError, Unreadable):
            return True
        header = f"blob {len(data)}\0".encode()
        algorithm = hashlib.sha256 if len(entry.blob) == 64 else hashlib.sha1
        if algorithm(header + data, usedforsecurity=False).hexdigest() != entry.blob:
            return True
    return False
