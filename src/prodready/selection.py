"""Rule selectors (`ALL`, a family such as `PKG`, a prefix such as `PKG0`, a code) as ruff reads them."""

from __future__ import annotations

from collections.abc import Iterable

from prodready.errors import ConfigError


def specificity(code: str, selectors: Iterable[str]) -> int:
    """How specifically the selectors name `code`: -1 not at all, 0 by `ALL`, else prefix length."""
    lengths = [0 if s == "ALL" else len(s) for s in selectors if s == "ALL" or code.startswith(s)]
    return max(lengths, default=-1)


def is_selected(code: str, select: Iterable[str], ignore: Iterable[str]) -> bool:
    """True when `code` is selected more specifically than it is ignored (ties: ignored)."""
    chosen = specificity(code, select)
    return chosen >= 0 and chosen > specificity(code, ignore)


def validate_selectors(selectors: Iterable[str], codes: Iterable[str], where: str) -> None:
    """Raise `ConfigError` for a selector that names no known rule."""
    known = list(codes)
    for selector in selectors:
        if selector != "ALL" and not any(code.startswith(selector) for code in known):
            raise ConfigError(
                f"{where}: unknown rule selector {selector!r} (see `prodready rule --all`)"
            )
