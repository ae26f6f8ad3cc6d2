"""DEP: dependencies — declared, bounded and layered the way the project kind needs."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from prodready.digits import number
from prodready.findings import Kind, Violation, at_line
from prodready.project import Project
from prodready.project.packaging import INSTALL_PAGE, README_FILES
from prodready.project.paths import is_conftest, is_test_module, is_test_support
from prodready.project.requirements import (
    Dependency,
    canonical,
    local_sources,
    names_in_requirements_text,
)
from prodready.project.sources import NOT_PRODUCT
from prodready.project.tomldoc import as_table
from prodready.rules import rule
from prodready.rules._graph import (
    dotted_name,
    files_loaded_at_import,
    loaded_at_import,
    package_inits,
    resolve,
)
from prodready.rules._memo import per_project
from prodready.rules._tests import imported_test_files
from prodready.source.imports import cython_imports, optional_modules
from prodready.source.modules import (
    candidate_distributions,
    floors_of,
    installs_no_module,
    is_stdlib,
    module_guesses,
    named_within,
    optional_requirements,
    provider_known,
    provides_known,
    read_version,
    used_without_import,
    with_requirements,
)
from prodready.source.quality import IMPORT_ERRORS

HEAVY = frozenset(
    {
        "torch",
        "torchvision",
        "torchaudio",
        "tensorflow",
        "tensorflow-gpu",
        "tensorflow-cpu",
        "jax",
        "jaxlib",
        "opencv-python",
        "opencv-contrib-python",
        "opencv-python-headless",
        "transformers",
        "mxnet",
        "paddlepaddle",
        "onnxruntime-gpu",
        "tensorrt",
        "cupy",
        "xgboost",
        "lightgbm",
        "catboost",
        "spacy",
        "diffusers",
        "accelerate",
        "deepspeed",
        "vllm",
    }
)
DEV_TOOLS = frozenset(
    {
        "ruff",
        "black",
        "mypy",
        "pre-commit",
        "coverage",
        "tox",
        "nox",
        "bandit",
        "pip-audit",
        "safety",
        "flake8",
        "pylint",
        "isort",
        "pyupgrade",
        "autoflake",
        "twine",
        "pyright",
        "basedpyright",
        "pydocstyle",
        "yapf",
        "autopep8",
        "hypothesis",
        "codespell",
        "pip-tools",
    }
)
# Names of modules a host program loads by name rather than the package importing them.
# a plug-in its host loads by name (`_hypothesis_plugin.py`, a gunicorn worker) or a hook
# PyInstaller runs from its hook folder (`__pyinstaller/hook-celery.py`)
HOST_LOADED = re.compile(r"plugin|worker|^hook-", re.I)
# the function a host calls in a module it loads by name: IPython's `%load_ext pgcli.magic`
# calls `load_ipython_extension(ipython)`, Jupyter Server its `_load_jupyter_server_extension`
HOST_HOOK = re.compile(
    r"^(?:async[ \t]+)?def[ \t]+(?:load_ipython_extension|_?load_jupyter_server_extension)\(", re.M
)
PLUGIN_GROUPS = {
    "pytest11": "pytest",
    "flake8.extension": "flake8",
    "tox": "tox",
    "mypy.plugins": "mypy",
}


def _dep_violation(p: Project, dep: Dependency, message: str) -> Violation:
    """A violation at the dependency's line; `data` names the distribution."""
    fixable = dep.file == "pyproject.toml"
    return Violation(message, dep.file, _dep_line(p, dep), 1, data=(dep.name,), fixable=fixable)


def _dep_line(p: Project, dep: Dependency) -> int:
    """The line a requirement is written on, in pyproject.toml, setup.cfg or setup.py."""
    if dep.file != "pyproject.toml":
        return dep.line or 1
    line = p.repo.pyproject.line_of_value(dep.where, dep.raw) if p.repo.pyproject else None
    return line or 1


@rule(
    "DEP001",
    "unconstrained-dependency",
    source="Lesson: dependencies declared with no version constraint broke when NumPy 2.0 was released, as they did in many projects.",
)
def unconstrained(p: Project) -> Iterator[Violation]:
    """A runtime dependency has no version constraint at all.

    ## What it does
    Reports `[project] dependencies` entries with neither a version specifier nor a direct URL.
    It stays quiet on a dependency the workspace provides (a project of the workspace, one
    `[tool.uv.sources]` takes from a path or a repository, or a requirement of a project of the
    workspace the member depends on, which sets its floor) and on one the package neither
    imports nor names as a module (no API of it is called, so a floor protects nothing; DEP008
    asks whether it is needed at all), nor on one listed again with a floor (`flask` beside
    `Flask >= 2.1.0`), nor on one another dependency (or what it always installs) requires
    with a floor (`jinja2` beside `flask>=3.0`, whose wheel requires `Jinja2>=3.1.2`; read from
    the wheels' metadata in `data/import_names.json`, for the distributions whose floors it
    recorded).

    ## Why it matters
    Any version satisfies it, including the ancient one already installed in a user's
    environment that lacks the API you call, or a future major that removed it.

    ## Example
    ```toml
    dependencies = ["requests"]
    ```

    ## Use instead
    ```toml
    dependencies = ["requests>=2.31"]
    ```

    ## Fix
    Add at least the lowest version you test against.
    """
    deps = p.packaging.runtime_deps
    loose = [dep for dep in deps if not dep.constrained]
    if not loose:
        return
    workspace = p.repo.workspace
    local = p.repo.workspace_names | _sourced_locally(p)
    # what a project of the workspace requires comes with its floor (and the workspace's lock)
    local |= {n for d in deps if d.name in workspace for n in workspace[d.name]}
    unused = set(_unreferenced(p)) if p.packaging.package_files else set()
    bounded = {dep.name for dep in deps if dep.constrained and not dep.marker}
    unconditional = {dep.name for dep in deps if not dep.marker}
    for dep in loose:
        if dep.name in local:
            continue  # the workspace provides it: its version is the workspace's
        if dep.name in bounded:
            continue  # listed again with a floor (`flask` beside `Flask >= 2.1.0`)
        if dep.name in floors_of(unconditional - {dep.name}):
            continue  # another dependency requires it with a floor (`jinja2` beside flask)
        if _for_unsupported_pythons(p, dep):
            continue  # `; python_version < "3.8"` beside `requires-python >= 3.8`: never installed
        if dep.name in unused:
            continue  # the package calls no API of it: a floor would protect nothing
        yield _dep_violation(p, dep, f"`{dep.raw}` has no version constraint; add a lower bound")


MARKER_BELOW = re.compile(r"python_(?:full_)?version\s*(<=?)\s*['\"]3\.(\d+)")


def _for_unsupported_pythons(p: Project, dep: Dependency) -> bool:
    """True when the requirement's marker admits only Pythons older than `requires-python`."""
    oldest = p.packaging.min_python
    match = MARKER_BELOW.search(dep.marker or "")
    if oldest is None or match is None or " or " in (dep.marker or ""):
        return False
    below = number(match.group(2)) + (1 if match.group(1) == "<=" else 0)
    return below <= oldest[1]


def _named_for(file_name: str, top: str) -> bool:
    """True when a module's file is named for a library (`aiohttp_client.py` for aiohttp,
    `sqlcipher_ext.py` for sqlcipher3: a version digit dropped)."""
    library = top.lower()
    plain = library.rstrip("0123456789")
    return library in file_name or (plain != library and len(plain) > 3 and plain in file_name)


def _integration_of(p: Project, path: str, module: str) -> bool:
    """True when the module at `path` is named for a third-party library it imports (the
    integration `aiohttp_client.py` imports aiohttp; `django_oauth_toolkit.py`, named for the
    distribution, imports its `oauth2_provider`) and `module` is that library or what the
    library always brings with it (yarl, multidict)."""
    name = path.rsplit("/", 1)[-1].removesuffix(".py").lower()
    hosts = {
        item.top
        for _, facts in p.sources.facts_for([path])
        for item in facts.imports
        if not item.level
        and len(item.top) > 2
        and (_named_for(name, item.top) or _named_for_distribution(name, item.top))
    }
    if not hosts:
        return False
    top = module.split(".", maxsplit=1)[0]
    brought = with_requirements({d for host in hosts for d in _host_distributions(p, host)})
    return top in hosts or bool(candidate_distributions(module) & brought)


def _named_for_distribution(name: str, module: str) -> bool:
    """True when a module's file is named for the distribution that provides `module`
    (`django_oauth_toolkit.py` imports `oauth2_provider`, of django-oauth-toolkit)."""
    return any(
        d.replace("-", "_") == name for d in candidate_distributions(module) if provides_known(d)
    )


def _host_distributions(p: Project, host: str) -> set[str]:
    """The distributions a library an integration imports comes from: those the project
    declares, else the one named as the module (`vllm`, not its TPU build `vllm-tpu`, whose
    requirements differ), else every candidate."""
    candidates = candidate_distributions(host)
    declared = set(candidates & set(p.packaging.declared_names))
    if declared:
        return declared
    own = canonical(host)
    return {own} if own in candidates and provides_known(own) else set(candidates)


@per_project
def _unreferenced(p: Project) -> dict[str, Dependency]:
    """The runtime dependencies the package never imports and names nowhere as a module."""
    imported = _imported_distributions(p)
    text: str | None = None
    found: dict[str, Dependency] = {}
    for dep in p.packaging.runtime_deps:
        if dep.name in imported:
            continue
        text = _package_texts(p) if text is None else text
        if not _named_in_code(text, dep.name):
            found[dep.name] = dep
    return found


@per_project
def _imports_nothing(p: Project) -> bool:
    """True when no module of the package imports anything (`__future__` aside)."""
    return not any(
        i.module != "__future__" or i.level
        for _, facts in p.sources.facts_for(p.packaging.package_files)
        for i in facts.imports
    )


def _unused_dependencies(p: Project) -> dict[str, Dependency]:
    """The unreferenced runtime dependencies that nothing else known explains (a stub, a
    plug-in, a server run as a program, a floor on what another dependency requires)."""
    needed = {n for d in p.packaging.runtime_deps for n in _installed(p, {d.name}) - {d.name}}
    features = _features_of_others(p)
    return {
        name: dep
        for name, dep in _unreferenced(p).items()
        if not (
            used_without_import(name)
            or name == p.packaging.project_name
            or name in needed
            or name in features
            or _run_as_module(p, name)
            or name in _entry_point_distributions(p)
            or _explained_by_comment(p, dep)
            or _namespace_portion(p, name)
            or name in _paste_deploy_names(p)
            or (p.packaging.not_packaged and _named_anywhere(p, name))
            or (_unknown_distributions(p, {name}) and _unresolved_imports(p))
            or name in _locked_needs(p)
        )
    }


def _namespace_portion(p: Project, name: str) -> bool:
    """True for a distribution named as a part of one of the package's own import names
    (langgraph-prebuilt beside `langgraph`, which installs `langgraph.prebuilt`): it completes
    the package's namespace, bundled on purpose."""
    return any(name.startswith(f"{canonical(own)}-") for own in p.packaging.package_dirs)


def _explained_by_comment(p: Project, dep: Dependency) -> bool:
    """True when the requirement's comment names another declared dependency it is there for
    (`"tenacity>=8.2.3",  # undeclared runtime dep of litellm`, or a comment above it: `# pywinpty
    3.0.4 ships broken wheels ... terminado falls back`)."""
    others = {d.name for d in p.packaging.runtime_deps} - {dep.name}
    return bool(set(_comment_words(requirement_comment(p, dep))) & others)


def requirement_comment(p: Project, dep: Dependency) -> str:
    """The comment a requirement carries: after it on its own line, and the comment lines
    directly above it (no blank line between). A line that holds several requirements (a
    one-line array) shares its comment: it is the comment of the one it names first (`#
    langchain-community pinned due to …` above `["ragas>=0.4.3", "langchain-community<0.4.2"]`)."""
    lines = (p.repo.read(dep.file) or "").splitlines()
    line = _dep_line(p, dep)
    if not 0 < line <= len(lines):
        return ""
    code = lines[line - 1]
    at = code.find(dep.raw)
    if at < 0:
        return ""  # not where it was looked for: no comment can be told to be its own
    after = code[at + len(dep.raw) :]
    parts = [after.split("#", 1)[1]] if "#" in after else []
    prefixes = ("#", ";") if dep.file.endswith(".cfg") else ("#",)
    above = line - 2
    while above >= 0 and lines[above].strip().startswith(prefixes):
        parts.insert(0, lines[above].strip().lstrip("#;"))
        above -= 1
    comment = "\n".join(parts)
    sharing = _sharing_the_line(code, dep, _every_dependency(p))
    if sharing:
        named = [w for w in _comment_words(comment) if w in sharing or w == dep.name]
        return comment if named and named[0] == dep.name else ""
    return comment


def _comment_words(comment: str) -> list[str]:
    """The words of a comment in their order, normalised as distribution names."""
    return [canonical(w) for w in re.findall(r"[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?", comment.lower())]


def _sharing_the_line(code: str, dep: Dependency, deps: list[Dependency]) -> set[str]:
    """The names of the other requirements a line holds beside `dep` (quoted, or `;`-separated
    items of a setup.cfg option)."""
    items = {item.strip() for item in code.partition("=")[2].split(";")}
    return {
        other.name
        for other in deps
        if other.name != dep.name
        and (f'"{other.raw}"' in code or f"'{other.raw}'" in code or other.raw in items)
    }


@per_project
def _locked_needs(p: Project) -> set[str]:
    """What the project's lock says another runtime dependency requires, transitively: the lock
    pins the release the project installs (CTFd's flask-marshmallow 0.10.1 requires six, which
    the newest release the data read no longer does)."""
    return {n for d in p.packaging.runtime_deps for n in _locked_install(p, {d.name}) - {d.name}}


def _locked_install(p: Project, names: set[str]) -> set[str]:
    """`names` and what the project's lock says installing them always brings, transitively."""
    locked = p.packaging.locked
    found, todo = set(names), list(names)
    while todo:
        entry = locked.get(todo.pop())
        for needed in entry.requires if entry else ():
            if needed not in found:
                found.add(needed)
                todo.append(needed)
    return found


def _installed_as_locked(
    p: Project, names: set[str], module: str, imported: tuple[str, ...]
) -> bool:
    """True when what the lock says `names` bring (and what that brings, by the data) provides
    the module: the lock records the releases the project installs."""
    return bool(p.packaging.locked) and _declared(
        _installed(p, _locked_install(p, names)), module, imported
    )


def _older_release_of(p: Project, module: str, names: set[str]) -> bool:
    """True when the module's top-level name is a word of a distribution among `names` (`pypika`
    of pypika-tortoise) that the project installs at an older release than the one the data
    read (by its lock, or an exact pin): that release may have provided it under this name. A
    module named for a distribution the project declares itself (`flask` beside an old
    flask-cors) is that distribution's."""
    top = canonical(module.split(".", maxsplit=1)[0])
    if top in p.packaging.mentioned_names:
        return False  # the distribution of that name, which the project declares itself (flask)
    return any("-" in name and top in name.split("-") and _older_release(p, name) for name in names)


def _comment_names_module(p: Project, module: str, names: set[str]) -> bool:
    """True when the comment of a requirement among `names` names the module's top-level name
    (`"setuptools < 82",  # require pkg_resources`): the maintainers say the releases it admits
    provide the module, which the newest the data read may no longer."""
    top = module.split(".", maxsplit=1)[0]
    named = re.compile(rf"(?<![\w.-]){re.escape(top)}(?![\w-])")
    return any(
        named.search(requirement_comment(p, dep))
        for dep in _every_dependency(p)
        if dep.name in names and dep.specs
    )


def _older_release(p: Project, distribution: str) -> bool:
    """True when every release of the distribution the project installs (its lock's versions,
    or an exact pin) is older than the one the import-name data read: what the data says of
    its modules and requirements speaks of another release."""
    newest = read_version(distribution)
    if newest is None:
        return False
    locked = p.packaging.locked.get(distribution)
    versions = set(locked.versions) if locked else set()
    if not versions:
        versions = {
            version
            for dep in _every_dependency(p)
            if dep.name == distribution
            for op, version in dep.specs
            if op in ("==", "===") and not version.endswith("*")
        }
    from packaging.version import InvalidVersion, Version

    try:
        return bool(versions) and all(Version(v) < Version(newest) for v in versions)
    except InvalidVersion:
        return False


@per_project
def _entry_point_distributions(p: Project) -> set[str]:
    """The distributions the project's entry points load from by their module's dotted name
    (`opentelemetry.exporter.otlp.proto.grpc.trace_exporter:…` of
    opentelemetry-exporter-otlp-proto-grpc, a module in a namespace another distribution
    provides)."""
    return _dotted_names((t.partition(":")[0].strip() for _, t in p.packaging.entry_targets), 1)


def _dotted_names(modules: Iterable[str], shortest: int) -> set[str]:
    """The distribution names the dotted prefixes of modules spell, of at least `shortest`
    parts (`langgraph.prebuilt.x` spells `langgraph-prebuilt`)."""
    return {
        canonical(".".join(parts[:end]))
        for parts in (module.split(".") for module in modules)
        for end in range(shortest, len(parts) + 1)
    }


# PasteDeploy's `use = egg:waitress#main` in an application's .ini (or the template a command
# writes it from) loads the distribution's entry point by the distribution's name
PASTE_DEPLOY = re.compile(r"\begg:([A-Za-z0-9][\w.-]*)")
PASTE_FILES = (".ini", ".ini.tpl", ".tpl", ".ini.jinja", ".ini_tmpl")


@per_project
def _paste_deploy_names(p: Project) -> set[str]:
    """The distributions the repository's PasteDeploy configurations (and their templates) load
    by name (`use = egg:waitress#main`)."""
    found: set[str] = set()
    for path in p.repo.files:
        if path.endswith(PASTE_FILES):
            text = p.repo.read(path) or ""
            if "egg:" in text:
                found.update(canonical(m.group(1)) for m in PASTE_DEPLOY.finditer(text))
    return found


def _named_anywhere(p: Project, distribution: str) -> bool:
    """True when the repository's code or automation names one of the distribution's modules
    as a word (`sh.djlint(...)`, `uv run ruff`): in a project that is never built, its
    dependencies are the tools its tests and scripts run."""
    return _mentions(_repository_text(p), distribution, r"\b")


@per_project
def _repository_text(p: Project) -> str:
    """The Python files and the automation of the repository, as one lower-case text."""
    files = [*p.sources.runtime_files, *p.packaging.test_files]
    return "\n".join([p.automation.text, *((p.repo.read(f) or "").lower() for f in files)])


def _features_of_others(p: Project) -> set[str]:
    """What a feature extra of another dependency the package imports requires (`jinja2` for
    `starlette[full]`'s templates under FastAPI, `anyio` for httpcore's asyncio back end under
    httpx): declared to turn that feature on, and used through the other dependency."""
    imported = {d.name for d in p.packaging.runtime_deps} & _imported_distributions(p)
    return {n for other in with_requirements(imported) for n in optional_requirements(other)}


def _run_as_module(p: Project, distribution: str) -> bool:
    """True when a task runner, script or CI file runs one of the distribution's modules as a
    program (`python -m pysassc` in a Makefile: libsass is used, never imported)."""
    text = p.automation.text
    return "-m" in text and _mentions(text, distribution, r"-m[ \t]*")


def _mentions(text: str, distribution: str, before: str) -> bool:
    """True when a (lower-case) text holds one of the distribution's module names, or its own
    name, as a word after the pattern `before`."""
    return any(
        re.search(rf"{before}{re.escape(module.lower())}\b", text)
        for module in module_guesses(distribution) | {distribution}
    )


def _installed(p: Project, names: set[str]) -> set[str]:
    """`names` and what installing them always brings: their wheels' requirements, and for a
    project of the workspace a member belongs to, that project's own requirements."""
    asked = _extras_asked(p)
    with_extras = {key for name in names for key in asked.get(name, ())}
    found = with_requirements(names | with_extras) - with_extras
    workspace = p.repo.workspace
    extra = {n for name in found & workspace.keys() for n in workspace[name]}
    return found | with_requirements(extra) if extra else found


@per_project
def _extras_asked(p: Project) -> dict[str, set[str]]:
    """`name[extra]` for every extra the project asks of a dependency (`uvicorn[standard]`,
    `Twisted[http2]`) in its dependencies, extras or groups, by the dependency's name: what
    those extras install is installed too."""
    asked: dict[str, set[str]] = {}
    for dep in _every_dependency(p):
        for extra in dep.extras:
            asked.setdefault(dep.name, set()).add(f"{dep.name}[{canonical(extra)}]")
    return asked


def _every_dependency(p: Project) -> list[Dependency]:
    """The project's runtime dependencies, extras and dependency groups."""
    pk = p.packaging
    groups = [*pk.optional_deps.values(), *pk.dependency_groups.values()]
    return [*pk.runtime_deps, *(dep for group in groups for dep in group)]


def _sourced_locally(p: Project) -> set[str]:
    """Distributions the project's `[tool.uv.sources]` takes from the workspace, a path or a
    repository (a member gets its workspace root's in `workspace_names`)."""
    return local_sources(p.repo.pyproject.data if p.repo.pyproject else {})


@rule(
    "DEP002",
    "missing-lock-file",
    kinds="A S",
    source="The Twelve-Factor App, II. Dependencies: https://12factor.net/dependencies; pip docs: https://pip.pypa.io/en/stable/topics/repeatable-installs/",
)
def missing_lock(p: Project) -> Iterator[Violation]:
    """An application or service has no lock file.

    ## What it does
    Looks for `uv.lock`, `poetry.lock`, `pdm.lock`, `Pipfile.lock`, `pylock.toml`, or a
    requirements file in which every requirement is pinned with `==`.

    ## Why it matters
    Without a lock, two deployments of the same commit install different dependency versions; a
    release of any transitive dependency can break production with no change of yours.

    ## Example
    ```text
    pyproject.toml   (dependencies = ["fastapi>=0.110"], nothing pinned)
    ```

    ## Use instead
    ```text
    pyproject.toml
    uv.lock          (uv lock; deploy with uv sync --frozen)
    ```

    ## Fix
    `uv lock`, `poetry lock`, `pdm lock` or `pip-compile --generate-hashes`, and commit it.
    """
    if not p.packaging.lock_paths and (p.packaging.runtime_deps or p.packaging.requirements_paths):
        yield Violation(
            f"{p.kind.value} without a lock file: commit uv.lock, poetry.lock, pylock.toml or hashed requirements"
        )


def _release(version: str) -> tuple[int, ...]:
    match = re.match(r"v?(\d+(?:\.\d+)*)", version)
    return tuple(number(part) for part in match.group(1).split(".")) if match else (0,)


def _caps_below_major(dep: Dependency) -> str | None:
    """The constraint that pins or caps below the next major version, if any."""
    for op, version in dep.specs:
        release = _release(version)
        major_only = 2 if release[0] == 0 else 1
        if op in ("==", "==="):
            wildcard = version.endswith(".*")
            if not (wildcard and len(release) <= major_only):
                return f"{op}{version}"
        elif (
            op == "<="
            or (op == "~=" and len(release) > major_only + 1)
            or (op == "<" and any(release[major_only:]))
        ):
            return f"{op}{version}"
    return None


# `python_version < "3.10"`, `python_full_version <= '3.9.2'`: only older interpreters
OLD_PYTHONS = re.compile(r"python_(?:full_)?version[ \t]*<")


# What a comment says of a version constraint it explains: a link or an issue number (the
# upstream bug), a version, or a word about pinning or breakage (`# litellm capped below 1.92.0:
# that release ships cp310-cp313-only wheels`, `# tmp pin until dill supports determinism`); a
# heading over a group of requirements (`# Core ML`, `# download models:`) says none of it
CAP_REASON = re.compile(
    r"https?://|#\d|\b\d+\.\d|\b(?:pin(?:s|ned|ning)?|cap(?:s|ped|ping)?|bound(?:s|ed)?"
    r"|limit(?:s|ed)?|constrain\w*|lock(?:s|ed)?|break\w*|broke\w*|incompatib\w*|regress\w*"
    r"|bugs?|until|wheels?|fail\w*)\b",
    re.I,
)


def _cap_explained(p: Project, dep: Dependency) -> bool:
    """True when the requirement's own comment says why it is constrained."""
    return CAP_REASON.search(requirement_comment(p, dep)) is not None


@rule(
    "DEP003",
    "library-pins",
    kinds="L",
    source="PyPA, install_requires vs requirements files: https://packaging.python.org/en/latest/discussions/install-requires-vs-requirements/",
)
def library_pins(p: Project) -> Iterator[Violation]:
    """A library pins a dependency exactly, or caps it below the next major version.

    ## What it does
    Reports `==`, `===`, `<=`, `~=X.Y.Z` and `<X.Y` constraints on a library's runtime
    dependencies (for 0.x versions a cap at the next minor is accepted). A dependency built from
    the same repository (a monorepo member released in lockstep, such as pydantic-core beside
    pydantic, or a fellow member of the uv workspace) may be pinned, and so may a dependency under a marker for older Pythons only
    (`filelock<=3.19.1; python_version < "3.10"`: its last release for them). A program
    whose README installs it as a tool (`uv tool install posting`, `pipx install posting`),
    into an environment of its own, is left alone: it shares that environment with nothing (its
    README, or an installation page of its documentation such as `docs/installation.md`, must
    say so with the project's own name). So is a constraint its comment explains, on its line
    or in the comment lines directly above it (`# https://github.com/BerriAI/litellm/issues/36384`,
    `# httpr 0.5.2 makes 404s raise`, `# pinned until …`: a link, a version, a word of pinning
    or breakage): a deliberate workaround, not a habit. A heading over a group of requirements
    (`# download models:`) is no such comment, and the comment above a line of several
    requirements belongs to the one it names first. A cap on a dependency the package's
    extensions compile against is left alone too: the build requires it as well and a Cython
    source cimports it (`from preshed.maps cimport PreshMap`), so the built wheel is bound to the
    binary interface of that release line.

    ## Why it matters
    A library shares one environment with its users' other packages. Tight pins make your package
    impossible to install next to others, and users cannot take a security fix of the dependency
    until you release.

    ## Example
    ```toml
    dependencies = ["requests==2.31.0", "pydantic<2.6"]
    ```

    ## Use instead
    ```toml
    dependencies = ["requests>=2.31", "pydantic>=2.4"]
    ```

    ## Fix
    Keep lower bounds; pin in a lock file for your own CI instead.
    """
    if p.packaging.tool_install_page:
        return  # a program in an environment of its own: it shares none with other packages
    siblings = {canonical(d.rsplit("/", 1)[-1]) for d in p.repo.subproject_dirs}
    siblings |= p.repo.workspace_names  # a member's fellow members, released with it
    for dep in p.packaging.runtime_deps:
        if dep.marker and OLD_PYTHONS.search(dep.marker):
            continue  # the last release for Pythons the dependency dropped: nothing newer exists
        spec = _caps_below_major(dep)
        if (
            spec is not None
            and dep.name not in siblings
            and not _cap_explained(p, dep)
            and not _compiled_against(p, dep)
        ):
            yield _dep_violation(
                p, dep, f"`{dep.raw}`: a library should not constrain `{dep.name}` to `{spec}`"
            )


@rule(
    "DEP004",
    "application-upper-bound",
    kinds="A S",
    severity="I",
    source="Lesson: NumPy 2.0 broke many projects whose dependencies had no upper bound; pip docs: https://pip.pypa.io/en/stable/topics/repeatable-installs/",
)
def application_upper_bound(p: Project) -> Iterator[Violation]:
    """An application's dependency has no upper bound and no lock file pins it.

    ## What it does
    Reports runtime dependencies of an application or service without `<`, `<=`, `~=` or `==`
    when the repository has no lock file.

    ## Why it matters
    The next major release of a dependency may break the application; with neither a lock nor a
    cap, the next deployment installs it.

    ## Example
    ```toml
    dependencies = ["pydantic>=2.5"]
    ```

    ## Use instead
    ```toml
    dependencies = ["pydantic>=2.5,<3"]
    ```

    ## Fix
    Add a lock file (preferred, DEP002) or cap each dependency below its next major.
    """
    if p.packaging.lock_paths:
        return
    for dep in p.packaging.runtime_deps:
        if dep.url is None and not dep.operators & {"<", "<=", "~=", "==", "==="}:
            yield _dep_violation(p, dep, f"`{dep.raw}` has no upper bound and no lock file pins it")


@rule(
    "DEP005",
    "heavy-core-dependency",
    severity="I",
    source="Lesson: torch, torchvision and opencv as core dependencies made installs take 5+ minutes and 2 GB, against 10 seconds once moved to an extra.",
)
def heavy_core(p: Project) -> Iterator[Violation]:
    """A heavy framework is a core dependency instead of an extra.

    ## What it does
    Reports torch, tensorflow, jax, opencv, transformers and similar multi-hundred-megabyte
    frameworks in `[project] dependencies`, unless the package is built on the framework:
    `import package` loads it (its `__init__` reaches it through the package's own imports), or
    its modules import it at the top in a fifth of them or more (a speech model on torch, a
    trainer on transformers), so no part of it would work without the framework. It is
    information, not a warning: whether the framework is optional to what the package is for
    is a design question a reading of the code cannot settle (on 187 labelled repositories every
    finding of it was a package built on its framework, or a matter of taste).

    ## Why it matters
    Every install, CI job and container pays gigabytes and minutes for them, even for commands
    that never touch them (one project's install went from 5 minutes to 10 seconds once they moved).

    ## Example
    ```toml
    dependencies = ["numpy>=1.24", "torch>=2.0"]
    ```

    ## Use instead
    ```toml
    dependencies = ["numpy>=1.24"]

    [project.optional-dependencies]
    ml = ["torch>=2.0"]
    ```

    ## Fix
    Move it to an extra and import it lazily where it is used.
    """
    own = p.packaging.project_name or ""
    loaded: set[str] | None = None  # what `import package` loads, read once when needed
    for dep in p.packaging.runtime_deps:
        if dep.name not in HEAVY or own.startswith(dep.name.split("-")[0]):
            continue
        if dep.name in _required_by_others(p, dep.name):
            continue  # `jaxlib` beside jax: installed with the other core dependency anyway
        if loaded is None:
            loaded = loaded_at_import(p, package_inits(p))
        if not _built_on(p, dep.name, loaded):
            yield _dep_violation(
                p,
                dep,
                f"`{dep.name}` is a heavy framework in core dependencies; move it to an extra",
            )


def _required_by_others(p: Project, name: str) -> set[str]:
    """What the other runtime dependencies always install."""
    others = {d.name for d in p.packaging.runtime_deps} - {name}
    return with_requirements(others) - others


def _built_on(p: Project, distribution: str, loaded: set[str]) -> bool:
    """True when the package is built on the framework: importing the package loads it (it is
    among `loaded`, what the top `__init__` modules reach through their own imports), or its
    modules import it at the top in a fifth of them or more (at least two), so no part of the
    package works without it."""
    files = p.packaging.package_files
    if any(distribution in candidate_distributions(m) for m in loaded):
        return True
    users = 0
    for _, facts in p.sources.facts_for(files):
        if any(
            not (item.in_function or item.guarded or item.type_only)
            and distribution in candidate_distributions(item.module)
            for item in facts.imports
        ):
            users += 1
    return users >= max(2, len(files) / 5)


@rule(
    "DEP006",
    "dev-tool-runtime-dependency",
    fix="safe",
    source="PEP 735 (dependency groups); PEP 621 (optional-dependencies)",
)
def dev_tool_runtime(p: Project) -> Iterator[Violation]:
    """A development tool is a runtime dependency.

    ## What it does
    Reports pytest and its plugins, ruff, black, mypy, pre-commit, coverage, tox, nox, bandit,
    pip-audit and similar tools in `[project] dependencies`. A plug-in of the tool (a pytest
    plug-in depending on pytest), and a tool the package's own code imports (pytest-cov runs
    coverage), are not reported; nor is anything of a project that is never built (a virtual
    uv project, `[tool.uv] package = false`), whose dependencies are only its contributors'
    environment.

    ## Why it matters
    Every user installs your test and lint tool chain, with its pins, into their environment.

    ## Example
    ```toml
    dependencies = ["httpx>=0.27", "pytest>=8"]
    ```

    ## Use instead
    ```toml
    dependencies = ["httpx>=0.27"]

    [dependency-groups]
    dev = ["pytest>=8"]
    ```

    ## Fix
    Safe: moves the requirement into the `dev` dependency group (or extra, if that is what the
    project uses).
    """
    if p.packaging.not_packaged:
        return  # never built or installed: its dependencies are the contributors' environment
    own = p.packaging.project_name or ""
    hosts = {
        tool
        for group, tool in PLUGIN_GROUPS.items()
        if group in as_table(p.packaging.declared.get("entry-points"))
    }
    imported: set[str] | None = None
    for dep in p.packaging.runtime_deps:
        tool = "pytest" if dep.name.startswith("pytest") else dep.name
        if (
            tool not in DEV_TOOLS | {"pytest"}
            or tool in hosts
            or own.startswith(tool)
            or tool in own.split("-")
        ):
            continue
        imported = _imported_distributions(p) if imported is None else imported
        if dep.name in imported:
            continue  # the package's own code uses it (pytest-cov runs coverage): a real need
        yield _dep_violation(
            p, dep, f"`{dep.name}` is a development tool; move it to a dev group or extra"
        )


@rule(
    "DEP010", "broken-extra-reference", source="PEP 621 (optional-dependencies); PEP 508 (extras)"
)
def broken_extra_reference(p: Project) -> Iterator[Violation]:
    """An extra refers to the project itself with a misspelt name or an extra that does not exist.

    ## What it does
    Checks self-references such as `all = ["example[test,docs]"]`: the name must be the project's
    own (a near-miss is a typo that installs a different package from the index), and each extra
    it names must exist.

    ## Why it matters
    A misspelt self-reference installs whatever package holds that name, or fails; a missing extra
    is silently ignored by pip, so `pip install .[dev]` lacks the tools it promised.

    ## Example
    ```toml
    [project]
    name = "example"
    [project.optional-dependencies]
    test = ["pytest"]
    dev = ["exmaple[test]"]
    ```

    ## Use instead
    ```toml
    dev = ["example[test]"]
    ```

    ## Fix
    Correct the name or the extra.
    """
    own = p.packaging.project_name
    if own is None or p.repo.pyproject is None:
        return
    extras = set(p.packaging.optional_deps)
    groups = [*p.packaging.optional_deps.values(), *p.packaging.dependency_groups.values()]
    for dep in (d for deps in groups for d in deps):
        if dep.name == own:
            for extra in sorted(dep.extras - extras):
                yield _dep_violation(
                    p, dep, f"`{dep.raw}` names the extra `{extra}`, which {own} does not define"
                )
        elif dep.extras and dep.extras <= extras and _near(dep.name, own):
            yield _dep_violation(
                p, dep, f"`{dep.raw}` looks like a misspelt self-reference to `{own}`"
            )


def _near(a: str, b: str) -> bool:
    """True when two names differ by at most two edits (and are not equal)."""
    if a == b or abs(len(a) - len(b)) > 2:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1] <= 2


@rule(
    "DEP011",
    "requirements-txt-library",
    kinds="L",
    source="PEP 621; PyPA, install_requires vs requirements files: https://packaging.python.org/en/latest/discussions/install-requires-vs-requirements/",
)
def requirements_txt_library(p: Project) -> Iterator[Violation]:
    """A library keeps its dependencies in `requirements.txt` instead of `[project] dependencies`.

    ## What it does
    Reports a library whose `[project]` declares no dependencies (statically or as `dynamic`)
    while `requirements.txt` lists some that the package imports and nothing else declares (the
    imports DEP007 would report). A requirements.txt of contributors' tools (pytest, tox, build)
    is a development environment, not the library's list, and stays quiet.

    ## Why it matters
    `pip install example` reads the metadata, not requirements.txt: users get a package that
    fails with `ModuleNotFoundError` on first import.

    ## Example
    ```text
    requirements.txt: requests>=2.31
    pyproject.toml:   [project] with no dependencies
    ```

    ## Use instead
    ```toml
    [project]
    dependencies = ["requests>=2.31"]
    ```

    ## Fix
    Move the requirements into `[project] dependencies` (keep a lock for CI if you need one).
    """
    if (
        not p.packaging.has_project_table
        or "dependencies" in p.packaging.meta
        or "dependencies" in p.packaging.dynamic
    ):
        return
    listed = names_in_requirements_text(p.repo.read("requirements.txt") or "")
    if not p.repo.exists("requirements.txt") or not listed:
        return
    # a contributor's environment (pytest, tox, an integration's ipython) is no library's
    # list: the package must import something only this file declares (or have no code to read)
    missing = {
        d for _, _, module in _undeclared_imports(p) for d in candidate_distributions(module)
    }
    if not p.packaging.package_files or listed & missing:
        yield at_line(
            "requirements.txt",
            "the library's requirements live here, not in [project] dependencies: pip install will not see them",
        )


VERSION_FILES = (
    ("tool", "hatch", "build", "hooks", "vcs", "version-file"),
    ("tool", "setuptools_scm", "write_to"),
    ("tool", "setuptools_scm", "version_file"),
    ("tool", "pdm", "version", "write_to"),
)


def _first_party(p: Project) -> set[str]:
    """Names that belong to the repository itself: every module and folder of it, and the version
    files build hooks generate."""
    names = set(p.packaging.package_dirs)
    for path in p.sources.python_files:
        names.update(path.removesuffix(".py").split("/"))
    for keys in VERSION_FILES:
        value = p.repo.pyproject.get(*keys) if p.repo.pyproject else None
        if isinstance(value, str):
            names.add(value.rsplit("/", 1)[-1].removesuffix(".py"))
    if p.packaging.project_name:
        names.add(p.packaging.project_name.replace("-", "_"))
    return names


def _third_party(
    p: Project, paths: list[str], *, module_level: bool = False
) -> Iterator[tuple[str, int, str, bool, tuple[str, ...]]]:
    """(path, line, module, optional, names) for every third-party import in the files; a plug-in
    module may import its host (pydantic's hypothesis plug-in imports hypothesis)."""
    local = _first_party(p)
    hosts = _plugin_hosts(p)
    guarded = _guarded_in_package(p)
    for path, facts in p.sources.facts_for(paths):
        optional = optional_modules(facts.imports) | hosts.get(path, set())
        checked = guarded.union(facts.checked_modules)
        # a private helper whose call a `try` of the file guards with `except ImportError`
        # (`_load_ips_psutil()`): the imports inside the file's functions are optional
        lazy_guarded = any(kind in IMPORT_ERRORS for c in facts.catches for kind in c.kinds)
        for item in facts.imports:
            if (
                item.level
                or not item.module
                or item.type_only
                or is_stdlib(item.module)
                or item.top in local
            ):
                continue
            if module_level and item.in_function:
                continue
            lazy_and_checked = item.in_function and (lazy_guarded or item.top.lower() in checked)
            yield path, item.line, item.module, item.top in optional or lazy_and_checked, item.names


@per_project
def _guarded_in_package(p: Project) -> frozenset[str]:
    """The third-party modules (lower-case) the package imports behind a guard somewhere
    (`try: import structlog except ImportError`): the package treats them as optional, and
    its imports of them inside functions elsewhere belong to that optional feature (stamina's
    `init_structlog()`, installed only where its hooks found structlog)."""
    return frozenset(
        item.top.lower()
        for _, facts in p.sources.facts_for(p.packaging.package_files)
        for item in facts.imports
        if item.guarded and not item.level
    )


PLUGIN_HOSTS = {
    "pytest11": "pytest",
    "flake8.extension": "flake8",
    "console_scripts": "",
    "gui_scripts": "",
}


@per_project
def _plugin_hosts(p: Project) -> dict[str, set[str]]:
    """Files of modules registered in another tool's entry-point group, with that tool's name."""
    groups = p.packaging.declared.get("entry-points")
    found: dict[str, set[str]] = {}
    for group, targets in groups.items() if isinstance(groups, dict) else []:
        host = PLUGIN_HOSTS.get(group, str(group).split(".")[0])
        for target in targets.values() if isinstance(targets, dict) else []:
            module = str(target).partition(":")[0].strip().replace(".", "/")
            for path in p.packaging.package_files:
                if host and path.endswith((f"{module}.py", f"{module}/__init__.py")):
                    found.setdefault(path, set()).add(host)
    return found


@per_project
def _loaded_modules(p: Project) -> tuple[set[str], set[str], set[str]]:
    """The package's modules that something loads (`__init__` and `__main__` modules, what
    console scripts run, every module another module, a test or a conftest imports unguarded),
    those imported only behind `try/except ImportError` (optional by construction), and those
    of the first kind that the package itself imports only inside functions (loaded when a
    feature is used: `instrument_aiohttp()` importing its integration)."""
    dotted = {path: dotted_name(p, path) for path in p.packaging.package_files}
    wanted: dict[bool, set[str]] = {True: set(), False: set()}
    tests = set(p.packaging.test_files)
    for path, facts in p.sources.facts_for([*p.packaging.package_files, *tests]):
        here = dotted.get(path, "")
        skipped = _skipped_unless(p, path) if path in tests else ()
        for item in facts.imports:
            if item.type_only:
                continue  # under `if TYPE_CHECKING:`: never run, loads nothing
            base = resolve(here, path, item.level, item.module)
            # a test module that `importorskip`s the module imports it only where it imports
            bucket = wanted[item.guarded or any(_within(base, m) for m in skipped)]
            bucket.add(base)
            bucket.update(f"{base}.{name.split(' as ')[0]}" for name in item.names)

    # importing `a.b.c` loads `a` and `a.b` too
    reached = {kind: _with_parents(names) for kind, names in wanted.items()}
    loaded, guarded = set(), set()
    for path, name in dotted.items():
        always = path.endswith(("/__init__.py", "/__main__.py")) or path in p.sources.script_modules
        if always or name in reached[False]:
            loaded.add(path)
        elif name in reached[True]:
            guarded.add(path)
    roots = [*package_inits(p), *p.sources.script_modules]
    return loaded, guarded, loaded - files_loaded_at_import(p, roots)


IMPORT_OR_SKIP = re.compile(r"""importorskip\([ \t]*["']([\w.]+)["']""")


def _skipped_unless(p: Project, path: str) -> tuple[str, ...]:
    """The modules a test file skips itself (or its tests) without: `pytest.importorskip(
    "flask_wtf.i18n")` makes its imports of that module optional."""
    text = p.repo.read(path) or ""
    if "importorskip" not in text:
        return ()
    return tuple(m.group(1) for m in IMPORT_OR_SKIP.finditer(text))


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _with_parents(names: set[str]) -> set[str]:
    found: set[str] = set()
    for name in names:
        parts = name.split(".")
        found.update(".".join(parts[:size]) for size in range(1, len(parts) + 1))
    return found


@per_project
def _importing_files(p: Project) -> list[str]:
    """The files whose imports use the runtime dependencies: the package, its entry points and
    (for an application) its other scripts (`microblog.py` beside the `api` package); for a
    project that is never built, its tests and scripts too."""
    files = [*p.packaging.package_files, *p.sources.entry_modules, *_shipped_test_helpers(p)]
    if p.packaging.not_packaged:  # never built: its dependencies serve its tests and scripts
        files += [*p.sources.runtime_files, *p.packaging.test_files]
    elif p.kind is not Kind.LIBRARY:  # an application's scripts run beside its package
        files += [f for f in p.sources.runtime_files if not NOT_PRODUCT.search(f)]
    return sorted(set(files))


def _shipped_test_helpers(p: Project) -> list[str]:
    """The package's own test helpers, shipped with it (`oscar/test/factories/`, which import
    factory-boy for the users' tests): modules in a package folder that are not test modules or
    conftests."""
    inside = tuple(
        f"{folder}/" for folder in p.packaging.package_dirs.values() if not folder.endswith(".py")
    )
    return [
        f
        for f in p.packaging.test_files
        if f.startswith(inside) and not is_test_module(f) and not is_conftest(f)
    ]


def _unknown_distributions(p: Project, names: set[str]) -> set[str]:
    """The declared distributions whose wheels the data file never read, so what they provide
    is unknown (the project's own and its workspace's projects are known by their code)."""
    own = {p.packaging.project_name, *p.repo.workspace}
    return {name for name in names if name not in own and not provides_known(name)}


@per_project
def _unresolved_imports(p: Project) -> bool:
    """True when the package imports a third-party module no distribution the data file read
    provides: an unknown declared distribution may be what provides it."""
    return any(not provider_known(m) for _, _, m, _, _ in _third_party(p, _importing_files(p)))


@per_project
def _imported_distributions(p: Project) -> set[str]:
    """The distributions that could provide a module the package imports (`_importing_files`)."""
    imported: set[str] = set()
    tops: set[str] = set()
    modules: set[str] = set()
    for _, facts in p.sources.facts_for(_importing_files(p)):
        for item in facts.imports:
            if not item.level:
                tops.add(item.top)
                modules.add(item.module)
                modules.update(f"{item.module}.{name}" for name in item.names)
    cython = set(_cython_imports(p))  # what the package's extensions import or cimport
    modules |= cython
    tops |= {m.split(".", 1)[0] for m in cython}
    for module in modules:
        imported |= candidate_distributions(module)
    declared = {d.name for d in p.packaging.runtime_deps} - imported
    imported |= {d for d in declared if any(named_within(top, {d}) for top in tops)}
    # a distribution named for a module of a shared namespace (`langgraph.prebuilt` of
    # langgraph-prebuilt, beside the package's own `langgraph`)
    imported |= declared & _dotted_names(modules, 2)
    # a meta-package (its wheel installs no module: pyobjc) is used through a module of what it
    # installs (`from AppKit import NSScreen`, of pyobjc-framework-cocoa)
    imported |= {
        d
        for d in declared - imported
        if installs_no_module(d) and with_requirements({d}) & imported
    }
    # an older release than the data read may have provided a module named by a word of the
    # distribution's name (pypika-tortoise 0.3 provided `pypika`, 0.6 `pypika_tortoise`)
    imported |= {
        d for d in declared - imported if any(_older_release_of(p, top, {d}) for top in tops)
    }
    # a dependency's module that is the back end of another library's module it names:
    # `from torch.utils.tensorboard import SummaryWriter` loads tensorboard, which torch does
    # not install
    local = _first_party(p)
    inner = {
        part
        for m in modules
        if not (m.split(".", 1)[0] in local or is_stdlib(m))
        for part in m.split(".")[1:]
    }
    imported |= {d for d in declared - imported if module_guesses(d) & inner}
    return imported


CYTHON_SOURCES = (".pyx", ".pxd")


@per_project
def _cython_imports(p: Project) -> dict[str, bool]:
    """The absolute modules the package's Cython sources (`.pyx`, `.pxd`) import, each with
    whether they cimport it: `from preshed.maps cimport PreshMap` compiles against preshed's
    declarations and loads preshed at run time."""
    inside = tuple(
        f"{folder}/" for folder in p.packaging.package_dirs.values() if not folder.endswith(".py")
    )
    found: dict[str, bool] = {}
    for path in p.repo.own_files:
        if path.endswith(CYTHON_SOURCES) and path.startswith(inside):
            for module, compiled in cython_imports(p.repo.read(path) or "").items():
                found[module] = found.get(module, False) or compiled
    return found


def _compiled_against(p: Project, dep: Dependency) -> bool:
    """True when the package's extensions compile against the dependency: the build requires
    it too and a Cython source cimports one of its modules (thinc's `from preshed.maps cimport
    PreshMap`), so the built wheel is bound to the binary interface of the release line it
    was compiled with."""
    if dep.name not in p.packaging.build_requires:
        return False
    return any(
        compiled and dep.name in candidate_distributions(module)
        for module, compiled in _cython_imports(p).items()
    )


def _named_in_code(text: str, distribution: str) -> bool:
    """True when the package names the distribution's module in a string (`-m virtualenv`,
    `'-mnodeenv'`, `files("pyproject_hooks._in_process")`, `import_module("x")`, a database URL's
    driver `"postgresql+psycopg://"`) or in an entry point of its own (`sp-repo-review = "repo_review.__main__:main"`): it is used by name, not imported."""
    for module in module_guesses(distribution):
        if module not in text:
            continue
        # the whole string is the module, a submodule or an entry-point target: not prose
        quoted = re.compile(
            rf"""["'](?:-m)?{re.escape(module)}(?:\.[\w.]+)?(?::[\w.]+)?["']"""
            # a database driver SQLAlchemy loads from a URL: "postgresql+psycopg://…"
            rf"""|["'][a-z0-9]+\+{re.escape(module)}(?::/|["'])"""
        )
        if quoted.search(text):
            return True
    return False


def _package_texts(p: Project) -> str:
    """The package's modules, its console-script targets, the Django settings it names outside
    itself and its installation instructions (the README and the documentation's installation
    pages, which tell users what to put in their own settings: `'django_cleanup.apps.
    CleanupConfig'` in `INSTALLED_APPS`), as one text (read once)."""
    scripts = p.packaging.declared.get("scripts")
    texts = [f'"{v}"' for v in scripts.values()] if isinstance(scripts, dict) else []
    package = "\n".join(texts + [p.repo.read(path) or "" for path in p.packaging.package_files])
    settings = [p.repo.read(path) or "" for path in _settings_files(p, package)]
    return "\n".join([package, *settings, *(p.repo.read(page) or "" for page in _install_pages(p))])


def _install_pages(p: Project) -> list[str]:
    """The README and the installation pages of the documentation (`docs/install.rst`)."""
    readme = p.repo.first(*README_FILES)
    pages = [readme] if readme else []
    return pages + sorted(f for f in p.repo.own_files if INSTALL_PAGE.match(f))


# `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings.main")`,
# `os.environ["DJANGO_SETTINGS_MODULE"] = "settings.main"`
DJANGO_SETTINGS = re.compile(r"""DJANGO_SETTINGS_MODULE["'](?:\s*,|\s*\]\s*=)\s*["']([\w.]+)["']""")


def _settings_files(p: Project, package: str) -> list[str]:
    """The files of the Django settings the package's own code names (`os.environ.setdefault(
    "DJANGO_SETTINGS_MODULE", "settings.main")` in wger's `wger/wsgi.py`) that lie outside the
    package (wger's `settings/` at the repository root): Django loads the apps, middleware and
    back ends they name by their dotted names. A settings module in a package brings the
    package's other modules (they import one another: `from .settings_global import *`); a
    settings module only a demo or test project names (`sandbox/manage.py`) is not read."""
    if "DJANGO_SETTINGS_MODULE" not in package:
        return []
    roots = {""} | {folder.rpartition("/")[0] for folder in p.packaging.package_dirs.values()}
    inside = set(p.packaging.package_files)
    tests = set(p.packaging.test_files)
    found: set[str] = set()
    for module in {m.group(1) for m in DJANGO_SETTINGS.finditer(package)}:
        stem = module.replace(".", "/")
        for root in sorted(roots):
            base = f"{root}/{stem}" if root else stem
            if p.repo.exists(f"{base}.py"):
                folder = base.rpartition("/")[0]
                found |= _package_modules(p, folder) if folder else {f"{base}.py"}
            elif p.repo.exists(f"{base}/__init__.py"):
                found |= _package_modules(p, base)
    return sorted(found - inside - tests)


def _package_modules(p: Project, folder: str) -> set[str]:
    """The Python modules directly in a folder."""
    return {f for f in p.sources.python_files if f.rpartition("/")[0] == folder}


def _declared(names: set[str], module: str, imported: tuple[str, ...] = ()) -> bool:
    """True when some declared distribution provides the module (or, for namespace packages such
    as `google.cloud`, one of the submodules imported from it)."""
    modules = [module, *(f"{module}.{name}" for name in imported)]
    return any(candidate_distributions(m) & names for m in modules) or named_within(module, names)


@rule("DEP007", "undeclared-import", severity="W", source="deptry DEP001", peers=("deptry:DEP001",))
def undeclared_import(p: Project) -> Iterator[Violation]:
    """The package imports a third-party module that no dependency declares.

    ## What it does
    Reads every import of the package (not tests), leaves out the standard library, the
    project's own modules, imports under `TYPE_CHECKING`, imports guarded by
    `try: … except ImportError`, by a context manager that catches the missing import (`with
    contextlib.suppress(ImportError):`, `with try_import():`, haystack's `with LazyImport(…) as
    boto3_import:`) or by a check that the module is there (`if
    is_torch_available():`, `if find_spec("x")`, `if _HAS_X:`, an early `return` when it is
    not, `if __name__ == "__main__":`), and maps the rest to distributions: the same name, a
    usual affix (`python-`, `py`, `-py`), or the name real wheels give (`yaml` is PyYAML, `cv2`
    opencv-python, `rpds` rpds-py; `data/import_names.json`, generated from PyPI by
    `scripts/import_names.py`). A module that no core dependency or extra declares, and that
    none of them always installs (read from their wheels' metadata, or from the project's lock,
    which records the releases it installs), is reported, unless its top-level name is a word
    of the name of a dependency the project installs at an older release than the one the data
    read (by its lock or an exact pin: pypika-tortoise 0.3 provided `pypika`) and no
    distribution the project declares itself, or the comment of a bounded requirement names it
    (`"setuptools < 82",  # require pkg_resources`). A module the
    package (or its tests) imports only behind a guard makes its imports optional, as does a
    plug-in nothing imports whose name says its host loads it (`_hypothesis_plugin.py`,
    `pytestplugin.py`, a gunicorn or celery `workers.py`) or that defines the function its
    host calls (`load_ipython_extension`, for IPython's `%load_ext pgcli.magic`; Jupyter
    Server's `_load_jupyter_server_extension`), a script nothing imports (a module
    with an `if __name__ == "__main__":` block, run by hand) and a module nothing imports in a
    folder of the package that is no package itself (a task folder whose configurations load
    modules by file) when no file of that folder names it; a test module that skips itself
    unless a module imports (`pytest.importorskip("pkg.i18n")`) does not make that module
    required. An import inside a function is optional in a file that tests the module's
    availability elsewhere (a class whose `__init__` checks `is_nltk_available()` for a
    method's lazy import), in a file that calls a private helper under `except ImportError`
    (`try: return _load_ips_psutil() except ImportError: …`), and wherever the package imports
    the module behind a guard in another place (stamina's `init_structlog()`, installed only where its hooks found structlog); the
    package's test helpers (`testing.py`, `_test_utils.py`) may import what its tests' groups
    declare; `TYPE_CHECKING` imports load nothing. When a declared distribution is one whose
    wheel the data file never read (a private or rare package) and no read distribution
    provides the module, the module may well come from it: prodready cannot tell, and stays
    quiet.

    ## Why it matters
    It works on the developer's machine, where the module happens to be installed, and fails with
    `ModuleNotFoundError` for every user who installs the package.

    ## Example
    ```python
    import yaml   # pyproject declares only requests
    ```

    ## Use instead
    ```toml
    dependencies = ["requests>=2.31", "pyyaml>=6"]
    ```

    ## Fix
    Declare the distribution (in an extra, and guard the import, when it is optional).
    """
    if not p.packaging.has_project_table or "dependencies" in p.packaging.dynamic:
        return
    for path, line, module in _undeclared_imports(p):
        yield at_line(path, f"`{module}` is imported but no dependency provides it", line)


@per_project
def _undeclared_imports(p: Project) -> list[tuple[str, int, str]]:
    """(path, line, module) of the package's imports no declared dependency provides, past
    every optional, integration and plug-in form (one per top-level module)."""
    found: list[tuple[str, int, str]] = []
    runtime = {d.name for d in p.packaging.runtime_deps}
    extras = {d.name for deps in p.packaging.optional_deps.values() for d in deps}
    if p.kind is not Kind.LIBRARY:  # an application is installed with its groups (`uv sync`)
        extras |= {d.name for deps in p.packaging.dependency_groups.values() for d in deps}
    installed = _installed(p, runtime | extras)
    unknown = _unknown_distributions(p, runtime | extras)
    everything: set[str] | None = None  # what any file declares, for test helpers
    reported: set[str] = set()
    graph: tuple[set[str], set[str], set[str]] | None = None  # built once an import is undeclared
    for path, line, module, optional, imported in _third_party(p, p.packaging.package_files):
        top = module.split(".")[0]
        if optional or top in reported or _declared(installed, module, imported):
            continue
        if _test_helper(path):  # the package's own test helpers (`pkg/testing/`, `_test_utils.py`)
            everything = everything or _installed(p, set(p.packaging.mentioned_names))
            if _declared(everything, module, imported):
                continue
        if unknown and not provider_known(module):
            continue  # may come from a declared distribution whose wheel prodready never read
        if _version_from_build(p, path, module, imported):
            continue
        if _declared(_installed(p, _folder_requirements(p, path)), module, imported):
            continue  # the folder's own requirements file (maintainers' scripts) declares it
        if _installed_as_locked(p, runtime | extras, module, imported) or _older_release_of(
            p, module, runtime | extras
        ):
            continue  # the releases the project installs bring it, as its lock or pins say
        if _comment_names_module(p, module, runtime | extras):
            continue  # `"setuptools < 82",  # require pkg_resources`: the cap keeps the module
        loaded, guarded, lazy = graph = graph or _loaded_modules(p)
        name = path.rsplit("/", 1)[-1]
        if (path not in loaded or path in lazy) and _integration_of(p, path, module):
            continue  # a feature's integration with a library the user brings (and its own)
        if path not in loaded and (
            path in guarded
            or HOST_LOADED.search(name)
            or HOST_HOOK.search(p.repo.read(path) or "") is not None
            or _named_for(name, top)
            or path in _plugin_hosts(p)  # registered in another tool's entry-point group
            or p.sources.facts[path].runs_as_script
            or _unreachable(p, path)
        ):
            # loaded optionally (behind an import guard), a plug-in its host loads by name
            # (`_hypothesis_plugin.py`, gunicorn's `-k uvicorn.workers.UvicornWorker`), a
            # script nothing imports, run by hand (`python tasks/make_configs.py`), or a module
            # of a folder that is no package which nothing beside it names (dead code)
            continue
        reported.add(top)
        found.append((path, line, module))
    return found


def _test_helper(path: str) -> bool:
    """True for a module of test helpers: in a folder named `test…`, or named so itself, also
    behind an underscore (`pkg/testing.py`, `pkg/_test_utils.py`)."""
    return is_test_support(path) or path.rsplit("/", 1)[-1].lstrip("_").startswith("test")


def _unreachable(p: Project, path: str) -> bool:
    """True for a module (that nothing imports) of a folder inside a regular package that is no
    package itself (no `__init__.py`: task folders whose configurations load modules by file,
    `!function utils.process`) when no file of that folder names it: nothing can load it."""
    folder, _, name = path.rpartition("/")
    parent = folder.rpartition("/")[0]
    if p.repo.exists(f"{folder}/__init__.py") or not p.repo.exists(f"{parent}/__init__.py"):
        return False  # a package's module, or a namespace package's: importable by its name
    stem = name.removesuffix(".py")
    word = re.compile(rf"\b{re.escape(stem)}\b")
    siblings = (f for f in p.repo.files if f.rpartition("/")[0] == folder and f != path)
    return not any(word.search(p.repo.read(f) or "") for f in siblings)


def _folder_requirements(p: Project, path: str) -> set[str]:
    """What the requirements files beside a file, or in a folder above it below the root,
    declare (`dateparser_scripts/requirements.txt` for the maintainers' data scripts)."""
    by_folder = _requirements_by_folder(p)
    names: set[str] = set()
    folder = path.rpartition("/")[0]
    while folder:
        names |= by_folder.get(folder, set())
        folder = folder.rpartition("/")[0]
    return names


@per_project
def _requirements_by_folder(p: Project) -> dict[str, set[str]]:
    """The names each folder's own `requirements*.txt` files declare (not the root's), read once."""
    found: dict[str, set[str]] = {}
    for path in p.repo.files:
        folder, _, name = path.rpartition("/")
        if folder and name.startswith("requirements") and name.endswith(".txt"):
            found.setdefault(folder, set()).update(
                names_in_requirements_text(p.repo.read(path) or "")
            )
    return found


VERSION_MODULES = frozenset({"_version.py", "version.py", "__version__.py", "_version_info.py"})


def _version_from_build(p: Project, path: str, module: str, imported: tuple[str, ...]) -> bool:
    """True for the version module importing a tool the build requires (`from versioningit
    import get_version` in `_version.py`): the build writes the version there, and the import
    only runs in a checkout, where the build tool is installed."""
    return path.rsplit("/", 1)[-1] in VERSION_MODULES and _declared(
        _installed(p, set(p.packaging.build_requires)), module, imported
    )


@rule("DEP008", "unused-dependency", source="deptry DEP002", peers=("deptry:DEP002",))
def unused_dependency(p: Project) -> Iterator[Violation]:
    """A declared runtime dependency is never imported by the package.

    ## What it does
    Reports `[project] dependencies` that no module of the package imports under any name the
    distribution is known to provide (its Cython sources, `.pyx` and `.pxd`, count: `import` and
    `cimport` alike). Distributions people depend on without importing them are
    left alone: type stubs, pytest and flake8 plug-ins, servers run as programs (uvicorn,
    gunicorn), drivers loaded by name (psycopg2-binary, the Arrow drivers `adbc-driver-*`),
    and backports (of a module removed from the standard library too: pyasynchat for
    `asynchat`); so are distributions the
    package names as a module in a string (`"-m", "virtualenv"`, `files("pkg.data")`; also in
    the Django settings the package names outside itself, `DJANGO_SETTINGS_MODULE` =
    `settings.main` of a `settings/` package at the root listing `'corsheaders'` in
    `INSTALLED_APPS`, and in its installation instructions, the README or `docs/install.rst`
    telling users to add `'django_cleanup.apps.CleanupConfig'`) or in a
    console script or entry point (by its module's dotted name), the dependencies of a
    meta-package (whose modules import nothing), a distribution named as a part of the
    package's own namespace (langgraph-prebuilt beside `langgraph`, installing
    `langgraph.prebuilt`), a requirement whose comment (on its line, or the comment lines
    directly above it) names the declared dependency it is there for (`"tenacity>=8.2",  #
    undeclared dependency of litellm`), a
    meta-package dependency (its wheel installs no module: pyobjc) the package uses through a
    module of what it installs (`AppKit`, of pyobjc-framework-cocoa), what the project's lock
    records another runtime dependency requiring (six, required by the flask-marshmallow 0.10.1
    the lock pins though not by the newest release), a dependency installed at an older
    release than the data read when the package imports a module named by a word of its name
    (`pypika` of pypika-tortoise 0.3), distributions a task runner or CI runs as a module (`python -m pysassc` of
    libsass in a Makefile), a back end the package reaches through another library's module
    named for it (`torch.utils.tensorboard` of tensorboard), a server a PasteDeploy
    configuration or its template loads (`use = egg:waitress#main`), floors on what another
    declared dependency requires (`pluggy>=1.2` beside pytest) or what an extra the project asks of one installs (`watchfiles` of
    `uvicorn[standard]`), and what a feature extra of a dependency the package imports requires
    (`jinja2` of `starlette[full]`: declared to turn that feature on). A distribution whose
    wheel the data file never read may provide any module: it is left alone while the package
    imports a module no read distribution provides.

    ## Why it matters
    Every user installs it for nothing, it widens the attack surface, and it constrains their
    environment's resolution.

    ## Example
    ```toml
    dependencies = ["requests>=2", "rich>=13"]   # rich is never imported
    ```

    ## Use instead
    ```toml
    dependencies = ["requests>=2"]
    ```

    ## Fix
    Remove it, or move it to the extra that uses it. If it is used without an import (a plug-in,
    a program the code runs), ignore DEP008 for it with that reason.
    """
    if not p.packaging.package_files or _imports_nothing(p):
        return  # a meta-package (its modules hold a version): its dependencies are its content
    for dep in _unused_dependencies(p).values():
        yield Violation(
            f"`{dep.name}` is declared but the package never imports it (if it is a plug-in or a program, say so in an ignore)",
            dep.file,
            _dep_line(p, dep),
            1,
        )


@rule(
    "DEP009",
    "undeclared-test-import",
    source="Lesson: pytest did not find the tests until the test extra was installed with pip install -e .[test]; PEP 735 (dependency groups)",
)
def undeclared_test_import(p: Project) -> Iterator[Violation]:
    """The tests import a third-party module that no dependency, extra or group declares.

    ## What it does
    Reads the module-level imports of the test files and reports third-party modules that neither
    the runtime dependencies nor any extra, dependency group, requirements file, Hatch
    environment (in pyproject.toml or `hatch.toml`; `hatch test` brings pytest), tox, nox or CI
    file declares, or that one of those always installs (by their wheels' metadata or the
    project's lock), or that an older release of one of them the project installs may provide
    (as DEP007 says); pytest itself is no such module (it is
    installed wherever it collects the tests). Only files pytest imports are read:
    conftests, modules matching `python_files` and the support modules they import (a stress
    script or a file only a type checker reads is not). Imports inside test functions are left
    alone: tests import modules they create at run time, and optional ones behind `importorskip`.
    As for DEP007, a module no distribution the data file read provides is left alone while a
    declared distribution is one it never read.

    ## Why it matters
    A new contributor follows the README, runs `pytest`, and gets `ModuleNotFoundError` during
    collection.

    ## Example
    ```python
    # tests/test_api.py
    import respx   # declared nowhere
    ```

    ## Use instead
    ```toml
    [dependency-groups]
    test = ["pytest>=8", "respx>=0.21"]
    ```

    ## Fix
    Add it to the test extra or dependency group.
    """
    if not p.packaging.test_files:
        return
    declared = _installed(p, set(p.packaging.mentioned_names))
    unknown = _unknown_distributions(p, set(p.packaging.mentioned_names))
    reported: set[str] = set()
    for path, line, module, optional, imported in _third_party(
        p, imported_test_files(p), module_level=True
    ):
        top = module.split(".")[0]
        if (
            optional
            or top in reported
            or top in ("conftest", "pytest", "_pytest")  # the runner is there when it collects
            or _declared(declared, module, imported)
            or (unknown and not provider_known(module))  # an unknown distribution may provide it
            or _installed_as_locked(p, set(p.packaging.mentioned_names), module, imported)
            or _older_release_of(p, module, set(p.packaging.mentioned_names))
        ):
            continue
        reported.add(top)
        yield at_line(path, f"the tests import `{module}`, which no test dependency declares", line)


@rule(
    "DEP012",
    "stale-lock-file",
    source="uv docs, locking and syncing (checking the lockfile is up to date): https://docs.astral.sh/uv/concepts/projects/sync/",
    peers=("uv:lock-check",),
)
def stale_lock_file(p: Project) -> Iterator[Violation]:
    """`uv.lock` no longer records what pyproject.toml declares.

    ## What it does
    Compares what `uv.lock` recorded of each project it locks (the root project and every
    workspace member or folder it builds: `[package.metadata] requires-dist`, `provides-extras`,
    `requires-dev` and the version; the workspace's `constraint-dependencies`,
    `override-dependencies` and `build-constraint-dependencies` in `[manifest]`) with what their
    pyproject.toml declares now, by normalised name, extras, version specifier and the extra or
    dependency group each requirement belongs to, as `uv lock --check` does. Markers are not
    compared (uv simplifies them against `requires-python`), and neither is the specifier of a
    requirement uv takes from a `[tool.uv.sources]` entry or a URL; projects whose dependencies
    are dynamic, locks written without metadata and requirements it cannot parse are left out.
    So every difference it reports is one uv finds too: `uv lock --check` and `uv sync --locked`
    fail, and `uv sync` rewrites the lock. It stays quiet without `uv.lock`, and on the
    `uv.lock` of a workspace member (uv reads the workspace root's lock, never the member's).

    ## Why it matters
    A dependency added to pyproject.toml but not to the lock is installed from whatever the
    resolver picks on the machine that runs `uv sync` (and `uv sync --frozen`, as in most
    Dockerfiles, does not install it at all); CI with `--locked` fails, and CI without it tests a
    lock nobody committed.

    ## Example
    ```toml
    dependencies = ["httpx>=0.27", "rich>=13"]   # uv.lock records only httpx>=0.27
    ```

    ## Use instead
    ```text
    uv lock   # and commit uv.lock with the pyproject.toml change
    ```

    ## Fix
    Run `uv lock` and commit the lock with the change to pyproject.toml; enforce it in CI with
    `uv sync --locked` (CI009).
    """
    if not p.repo.exists("uv.lock") or any(
        lock.endswith("uv.lock") for lock in p.repo.shared_locks
    ):
        return  # in a workspace member, uv reads the workspace's lock, never the member's own
    from prodready.project.uvlock import drifts

    text = p.repo.read("uv.lock") or ""

    def read_pyproject(folder: str) -> object:
        return p.repo.toml(f"{folder}/pyproject.toml" if folder else "pyproject.toml")

    for drift in drifts(text, read_pyproject):
        doc = p.repo.toml(drift.pyproject)
        line = doc.line_of(*drift.table) if doc is not None else None
        yield at_line(
            drift.pyproject, f"uv.lock is out of date: {drift.message} (run `uv lock`)", line
        )


DEPENDABOT = (".github/dependabot.yml", ".github/dependabot.yaml")


def dependabot_updates(p: Project) -> tuple[str, list[tuple[int, dict[str, Any]]]] | None:
    """(path, [(position, update entry)]) of the repository's Dependabot configuration."""
    for path in DEPENDABOT:
        doc = p.repo.yaml(path) if p.repo.exists(path) else None
        if doc is not None and isinstance(doc.data, dict):
            updates = doc.data.get("updates")
            listed = updates if isinstance(updates, list) else []
            return path, [(i, u) for i, u in enumerate(listed) if isinstance(u, dict)]
    return None


@rule(
    "DEP013",
    "updates-miss-ecosystem",
    severity="I",
    source="Dependabot supported ecosystems (github-actions, uv): https://docs.github.com/en/code-security/dependabot/ecosystems-supported-by-dependabot/supported-ecosystems-and-repositories; OpenSSF Scorecard Dependency-Update-Tool",
    peers=("scorecard:Dependency-Update-Tool",),
)
def updates_miss_ecosystem(p: Project) -> Iterator[Violation]:
    """Dependabot is configured but does not watch the workflows' actions or `uv.lock`.

    ## What it does
    With a Dependabot configuration, reports a repository with GitHub workflows and no
    `github-actions` update entry, and one with `uv.lock` and no `uv` entry (Dependabot's `pip`
    ecosystem does not update uv.lock). A repository with no update automation at all is
    CI007's finding, and Renovate, which watches both by default, is left alone.

    ## Why it matters
    Pinned actions (SEC007) and a lock are only as safe as they are current: a pin nobody
    updates keeps a vulnerable version for good, and security updates of locked packages are
    never proposed.

    ## Example
    ```yaml
    updates:
      - package-ecosystem: pip
        directory: /
        schedule: { interval: weekly }
    ```

    ## Use instead
    ```yaml
    updates:
      - package-ecosystem: uv
        directory: /
        schedule: { interval: weekly }
      - package-ecosystem: github-actions
        directory: /
        schedule: { interval: weekly }
    ```

    ## Fix
    Add the missing `package-ecosystem` entries.
    """
    found = dependabot_updates(p)
    if found is None:
        return
    path, updates = found
    ecosystems = {str(u.get("package-ecosystem", "")).lower() for _, u in updates}
    if p.workflows.paths and "github-actions" not in ecosystems:
        yield at_line(
            path, "Dependabot does not update the workflows' actions: add a github-actions entry", 1
        )
    if p.repo.exists("uv.lock") and "uv" not in ecosystems:
        yield at_line(
            path, "Dependabot does not update uv.lock: add a uv entry (pip does not update it)", 1
        )
