"""Where a folder stands in its repository: the repository root itself, a member project of a
monorepo or workspace (audited as a unit of its own), or a plain folder (not a project root).

A member shares the repository's files and git view; what belongs to the whole repository
(CI workflows, pre-commit, `.gitignore`, the licence, workflow security) is checked at the
root, never in a member, so `fix` never writes those files into a subfolder.
"""

from __future__ import annotations

import fnmatch
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from prodready.project.files import FileList
from prodready.project.packaging import LOCK_FILES
from prodready.project.paths import in_template, in_test_folder
from prodready.project.repository import Inherited, Repository
from prodready.project.requirements import canonical, local_sources
from prodready.project.toolconfig import ToolConfig, ini_section, pytest_config
from prodready.project.tools import TASK_FILES, handed_configs

if TYPE_CHECKING:
    from prodready.project.tomldoc import TomlDoc

PROJECT_FILES = ("pyproject.toml", "setup.cfg", "setup.py")
MAX_DEPTH = 64  # folders walked up to find the repository's root
MAX_MEMBERS = 500

# Rules about what one repository has as a whole: run at its root only.
REPOSITORY_FAMILIES = frozenset({"CI", "GIT", "PC"})
REPOSITORY_RULES = frozenset(
    {
        "SEC001",  # dependency audit in CI
        "SEC002",  # static security analysis in CI or hooks
        "SEC005",
        "SEC006",  # workflow security
        "SEC007",
        "SEC008",
        "DOC001",  # the README and guides of the repository say how to install and test
        "DOC002",  # changelog, licence and contributing guide of the repository
        "DOC003",
        "DOC004",
        "TEST001",  # a member's tests may be the repository's suite
        "LINT001",  # a linter, formatter or type checker may be configured at the root
        "LINT008",
        "TYPE001",
    }
)


class Unit(NamedTuple):
    """One audit: a folder, and (for a member) the repository root it belongs to, with the
    member's view of the repository once it is known (its files, the workspace's lock files
    and projects)."""

    path: Path
    top: Path | None = None
    listing: FileList | None = None
    locks: tuple[str, ...] = ()
    workspace: tuple[tuple[str, frozenset[str]], ...] = ()
    pytest: Inherited | None = None  # the root's pytest settings, which pytest finds from here
    container: bool = False  # a root that is no project, only the folder of its members

    @property
    def member(self) -> str | None:
        """The member's folder relative to the repository root (None for a root)."""
        if self.top is None:
            return None
        return self.path.resolve().relative_to(self.top.resolve()).as_posix()


def repository_scoped(code: str, family: str) -> bool:
    """True for a rule about the repository as a whole (not run in a member)."""
    return family in REPOSITORY_FAMILIES or code in REPOSITORY_RULES


# What a container root (no project of its own, projects in its folders) is audited for: the
# repository's automation, git, documentation files and workflow security, and secrets.
CONTAINER_FAMILIES = frozenset({*REPOSITORY_FAMILIES, "GHA", "DOC"})
CONTAINER_RULES = frozenset({"SEC003", "SEC004", "SEC005", "SEC006", "SEC007", "SEC008"})


def container_projects(
    top: Repository, members: list[str]
) -> tuple[tuple[str, frozenset[str]], ...]:
    """The canonical names of a container's member projects (built from the same repository,
    released together or side by side), with no requirements known."""
    names = {_project_name(top.toml(f"{member}/pyproject.toml")) for member in members}
    return tuple((name, frozenset()) for name in sorted(n for n in names if n is not None))


def _project_name(doc: TomlDoc | None) -> str | None:
    """The canonical `[project] name` of a pyproject.toml, if it has one."""
    name = doc.get("project", "name") if doc else None
    return canonical(name) if isinstance(name, str) else None


def container_scoped(code: str, family: str) -> bool:
    """True for a rule a container root is audited for (the others are its members')."""
    return family in CONTAINER_FAMILIES or code in CONTAINER_RULES


TEMPLATE_FILES = ("cookiecutter.json", "copier.yml", "copier.yaml")


def template_root(root: Path) -> bool:
    """True for the root of a project template (cookiecutter's `cookiecutter.json`, copier's
    `copier.yml`) that is no project itself: the project it holds is Jinja, rendered elsewhere,
    so the root is audited only for what belongs to the repository."""
    return any(os.path.isfile(root / name) for name in TEMPLATE_FILES) and not any(
        os.path.isfile(root / name) for name in PROJECT_FILES
    )


def container_members(top: Repository, root: Path) -> list[str]:
    """The outermost projects of a root that holds no project of its own (`libs/langgraph`,
    `libs/checkpoint`, each with its own pyproject.toml and no workspace above them); none when
    the root is a project, or holds none. At most `MAX_MEMBERS`."""
    if any(os.path.isfile(root / name) for name in PROJECT_FILES):
        return []
    found: list[str] = []
    for folder in top.subproject_dirs:  # sorted: a project comes before the folders inside it
        nested = any(folder.startswith(f"{outer}/") for outer in found)
        # a template's project (`{{cookiecutter.app_name}}/`) is Jinja, rendered elsewhere
        pyproject = f"{folder}/pyproject.toml"
        if (
            not nested
            and not in_template(folder)
            and top.exists(pyproject)
            and not _placeholder_name(top.toml(pyproject))
        ):
            found.append(folder)  # a project inside a member (its examples) is the member's
    return found[:MAX_MEMBERS]


PLACEHOLDER = re.compile(r"[${}<>%]")


def _placeholder_name(doc: TomlDoc | None) -> bool:
    """True for the pyproject.toml of a project a script generates (`name = "$pkg"`, a
    `string.Template` that haystack-core-integrations fills for each new integration): a
    template, not a project to audit."""
    name = doc.get("project", "name") if doc else None
    return isinstance(name, str) and PLACEHOLDER.search(name) is not None


def unit_for(path: Path) -> Unit | str:
    """The unit a folder given on the command line is, or why it cannot be audited: inside a
    git work tree, a folder below the root must hold a project of its own (one under a test
    folder, a fixture, is audited as a repository, as `Repository.subproject_dirs` leaves it)."""
    top = _work_tree_root(path.resolve())
    if top is None or top == path.resolve():
        return Unit(path)
    if in_test_folder(path.resolve().relative_to(top).as_posix() + "/"):
        return Unit(path)  # a fixture project of the tests: a repository of its own
    if not any(os.path.isfile(path / name) for name in PROJECT_FILES):
        return (
            f"{path}: not a project root (no pyproject.toml, setup.cfg or setup.py); "
            f"give the repository's root ({top}) or a member project's folder"
        )
    return Unit(path, top)


def workspace_members(repo: Repository) -> list[str]:
    """The folders of the members `[tool.uv.workspace] members` names (globs expanded, the
    `exclude` globs removed), each holding a `pyproject.toml`; at most `MAX_MEMBERS`."""
    doc = repo.pyproject
    table = doc.get("tool", "uv", "workspace") if doc else None
    if not isinstance(table, dict):
        return []
    include = [m for m in table.get("members", []) if isinstance(m, str)]
    exclude = [m for m in table.get("exclude", []) if isinstance(m, str)]
    found = [
        folder
        for folder in sorted(
            f.rsplit("/", 1)[0] for f in repo.files if f.endswith("/pyproject.toml")
        )
        if _matches(folder, include) and not _matches(folder, exclude)
    ]
    return found[:MAX_MEMBERS]


def member_unit(
    top: Repository,
    top_path: Path,
    member: str,
    projects: tuple[tuple[str, frozenset[str]], ...] | None = None,
) -> Unit:
    """A member's unit with its view of the repository `top`, read once for all members;
    `projects`: its fellow projects, when not those of a uv workspace (a container's)."""
    up = "../" * (member.count("/") + 1)
    named = [f for f in top.glob("pylock.*.toml") if "/" not in f]  # PEP 751's `pylock.dev.toml`
    locks = tuple(up + name for name in [*LOCK_FILES, *named] if top.exists(name))
    found = pytest_config(top) or _handed_pytest_config(top)
    # `testpaths` name folders of the root, used only when pytest starts there
    values = {k: v for k, v in found.values.items() if k != "testpaths"} if found else {}
    inherited = Inherited(up + found.path, values) if found else None
    return Unit(
        top_path / member,
        top_path,
        member_listing(top, member),
        locks,
        workspace_projects(top) if projects is None else projects,
        inherited,
    )


def _handed_pytest_config(top: Repository) -> ToolConfig | None:
    """The pytest settings the repository's task files hand pytest by path (griffe's duty runs
    pytest with `config_file="config/pytest.ini"` over every member's tests)."""
    texts = [(top.read(name) or "").lower() for name in TASK_FILES if top.exists(name)]
    handed = handed_configs(texts, top.exists).get("pytest")
    return ini_section(top, handed, "pytest") if handed else None


def workspace_projects(top: Repository) -> tuple[tuple[str, frozenset[str]], ...]:
    """The canonical names of a workspace's projects (its root's and each member's), each with
    the names of its runtime requirements, and what its root's `[tool.uv.sources]` takes from a
    path or a repository (with no requirements known): all installed beside a member."""
    found: dict[str, frozenset[str]] = dict.fromkeys(
        local_sources(top.pyproject.data if top.pyproject else {}), frozenset()
    )
    for path in ["pyproject.toml", *(f"{m}/pyproject.toml" for m in workspace_members(top))]:
        doc = top.toml(path)
        name = _project_name(doc)
        if doc is not None and name is not None:
            requires = doc.get("project", "dependencies")
            if requires is None:  # dynamic, from the uv-dynamic-versioning hatch hook
                requires = doc.get(
                    "tool", "hatch", "metadata", "hooks", "uv-dynamic-versioning", "dependencies"
                )
            found[name] = frozenset(
                canonical(match.group(0))
                for text in (requires if isinstance(requires, list) else [])
                if isinstance(text, str) and (match := REQUIREMENT_NAME.match(text.strip()))
            )
    return tuple(sorted(found.items()))


REQUIREMENT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def member_listing(top: Repository, member: str) -> FileList:
    """The member's part of the repository's file list, relative to the member's folder."""
    prefix = member.rstrip("/") + "/"
    files = tuple(f[len(prefix) :] for f in top.files if f.startswith(prefix))
    tracked = top.tracked
    return FileList(
        files,
        None
        if tracked is None
        else frozenset(f[len(prefix) :] for f in tracked if f.startswith(prefix)),
        {f[len(prefix) :]: s for f, s in top.stamps.items() if f.startswith(prefix)},
    )


def _matches(folder: str, patterns: list[str]) -> bool:
    normal = [p.strip("/").removeprefix("./") for p in patterns]
    return any(fnmatch.fnmatchcase(folder, p) and folder.count("/") == p.count("/") for p in normal)


def _work_tree_root(folder: Path) -> Path | None:
    """The nearest folder at or above `folder` holding `.git` (looked at, never run)."""
    current = folder
    for _ in range(MAX_DEPTH):
        if os.path.lexists(current / ".git"):
            return current
        if current.parent == current:
            return None
        current = current.parent
    return None
