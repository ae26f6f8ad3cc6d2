"""prodready: make Python projects production-ready and keep them so.

The public API, loaded lazily so `import prodready` costs nothing until used:

- `prodready.check(path)` audits one repository and returns a `Report`.
- `prodready.Auditor(select=..., ignore=..., kind=..., fail_on=...).check(path)`.
- `prodready.rule(code, slug, ...)` registers a plug-in rule, a function of the narrow
  `prodready.ProjectView` (see `prodready.plugin`; plug-ins use the `prodready.rules` entry-point
  group).
"""

from __future__ import annotations

from prodready._version import __version__

# Nothing but prodready's own modules is imported here: under `python -m prodready` the working
# folder (often the audited repository) is still on `sys.path` until `__main__` removes it.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from prodready.auditor import Auditor, check
    from prodready.findings import Finding, Kind, Severity, Violation
    from prodready.plugin import ProjectView, rule
    from prodready.results import Report, RepositoryReport
    from prodready.rules import Rule

_EXPORTS = {
    "check": "prodready.auditor",
    "Auditor": "prodready.auditor",
    "Report": "prodready.results",
    "RepositoryReport": "prodready.results",
    "Finding": "prodready.findings",
    "Kind": "prodready.findings",
    "Severity": "prodready.findings",
    "Violation": "prodready.findings",
    "ProjectView": "prodready.plugin",
    "Rule": "prodready.rules",
    "rule": "prodready.plugin",
}

__all__ = [
    "Auditor",
    "Finding",
    "Kind",
    "ProjectView",
    "Report",
    "RepositoryReport",
    "Rule",
    "Severity",
    "Violation",
    "__version__",
    "check",
    "rule",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'prodready' has no attribute {name!r}")
