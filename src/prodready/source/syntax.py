"""Does every Python file parse, under the oldest Python the project supports (CODE009)?

Parsing every file with `ast` costs more than the rest of a cold audit together (CPython builds a
Python object per node: about 8 MB/s per core). ruff's parser reads the same files at about 60
MB/s, reports every syntax error with its line, and knows which constructs each Python version
accepts (`--target-version`), so prodready runs it once per repository over the files it has to
analyse, from the `ruff` distribution prodready depends on. ruff runs isolated (no
configuration is read from the audited repository, nothing is cached or written) and sees only
regular files inside the repository. Without a usable ruff binary, `ast` is the fallback.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from prodready.process import run
from prodready.safeio import real_folder
from prodready.safeio import regular as is_regular
from prodready.source.records import Problem

# The oldest and newest versions ruff's `--target-version` takes.
OLDEST_TARGET, NEWEST_TARGET = 7, 14
CHUNK = 2000  # files per ruff invocation: keeps the command line well under any system's limit
TIMEOUT = 300
# The errors CPython's compiler raises after parsing, which ruff reports as rules: a late or
# unknown `__future__` import, `break`/`continue` outside a loop, `yield`/`await`/`return`
# outside a function, `nonlocal` with no binding, a name used before its `global` declaration.
COMPILE_ERRORS = frozenset(
    {"F404", "F407", "F701", "F702", "F704", "F706", "PLE0117", "PLE0118", "PLE1142"}
)
# No configuration read, no cache written, no fix applied, no `# noqa` obeyed (the file's own
# comments do not decide whether it compiles); syntax errors are reported whatever is selected.
OPTIONS = (
    "check",
    "--isolated",
    "--no-cache",
    "--no-fix",
    "--ignore-noqa",
    "--quiet",
    "--exit-zero",
    f"--select=E902,{','.join(sorted(COMPILE_ERRORS))}",
    "--output-format=json",
)
VERSION_GATED = re.compile(r"\(syntax was (?:added|removed) in Python 3\.(\d+)\)")


class Verdict(NamedTuple):
    """A file's syntax: the first error under every version (`broken`), and the first construct
    the oldest supported version cannot parse (`too_new`)."""

    broken: Problem | None
    too_new: Problem | None


def check(
    root: str, paths: Iterable[str], oldest: tuple[int, int] | None, *, regular: bool = False
) -> dict[str, Verdict] | None:
    """A verdict for each of `paths` (relative to `root`) that ruff read: the caller falls back
    to `ast` for the others (those of a batch ruff could not finish: it overflows its stack on
    a million-term expression); None when no ruff binary is there. `regular`: the caller has
    seen each path is a regular file, not a link (its folders are still resolved here)."""
    binary = _ruff_binary()
    if binary is None:
        return None
    inside = _inside(root, paths, regular)
    # with no requires-python, no version is known to be supported: only errors are reported
    minor = min(max(oldest[1], OLDEST_TARGET), NEWEST_TARGET) if oldest else NEWEST_TARGET
    verdicts: dict[str, Verdict] = {}
    files = sorted(inside)
    for start in range(0, len(files), CHUNK):
        batch = files[start : start + CHUNK]
        done = run(
            [binary, *OPTIONS, f"--target-version=py3{minor}", "--", *batch],
            timeout=TIMEOUT,
            env=_environment(),
        )
        try:
            reported = json.loads(done.stdout or b"[]") if done and done.returncode == 0 else None
        except ValueError:
            reported = None
        if not isinstance(reported, list):
            continue
        found = {inside[full]: Verdict(None, None) for full in batch}
        top_level = _top_level_awaits(reported)
        for item in reported:
            path = inside.get(str(item.get("filename", "")))
            if path is not None and (item.get("filename"), _row(item)) not in top_level:
                found[path] = _with(found[path], item)
        verdicts.update(found)
    return {path: _on_a_line(root, path, verdict) for path, verdict in verdicts.items()}


def _on_a_line(root: str, path: str, verdict: Verdict) -> Verdict:
    """The verdict with an error ruff places past the end of the file (`unexpected EOF`) moved
    to the file's last line, where CPython puts it."""
    if verdict.broken is None or verdict.broken.line <= 1:
        return verdict
    from prodready.safeio import Unreadable, read_bytes

    try:
        lines = read_bytes(Path(root), path, 64 * 2**20).count(b"\n") or 1
    except Unreadable:
        return verdict
    return verdict._replace(broken=verdict.broken._replace(line=min(verdict.broken.line, lines)))


CONSTRUCT = re.compile(r"Cannot use (.+?) on Python 3\.\d+")
NEEDED = re.compile(r"(?:added in|supported in) Python 3\.(\d+)")


def construct(problem: Problem) -> tuple[str, int] | None:
    """What a `too_new` verdict names and the minor version it needs (`("`match` statement",
    10)`), from ruff's message or CPython's; None when the message does not say."""
    needed = NEEDED.search(problem.message)
    if needed is None:
        return None
    named = CONSTRUCT.search(problem.message)
    return (named.group(1) if named else problem.message), int(needed.group(1))


def _with(verdict: Verdict, item: dict[str, object]) -> Verdict:
    """The verdict with one of ruff's diagnostics added, when it is a syntax error (the first
    of each kind is kept)."""
    code, message = item.get("code"), str(item.get("message", ""))
    syntax = code in ("invalid-syntax", "E999", None) or message.startswith("SyntaxError")
    if not (syntax or code in COMPILE_ERRORS):
        return verdict
    line = _row(item)
    text = message.removeprefix("SyntaxError: ")
    if VERSION_GATED.search(text):
        if verdict.too_new is None or line < verdict.too_new.line:
            return verdict._replace(too_new=Problem(text, int(line)))
        return verdict
    if verdict.broken is None or line < verdict.broken.line:
        return verdict._replace(broken=Problem(f"does not parse: {text}", int(line)))
    return verdict


def _row(item: dict[str, object]) -> int:
    location = item.get("location")
    row = location.get("row", 1) if isinstance(location, dict) else 1
    return row if isinstance(row, int) else 1


def _top_level_awaits(reported: list[dict[str, object]]) -> set[tuple[object, int]]:
    """(file, line) of each `await` outside any function: code for a runner that awaits at
    the top level (Pyodide's `runPythonAsync`, IPython, `python -m asyncio`), not an error
    there. ruff names it twice on the line: outside a function (F704), not async (PLE1142)."""
    return {
        (item.get("filename"), _row(item))
        for item in reported
        if item.get("code") == "F704" and str(item.get("message", "")).startswith("`await`")
    }


def _inside(root: str, paths: Iterable[str], regular: bool) -> dict[str, str]:
    """Absolute path -> relative path, for the regular files (not links) whose folders are
    real folders of the repository (no link, no `..` on the way): ruff reads nothing else."""
    real_root = os.path.realpath(root)
    folders: dict[str, bool] = {"": True}
    found: dict[str, str] = {}
    for path in paths:
        folder = path.rpartition("/")[0]
        if _real_folder(real_root, folder, folders) and (
            regular or is_regular(os.path.join(real_root, path))
        ):
            found[os.path.join(real_root, path)] = path
    return found


def _real_folder(root: str, folder: str, known: dict[str, bool]) -> bool:
    """True when every folder from the root down to `folder` (relative) is a real folder;
    each folder is looked at once, its parents first."""
    unknown: list[str] = []
    while folder not in known:
        unknown.append(folder)
        folder = folder.rpartition("/")[0]
    answer = known[folder]
    for folder in reversed(unknown):
        name = folder.rpartition("/")[2]
        answer = answer and name not in (".", "..") and real_folder(os.path.join(root, folder))
        known[folder] = answer
    return answer


def _environment() -> dict[str, str]:
    """This process's environment without ruff's own settings (`RUFF_*`), which could change
    what it reports."""
    return {k: v for k, v in os.environ.items() if not k.startswith("RUFF_")}


def _ruff_binary() -> str | None:
    try:
        from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        return None
    try:
        return os.fsdecode(find_ruff_bin())
    except (FileNotFoundError, OSError):
        return None


def parse_with_ast(text: str, oldest: tuple[int, int] | None) -> Verdict:
    """The fallback verdict from CPython's own parser: errors under this interpreter, and the
    constructs `feature_version` knows to be newer than the oldest supported Python."""
    import ast

    try:
        ast.parse(text)
    except (RecursionError, MemoryError):
        return Verdict(None, None)  # deeper than this interpreter's parser goes: no verdict
    except (SyntaxError, ValueError) as exc:
        if oldest is not None and oldest > sys.version_info[:2]:
            return Verdict(None, None)  # maybe syntax of a newer Python: not this one's to say
        line = getattr(exc, "lineno", None) or 1
        return Verdict(Problem(f"does not parse: {getattr(exc, 'msg', None) or exc}", line), None)
    if oldest is None:
        return Verdict(None, None)
    try:
        ast.parse(text, feature_version=(3, max(oldest[1], OLDEST_TARGET)))
    except (RecursionError, MemoryError):
        return Verdict(None, None)
    except SyntaxError as exc:
        return Verdict(None, Problem(str(exc.msg), exc.lineno or 1))
    return Verdict(None, None)
