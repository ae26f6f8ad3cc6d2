"""Text from an audited repository made safe to show: file names and values can hold control
characters (which a terminal or a CI log acts on) and bytes that are not UTF-8."""

from __future__ import annotations

import re

# Characters a terminal or a log acts on (C0 and C1 controls, DEL), and the stand-ins Python
# reads undecodable bytes of file names as (lone surrogates): shown as escapes, never sent.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """`text` with control characters and undecodable bytes written as escapes (`\\x1b`,
    `\\n`), so a file name or a value from the repository cannot move the cursor, fake a line
    of the report, or stop the output with an encoding error."""
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


def unicode(text: str) -> str:
    """`text` made valid Unicode for machine formats: undecodable bytes of a file name (lone
    surrogates) written as `\\xNN`; control characters are left to the format's own escaping."""
    return re.sub(r"[\ud800-\udfff]", _escape, text) if not text.isascii() else text


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\x{code:02x}"


def tell(line: str) -> None:
    """Write one line for the user on stderr, escaped: it may quote a file name, a key or a
    value from the repository."""
    import sys

    sys.stderr.write(printable(line) + "\n")
