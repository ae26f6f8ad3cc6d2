"""What `uv.lock` records of the projects it locks, compared with what their pyproject.toml now
declares, the way `uv lock --check` (`uv sync --locked`) compares them.

uv writes, for every project of the workspace (and every package it builds from a folder), the
requirements it resolved for: `[package.metadata] requires-dist` (the dependencies and extras),
`provides-extras`, `[package.metadata.requires-dev]` (the dependency groups, `include-group`
expanded) and the project's version; `[manifest]` holds the workspace's constraints and
overrides. uv refuses the lock under `--locked` when the requirements it reads from
pyproject.toml, normalised, are not the set it recorded: it resolves again, and a lock recording
other requirements is a changed lock. This module compares a coarser key of each requirement
(name, extras, version specifier, and the extra it belongs to; markers are left out, since uv
simplifies them against `requires-python` in ways that are not reproduced here), so any
difference it finds is a difference uv finds too; what it cannot read exactly (dynamic
metadata, a requirement uv takes from a source it lowers, a marker naming two extras) is left
out of the comparison rather than guessed.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any, NamedTuple

from prodready.project.requirements import canonical
from prodready.project.tomldoc import TomlDoc

Key = tuple[str, frozenset[str], frozenset[str] | None, str | None]
_EXTRA_IN_MARKER = re.compile(r"""\bextra\s*==\s*['"]([^'"]+)['"]""")
_SOURCE_TREE = re.compile(r"^source = \{ (?:editable|virtual|directory) = \"([^\"]*)\"", re.M)
UNKNOWN = object()


class Drift(NamedTuple):
    """One way a project's pyproject.toml no longer matches what uv.lock recorded for it."""

    pyproject: str  # the pyproject.toml of the project (at the root: "pyproject.toml")
    table: tuple[str, ...]  # where in it the difference is (for the line)
    message: str


class LockedProject(NamedTuple):
    """What uv.lock recorded of one project built from a folder of the repository."""

    folder: str  # "" at the root
    name: str
    version: str | None
    metadata: dict[str, Any]


def locked_projects(text: str) -> tuple[dict[str, Any], list[LockedProject]]:
    """The lock's head (`version`, `[manifest]`, `[options]`) and its source-tree packages, each
    block parsed alone (a lock runs to megabytes; only these few blocks are needed)."""
    head, *blocks = text.split("\n[[package]]\n")
    try:
        top = tomllib.loads(head)
    except tomllib.TOMLDecodeError:
        return {}, []
    found: list[LockedProject] = []
    for block in blocks:
        match = _SOURCE_TREE.search(block)
        if match is None:
            continue
        try:
            data = tomllib.loads(block)
        except tomllib.TOMLDecodeError:
            continue
        folder = match.group(1).strip("/")
        folder = "" if folder in (".", "") else folder.removeprefix("./")
        metadata = _table(data.get("package")).get("metadata")  # `[package.metadata]`
        found.append(
            LockedProject(
                folder,
                canonical(str(data.get("name", ""))),
                data.get("version") if isinstance(data.get("version"), str) else None,
                metadata if isinstance(metadata, dict) else {},
            )
        )
    return top, found


def drifts(lock_text: str, read_pyproject: Any) -> list[Drift]:
    """Every difference between the lock and the pyproject.toml of the projects it recorded.

    `read_pyproject(folder)` gives the parsed pyproject.toml of a folder of the repository, or
    None when there is none (a folder outside the repository, for instance)."""
    top, projects = locked_projects(lock_text)
    if not projects:
        return []
    found: list[Drift] = []
    workspace = {p.name for p in projects}
    root_doc: TomlDoc | None = read_pyproject("")
    root_tool = _uv_tool(root_doc.data if root_doc else {})
    shared_sources = set(map(canonical, _table(root_tool.get("sources"))))
    for project in projects:
        if ".." in project.folder.split("/"):
            continue
        doc = read_pyproject(project.folder)
        if doc is None or doc.error:
            continue
        path = f"{project.folder}/pyproject.toml" if project.folder else "pyproject.toml"
        sourced = (
            workspace
            | shared_sources
            | set(map(canonical, _table(_uv_tool(doc.data).get("sources"))))
        )
        found += [
            Drift(path, table, message) for table, message in _compare(project, doc.data, sourced)
        ]
    if root_doc is not None and not root_doc.error:
        found += [
            Drift("pyproject.toml", table, m) for table, m in _compare_manifest(top, root_tool)
        ]
    return found


def _uv_tool(data: dict[str, Any]) -> dict[str, Any]:
    tool = data.get("tool")
    uv = tool.get("uv") if isinstance(tool, dict) else None
    return uv if isinstance(uv, dict) else {}


def _table(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _compare(
    project: LockedProject, data: dict[str, Any], sourced: set[str]
) -> list[tuple[tuple[str, ...], str]]:
    """The differences for one project (empty when its metadata is not static)."""
    table = data.get("project")
    if not isinstance(table, dict) or canonical(str(table.get("name", ""))) != project.name:
        return []
    listed = table.get("dynamic")
    dynamic: list[Any] = listed if isinstance(listed, list) else []
    found: list[tuple[tuple[str, ...], str]] = []
    version = table.get("version")
    if (
        "version" not in dynamic
        and isinstance(version, str)
        and project.version is not None
        and _same_version(version, project.version) is False
    ):
        found.append(
            (
                ("project", "version"),
                f"version {version} is not the {project.version} uv.lock records",
            )
        )
    metadata = project.metadata
    if not metadata or {"dependencies", "optional-dependencies"} & set(dynamic):
        return found  # a lock without metadata, or requirements only a build can tell
    if "requires-dist" in metadata:
        expected = _declared_requirements(table, project.name, sourced)
        recorded = _recorded(metadata.get("requires-dist"), sourced)
        if expected is not None and recorded is not None and expected != recorded:
            flat = _flattened(expected, project.name) if "version" in dynamic else None
            if flat is None or flat != recorded:
                found.append(
                    (("project", "dependencies"), _difference("requirements", expected, recorded))
                )
    extras = metadata.get("provides-extras")
    optional = table.get("optional-dependencies")
    if isinstance(extras, list) and isinstance(optional, dict):
        declared = {canonical(str(e)) for e in optional}
        if declared != {canonical(str(e)) for e in extras}:
            found.append(
                (
                    ("project", "optional-dependencies"),
                    _names_difference("extras", declared, {canonical(str(e)) for e in extras}),
                )
            )
    groups = _declared_groups(data, sourced)
    recorded_groups = _recorded_groups(metadata.get("requires-dev"), sourced)
    if groups is not None and recorded_groups is not None and groups != recorded_groups:
        found.append((("dependency-groups",), _groups_difference(groups, recorded_groups)))
    return found


def _compare_manifest(
    top: dict[str, Any], tool: dict[str, Any]
) -> list[tuple[tuple[str, ...], str]]:
    """The workspace's constraints and overrides against the lock's `[manifest]`."""
    manifest = _table(top.get("manifest"))
    found: list[tuple[tuple[str, ...], str]] = []
    for setting, key in (
        ("constraint-dependencies", "constraints"),
        ("override-dependencies", "overrides"),
        ("build-constraint-dependencies", "build-constraints"),
    ):
        declared = _keys(tool.get(setting, []), set(), None)
        recorded = _recorded(manifest.get(key, []), set())
        if declared is not None and recorded is not None and declared != recorded:
            found.append((("tool", "uv", setting), _difference(setting, declared, recorded)))
    return found


def _same_version(declared: str, recorded: str) -> bool | None:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(declared) == Version(recorded)
    except InvalidVersion:
        return None


def _key(text: str, context: str | None, sourced: set[str]) -> Key | None:
    """The comparison key of one PEP 508 string (None when it does not parse)."""
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        return None
    name = canonical(requirement.name)
    extras = frozenset(canonical(e) for e in requirement.extras)
    if name in sourced or requirement.url:
        return (name, extras, None, context)
    return (name, extras, _specifier(str(requirement.specifier)), context)


def _specifier(text: str) -> frozenset[str] | None:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.utils import canonicalize_version

    try:
        specifiers = SpecifierSet(text) if text.strip() else SpecifierSet()
    except InvalidSpecifier:
        return None
    # PEP 440 equality, as uv compares versions: `>=3.08` is `>=3.8`, `>=1.0` is `>=1`
    return frozenset(
        str(s)
        if s.version.endswith(".*") or s.operator == "==="
        else s.operator + canonicalize_version(s.version)
        for s in specifiers
    )


def _keys(items: Any, sourced: set[str], context: str | None) -> set[Key] | None:
    if not isinstance(items, list):
        return None
    keys: set[Key] = set()
    for item in items:
        if not isinstance(item, str):
            return None
        key = _key(item, context, sourced)
        if key is None:
            return None
        keys.add(key)
    return keys


def _declared_requirements(table: dict[str, Any], name: str, sourced: set[str]) -> set[Key] | None:
    keys = _keys(table.get("dependencies", []), sourced, None)
    optional = table.get("optional-dependencies", {})
    if keys is None or not isinstance(optional, dict):
        return None
    for extra, items in optional.items():
        more = _keys(items, sourced, canonical(str(extra)))
        if more is None:
            return None
        keys |= more
    return keys


def _flattened(keys: set[Key], own: str) -> set[Key]:
    """The requirements with the project's references to its own extras (`all = ["pkg[a,b]"]`)
    replaced by those extras' requirements, as uv compares them when the version is dynamic."""
    by_extra: dict[str | None, set[Key]] = {}
    for key in keys:
        by_extra.setdefault(key[3], set()).add(key)
    flat: set[Key] = set()
    for key in keys:
        if key[0] != own:
            flat.add(key)
            continue
        for extra in key[1]:
            flat |= {(k[0], k[1], k[2], key[3]) for k in by_extra.get(extra, set()) if k[0] != own}
    return flat


def _recorded(items: Any, sourced: set[str]) -> set[Key] | None:
    """The keys of requirements as uv.lock writes them (`{ name, extras, specifier, marker }`)."""
    if not isinstance(items, list):
        return None
    keys: set[Key] = set()
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            return None
        name = canonical(item["name"])
        marker = str(item.get("marker", ""))
        contexts = {canonical(e) for e in _EXTRA_IN_MARKER.findall(marker)}
        if len(contexts) > 1:
            return None  # a marker joining two extras: not read here
        context = next(iter(contexts), None)
        extras = item.get("extras", [])
        extras_key = (
            frozenset(canonical(str(e)) for e in extras)
            if isinstance(extras, list)
            else frozenset()
        )
        if name in sourced or not {"specifier", "index"} >= set(item) - {
            "name",
            "extras",
            "marker",
            "group",
            "groups",
        }:
            specifier: frozenset[str] | None = None  # a URL, a path, a repository: a lowered source
        else:
            specifier = _specifier(str(item.get("specifier", "")))
            if specifier is None:
                return None
        keys.add((name, extras_key, specifier, context))
    return keys


def _declared_groups(data: dict[str, Any], sourced: set[str]) -> dict[str, set[Key]] | None:
    """The dependency groups, includes expanded, with uv's legacy `dev-dependencies` in `dev`;
    empty groups left out, as uv leaves them out of the comparison."""
    groups = data.get("dependency-groups", {})
    legacy = _uv_tool(data).get("dev-dependencies")
    if not isinstance(groups, dict):
        return None
    raw = {canonical(str(name)): items for name, items in groups.items()}
    found: dict[str, set[Key]] = {}
    for name in raw:
        keys = _group(name, raw, sourced, ())
        if keys is None:
            return None
        found[name] = keys
    if legacy is not None:
        keys = _keys(legacy, sourced, None)
        if keys is None:
            return None
        found["dev"] = found.get("dev", set()) | keys
    return {name: keys for name, keys in found.items() if keys}


def _group(
    name: str, raw: dict[str, Any], sourced: set[str], seen: tuple[str, ...]
) -> set[Key] | None:
    items = raw.get(name)
    if not isinstance(items, list) or name in seen:
        return None
    keys: set[Key] = set()
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("include-group"), str):
            more = _group(canonical(item["include-group"]), raw, sourced, (*seen, name))
        elif isinstance(item, str):
            one = _key(item, None, sourced)
            more = {one} if one is not None else None
        else:
            more = None
        if more is None:
            return None
        keys |= more
    return keys


def _recorded_groups(value: Any, sourced: set[str]) -> dict[str, set[Key]] | None:
    if value is None:
        value = {}
    if not isinstance(value, dict):
        return None
    found: dict[str, set[Key]] = {}
    for name, items in value.items():
        keys = _recorded(items, sourced)
        if keys is None:
            return None
        if keys:
            found[canonical(str(name))] = keys
    return found


def _show(key: Key) -> str:
    name, extras, specifier, context = key
    text = name + (f"[{','.join(sorted(extras))}]" if extras else "")
    text += ",".join(sorted(specifier)) if specifier else ""
    return text + (f" (extra {context})" if context else "")


def _difference(what: str, declared: set[Key], recorded: set[Key]) -> str:
    added = sorted(_show(k) for k in declared - recorded)
    gone = sorted(_show(k) for k in recorded - declared)
    parts = []
    if added:
        parts.append(
            f"declared but not in uv.lock: {', '.join(added[:4])}{' …' if len(added) > 4 else ''}"
        )
    if gone:
        parts.append(
            f"in uv.lock but no longer declared: {', '.join(gone[:4])}{' …' if len(gone) > 4 else ''}"
        )
    return f"{what}: " + "; ".join(parts)


def _names_difference(what: str, declared: set[str], recorded: set[str]) -> str:
    parts = []
    if declared - recorded:
        parts.append(f"declared but not in uv.lock: {', '.join(sorted(declared - recorded))}")
    if recorded - declared:
        parts.append(f"in uv.lock but no longer declared: {', '.join(sorted(recorded - declared))}")
    return f"{what}: " + "; ".join(parts)


def _groups_difference(declared: dict[str, set[Key]], recorded: dict[str, set[Key]]) -> str:
    for name in sorted(declared.keys() | recorded.keys()):
        mine, theirs = declared.get(name), recorded.get(name)
        if mine is None:
            return f"dependency group {name} is in uv.lock but no longer declared"
        if theirs is None:
            return f"dependency group {name} is declared but not in uv.lock"
        if mine != theirs:
            return _difference(f"dependency group {name}", mine, theirs)
    return "dependency groups differ"
