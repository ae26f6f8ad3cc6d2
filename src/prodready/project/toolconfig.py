"""One tool's settings as read from the file that holds them, and the file pytest chooses.

Kept apart from `tools.py` so the packaging model can ask pytest where the tests live
(`testpaths`) without the tool model, which depends on it.
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Mapping

    from prodready.project.repository import Repository
    from prodready.project.tomldoc import TomlDoc


class ToolConfig(NamedTuple):
    """One tool's settings as read from whichever file holds them."""

    path: str
    values: dict[str, Any]
    doc: TomlDoc | None = None
    base: tuple[str, ...] = ()
    section_line: int | None = None
    lines: Mapping[str, int] = MappingProxyType({})
    section: str = ""  # the INI section, for settings read from an INI file
    inherited: bool = False  # read from the repository a member belongs to: reported there

    def line_of(self, *keys: str) -> int | None:
        """The line of a setting (or of its table) in the file that holds it."""
        if self.doc is not None:
            return self.doc.line_of(*self.base, *keys)
        return self.lines.get(keys[0].lower(), self.section_line) if keys else self.section_line


def pytest_config(repo: Repository) -> ToolConfig | None:
    """pytest's settings, from the file pytest itself would choose: `pytest.ini`, then
    `pyproject.toml` (`[tool.pytest.ini_options]`, or pytest 9's `[tool.pytest]`), then
    `tox.ini`, then `setup.cfg`; the first that has a section wins. A member project with none
    of them has its repository's (pytest walks up from where it starts)."""
    own = _own_pytest_config(repo)
    above = repo.inherited_pytest
    if own is None and above is not None:
        return ToolConfig(above.path, above.values, inherited=True)
    return own


def _own_pytest_config(repo: Repository) -> ToolConfig | None:
    found = ini_section(repo, "pytest.ini", "pytest")
    if found is not None:
        return found
    if repo.pyproject:
        for base in (("tool", "pytest", "ini_options"), ("tool", "pytest")):
            table = repo.pyproject.get(*base)
            if (
                isinstance(table, dict)
                and (base[-1] == "ini_options" or not isinstance(table.get("ini_options"), dict))
                and table
            ):
                return ToolConfig("pyproject.toml", table, repo.pyproject, base)
    return ini_section(repo, "tox.ini", "pytest") or ini_section(repo, "setup.cfg", "tool:pytest")


def ini_section(repo: Repository, path: str, section: str) -> ToolConfig | None:
    """The settings of one section of an INI file, with their lines."""
    parser = repo.ini(path)
    if parser is None or not parser.has_section(section):
        return None
    values: dict[str, Any] = dict(parser.items(section))
    text = repo.read(path) or ""
    return ToolConfig(
        path,
        values,
        section_line=_ini_line(text, section, None),
        lines={k: _ini_line(text, section, k) or 1 for k in values},
        section=section,
    )


def _ini_line(text: str, section: str, key: str | None) -> int | None:
    """The line of `[section]`, or of `key` inside it."""
    in_section = False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            in_section = stripped == f"[{section}]"
            if in_section and key is None:
                return number
            continue
        if in_section and key is not None and re.match(rf"{re.escape(key)}\s*[=:]", stripped, re.I):
            return number
    return None
