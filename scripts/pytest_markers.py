"""Generate `src/prodready/data/pytest_markers.json`: the markers each pytest plug-in registers,
read from the plug-in's own code in its newest release (never typed by hand).

Usage:
    python scripts/pytest_markers.py build [FOLDER]   # read the releases, write the data file

`scripts/pytest_plugins.txt` lists the distributions to read (one per line, `#` comments).
`build` fetches the newest release of each with pip (`pip download --no-deps`: the wheel, or the
source distribution when there is no wheel) into FOLDER (a temporary folder when none is given;
archives already there are read again), and reads its Python modules, not its tests: a marker is
registered by `config.addinivalue_line("markers", "name(args): help")` or
`config.getini("markers").append("name: help")` in the plug-in's `pytest_configure`. The text may
be built (`"order: …" + provided_by`, a variable set above, an f-string over the keys of a table
of markers: `for marker in MARKERS: …`); its name is what stands before `(` or `:`. A
registration whose name cannot be read is reported and left out. The data file is sorted, so a
rebuild shows as a readable diff.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAMES = ROOT / "scripts" / "pytest_plugins.txt"
OUT = ROOT / "src" / "prodready" / "data" / "pytest_markers.json"
ARCHIVE = re.compile(
    r"^(?P<name>[A-Za-z0-9_.]+?)-(?P<version>\d[^-]*?)(?:-.*\.whl|\.tar\.gz|\.zip)$"
)
# the plug-in's own tests and examples register markers for themselves, not for its users
NOT_SHIPPED = re.compile(r"(?:^|/)(?:tests?|testing|docs?|examples?)/|(?:^|/)conftest\.py$")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def listed() -> list[str]:
    lines = NAMES.read_text(encoding="utf-8").splitlines()
    return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]


def fetch(name: str, folder: Path) -> Path | None:
    """The newest release of `name` in `folder`, fetched with pip when it is not there yet."""
    found = archive_of(name, folder)
    if found is not None:
        return found
    for kind in ("--only-binary=:all:", "--no-binary=:all:"):
        command = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", kind]
        done = subprocess.run([*command, "-d", str(folder), name], capture_output=True, check=False)
        if done.returncode == 0:
            return archive_of(name, folder)
    print(f"{name}: pip found no release", file=sys.stderr)
    return None


def archive_of(name: str, folder: Path) -> Path | None:
    for path in sorted(folder.iterdir()):
        match = ARCHIVE.match(path.name)
        if match and canonical(match.group("name")) == canonical(name):
            return path
    return None


def modules(archive: Path) -> Iterator[tuple[str, str]]:
    """(path, text) of the Python modules an archive ships."""
    if archive.name.endswith(".whl") or archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as wheel:
            for member in wheel.namelist():
                if member.endswith(".py") and not NOT_SHIPPED.search(member):
                    yield member, wheel.read(member).decode("utf-8", "replace")
        return
    with tarfile.open(archive, "r:gz") as sdist:
        for entry in sdist.getmembers():
            # the sdist's top folder (`pytest-dependency-0.6.1/`) is not part of the path
            inner = entry.name.partition("/")[2]
            if entry.isfile() and inner.endswith(".py") and not NOT_SHIPPED.search(inner):
                handle = sdist.extractfile(entry)
                if handle is not None:
                    yield inner, handle.read().decode("utf-8", "replace")


def registered(text: str, where: str) -> set[str]:
    """The markers a module registers."""
    if "markers" not in text:
        return set()
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return set()
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found: set[str] = set()
    for node in ast.walk(tree):
        argument = _marker_argument(node)
        if argument is None:
            continue
        texts = _texts(argument, node, tree, parents)
        if not texts:
            line = getattr(node, "lineno", 0)
            print(f"{where}:{line}: a marker whose name cannot be read", file=sys.stderr)
        found.update(name for t in texts if (name := re.split(r"[(:]", t, maxsplit=1)[0].strip()))
    return {name for name in found if name.isidentifier()}


def _marker_argument(node: ast.AST) -> ast.expr | None:
    """The line registered by `….addinivalue_line("markers", LINE)` or
    `….getini("markers").append(LINE)`, else None."""
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
        return None
    func = node.func
    if func.attr == "addinivalue_line" and len(node.args) == 2 and _is_markers(node.args[0]):
        return node.args[1]
    inner = func.value
    if (
        func.attr == "append"
        and len(node.args) == 1
        and isinstance(inner, ast.Call)
        and isinstance(inner.func, ast.Attribute)
        and inner.func.attr == "getini"
        and inner.args
        and _is_markers(inner.args[0])
    ):
        return node.args[0]
    return None


def _is_markers(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value == "markers"


def _texts(
    node: ast.expr, at: ast.AST, tree: ast.Module, parents: dict[ast.AST, ast.AST]
) -> list[str]:
    """The strings an expression may hold (enough of each to read the marker's name)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _texts(node.left, at, tree, parents)
    if isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return [first.value]
        if isinstance(first, ast.FormattedValue):
            return _texts(first.value, at, tree, parents)
        return []
    if isinstance(node, ast.Name):
        return _bound(node.id, at, tree, parents)
    return []


def _bound(name: str, at: ast.AST, tree: ast.Module, parents: dict[ast.AST, ast.AST]) -> list[str]:
    """What `name` holds where it is used: the loop over a literal or a table that binds it,
    or an assignment in the enclosing function or the module."""
    node: ast.AST | None = at
    while node is not None:
        if isinstance(node, ast.For) and _binds(node.target, name):
            return _members(node.iter, tree, parents)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Module):
            for statement in ast.walk(node):
                if isinstance(statement, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == name for t in statement.targets
                ):
                    return _texts(statement.value, statement, tree, parents)
        node = parents.get(node)
    return []


def _binds(target: ast.expr, name: str) -> bool:
    """True when a loop's target binds `name` first (`for marker in …`,
    `for marker, fn in ….items()`)."""
    if isinstance(target, ast.Tuple) and target.elts:
        target = target.elts[0]
    return isinstance(target, ast.Name) and target.id == name


def _members(node: ast.expr, tree: ast.Module, parents: dict[ast.AST, ast.AST]) -> list[str]:
    """The strings a loop goes over: a literal list, tuple, set or dict (its keys), directly or
    through a module-level name, also through `.items()` and `.keys()`."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("items", "keys")
        and not node.args
    ):
        node = node.func.value
    if isinstance(node, ast.Name):
        for statement in tree.body:
            if isinstance(statement, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == node.id for t in statement.targets
            ):
                node = statement.value
                break
    items: list[ast.expr | None] = []
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        items = list(node.elts)
    elif isinstance(node, ast.Dict):
        items = list(node.keys)
    return [
        text for item in items if item is not None for text in _texts(item, item, tree, parents)
    ]


def read(archive: Path) -> set[str]:
    found: set[str] = set()
    for path, text in modules(archive):
        found |= registered(text, f"{archive.name}/{path}")
    return found


def build(folder: Path) -> int:
    plugins: dict[str, dict[str, object]] = {}
    count = 0
    for name in listed():
        archive = fetch(name, folder)
        if archive is None:
            continue
        match = ARCHIVE.match(archive.name)
        markers = read(archive)
        if not markers:
            print(f"{name}: registers no marker", file=sys.stderr)
            continue
        count += len(markers)
        plugins[canonical(name)] = {
            "version": match.group("version") if match else "",
            "markers": sorted(markers),
        }
    OUT.write_text(
        json.dumps({"plugins": dict(sorted(plugins.items()))}, indent=1) + "\n",
        encoding="utf-8",
    )
    print(f"{len(plugins)} plug-ins, {count} markers -> {OUT.relative_to(ROOT)}")
    return 0


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] != "build":
        raise SystemExit(__doc__)
    if len(sys.argv) > 2:
        folder = Path(sys.argv[2])
        folder.mkdir(parents=True, exist_ok=True)
        return build(folder)
    with tempfile.TemporaryDirectory() as temporary:
        return build(Path(temporary))


if __name__ == "__main__":
    raise SystemExit(main())
