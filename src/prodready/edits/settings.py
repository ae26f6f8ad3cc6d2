"""Setting one tool option wherever the tool reads it: a TOML table or an INI section."""

from __future__ import annotations

from typing import Any

from prodready.edits import iniedit, tomledit
from prodready.edits.workspace import Workspace
from prodready.project.toolconfig import ToolConfig


def set_setting(ws: Workspace, config: ToolConfig, key: str, value: Any, ini: str) -> None:
    """Set `key` to `value` in a TOML table, or to the text `ini` in an INI section."""
    if config.doc is not None:
        tomledit.table(ws.toml(config.path), *config.base)[key] = value
        return
    text = ws.read(config.path)
    if text is not None and config.section:
        ws.write(config.path, iniedit.set_option(text, config.section, key, ini))


def current(ws: Workspace, config: ToolConfig, key: str) -> Any:
    """A setting's present value (with earlier fixes applied): a TOML item or INI text."""
    if config.doc is not None:
        return tomledit.find(ws.toml(config.path), *config.base, key)
    text = ws.read(config.path)
    return iniedit.get_option(text, config.section, key) if text and config.section else None
