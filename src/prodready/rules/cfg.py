"""CFG: prodready's own configuration and inline suppressions — every ignore says why, and
stays only while it is needed."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.findings import Violation
from prodready.project import Project
from prodready.rules import AuditRecord, rule


@rule(
    "CFG001",
    "ignore-without-reason",
    source="Lesson: ruff's TC003 was ignored only for the pydantic and typer modules, each ignore with a comment saying why.",
)
def ignore_without_reason(p: Project) -> Iterator[Violation]:
    """An ignore in `[tool.prodready]` carries no reason.

    ## What it does
    Reports entries of `ignore` and `per-path-ignores` written as a bare list or with an empty
    reason. Under an organisation's policy (`prodready fleet scan --policy`), an ignore without
    a reason of a rule the policy selects is not honoured, and is reported here too.

    ## Why it matters
    An ignore without its reason cannot be reviewed later: nobody knows whether the reason still
    holds, so ignores only pile up.

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
    doc = p.repo.pyproject
    if settings is None or doc is None:
        return
    written = doc.get("tool", "prodready", "ignore") or ()  # not a policy's own ignores
    for code, reason in settings.ignore.items():
        if not reason and code in written:
            yield Violation(
                f"ignore of {code} has no reason",
                "pyproject.toml",
                doc.line_of("tool", "prodready", "ignore", code) or 1,
                1,
            )
    for optout in settings.optouts:
        if not optout.honoured:
            yield Violation(
                f"ignore of {optout.code} has no reason; the organisation's policy selects it, "
                "so it is not honoured",
                "pyproject.toml",
                doc.line_of("tool", "prodready", "ignore", optout.code) or 1,
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


@rule(
    "CFG002",
    "suppression-without-reason",
    source="Lesson: ruff's TC003 was ignored only for the pydantic and typer modules, each ignore with a comment saying why.",
)
def suppression_without_reason(p: Project) -> Iterator[Violation]:
    """An inline suppression comment gives no reason.

    ## What it does
    Reports `# prodready: ignore[CODE]` comments without `-- reason`.

    ## Why it matters
    A suppression silences a rule at one place for good; without the reason nobody can tell
    later whether it still holds.

    ## Example
    ```python
    MODEL = "/home/kevin/model.onnx"  # prodready: ignore[CODE004]
    ```

    ## Use instead
    ```python
    MODEL = "/home/kevin/model.onnx"  # prodready: ignore[CODE004] -- documented example path
    ```

    ## Fix
    Write the reason after ` -- `.
    """
    for path, facts in p.sources.facts_for(p.sources.scanned_files):
        for item in facts.suppressions:
            if not item.reason:
                yield Violation(
                    f"suppression of {', '.join(item.codes)} has no reason (`-- why`)",
                    path,
                    item.line,
                    1,
                )


@rule("CFG003", "unused-suppression", source="ruff RUF100", after=True)
def unused_suppression(p: Project, audit: AuditRecord) -> Iterator[Violation]:
    """An inline suppression suppresses nothing.

    ## What it does
    Reports codes in `# prodready: ignore[...]` comments for rules that ran but found nothing on
    that line (or the next).

    ## Why it matters
    Stale suppressions hide the next real finding at that place and mislead readers about the
    code.

    ## Example
    ```python
    x = compute()  # prodready: ignore[CODE005] -- fixed long ago
    ```

    ## Use instead
    ```python
    x = compute()
    ```

    ## Fix
    Remove the comment (or the code that no longer applies).
    """
    for path, facts in p.sources.facts_for(p.sources.scanned_files):
        for item in facts.suppressions:
            for code in item.codes:
                if (
                    code in audit.ran_codes
                    and (path, item.line, code) not in audit.used_suppressions
                ):
                    yield Violation(f"suppression of {code} is unused", path, item.line, 1)
