"""The package's own import graph, as the rules of several families read it: module names of
its files, absolute names of relative imports, and what importing a module loads."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prodready.project import Project


def dotted_name(p: Project, path: str) -> str:
    """`src/pkg/sub/mod.py` -> `pkg.sub.mod` (`__init__` names its package)."""
    for top, folder in p.packaging.package_dirs.items():
        if path == folder:
            return top
        if path.startswith(f"{folder}/"):
            rest = path[len(folder) + 1 : -3].replace("/", ".")
            return f"{top}.{rest}".removesuffix(".__init__")
    return ""


def resolve(here: str, path: str, level: int, module: str) -> str:
    """The absolute name of an import written in the module `here` (relative when level > 0)."""
    if not level:
        return module
    package = here if path.endswith("/__init__.py") else here.rpartition(".")[0]
    for _ in range(level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{module}" if module else package


def imported_modules(p: Project, files: list[str]) -> set[str]:
    """The modules the files import, by absolute name (`from pkg import mod` gives `pkg` and
    `pkg.mod`)."""
    found: set[str] = set()
    for path, facts in p.sources.facts_for(files):
        here = dotted_name(p, path)
        for item in facts.imports:
            base = resolve(here, path, item.level, item.module)
            found.add(base)
            found.update(f"{base}.{name.split(' as ')[0]}" for name in item.names)
    return found


def package_inits(p: Project) -> list[str]:
    """The top `__init__.py` of each of the project's packages (what `import package` runs)."""
    return [f"{d}/__init__.py" for d in p.packaging.package_dirs.values() if not d.endswith(".py")]


def parents(path: str) -> list[str]:
    """The `__init__.py` files Python runs before the module at `path` (its packages')."""
    folders = path.split("/")[:-1]
    found = [f"{'/'.join(folders[:end])}/__init__.py" for end in range(1, len(folders) + 1)]
    return [f for f in found if f != path]


def loaded_at_import(p: Project, start: list[str]) -> set[str]:
    """The top-level modules importing the files `start` loads, following the package's own
    module-level imports that run unguarded (not in a function, a guard or `TYPE_CHECKING`)."""
    return _walk(p, start)[1]


def files_loaded_at_import(p: Project, start: list[str]) -> set[str]:
    """The package's files importing the files `start` runs (themselves included)."""
    return _walk(p, start)[0]


def _walk(p: Project, start: list[str]) -> tuple[set[str], set[str]]:
    """(files run, top-level modules loaded) by importing the files `start`."""
    files = {dotted_name(p, path): path for path in p.packaging.package_files}
    facts = dict(p.sources.facts_for(p.packaging.package_files))
    seen: set[str] = set()
    tops: set[str] = set()
    todo = [path for path in start if path in facts]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        here = dotted_name(p, path)
        for item in facts[path].imports:
            if item.guarded or item.type_only or item.in_function:
                continue
            base = resolve(here, path, item.level, item.module)
            tops.add(base.split(".")[0])
            for name in (base, *(f"{base}.{n.split(' as ')[0]}" for n in item.names)):
                parts = name.split(".")
                for end in range(1, len(parts) + 1):
                    target = files.get(".".join(parts[:end]))
                    if target is not None and target not in seen:
                        todo.append(target)
    return seen, tops


def imported_package_files(p: Project, path: str) -> list[str]:
    """The files of the project's own modules that the module at `path` imports at its top,
    unguarded: importing it runs them (and whatever they load) first."""
    files = {dotted_name(p, f): f for f in p.packaging.package_files}
    here = dotted_name(p, path)
    found: list[str] = []
    for _, facts in p.sources.facts_for([path]):
        for item in facts.imports:
            if item.guarded or item.type_only or item.in_function:
                continue
            base = resolve(here, path, item.level, item.module)
            for name in (base, *(f"{base}.{n.split(' as ')[0]}" for n in item.names)):
                target = files.get(name)
                if target is not None and target != path:
                    found.append(target)
    return found
