"""Dependencies as prodready reads them: PEP 508 strings with where they were declared.

Well-formed requirements, which are nearly all of them, are read with one regular expression;
`packaging` (whose import costs more than a whole audit of a small repository) is imported only
for strings that expression does not accept, to decide whether they are valid and why not.
"""

from __future__ import annotations

import functools
import re
from typing import Any, NamedTuple

_NORMALISE = re.compile(r"[-_.]+")
_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
_HEAD = re.compile(rf"^\s*({_NAME})\s*(?:\[([^\]]*)\])?\s*(.*)$", re.DOTALL)
_EXTRA = re.compile(_NAME)
_ONE_SPEC = re.compile(
    r"\s*(~=|==|!=|<=|>=|<|>)\s*(v?\d+(?:\.\d+)*(?:\.\*|(?:[-_.]?(?:a|b|rc|c|alpha|beta|pre|preview)\d*)?"
    r"(?:[-_.]?post\d*)?(?:[-_.]?dev\d*)?(?:\+[a-z0-9.]+)?))\s*",
    re.IGNORECASE,
)
_MARKER_ATOM = re.compile(
    r"\s*(?:(?:python_version|python_full_version|os_name|sys_platform|platform_release|platform_system"
    r"|platform_version|platform_machine|platform_python_implementation|implementation_name"
    r"|implementation_version|extra)\s*(?:<=|<|!=|==|>=|>|~=|===|not\s+in|in)\s*(?:\"[^\"]*\"|'[^']*')"
    r"|(?:\"[^\"]*\"|'[^']*')\s*(?:not\s+in|in)\s*[a-z_]+)\s*"
)
_JOIN = re.compile(r"\s(?:and|or)\s")


@functools.lru_cache(maxsize=65536)
def canonical(name: str) -> str:
    """The PEP 503 normalised form of a distribution name (remembered: the rules ask for the
    same few hundred names thousands of times)."""
    return _NORMALISE.sub("-", name).lower()


# Extras for a distribution's own developers, or that bundle everything (`test`, `docs`,
# `dev-all`, `all`): no feature a user turns on, nothing a user installs with the package.
DEVELOPMENT_EXTRA = re.compile(
    r"^(?:tests?|testing|dev|devel|develop|development|docs?|documentation|lint|linting|check"
    r"|cover|coverage|enabler|types?|typing|mypy|quality|style|stylecheck|format|formatting"
    r"|bench|benchmarks?|release|build|examples?|ci|qa|all|complete|everything)(?:[-_].*)?$"
)


class Dependency(NamedTuple):
    """One requirement string and the place (key path and group) it came from."""

    raw: str
    name: str
    extras: frozenset[str] = frozenset()
    specs: tuple[tuple[str, str], ...] = ()
    url: str | None = None
    marker: str | None = None
    where: tuple[str, ...] = ()
    group: str | None = None
    file: str = "pyproject.toml"  # setup.cfg or setup.py for a setuptools project's metadata
    line: int | None = None  # known without a key path (setup.cfg, setup.py)

    @property
    def constrained(self) -> bool:
        """True when a version range or a direct URL limits what may be installed."""
        return bool(self.specs) or self.url is not None

    @property
    def operators(self) -> set[str]:
        """The comparison operators of the version constraints."""
        return {op for op, _ in self.specs}


def _fast(
    raw: str,
) -> tuple[str, frozenset[str], tuple[tuple[str, str], ...], str | None, str | None] | None:
    """Read a plainly well-formed requirement; None for anything unusual (packaging decides)."""
    head = _HEAD.match(raw)
    if head is None:
        return None
    name, extras_text, rest = head.groups()
    extras = [e.strip() for e in (extras_text or "").split(",") if e.strip()]
    if not all(_EXTRA.fullmatch(e) for e in extras) or (
        extras_text is not None and not extras and extras_text.strip()
    ):
        return None
    body, semicolon, marker = rest.partition(";")
    body = body.strip()
    url = None
    specs: list[tuple[str, str]] = []
    if body.startswith("@"):
        url = body[1:].strip()
        if not url or " " in url:
            return None
    elif body:
        for part in body.strip("()").split(","):
            spec = _ONE_SPEC.fullmatch(part)
            if spec is None:
                return None
            specs.append((spec.group(1), spec.group(2)))
    if semicolon and not all(_MARKER_ATOM.fullmatch(atom) for atom in _JOIN.split(marker)):
        return None
    return name, frozenset(canonical(e) for e in extras), tuple(specs), url, marker.strip() or None


def parse(raw: str, where: tuple[str, ...] = (), group: str | None = None) -> Dependency | None:
    """Parse a PEP 508 string; None when it is not one (PKG014 reports why)."""
    fast = _fast(raw)
    if fast is None:
        return _parse_with_packaging(raw, where, group)
    name, extras, specs, url, marker = fast
    return Dependency(raw, canonical(name), extras, specs, url, marker, where, group)


def _parse_with_packaging(raw: str, where: tuple[str, ...], group: str | None) -> Dependency | None:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        req = Requirement(raw)
    except InvalidRequirement:
        return None
    return Dependency(
        raw,
        canonical(req.name),
        frozenset(canonical(e) for e in req.extras),
        tuple((s.operator, s.version) for s in req.specifier),
        req.url,
        str(req.marker) if req.marker else None,
        where,
        group,
    )


def invalid_reason(raw: str) -> str | None:
    """Why `raw` is not a valid PEP 508 requirement, or None when it is."""
    if _fast(raw) is not None:
        return None
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        Requirement(raw)
    except InvalidRequirement as exc:
        return str(exc).splitlines()[0]
    return None


def parse_list(
    values: object, where: tuple[str, ...], group: str | None = None
) -> list[Dependency]:
    """Parse every string of a TOML array, skipping what is not a valid requirement."""
    if not isinstance(values, list):
        return []
    parsed = (parse(v, where, group) for v in values if isinstance(v, str))
    return [dep for dep in parsed if dep is not None]


_REQ_LINE = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def names_in_requirements_text(text: str) -> set[str]:
    """Canonical names required by a requirements.txt-style file (options and comments skipped)."""
    names: set[str] = set()
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].strip()
        for editable in ("-e ", "--editable "):
            line = line.removeprefix(editable).strip()
        if not line or line.startswith(("#", "-")):
            continue
        if "://" in line and "@" not in line.split("://", 1)[0]:
            names |= _named_by_address(line)  # `git+https://…/pytorch-fid@v1#egg=pytorch_fid`
            continue
        match = _REQ_LINE.match(line)
        if match:
            names.add(canonical(match.group(1)))
    return names


def _named_by_address(line: str) -> set[str]:
    """The distribution a bare address installs: its `#egg=` name, or the repository's name."""
    if "#egg=" in line:
        return {
            canonical(line.split("#egg=", 1)[1].split("&", maxsplit=1)[0].split("[", maxsplit=1)[0])
        }
    path = line.split("://", 1)[1].split("#", 1)[0].split("?", 1)[0].rstrip("/")
    name = path.rsplit("/", 1)[-1].split("@", 1)[0].removesuffix(".git")
    return {canonical(name)} if name and name[0].isalnum() else set()


def local_sources(pyproject: dict[str, Any]) -> set[str]:
    """The distributions a pyproject's `[tool.uv.sources]` takes from the workspace, a path or
    a repository rather than the index: their version is whatever that source holds."""
    tool = pyproject.get("tool")
    uv = tool.get("uv") if isinstance(tool, dict) else None
    table = uv.get("sources") if isinstance(uv, dict) else None
    if not isinstance(table, dict):
        return set()
    return {
        canonical(str(name))
        for name, source in table.items()
        if isinstance(source, dict) and source.keys() & {"workspace", "path", "git", "url"}
    }
