"""CFG: prodready's own configuration — every ignore says why."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.findings import Violation
from prodready.project import Project
from prodready.rules.registry import rule


@rule("CFG001", "ignore-without-reason", source="S0: document why you ignore")
def ignore_without_reason(p: Project) -> Iterator[Violation]:
    """An ignore in `[tool.prodready]` carries no reason.

    ## What it does
    Reports entries of `ignore` and `per-path-ignores` written as a bare list or with an empty
    reason.

    ## Why it matters
    An ignore without its reason cannot be reviewed later: nobody knows whether the reason still
    holds, so ignores only pile up (S0: "document why you ignore linter rules").

    ## Example
    ```toml
    [tool.prodready]
    ignore = ["DEP004"]
    ```

    ## Use instead
    ```toml
    [tool.prodready.ignore]
    DEP004 = "pinned through uv.lock in deployment"
    ```

    ## Fix
    Write the reason as the value.
    """
    settings = p.settings
    doc = p.pyproject
    if settings is None or doc is None:
        return
    for code, reason in settings.ignore.items():
        if not reason:
            yield Violation(
                f"ignore of {code} has no reason",
                "pyproject.toml",
                doc.line_of("tool", "prodready", "ignore", code) or 1,
                1,
            )
    for glob, codes in settings.per_path_ignores.items():
        for code, reason in codes.items():
            if not reason:
                yield Violation(
                    f"per-path ignore of {code} for {glob} has no reason",
                    "pyproject.toml",
                    doc.line_of("tool", "prodready", "per-path-ignores", glob) or 1,
                    1,
                )
