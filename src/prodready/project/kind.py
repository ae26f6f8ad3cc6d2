"""Deciding whether a repository holds a library, an application or a service (DESIGN.md)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from prodready.findings import Kind

if TYPE_CHECKING:
    from prodready.project.automation import Automation
    from prodready.project.packaging import Packaging
    from prodready.project.repository import Repository

WEB_FRAMEWORKS = frozenset(
    {
        "fastapi",
        "flask",
        "django",
        "starlette",
        "aiohttp",
        "litestar",
        "sanic",
        "quart",
        "falcon",
        "tornado",
    }
)
SERVERS = re.compile(
    r"\b(uvicorn|gunicorn|hypercorn|daphne|granian|waitress-serve|flask\s+run|manage\.py\s+runserver)\b"
)
PRIVATE = "Private :: Do Not Upload"


def detect_kind(repo: Repository, packaging: Packaging, automation: Automation) -> tuple[Kind, str]:
    """The kind of the project and the reason, in the order DESIGN.md gives, with one refinement:
    a package made to publish that depends on a web framework is an extension or framework of
    its own (FastAPI on Starlette, Flask-Login on Flask), so a library, unless its Dockerfile
    starts a server (a known one, or the project's own console script)."""
    frameworks = sorted(WEB_FRAMEWORKS & {d.name for d in packaging.runtime_deps})
    scripts = packaging.declared.get("scripts")
    own = tuple(scripts) if isinstance(scripts, dict) and frameworks else ()
    for path in automation.images:
        text = repo.read(path) or ""
        own_modules = _own_main_modules(repo, text) if frameworks else ()
        lines = _start_lines(text) + _script_lines(repo, path, text)
        server = None if _serves_a_demo(text) else _docker_server(lines, own + own_modules)
        if server and server != packaging.meta.get("name"):  # gunicorn's image of itself
            return Kind.SERVICE, f"{path} starts {server}"
    if frameworks and not _publishable(repo, packaging):
        return Kind.SERVICE, f"depends on the web framework {frameworks[0]}"
    classifiers = packaging.meta.get("classifiers")
    if isinstance(classifiers, list) and PRIVATE in classifiers:
        return Kind.APPLICATION, f"classifier '{PRIVATE}'"
    publishable = _publishable(repo, packaging)
    locks = [p for p in packaging.lock_paths if p.endswith(".lock") or "pylock" in p]
    if locks and not publishable:
        return (
            Kind.APPLICATION,
            f"{locks[0]} pins the environment and the metadata is not made to publish",
        )
    scripts = packaging.declared.get("scripts") or packaging.declared.get("gui-scripts")
    if scripts and not publishable and not _described_for_an_index(repo, packaging):
        return Kind.APPLICATION, "console scripts without metadata made to publish"
    if publishable:
        return Kind.LIBRARY, "publishable package metadata"
    if not packaging.has_project_table and packaging.lock_paths:
        return (
            Kind.APPLICATION,
            f"{packaging.lock_paths[0]} pins the environment and there is no [project] table",
        )
    return Kind.LIBRARY, "no sign of an application or a service"


def _publishable(repo: Repository, packaging: Packaging) -> bool:
    """Metadata written for an index: classifiers, or a description with a licence and links;
    never for a project that is not built (`[tool.uv] package = false`, a virtual uv project)."""
    if packaging.not_packaged:
        return False
    meta = packaging.declared
    if meta.get("classifiers") or "classifiers" in packaging.dynamic:
        return True
    poetry = repo.pyproject.table("tool", "poetry") if repo.pyproject else {}
    if poetry.get("classifiers") or (poetry.get("description") and poetry.get("license")):
        return True
    return bool(
        meta.get("description")
        and (meta.get("license") or meta.get("license-files"))
        and meta.get("urls")
    )


def _described_for_an_index(repo: Repository, packaging: Packaging) -> bool:
    """A description and a readme (the index's long description) beside a build backend: a
    package with console scripts made to publish, as smolagents is, even without classifiers."""
    meta = packaging.declared
    return bool(
        meta.get("description")
        and meta.get("readme")
        and repo.pyproject
        and repo.pyproject.get("build-system")
    )


WORKDIR = re.compile(r"^[ \t]*WORKDIR[ \t]+(\S+)", re.M | re.I)
DEMO_FOLDER = re.compile(r"(?:^|/)(?:tests?|examples?|demos?|samples?)(?:/|$)")


def _serves_a_demo(text: str) -> bool:
    """True when the image's server runs from a test or example folder (django-oauth-toolkit's
    `WORKDIR /code/tests/app/idp`): the image is a demo of the package, not the product."""
    folders = WORKDIR.findall(text)
    return bool(folders) and DEMO_FOLDER.search(folders[-1]) is not None


RUN_MODULE = re.compile(r"""["']?-m["']?\s*,?\s*["']?([A-Za-z_]\w*)""")


def _own_main_modules(repo: Repository, text: str) -> tuple[str, ...]:
    """The project's own packages a Dockerfile runs with `python -m` (`CMD ["python", "-m",
    "app"]`), those with a `__main__.py`: for a project on a web framework, its server."""
    return tuple(
        module
        for line in _start_lines(text)
        for module in RUN_MODULE.findall(line)
        if repo.exists(f"src/{module}/__main__.py") or repo.exists(f"{module}/__main__.py")
    )


def _start_lines(text: str) -> list[str]:
    """A Dockerfile's `CMD` and `ENTRYPOINT` lines, stripped: what the image starts."""
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line.upper().startswith(("CMD", "ENTRYPOINT"))]


SHELL_SCRIPT = re.compile(r"([\w.-]+\.sh)\b")


def _script_lines(repo: Repository, dockerfile: str, text: str) -> list[str]:
    """The command lines of the shell scripts an image starts (`CMD ["/home/app/entrypoint.sh"]`),
    each found by its name beside the Dockerfile, below it or at the root: the server is often
    started there (`gunicorn app.wsgi` in wger's `entrypoint.sh`)."""
    folder = dockerfile.rpartition("/")[0]
    prefix = f"{folder}/" if folder else ""
    lines: list[str] = []
    for name in sorted({n for line in _start_lines(text) for n in SHELL_SCRIPT.findall(line)}):
        found = [
            f
            for f in repo.files
            if f.rpartition("/")[2] == name and (f.startswith(prefix) or "/" not in f)
        ]
        script = repo.read(found[0]) if found else None
        lines += [s.strip() for s in (script or "").splitlines() if not s.lstrip().startswith("#")]
    return lines


def _docker_server(lines: list[str], own_scripts: tuple[str, ...] = ()) -> str | None:
    """The server an image starts, by its `CMD` or `ENTRYPOINT` lines and the scripts they run: a
    known one, or (for a project on a web framework) one of the project's own console scripts, as
    `ENTRYPOINT ["dispatch"]`."""
    for line in lines:
        match = SERVERS.search(line)
        if match:
            return match.group(1)
        words = set(re.findall(r"[\w.-]+", line))
        started = [script for script in own_scripts if script in words]
        if started:
            return f"its own command {started[0]}"
    return None
