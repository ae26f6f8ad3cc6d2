"""Decoding Python source the way the interpreter does (PEP 263), without the tokenizer."""

from __future__ import annotations

import codecs
import re

COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


class Undecodable(Exception):
    """The bytes are not text in the encoding the file declares; the message says where."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def decode_source(data: bytes) -> str:
    """The text of a Python file: UTF-8 unless a BOM or a coding cookie on line 1 or 2 says."""
    if b"\0" in data[:8192]:
        raise Undecodable("binary data, not Python source", 1)
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data[3:], "utf-8")
    encoding = "utf-8"
    for line in data.split(b"\n", 2)[:2]:
        match = COOKIE.match(line)
        if match:
            encoding = match.group(1).decode("ascii", "replace")
            break
        if line.strip() and not line.lstrip().startswith(b"#"):
            break
    return _decode(data, encoding)


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except LookupError:
        raise Undecodable(f"unknown encoding {encoding!r} in the coding declaration", 1) from None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise Undecodable(f"not valid {encoding} (byte {exc.start})", line) from None
