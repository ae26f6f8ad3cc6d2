"""The metadata a setuptools project declares outside `pyproject.toml`: `setup.cfg`'s
`[metadata]` and `[options]` sections, and the literal arguments of `setup.py`'s `setup()` call.

`setup.py` is parsed, never run: an argument counts only when it is a literal, a module-level
name bound once to a literal, or lists joined with `+`; anything computed is left out, so a
field is either read exactly or not at all. Both are returned in the shape of PEP 621's
`[project]` table, with the line each requirement is written on.
"""

from __future__ import annotations

import ast
import functools
import re
from typing import Any, NamedTuple

from prodready.project.repository import Repository
from prodready.project.tomldoc import QUOTED

MAX_SETUP_PY = 1_000_000
# (setuptools option, PEP 621 field) of one-line text metadata; `url` becomes `urls`
METADATA_TEXT = (
    ("name", "name"),
    ("description", "description"),
    ("license", "license"),
    ("url", "url"),
)
ENTRY_GROUPS = {"console_scripts": "scripts", "gui_scripts": "gui-scripts"}
_SETUP_NAMES = ("setup", "setuptools.setup")


class Declared(NamedTuple):
    """PEP 621-shaped fields read from one file, and where each requirement string is."""

    file: str
    fields: dict[str, Any]
    lines: dict[str, int]


def setup_cfg(repo: Repository) -> Declared | None:
    """The `[metadata]` name and the `[options]` requirements, Python range, extras and entry
    points of `setup.cfg`; None when it declares none of them."""
    parser = repo.ini("setup.cfg")
    if parser is None:
        return None
    fields: dict[str, Any] = {}
    for option, field in METADATA_TEXT:
        if parser.has_option("metadata", option):
            fields[field] = parser.get("metadata", option).strip()
    if parser.has_option("metadata", "classifiers"):
        fields["classifiers"] = _cfg_lines(parser.get("metadata", "classifiers"))
    urls = _cfg_lines(parser.get("metadata", "project_urls", fallback=""))
    if fields.get("url") or urls:
        links = {k.strip(): v.strip() for k, _, v in (u.partition("=") for u in urls)}
        fields["urls"] = _links(fields.pop("url", ""), links)
    if parser.has_option("options", "python_requires"):
        fields["requires-python"] = parser.get("options", "python_requires").strip()
    if parser.has_option("options", "install_requires"):
        fields["dependencies"] = _cfg_list(parser.get("options", "install_requires"))
    if parser.has_section("options.extras_require"):
        fields["optional-dependencies"] = {
            extra: _cfg_list(value) for extra, value in parser.items("options.extras_require")
        }
    if parser.has_section("options.entry_points"):
        _entry_points(fields, {g: _cfg_lines(v) for g, v in parser.items("options.entry_points")})
    if not fields:
        return None
    return Declared("setup.cfg", fields, _quoted_lines(repo.read("setup.cfg") or "", fields, False))


def setup_py(repo: Repository) -> Declared | None:
    """The literal arguments of the `setup()` call of `setup.py`; None without one."""
    text = repo.read("setup.py")
    if not text or len(text) > MAX_SETUP_PY or "setup" not in text:
        return None
    tree = _tree(text)
    call = _setup_call(tree) if tree is not None else None
    if tree is None or call is None:
        return None
    bound = _literal_names(tree)
    arguments = {k.arg: _literal(k.value, bound) for k in call.keywords if k.arg}
    fields: dict[str, Any] = {}
    for argument, field in (*METADATA_TEXT, ("python_requires", "requires-python")):
        if isinstance(arguments.get(argument), str):
            fields[field] = arguments[argument]
    if _strings(arguments.get("classifiers")):
        fields["classifiers"] = arguments["classifiers"]
    links = arguments.get("project_urls")
    if fields.get("url") or isinstance(links, dict):
        fields["urls"] = _links(fields.pop("url", ""), links if isinstance(links, dict) else {})
    requires = arguments.get("install_requires")
    if isinstance(requires, list) and _strings(requires):
        fields["dependencies"] = list(requires)
    extras = arguments.get("extras_require")
    if isinstance(extras, dict):
        fields["optional-dependencies"] = {
            str(k): list(v) if _strings(v) else [v] for k, v in extras.items() if _text(v)
        }
    points = arguments.get("entry_points")
    if isinstance(points, dict):
        _entry_points(fields, {str(g): [v] if isinstance(v, str) else v for g, v in points.items()})
    if not fields:
        return None
    return Declared("setup.py", fields, _quoted_lines(text, fields, True))


def _links(url: object, links: dict[str, Any]) -> dict[str, Any]:
    """`urls` from `url` and `project_urls`, without empty entries."""
    return {k: v for k, v in {"Homepage": url, **links}.items() if v}


def _cfg_list(value: str) -> list[str]:
    """A setuptools list option: one item per line, or `;`-separated on a single line."""
    items = value.splitlines() if "\n" in value.strip() else value.split(";")
    return [item.strip() for item in items if item.strip() and not item.strip().startswith("#")]


def _cfg_lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def _entry_points(fields: dict[str, Any], groups: dict[str, Any]) -> None:
    """`console_scripts` and `gui_scripts` as `scripts`/`gui-scripts`, the rest as
    `entry-points`, each `name = target` line as a table entry."""
    for group, lines in groups.items():
        if not _strings(lines):
            continue
        table = {
            name.strip(): target.strip()
            for name, _, target in (line.partition("=") for line in lines)
            if name.strip() and target.strip()
        }
        if group in ENTRY_GROUPS:
            fields[ENTRY_GROUPS[group]] = table
        else:
            fields.setdefault("entry-points", {})[group] = table


REQUIREMENT_ARGUMENTS = frozenset({"install_requires", "extras_require"})


def requires_nothing(repo: Repository) -> bool:
    """True when setup.cfg and setup.py, as far as they exist, certainly declare no requirement:
    no `install_requires` or `extras_require` in setup.cfg's `[options]`, and a literal
    `setup()` call without them in setup.py (at module level, or the module's only one), whose `**` arguments (if any) are names only ever
    bound to dictionaries without them (pyflakes' `**extra`: console scripts or a test suite)."""
    cfg = repo.read("setup.cfg")
    if cfg is not None and any(name in cfg for name in REQUIREMENT_ARGUMENTS):
        return False
    text = repo.read("setup.py")
    if text is None:  # setup.cfg alone: only when it holds the package's metadata
        return cfg is not None and "[metadata]" in cfg and "[options]" in cfg
    if len(text) > MAX_SETUP_PY:
        return False
    tree = _tree(text)
    call = (_setup_call(tree) or _only_setup_call(tree)) if tree is not None else None
    return (
        tree is not None
        and call is not None
        and all(
            k.arg not in REQUIREMENT_ARGUMENTS
            if k.arg is not None
            else isinstance(k.value, ast.Name) and _dicts_without_requirements(tree, k.value.id)
            for k in call.keywords
        )
    )


def _dict_without_requirements(value: ast.expr) -> bool:
    """True for a dictionary display with string keys, or a `dict(key=…)` call with keywords
    only (simplejson's `kw = dict(cmdclass=cmdclass)`), none of them a requirement argument."""
    if isinstance(value, ast.Dict):
        return all(
            isinstance(k, ast.Constant) and k.value not in REQUIREMENT_ARGUMENTS for k in value.keys
        )
    return (
        isinstance(value, ast.Call)
        and _is_name(value.func, "dict")
        and not value.args
        and all(k.arg is not None and k.arg not in REQUIREMENT_ARGUMENTS for k in value.keywords)
    )


def _dicts_without_requirements(tree: ast.Module, name: str) -> bool:
    """True when every binding of `name` in the module is a dictionary display whose keys are
    strings other than the requirement arguments (or a `dict(…)` call of such keywords), and nothing reads into it or changes it in
    place (`extra["install_requires"] = …`, `extra.update(…)`)."""
    good: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and _dict_without_requirements(node.value):
            good.update(id(t) for t in node.targets if _is_name(t, name))
    stores: list[ast.Name] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript | ast.Attribute) and _is_name(node.value, name):
            return False
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store):
            stores.append(node)
    return bool(stores) and all(id(node) in good for node in stores)


def _is_name(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def setup_keywords(text: str) -> list[tuple[str, int]]:
    """(keyword, line) of what the `setup()` call of a setup.py passes by name, in order; none
    when the file does not parse, has no such call, or leaves first (a module-level
    `sys.exit(…)` before it: a stub kept so that a forge counts the package). Read from the
    syntax tree: a docstring's `version = "1.2.3"` or a local `version` passes nothing."""
    tree = _tree(text)
    if tree is None:
        return []
    call = _setup_call(tree)
    leaves = next((node.lineno for node in tree.body if _exits(node)), None)
    if call is None or (leaves is not None and leaves < call.lineno):
        return []
    return [(k.arg, k.lineno) for k in call.keywords if k.arg is not None]


@functools.lru_cache(maxsize=8)
def _tree(text: str) -> ast.Module | None:
    """The syntax tree of a setup.py, parsed once for every reader of it (the packaging model,
    SEC001's "requires nothing", PKG011); None when it does not parse. Not to be changed."""
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _exits(node: ast.stmt) -> bool:
    """True for a statement that ends the program: `sys.exit(…)`, `exit(…)`, `raise SystemExit`."""
    if isinstance(node, ast.Raise) and node.exc is not None:
        raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        return ast.unparse(raised) == "SystemExit"
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and ast.unparse(node.value.func) in ("sys.exit", "exit", "os._exit")
    )


def _setup_call(tree: ast.Module) -> ast.Call | None:
    """The `setup(...)` call run at module level or under `if __name__ == "__main__":`."""
    statements = list(tree.body)
    for node in tree.body:
        if isinstance(node, ast.If):
            statements.extend(node.body)
    for node in statements:
        call = node.value if isinstance(node, ast.Expr) else None
        if isinstance(call, ast.Call) and ast.unparse(call.func) in _SETUP_NAMES:
            return call
    return None


def _only_setup_call(tree: ast.Module) -> ast.Call | None:
    """The one `setup(...)` call of the module wherever it is (simplejson's, inside the
    `run_setup()` its module level calls), or None when there are none or several."""
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and ast.unparse(node.func) in _SETUP_NAMES
    ]
    return calls[0] if len(calls) == 1 else None


def _literal_names(tree: ast.Module) -> dict[str, Any]:
    """Module-level names bound exactly once, to a value read as a literal."""
    values: dict[str, Any] = {}
    seen: set[str] = set()
    for node in tree.body:
        if not isinstance(node, ast.Assign | ast.AnnAssign) or node.value is None:
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if isinstance(target, ast.Name):
                if target.id in seen:
                    values.pop(target.id, None)
                    continue
                seen.add(target.id)
                value = _literal(node.value, values)
                if value is not None:
                    values[target.id] = value
    return values


def _literal(node: ast.expr, bound: dict[str, Any]) -> Any:
    """The value of a literal expression (names bound to literals followed, lists joined with
    `+`); None for anything that needs running."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str | int | float | bool) else None
    if isinstance(node, ast.Name):
        return bound.get(node.id)
    if isinstance(node, ast.List | ast.Tuple):
        items = [_literal(item, bound) for item in node.elts]
        return items if all(item is not None for item in items) else None
    if isinstance(node, ast.Dict):
        keys = [_literal(k, bound) if k is not None else None for k in node.keys]
        values = [_literal(v, bound) for v in node.values]
        if any(
            k is None or not isinstance(k, str) or v is None
            for k, v in zip(keys, values, strict=True)
        ):
            return None
        return dict(zip(keys, values, strict=True))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal(node.left, bound), _literal(node.right, bound)
        if isinstance(left, list) and isinstance(right, list):
            return left + right
    return None


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _text(value: object) -> bool:
    return isinstance(value, str) or _strings(value)


# the setup.cfg options whose requirements `setup_cfg` reads: `[options] install_requires` and
# every option of `[options.extras_require]`
REQUIREMENT_OPTIONS = ("options/install_requires", "options.extras_require")


def _cfg_option(line: str, option: str) -> str:
    """Where a setup.cfg line stands: `section/option` for the lines of `[options]`'s options,
    the section's name for those of any other section, kept through an option's continuation
    lines (indented), comments and blank lines."""
    stripped = line.strip()
    if not stripped or stripped.startswith(("#", ";")) or line[:1].isspace():
        return option
    if stripped.startswith("["):
        return stripped.strip("[]").strip()
    section = option.split("/", 1)[0]
    key = re.split(r"[=:]", stripped, maxsplit=1)[0].strip()
    return f"{section}/{key}" if section == "options" else section


def _quoted_lines(text: str, fields: dict[str, Any], quoted: bool) -> dict[str, int]:
    """The line each requirement string is first written on (quoted in setup.py, bare in
    setup.cfg, where it may follow `install_requires =` on the option's own line)."""
    wanted = set(fields.get("dependencies", []))
    for values in fields.get("optional-dependencies", {}).values():
        wanted.update(values)
    found: dict[str, int] = {}
    option = ""  # in setup.cfg, the option a line belongs to (`setup_requires` lists them too)
    for number, line in enumerate(text.splitlines(), start=1):
        if quoted:
            candidates = [a or b for a, b in QUOTED.findall(line)]
        else:
            option = _cfg_option(line, option)
            if option not in REQUIREMENT_OPTIONS:
                continue
            candidates = [line.strip(), line.partition("=")[2].strip()]
        for candidate in candidates:
            if candidate in wanted and candidate not in found:
                found[candidate] = number
    return found
