"""The rule registry: the single source for running rules, `prodready rule`, SARIF and the README.

A rule is a function from a `Project` to violations, registered with `@rule(...)`. Its docstring
is its documentation: a one-line summary, then the fixed sections in `SECTIONS`.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
import textwrap
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, NamedTuple

from prodready.findings import Applicability, Kind, Severity, Violation

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

    from prodready.project import Project

Check = Callable[["Project"], Iterable[Violation]]

SECTIONS = ("What it does", "Why it matters", "Example", "Use instead", "Fix")

FAMILIES: dict[str, str] = {
    "PKG": "packaging and build metadata",
    "DEP": "dependencies",
    "LINT": "linting and formatting configuration",
    "TYPE": "type checking configuration",
    "TEST": "tests and coverage",
    "PC": "pre-commit",
    "SEC": "security",
    "CODE": "Python source",
    "CI": "continuous integration",
    "DOC": "documentation",
    "GIT": "repository hygiene",
    "APP": "applications and services",
    "CFG": "prodready's own configuration",
}

PLUGIN_GROUP = "prodready.rules"
FAMILY_MODULES = (
    "packaging",
    "dependencies",
    "lint",
    "typecheck",
    "testing",
    "precommit",
    "security",
    "ci",
    "documentation",
    "hygiene",
    "app",
    "code",
    "imports",
    "testing_code",
    "meta",
)

_SEVERITIES = {"E": Severity.ERROR, "W": Severity.WARNING, "I": Severity.INFO}
_FIXES = {"-": Applicability.NONE, "safe": Applicability.SAFE, "unsafe": Applicability.UNSAFE}
_KINDS = {"L": Kind.LIBRARY, "A": Kind.APPLICATION, "S": Kind.SERVICE}
_CODE = re.compile(r"^([A-Z]+)(\d{3})$")


class Rule(NamedTuple):
    """One registered rule and everything said about it."""

    code: str
    slug: str
    kinds: frozenset[Kind]
    severity: Severity
    fix: Applicability
    source: str
    check: Check
    summary: str
    docs: Mapping[str, str]
    after: bool = False

    @property
    def family(self) -> str:
        """The letters of the code: the family prefix used by `select` and `ignore`."""
        return _CODE.sub(r"\1", self.code)

    @property
    def kinds_label(self) -> str:
        """`*` or the kind letters, as the rule catalogue writes them."""
        if len(self.kinds) == len(Kind):
            return "*"
        return " ".join(k for k, v in _KINDS.items() if v in self.kinds)

    def markdown(self) -> str:
        """The full documentation page of the rule, as `prodready rule` prints it."""
        head = (
            f"# {self.code} ({self.slug})\n\n{self.summary}\n\n"
            f"Severity: {self.severity.label} · Kinds: {self.kinds_label} · "
            f"Fix: {self.fix.value} · Source: {self.source}\n"
        )
        body = "".join(
            f"\n## {name}\n\n{self.docs[name]}\n" for name in SECTIONS if name in self.docs
        )
        return head + body


_REGISTRY: dict[str, Rule] = {}
_LOADED = False


def _parse_kinds(kinds: str) -> frozenset[Kind]:
    if kinds.strip() == "*":
        return frozenset(Kind)
    return frozenset(_KINDS[letter] for letter in kinds.split())


def _parse_docs(doc: str) -> tuple[str, dict[str, str]]:
    """Split a rule docstring into its summary line and its `## Section` bodies.

    Headings inside fenced code (a Markdown example) belong to the section that holds them.
    """
    summary, _, rest = doc.strip().partition("\n")
    rest = textwrap.dedent(rest)
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    fenced = False
    for line in rest.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        if line.startswith("## ") and not fenced:
            current = sections.setdefault(line[3:].strip(), [])
        elif current is not None:
            current.append(line)
    return summary.strip(), {title: "\n".join(body).strip() for title, body in sections.items()}


def rule(
    code: str,
    slug: str,
    *,
    kinds: str = "*",
    severity: str = "W",
    fix: str = "-",
    source: str = "",
    after: bool = False,
) -> Callable[[Check], Check]:
    """Register the decorated function as the rule `code`; the public way to add a rule."""
    if not _CODE.match(code):
        raise ValueError(f"rule code {code!r} must be letters followed by three digits")

    def register(check: Check) -> Check:
        if code in _REGISTRY:
            raise ValueError(f"rule code {code} is registered twice")
        summary, docs = _parse_docs(check.__doc__ or "")
        _REGISTRY[code] = Rule(
            code=code,
            slug=slug,
            kinds=_parse_kinds(kinds),
            severity=_SEVERITIES[severity],
            fix=_FIXES[fix],
            source=source,
            check=check,
            summary=summary,
            docs=docs,
            after=after,
        )
        return check

    return register


def load_rules() -> dict[str, Rule]:
    """Import every family module and every `prodready.rules` plug-in once; return the registry."""
    global _LOADED  # noqa: PLW0603 - the registry is filled once per process
    if not _LOADED:
        for name in FAMILY_MODULES:
            importlib.import_module(f"prodready.rules.{name}")
        for plugin in _plugins():
            plugin.load()
        _LOADED = True
    return dict(sorted(_REGISTRY.items(), key=lambda item: _sort_code(item[0])))


def _plugins() -> list[EntryPoint]:
    """Entry points of the `prodready.rules` group.

    `importlib.metadata` costs more to import than the whole audit of a small repository, so a
    quick look at the installed `entry_points.txt` files decides whether it is needed at all.
    """
    if not any(_declares_group(folder) for folder in sys.path):
        return []
    from importlib.metadata import entry_points

    return list(entry_points(group=PLUGIN_GROUP))


def _declares_group(folder: str) -> bool:
    try:
        names = os.listdir(folder or ".")
    except OSError:
        return False
    for name in names:
        if name.endswith((".dist-info", ".egg-info")):
            try:
                with open(
                    os.path.join(folder, name, "entry_points.txt"), encoding="utf-8"
                ) as handle:
                    if f"[{PLUGIN_GROUP}]" in handle.read():
                        return True
            except OSError:
                continue
    return False


def _sort_code(code: str) -> tuple[int, str]:
    families = list(FAMILIES)
    family = _CODE.sub(r"\1", code)
    return (families.index(family) if family in families else len(families), code)
