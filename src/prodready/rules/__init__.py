"""The rule catalogue: one module per family (`pkg.py` holds PKG…), registered here.

A rule is a function from a `Project` to violations, registered with `@rule(...)`. Its docstring
is its documentation: a one-line summary, then the fixed sections in `SECTIONS`. The registry is
the single source for running rules, `prodready rule`, SARIF and the README. Plug-in rules come
from the `prodready.rules` entry-point group and see the narrow `prodready.plugin` interface.
"""

from __future__ import annotations

import os
import re
import sys
import textwrap
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, NamedTuple

from prodready.findings import Applicability, Kind, Severity, Violation
from prodready.registry import Registry

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

# A rule's check takes the project, and, for rules that run `after` the others, the audit's
# record of what it did (see `AuditRecord`).
Check = Callable[..., Iterable[Violation]]

SECTIONS = ("What it does", "Why it matters", "Example", "Use instead", "Fix")

FAMILIES: dict[str, str] = {
    "PKG": "packaging and build metadata",
    "DEP": "dependencies",
    "LINT": "linting and formatting configuration",
    "TYPE": "type checking configuration",
    "TEST": "tests and coverage",
    "PC": "pre-commit",
    "SEC": "security",
    "GHA": "GitHub Actions workflow security",
    "CODE": "Python source",
    "CI": "continuous integration",
    "DOC": "documentation",
    "GIT": "repository hygiene",
    "APP": "applications and services",
    "CFG": "prodready's own configuration",
}

PLUGIN_GROUP = "prodready.rules"

_SEVERITIES = {"E": Severity.ERROR, "W": Severity.WARNING, "I": Severity.INFO}
_FIXES = {"-": Applicability.NONE, "safe": Applicability.SAFE, "unsafe": Applicability.UNSAFE}
_KINDS = {"L": Kind.LIBRARY, "A": Kind.APPLICATION, "S": Kind.SERVICE}
_CODE = re.compile(r"^([A-Z]+)(\d{3})$")
_PEER = re.compile(r"^[a-z][a-z0-9-]*:[A-Za-z0-9][\w.-]*$")


class AuditRecord(NamedTuple):
    """What an audit did before its `after` rules run: the codes that ran, and which inline
    suppressions silenced a finding, as (path, line, code)."""

    ran_codes: frozenset[str]
    used_suppressions: frozenset[tuple[str, int, str]]


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
    # The checks of other tools this rule corresponds to, as `tool:check`
    # (`zizmor:template-injection`, `scorecard:Dangerous-Workflow`, `sp-repo-review:GH105`).
    peers: tuple[str, ...] = ()

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
        if self.peers:
            head += f"Peers: {', '.join(self.peers)}\n"
        body = "".join(
            f"\n## {name}\n\n{self.docs[name]}\n" for name in SECTIONS if name in self.docs
        )
        return head + body


RULES: Registry[Rule] = Registry("prodready.rules", "rule")


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
    peers: tuple[str, ...] = (),
) -> Callable[[Check], Check]:
    """Register the decorated function as the rule `code`."""
    if not _CODE.match(code):
        raise ValueError(f"rule code {code!r} must be letters followed by three digits")
    if any(not _PEER.match(peer) for peer in peers):
        raise ValueError(f"rule {code}: peers are written `tool:check`, got {peers!r}")

    def register(check: Check) -> Check:
        summary, docs = _parse_docs(check.__doc__ or "")
        RULES.add(
            code,
            Rule(
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
                peers=peers,
            ),
        )
        return check

    return register


_PLUGINS_LOADED: list[bool] = []


def load_rules() -> dict[str, Rule]:
    """Every built-in rule and every `prodready.rules` plug-in, in catalogue order."""
    rules = RULES.load()
    if not _PLUGINS_LOADED:
        _PLUGINS_LOADED.append(True)
        for plugin in _plugins():
            plugin.load()
    return dict(sorted(rules.items(), key=lambda item: sort_key(item[0])))


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


def sort_key(code: str) -> tuple[int, str]:
    """Catalogue order: by family as `FAMILIES` lists them, then by code."""
    families = list(FAMILIES)
    family = _CODE.sub(r"\1", code)
    return (families.index(family) if family in families else len(families), code)
