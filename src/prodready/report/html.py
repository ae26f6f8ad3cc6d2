"""What every HTML page of prodready shares: one file that needs no network (inline CSS and
SVG, no script, no font or image), its style, escaping, and the findings table that both
`check --format html` and `prodready report` show."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from prodready.display import printable

if TYPE_CHECKING:
    from prodready.results import RepositoryReport

STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:64rem;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}td,th{padding:.3rem .5rem;border-bottom:1px solid #ddd;text-align:left}
.num{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#1a7f37}.missed{color:#cf222e}.muted{color:#666}
.grade{display:flex;gap:1rem;align-items:center;border:1px solid #ddd;border-radius:8px;padding:.8rem 1rem;margin:1rem 0}
.grade .letter{font-size:2.6rem;font-weight:700;line-height:1;min-width:3.2rem;text-align:center;border-radius:8px;padding:.4rem;color:#fff}
.grade-A .letter{background:#1a7f37}.grade-B .letter{background:#4c9a2a}.grade-C .letter{background:#9a6700}
.grade-D .letter{background:#bc4c00}.grade-F .letter{background:#cf222e}.grade-none .letter{background:#8c959f}
.not-measured{font-size:.9rem;margin-top:.4rem}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(26rem,1fr));gap:1rem}
figure{margin:0;border:1px solid #ddd;border-radius:6px;padding:.5rem}figcaption{font-weight:600;margin-bottom:.3rem}
"""


def escape(text: str) -> str:
    """Text for the page: control characters written as escapes, then HTML-escaped."""
    return html.escape(printable(text))


def page(title: str, body: list[str], style: str = "") -> str:
    """A whole document around `body`, with the shared style and the page's own `style`."""
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width,initial-scale=1'>",
        f"<title>{escape(title)}</title><style>{STYLE}{style}</style></head><body>",
        *body,
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def findings_table(repository: RepositoryReport | None, level: int) -> str:
    """The findings of one repository as a table, under a heading of the given level."""
    if repository is None:
        return ""
    h = f"h{level}"
    rows = "".join(
        f"<tr><td>{escape(f.code)}</td><td>{escape(f.severity.label)}</td><td>{escape(f.path or '')}{':' + str(f.line) if f.line else ''}</td><td>{escape(f.message)}</td></tr>"
        for f in repository.findings
    )
    if not rows:
        return f"<{h}>Findings</{h}><p class='ok'>prodready check reports nothing.</p>"
    return f"<{h}>Findings ({len(repository.findings)})</{h}><table><tr><th>Rule</th><th>Severity</th><th>Where</th><th>Message</th></tr>{rows}</table>"
