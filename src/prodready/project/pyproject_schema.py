"""The shape PEP 621 (`[project]`), PEP 517/518 (`[build-system]`) and PEP 735 ask of pyproject."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from prodready.project.pyversions import invalid_specifier_reason
from prodready.project.requirements import invalid_reason

Check = Callable[[Any], bool]
NAME = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)


def _str(value: Any) -> bool:
    return isinstance(value, str)


def _str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _str_table(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())


def _people(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(p, dict)
        and set(p) <= {"name", "email"}
        and all(isinstance(v, str) for v in p.values())
        for p in value
    )


def _readme(value: Any) -> bool:
    if isinstance(value, str):
        return True
    return (
        isinstance(value, dict)
        and set(value) <= {"file", "text", "content-type"}
        and (("file" in value) != ("text" in value))
    )


def _license(value: Any) -> bool:
    if isinstance(value, str):
        return True
    return isinstance(value, dict) and len(value) == 1 and set(value) <= {"file", "text"}


def _entry_points(value: Any) -> bool:
    return isinstance(value, dict) and all(_str_table(group) for group in value.values())


def _extras(value: Any) -> bool:
    return isinstance(value, dict) and all(_str_list(v) for v in value.values())


PROJECT_FIELDS: dict[str, tuple[Check, str]] = {
    "name": (_str, "a string"),
    "version": (_str, "a string"),
    "description": (_str, "a string"),
    "readme": (_readme, "a path, or a table with `file` or `text` (and `content-type`)"),
    "requires-python": (_str, "a version specifier string"),
    "license": (_license, "an SPDX expression string (or a table with `file` or `text`)"),
    "license-files": (_str_list, "an array of glob strings"),
    "authors": (_people, "an array of tables with `name` and/or `email`"),
    "maintainers": (_people, "an array of tables with `name` and/or `email`"),
    "keywords": (_str_list, "an array of strings"),
    "classifiers": (_str_list, "an array of strings"),
    "urls": (_str_table, "a table of URL strings"),
    "scripts": (_str_table, "a table of `module:function` strings"),
    "gui-scripts": (_str_table, "a table of `module:function` strings"),
    "entry-points": (_entry_points, "a table of tables of strings"),
    "dependencies": (_str_list, "an array of PEP 508 strings"),
    "optional-dependencies": (_extras, "a table of arrays of PEP 508 strings"),
    "dynamic": (_str_list, "an array of field names"),
    "import-names": (_str_list, "an array of strings"),
    "import-namespaces": (_str_list, "an array of strings"),
}
NOT_DYNAMIC = frozenset({"name"})
BUILD_SYSTEM_FIELDS: dict[str, tuple[Check, str]] = {
    "requires": (_str_list, "an array of PEP 508 strings"),
    "build-backend": (_str, "a string naming the backend object"),
    "backend-path": (_str_list, "an array of paths"),
}


def _requirement_problems(
    values: Any, where: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], str]]:
    for value in values if isinstance(values, list) else []:
        reason = invalid_reason(value) if isinstance(value, str) else None
        if reason is not None:
            yield where, f"`{value}` is not a valid requirement: {reason}"


def unknown_field(table: str, key: str) -> str:
    """The message for a field the table's standard does not define."""
    return f"[{table}] has no field `{key}` (a typo, or it belongs under [tool])"


def unknown_project_fields(data: dict[str, Any]) -> list[str]:
    """The `[project]` keys PEP 621 does not define (`repository`, `homepage`)."""
    project = data.get("project")
    return [k for k in project if k not in PROJECT_FIELDS] if isinstance(project, dict) else []


def problems(
    data: dict[str, Any], *, unknown_project_keys: bool = True
) -> Iterator[tuple[tuple[str, ...], str]]:
    """Yield (key path, message) for every way `data` breaks the standard tables' shape; keys
    PEP 621 does not define in `[project]` only with `unknown_project_keys` (a backend that
    builds such a file drops them: PKG015's matter, not a broken file)."""
    for table, fields in (("project", PROJECT_FIELDS), ("build-system", BUILD_SYSTEM_FIELDS)):
        value = data.get(table)
        if value is None:
            continue
        if not isinstance(value, dict):
            yield (table,), f"[{table}] must be a table"
            continue
        for key, item in value.items():
            if key not in fields:
                if table != "project" or unknown_project_keys:
                    yield (table, key), unknown_field(table, key)
                continue
            check, expected = fields[key]
            if not check(item):
                yield (table, key), f"[{table}] `{key}` must be {expected}"
    yield from _project_semantics(data.get("project"))
    yield from _groups(data.get("dependency-groups"))
    build = data.get("build-system")
    if isinstance(build, dict):
        yield from _requirement_problems(build.get("requires"), ("build-system", "requires"))


def _project_semantics(project: Any) -> Iterator[tuple[tuple[str, ...], str]]:
    if not isinstance(project, dict):
        return
    name = project.get("name")
    if isinstance(name, str) and not NAME.match(name):
        yield ("project", "name"), f"`{name}` is not a valid project name (letters, digits, `-_.`)"
    dynamic = project.get("dynamic")
    for field in dynamic if isinstance(dynamic, list) else []:
        if not isinstance(field, str):
            continue  # the type check of `dynamic` reports it
        if field in NOT_DYNAMIC or (isinstance(field, str) and field not in PROJECT_FIELDS):
            yield ("project", "dynamic"), f"`{field}` cannot be listed in `dynamic`"
        elif field in project:
            yield ("project", "dynamic"), f"`{field}` is both set and listed in `dynamic`"
    requires = project.get("requires-python")
    reason = invalid_specifier_reason(requires) if isinstance(requires, str) else None
    if reason is not None:
        yield (
            ("project", "requires-python"),
            f"`requires-python` is not a valid specifier: {reason}",
        )
    yield from _requirement_problems(project.get("dependencies"), ("project", "dependencies"))
    extras = project.get("optional-dependencies")
    if isinstance(extras, dict):
        for extra, values in extras.items():
            yield from _requirement_problems(values, ("project", "optional-dependencies", extra))


def _groups(groups: Any) -> Iterator[tuple[tuple[str, ...], str]]:
    if groups is None:
        return
    if not isinstance(groups, dict):
        yield ("dependency-groups",), "[dependency-groups] must be a table"
        return
    for group, values in groups.items():
        if not isinstance(values, list):
            yield ("dependency-groups", group), f"dependency group `{group}` must be an array"
            continue
        for value in values:
            if isinstance(value, dict) and set(value) == {"include-group"}:
                if value["include-group"] not in groups:
                    yield (
                        ("dependency-groups", group),
                        f"`{group}` includes the unknown group `{value['include-group']}`",
                    )
            elif not isinstance(value, str):
                yield (
                    ("dependency-groups", group),
                    f"`{group}` holds {value!r}: expected a PEP 508 string or {{include-group = ...}}",
                )
        yield from _requirement_problems(values, ("dependency-groups", group))
