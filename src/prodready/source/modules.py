"""Which distribution provides an imported module: the standard library, the project itself,
or a third party under the same name, a name with a usual affix, or the name its wheel gives."""

from __future__ import annotations

import bisect
import functools
import itertools
import sys

from prodready.project.requirements import canonical

# Modules of the standard library of every Python prodready audits for: those of the running
# interpreter, plus modules removed since 3.8 (distutils, imp, asynchat, asyncore, smtpd in 3.12;
# the "dead batteries" of PEP 594 in 3.13) and modules added after 3.11.
REMOVED = frozenset(
    {
        "distutils",
        "imp",
        "asynchat",
        "asyncore",
        "smtpd",
        "aifc",
        "audioop",
        "cgi",
        "cgitb",
        "chunk",
        "crypt",
        "imghdr",
        "mailcap",
        "msilib",
        "nis",
        "nntplib",
        "ossaudiodev",
        "pipes",
        "sndhdr",
        "spwd",
        "sunau",
        "telnetlib",
        "uu",
        "xdrlib",
        "lib2to3",
        "tkinter",
        "_tkinter",
        "binhex",
        "formatter",
        "parser",
        "symbol",
        "_bootlocale",
        "dummy_threading",
        "macpath",
    }
)
ADDED = frozenset({"annotationlib", "compression", "_interpreters", "_pyrepl"})
STDLIB = frozenset(sys.stdlib_module_names) | REMOVED | ADDED | {"__future__", "_typeshed"}

# Distributions that are used without being imported: type stubs, plug-ins loaded by their host,
# servers and tools run as programs, and compatibility shims.
NOT_IMPORTED_ON_PURPOSE = (
    "types-",
    "pytest-",
    "flake8-",
    "tox-",  # tox plug-ins (tox-uv, tox-gh-actions), loaded by tox
    "mypy-",
    "sphinx-",
    "mkdocs-",
    "pre-commit",
    "uvicorn",
    "gunicorn",
    "hypercorn",
    "granian",
    "psycopg2-binary",
    "psycopg-binary",
    "python-multipart",
    "email-validator",
    "tzdata",
    "certifi",
    "setuptools",
    "wheel",
    "pip",
    "cffi",
    "importlib-metadata",
    "typing-extensions",
    "backports.",
    "coverage",
    "tomli",
    "exceptiongroup",
    "colorama",
    # loaded by name by the server or framework that runs the application: gunicorn's worker
    # classes (`-k gevent`), uvicorn's loop and parser, the `.env` loaders of Flask and uvicorn,
    # and process managers run as programs
    "gevent",
    "eventlet",
    "uvloop",
    "httptools",
    "python-dotenv",
    "supervisor",
    # Arrow database drivers, loaded by name by the ADBC driver manager (polars'
    # `read_database_uri(..., engine="adbc")`, pandas, the dbapi of adbc-driver-manager)
    "adbc-driver-",
)


def is_stdlib(module: str) -> bool:
    """True for a module of the standard library of some supported Python."""
    return module.split(".", maxsplit=1)[0] in STDLIB


@functools.lru_cache(maxsize=8192)
def candidate_distributions(module: str) -> frozenset[str]:
    """The distribution names an import could come from, canonicalised."""
    parts = module.split(".")
    names = {canonical(parts[0]), canonical(parts[0]).replace("-", "")}
    known = wheel_names()
    for size in range(len(parts), 0, -1):
        names.update(known.get(".".join(parts[:size]), ()))
    names.add(canonical("-".join(parts[:3])))
    names.add(canonical("-".join(parts[:2])))
    top = canonical(parts[0])
    names.update(("python-" + top, "python3-" + top, "py" + top))
    if top.startswith("py") and len(top) > 4:  # `pylsp_jsonrpc` of python-lsp-jsonrpc
        names.add("python-" + top[2:])
    if top not in _known_distributions():  # `import redis` is redis, never django-redis
        names.update(f"{prefix}{top}" for prefix in FRAMEWORK_PREFIXES)
    names.add(top + "-python")
    names.add(top + "-py")
    return frozenset(names)


# Prefixes of plug-ins' distribution names that their import names drop: `django-import-export`
# provides `import_export`.
FRAMEWORK_PREFIXES = ("django-", "flask-")


def module_guesses(distribution: str) -> set[str]:
    """The import names a distribution may provide: those its wheel is known to, its own name,
    and its name without a framework's prefix (`django-widget-tweaks` provides `widget_tweaks`)
    unless that is a distribution of its own (flask-sqlalchemy does not provide sqlalchemy)."""
    guesses = {*provided_modules(distribution), distribution.replace("-", "_")}
    for prefix in FRAMEWORK_PREFIXES:
        rest = distribution.removeprefix(prefix)
        if rest != distribution and len(rest) > 2 and rest not in _known_distributions():
            guesses.add(rest.replace("-", "_"))
    return guesses


# Words of distribution names that say what a package is, not what it provides.
GENERIC_WORDS = frozenset(
    {
        "python",
        "py",
        "api",
        "client",
        "sdk",
        "lib",
        "core",
        "plugin",
        "plugins",
        "ext",
        "extension",
        "extensions",
        "tools",
        "utils",
        "types",
        "stubs",
        "binary",
        "async",
        "aio",
    }
)


def named_within(module: str, distributions: set[str]) -> bool:
    """True when the module's top-level name is a word of one of the distributions' names
    (`geolite2` of maxminddb-geolite2, `atlassian` of atlassian-python-api) and is no
    distribution the data file knows by itself: a package named for its import, under a prefix
    or a suffix the affix rules do not know."""
    top = canonical(module.split(".", maxsplit=1)[0])
    if len(top) < 4 or top in GENERIC_WORDS or top in _known_distributions():
        return False
    return any(top in name.split("-") for name in distributions if "-" in name)


@functools.cache
def _known_distributions() -> frozenset[str]:
    """The distributions whose wheels the data file read: what each provides is known."""
    data = _wheel_data()
    listed = {name for name in data["requires"] if "[" not in name}  # not `twisted[http2]`
    modules = {d for ds in data["modules"].values() for d in ds.split()}
    return frozenset(data.get("read", {})) | listed | modules


def provides_known(distribution: str) -> bool:
    """True when the data file read the distribution's wheel, so the import names it provides
    are known (a distribution it never read may provide any module)."""
    return distribution in _known_distributions()


def installs_no_module(distribution: str) -> bool:
    """True for a meta-package: the data file read its wheel, which installs no module of its
    own but requires others (pyobjc brings pyobjc-framework-cocoa, which provides `AppKit`)."""
    data = _wheel_data()
    return (
        distribution in data["requires"]
        and distribution not in data["read"]
        and not provided_modules(distribution)
    )


def read_version(distribution: str) -> str | None:
    """The release of the distribution whose wheel the data file read (what it says of the
    distribution holds for that release), when recorded."""
    return _wheel_data().get("versions", {}).get(distribution)


def provider_known(module: str) -> bool:
    """True when some distribution the data file read provides the module (by the name its
    wheel installs, or by its own name): a module no read distribution provides may come from
    any distribution the data file does not know."""
    return bool(candidate_distributions(module) & _known_distributions())


def with_requirements(names: set[str]) -> set[str]:
    """`names` and every distribution they always install, transitively (from their wheels'
    metadata, as far as the data file knows them); a name with an extra (`twisted[http2]`)
    brings what that extra requires too."""
    requires = _wheel_data()["requires"]
    found, todo = set(names), list(names)
    while todo:
        for needed in requires.get(todo.pop(), "").split():
            if needed not in found:
                found.add(needed)
                todo.append(needed)
    return found


def floors_of(names: set[str]) -> set[str]:
    """What `names`, or what they always install, require with a lower bound (flask's
    `Jinja2>=3.1.2`), as far as the data file recorded their floors: a project listing one of
    those with no version of its own still installs no version below that floor."""
    floors = _wheel_data().get("floors", {})
    return {n for name in with_requirements(names) for n in floors.get(name, "").split()}


@functools.lru_cache(maxsize=4096)
def optional_requirements(distribution: str) -> frozenset[str]:
    """What any extra of the distribution requires (`jinja2` of `starlette[full]`): a project
    declares one of those to turn that feature of the distribution on."""
    requires = _wheel_data()["requires"]
    keys = _requirement_keys()
    found: set[str] = set()
    prefix = distribution + "["
    start = bisect.bisect_left(keys, prefix)
    for key in itertools.takewhile(
        lambda k: k.startswith(prefix), itertools.islice(keys, start, None)
    ):
        found.update(requires[key].split())
    return frozenset(found)


@functools.cache
def _requirement_keys() -> list[str]:
    """The data file's requirement keys, sorted, so a distribution's extras are found by
    bisection instead of a pass over every key."""
    return sorted(_wheel_data()["requires"])


def provided_modules(distribution: str) -> frozenset[str]:
    """The import names the data file knows a distribution's wheel to provide."""
    return _modules_by_distribution().get(distribution, frozenset())


@functools.cache
def _modules_by_distribution() -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for module, dists in wheel_names().items():
        for dist in dists:
            found.setdefault(dist, set()).add(module)
    return {dist: frozenset(modules) for dist, modules in found.items()}


@functools.cache
def wheel_names() -> dict[str, tuple[str, ...]]:
    """Import names -> the distributions whose wheels install them, where the two differ
    (`rpds` -> `rpds-py`, `cv2` -> `opencv-python`, …): `data/import_names.json`, generated from
    real wheels by `scripts/import_names.py`."""
    return {name: tuple(dists.split()) for name, dists in _wheel_data()["modules"].items()}


@functools.cache
def _wheel_data() -> dict[str, dict[str, str]]:
    """The data file: each list of names is one space-separated string (parsed as one object,
    split when read: the file is large and most of it is never asked for)."""
    import json
    from importlib.resources import files

    text = files("prodready").joinpath("data/import_names.json").read_text("utf-8")
    raw = json.loads(text)
    read = raw.pop("read", "")  # the one list that is not a mapping: the distributions read
    data: dict[str, dict[str, str]] = raw
    data["read"] = dict.fromkeys(read.split(), "")
    return data


def used_without_import(distribution: str) -> bool:
    """True for distributions people depend on without importing them (stubs, plug-ins, servers),
    and for the backports of modules removed from the standard library (pyasynchat gives
    `asynchat` back to Python 3.12, for the package or for a dependency that imports it: the
    import reads as the standard library's)."""
    return (
        distribution.startswith(NOT_IMPORTED_ON_PURPOSE)
        or distribution.endswith("-stubs")
        or any(m.split(".", 1)[0] in REMOVED for m in provided_modules(distribution))
    )
