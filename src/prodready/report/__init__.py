"""Report renderers, one module per format, looked up by name."""

from __future__ import annotations

import importlib

from prodready.report.interface import Renderer, RenderOptions

FORMATS: dict[str, str] = {
    "text": "prodready.report.text",
    "json": "prodready.report.json_format",
    "sarif": "prodready.report.sarif",
    "github": "prodready.report.github",
}


def renderer(name: str) -> Renderer:
    """The `render` function of the named format (imported only when used)."""
    module = importlib.import_module(FORMATS[name])
    found: Renderer = module.render_with
    return found


__all__ = ["FORMATS", "RenderOptions", "Renderer", "renderer"]
