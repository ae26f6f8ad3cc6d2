"""Line edits of INI files (setup.cfg, tox.ini, mypy.ini, pytest.ini): one `key = value` line
changed or added inside its section; every other line is left as it was."""

from __future__ import annotations

import re

SECTION = re.compile(r"^\s*\[([^\]]+)\]\s*(?:[#;].*)?$")


def _section_lines(lines: list[str], section: str) -> tuple[int, int] | None:
    """(header index, index past the section's last line)."""
    start = None
    for index, line in enumerate(lines):
        match = SECTION.match(line)
        if match and start is not None:
            return start, index
        if match and match.group(1).strip() == section:
            start = index
    return None if start is None else (start, len(lines))


def set_option(text: str, section: str, key: str, value: str) -> str:
    """Set `key = value` in `[section]`, replacing the key's line (and its continuation lines)
    or adding it after the section's last setting; the section is added when missing."""
    lines = text.splitlines(keepends=True)
    found = _section_lines(lines, section)
    newline = "\r\n" if text.endswith("\r\n") else "\n"
    if found is None:
        prefix = "" if not text or text.endswith("\n") else newline
        gap = newline if text.strip() else ""
        return f"{text}{prefix}{gap}[{section}]{newline}{_line(key, value, newline)}"
    start, end = found
    pattern = re.compile(rf"^{re.escape(key)}\s*[=:]", re.I)
    for index in range(start + 1, end):
        if pattern.match(lines[index]):
            stop = index + 1
            while stop < end and lines[stop][:1] in (" ", "\t") and lines[stop].strip():
                stop += 1
            lines[index:stop] = [_line(key, value, newline)]
            return "".join(lines)
    last = start
    for index in range(start + 1, end):
        if lines[index].strip():
            last = index
    if not lines[last].endswith("\n"):
        lines[last] += newline
    lines.insert(last + 1, _line(key, value, newline))
    return "".join(lines)


def _line(key: str, value: str, newline: str) -> str:
    """`key = value`; a value that starts on the next line leaves no space after `=`."""
    separator = " =" if value.startswith("\n") else " = "
    return f"{key}{separator}{value.replace(chr(10), newline)}{newline}"


def get_option(text: str, section: str, key: str) -> str | None:
    """The raw value of `key` in `[section]` (continuation lines joined by newlines)."""
    lines = text.splitlines()
    found = _section_lines(lines, section)
    if found is None:
        return None
    pattern = re.compile(rf"^{re.escape(key)}\s*[=:]\s*(.*)$", re.I)
    for index in range(found[0] + 1, found[1]):
        match = pattern.match(lines[index])
        if match:
            parts = [match.group(1)]
            following = index + 1
            while following < found[1] and lines[following][:1] in (" ", "\t"):
                parts.append(lines[following].strip())
                following += 1
            return "\n".join(parts).strip()
    return None
