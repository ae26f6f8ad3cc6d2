"""Generate `src/prodready/data/import_names.json`: which import names each distribution's wheel
provides, read from the real wheels on PyPI (never typed by hand).

Usage:
    python scripts/import_names.py top CSV N        # add PyPI's N most-downloaded distributions
    python scripts/import_names.py seed FOLDER...   # add the dependencies FOLDERs declare
    python scripts/import_names.py build            # read the wheels, write the data file
    python scripts/import_names.py update NAME...   # read these distributions again, in place

`scripts/distributions.txt` lists the distributions to read (one per line, `#` comments); `top`
adds the first N of a download ranking (`top-pypi-packages.csv` of the public
hugovk/top-pypi-packages dataset, built from PyPI's download statistics), so the data covers
what projects in general depend on, not only the repositories it was checked on; `seed`
adds the dependencies declared by checked-out repositories (pyproject's tables, PDM's and
poetry's groups, requirement files anywhere in the tree). `build` asks PyPI's JSON API for each one's newest wheel, and for those of what they
always require, and reads only the wheel's central directory and metadata (HTTP range
requests): the top-level packages and modules it installs. A distribution that publishes no
wheel (rouge-score, fvcore, maxminddb-geolite2: source distributions only) is read from its
source distribution's `*.egg-info/top_level.txt` and `requires.txt`, which setuptools writes into
every sdist it builds (the archive is streamed and left as soon as both are read); one without
them (an sdist of another backend) stays unread. Of each distribution's requirements, those
that carry a lower bound (`Jinja2>=3.1.2`) are kept apart as its floors: a project that lists
one with no version of its own still gets that floor. The version of each release read is
recorded (`versions`): what the tables say of a distribution holds for that release, and a
project that pins an older one (pypika-tortoise 0.3.2 provided `pypika`, 0.6 `pypika_tortoise`)
may get other modules and requirements. `update` reads the named distributions (and
what they require that the file does not know yet) and rewrites only their entries. The
data file keeps the import names that differ from the distribution's own name (the others are
found without it), sorted, so a rebuild shows as a readable diff.
"""

from __future__ import annotations

import io
import json
import re
import sys
import tarfile
import urllib.parse
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from prodready.project.requirements import DEVELOPMENT_EXTRA

ROOT = Path(__file__).resolve().parent.parent
NAMES = ROOT / "scripts" / "distributions.txt"
OUT = ROOT / "src" / "prodready" / "data" / "import_names.json"
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
# what reading one distribution gives: its import names, its requirements, its release's version
Read = tuple[list[str], list[str], str]


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


class RangeFile(io.RawIOBase):
    """A remote file read by HTTP range requests, enough for `zipfile` to read its directory."""

    def __init__(self, url: str, size: int) -> None:
        self.url, self.size, self.position = url, size, 0

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self.position, 2: self.size}[whence]
        self.position = base + offset
        return self.position

    def read(self, size: int = -1) -> bytes:
        end = self.size if size < 0 else min(self.size, self.position + size)
        if end <= self.position:
            return b""
        request = urllib.request.Request(  # noqa: S310 (https only: see `_https`)
            _https(self.url), headers={"Range": f"bytes={self.position}-{end - 1}"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            data: bytes = response.read()
        self.position += len(data)
        return data

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _https(url: str) -> str:
    if not url.startswith("https://"):
        raise ValueError(f"not an https address: {url}")
    return url


def newest_files(distribution: str) -> tuple[str, list[tuple[str, int, str]]]:
    """The newest release's version, and (url, size, file name) of its files: its wheels,
    pure-Python and smallest first, or else its source distributions."""
    url = f"https://pypi.org/pypi/{distribution}/json"
    try:
        with urllib.request.urlopen(_https(url), timeout=60) as response:  # noqa: S310
            answer = json.load(response)
            files = answer["urls"]
            version = str(answer["info"]["version"])
    except (OSError, ValueError, KeyError, TypeError):
        return "", []
    wheels = [f for f in files if f["filename"].endswith(".whl")]
    wheels.sort(key=lambda f: ("none-any" not in f["filename"], f["size"]))
    sdists = [f for f in files if f["filename"].endswith(SDIST_SUFFIXES)]
    # a mirror may answer with addresses relative to the JSON document
    return version, [
        (urllib.parse.urljoin(url, f["url"]), f["size"], f["filename"]) for f in wheels or sdists
    ]


SDIST_SUFFIXES = (".tar.gz", ".zip")


def read_wheel(distribution: str) -> tuple[list[str], list[str], str]:
    """The import names a distribution's newest wheel installs (packages, modules, extensions),
    the distributions it always requires (`Requires-Dist` without a marker) and the release's
    version; for a distribution with no wheel, what its source distribution's egg-info says."""
    version, files = newest_files(distribution)
    if not files:
        return [], [], ""
    url, size, filename = files[0]
    if not filename.endswith(".whl"):
        return (*read_sdist(url, size, filename), version)
    with zipfile.ZipFile(io.BufferedReader(RangeFile(url, size), buffer_size=1 << 16)) as wheel:
        names = wheel.namelist()
        metadata = next((n for n in names if n.endswith(".dist-info/METADATA")), None)
        text = wheel.read(metadata).decode("utf-8", "replace") if metadata else ""
    paths = [p for p in names if not p.split("/", 1)[0].endswith((".dist-info", ".data"))]
    return sorted(importable(paths)), always_required(text), version


EGG_INFO = ("top_level.txt", "requires.txt", "namespace_packages.txt")


def read_sdist(url: str, size: int, filename: str) -> tuple[list[str], list[str]]:
    """The import names and requirements a setuptools sdist records in its `*.egg-info` folder
    (nothing for an sdist without one: its import names are unknown)."""
    found: dict[str, str] = {}
    if filename.endswith(".zip"):
        with zipfile.ZipFile(io.BufferedReader(RangeFile(url, size), buffer_size=1 << 16)) as z:
            for name in z.namelist():
                if _egg_info_file(name):
                    found.setdefault(
                        name.rsplit("/", 1)[-1], z.read(name).decode("utf-8", "replace")
                    )
        return egg_info(found)
    request = urllib.request.Request(_https(url))  # noqa: S310 (https only: see `_https`)
    with (
        urllib.request.urlopen(request, timeout=120) as response,  # noqa: S310
        tarfile.open(fileobj=response, mode="r|gz") as archive,
    ):
        for member in archive:
            if member.isfile() and _egg_info_file(member.name):
                handle = archive.extractfile(member)
                if handle is not None:
                    text = handle.read().decode("utf-8", "replace")
                    found.setdefault(member.name.rsplit("/", 1)[-1], text)
            if {"top_level.txt", "requires.txt"} <= found.keys():
                break  # what is wanted is read: the rest of the archive is never fetched
    return egg_info(found)


def _egg_info_file(path: str) -> bool:
    """True for `NAME-VERSION/NAME.egg-info/{top_level,requires,namespace_packages}.txt` (the
    sdist's own egg-info, not one of a vendored project deeper in the tree)."""
    parts = path.split("/")
    return len(parts) in (3, 4) and parts[-2].endswith(".egg-info") and parts[-1] in EGG_INFO


def egg_info(files: dict[str, str]) -> tuple[list[str], list[str]]:
    """(import names, requirements) from an egg-info's `top_level.txt` and `requires.txt`: the
    requirements before any section hold for every install, a section `[extra]` for every
    install of that extra, and a section with a marker (`[:python_version<"3"]`,
    `[extra:sys_platform=="win32"]`) for some installs only. A namespace package's top
    (`google`) says nothing about what is below it, and is left out."""
    namespaces = set(files.get("namespace_packages.txt", "").split())
    tops = sorted(
        name
        for name in files.get("top_level.txt", "").split()
        if name.isidentifier() and name not in namespaces
    )
    if not tops:
        return [], []
    needs: set[str] = set()
    section = ""
    for raw in files.get("requires.txt", "").splitlines():
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            continue
        match = REQUIREMENT.match(line)
        if match is None or ";" in line or ":" in section:
            continue
        name = canonical(match.group(1))
        bound = "" if section else bound_of(line[match.end() :])
        needs.add(f"[{canonical(section)}]{name}" if section else name + bound)
    return tops, sorted(needs)


SPECIFIER = re.compile(r"(===|==|~=|>=|<=|!=|>|<)\s*([^,;\s)]+)")


def bound_of(specifier: str) -> str:
    """How a requirement's specifier bounds the version from below: "=" for an exact pin
    (`torch==2.9.0`), ">" for another floor (`Jinja2>=3.1.2`, `~=1.4`, `==2.*`), "" for none;
    a direct reference (`name @ url`) is none."""
    if "@" in specifier:
        return ""
    found = SPECIFIER.findall(specifier.split(";", 1)[0])
    if any(op in ("==", "===") and not version.endswith("*") for op, version in found):
        return "="
    if any(op in (">=", ">", "~=", "==") for op, _ in found):
        return ">"
    return ""


def _plain(need: str) -> str:
    """A requirement's name, without the bound recorded after it."""
    return need.rstrip("=>")


ONLY_EXTRA = re.compile(r"""^\s*extra\s*==\s*["']([^"']+)["']\s*$""")


def always_required(metadata: str) -> list[str]:
    """The `Requires-Dist` of a METADATA file that hold for every install (no marker), each
    followed by how it bounds the version from below (`bound_of`), and as `[extra]name` those
    that hold for every install of one extra (a marker naming only it: `h2; extra == "http2"`)."""
    found = set()
    for line in metadata.split("\n\n", 1)[0].splitlines():
        if not line.lower().startswith("requires-dist:"):
            continue
        requirement, _, marker = line.split(":", 1)[1].partition(";")
        match = REQUIREMENT.match(requirement)
        if match is None:
            continue
        name = canonical(match.group(1))
        if not marker:
            found.add(name + bound_of(requirement[match.end() :]))
        elif only := ONLY_EXTRA.match(marker):
            found.add(f"[{canonical(only.group(1))}]{name}")
    return sorted(found)


def _requirements(needs: list[str]) -> dict[str, list[str]]:
    """A wheel's requirements by the install that brings them: "" for every install, the
    extra's name for those of one feature extra (development extras are left out)."""
    by_extra: dict[str, list[str]] = {}
    for need in needs:
        extra, _, name = need[1:].partition("]") if need.startswith("[") else ("", "", need)
        if not DEVELOPMENT_EXTRA.match(extra):
            by_extra.setdefault(extra, []).append(_plain(name))
    return by_extra


def importable(paths: list[str]) -> set[str]:
    """The import names a wheel's files provide: each top-level package, or for a namespace
    package (`google/` without `__init__.py`) the first package below it that has one
    (`google.cloud.storage`), and top-level modules and extensions."""
    packages = {p.rsplit("/", 1)[0] for p in paths if p.endswith("/__init__.py")}
    names: set[str] = set()
    for path in paths:
        parts = path.split("/")
        if len(parts) == 1:
            if path.endswith((".py", ".so", ".pyd")):
                names.add(path.split(".", 1)[0])
            continue
        for depth in range(1, len(parts)):
            if "/".join(parts[:depth]) in packages:
                names.add(".".join(parts[:depth]))
                break
        else:
            if path.endswith((".py", ".so", ".pyd")):
                names.add(".".join([*parts[:-1], parts[-1].split(".", 1)[0]]))
    return {n for n in names if all(part.isidentifier() for part in n.split("."))}


def seed(folders: list[Path]) -> int:
    """Add the dependencies the repositories in `folders` declare to the list."""
    import tomllib

    known = _listed()
    for folder in folders:
        for repo in (p for p in folder.iterdir() if p.is_dir()):
            texts: list[str] = []
            pyproject = repo / "pyproject.toml"
            if pyproject.is_file():
                try:
                    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
                except (ValueError, UnicodeDecodeError):
                    data = {}
                project = data.get("project", {})
                texts += project.get("dependencies", [])
                for extra in project.get("optional-dependencies", {}).values():
                    texts += extra
                for group in data.get("dependency-groups", {}).values():
                    texts += [g for g in group if isinstance(g, str)]
                pdm = data.get("tool", {}).get("pdm", {}).get("dev-dependencies", {})
                for group in pdm.values() if isinstance(pdm, dict) else []:
                    texts += [g for g in group if isinstance(g, str)]
                poetry = data.get("tool", {}).get("poetry", {})
                tables = [poetry.get("dependencies", {})] + [
                    g.get("dependencies", {}) for g in poetry.get("group", {}).values()
                ]
                texts += [str(name) for table in tables for name in table if name != "python"]
            for requirements in repo.glob("**/*requirements*.txt"):
                texts += requirements.read_text(encoding="utf-8", errors="replace").splitlines()
            for requirements in repo.glob("requirements*/**/*.txt"):
                texts += requirements.read_text(encoding="utf-8", errors="replace").splitlines()
            for text in texts:
                match = REQUIREMENT.match(text)
                if match and not text.lstrip().startswith(("-", "#")):
                    known.add(canonical(match.group(1)))
    return _write_listed(known)


def top(ranking: Path, count: int) -> int:
    """Add the first `count` distributions of a download ranking (CSV: download_count,project)."""
    import csv

    with ranking.open(encoding="utf-8", newline="") as handle:
        ranked = [row["project"] for row in csv.DictReader(handle)][:count]
    return _write_listed(_listed() | {canonical(name) for name in ranked})


def _write_listed(known: set[str]) -> int:
    NAMES.write_text(
        "# Distributions whose wheels scripts/import_names.py reads (see its docstring).\n"
        + "".join(f"{name}\n" for name in sorted(known)),
        encoding="utf-8",
    )
    sys.stderr.write(f"{len(known)} distributions listed in {NAMES}\n")
    return 0


def _listed() -> set[str]:
    if not NAMES.exists():
        return set()
    lines = NAMES.read_text(encoding="utf-8").splitlines()
    return {canonical(line.strip()) for line in lines if line.strip() and line[0] != "#"}


ABOUT = (
    "modules: import name -> the distributions whose wheels install it, space-separated (where "
    "the names differ); read: the distributions whose wheels (or, with no wheel, setuptools "
    "sdists' egg-info) were read (their import names are known); requires: distribution (or "
    "distribution[extra]) -> what it always requires (what every install of that extra "
    "requires); floors: distribution -> what it always requires with a lower bound (an exact "
    "pin included; known for the distributions read since floors were recorded); versions: "
    "distribution -> the release whose wheel was read (what the tables say holds for it; known "
    "for the distributions read since versions were recorded); generated by "
    "scripts/import_names.py from PyPI, do not edit"
)


def build() -> int:
    """Read every listed distribution's wheel, and the wheels of what those always require (a
    project imports what its dependencies bring, and declares it), then write the data file."""
    names = sorted(_listed())
    read = _read_with_requirements(names, known=set())
    _write(_data(read))
    empty = sorted(name for name, (tops, _, _) in read.items() if not tops)
    sys.stderr.write(
        f"{len(names)} distributions read, import names written to {OUT}; "
        f"no wheel or egg-info for {len(empty)}: {' '.join(empty[:20])}\n"
    )
    return 0


def update(names: list[str]) -> int:
    """Read the named distributions again (and what they require that the data file does not
    know) and replace only their entries: a refresh of a few, without reading every one."""
    data = json.loads(OUT.read_text(encoding="utf-8"))
    known = set(data["read"].split()) | {key.partition("[")[0] for key in data["requires"]}
    read = _read_with_requirements(sorted({canonical(n) for n in names}), known)
    fresh = _data(read)
    modules: dict[str, set[str]] = {
        m: set(d.split()) - read.keys() for m, d in data["modules"].items()
    }
    for module, dists in fresh["modules"].items():
        modules.setdefault(module, set()).update(dists.split())
    requires = {
        key: value for key, value in data["requires"].items() if key.partition("[")[0] not in read
    }
    requires.update(fresh["requires"])
    floors = {k: v for k, v in data.get("floors", {}).items() if k not in read}
    floors.update(fresh["floors"])
    versions = {k: v for k, v in data.get("versions", {}).items() if k not in read}
    versions.update(fresh["versions"])
    merged = {
        "about": ABOUT,
        "modules": {m: " ".join(sorted(d)) for m, d in sorted(modules.items()) if d},
        "read": " ".join(
            sorted((set(data["read"].split()) - read.keys()) | set(fresh["read"].split()))
        ),
        "requires": dict(sorted(requires.items())),
        "floors": dict(sorted(floors.items())),
        "versions": dict(sorted(versions.items())),
    }
    _write(merged)
    for name, (tops, needs, _) in sorted(read.items()):
        sys.stderr.write(
            f"{name}: {' '.join(tops) or '(nothing read)'}; requires {' '.join(needs)}\n"
        )
    return 0


def _read_with_requirements(names: list[str], known: set[str]) -> dict[str, Read]:
    """Each distribution's (import names, requirements, version), and those of what they
    require that is neither among them nor `known`."""
    with ThreadPoolExecutor(max_workers=32) as pool:
        read = dict(zip(names, pool.map(_safe_read, names), strict=True))
        needed = {n for _, needs, _ in read.values() for n in needs}
        required = sorted({_plain(n.rpartition("]")[2]) for n in needed} - set(read) - known)
        read.update(zip(required, pool.map(_safe_read, required), strict=True))
    return read


def _data(read: dict[str, Read]) -> dict[str, Any]:
    """The data file's tables for what was read."""
    modules: dict[str, list[str]] = {}
    for distribution, (tops, _, _) in read.items():
        for top in tops:
            if canonical(top) != distribution:
                modules.setdefault(top, []).append(distribution)
    return {
        "about": ABOUT,
        "modules": {name: " ".join(sorted(dists)) for name, dists in sorted(modules.items())},
        "read": " ".join(sorted(name for name, (tops, _, _) in read.items() if tops)),
        "requires": {
            name if not extra else f"{name}[{extra}]": " ".join(names)
            for name, (_, needs, _) in sorted(read.items())
            for extra, names in sorted(_requirements(needs).items())
        },
        "floors": _floors(read),
        # the release each table speaks of, for what was read (its modules or requirements)
        "versions": {
            name: version
            for name, (tops, needs, version) in sorted(read.items())
            if version and (tops or needs)
        },
    }


def _floors(read: dict[str, Read]) -> dict[str, str]:
    """Distribution -> what every install of it requires with a lower bound (`bound_of`)."""
    found = {
        name: " ".join(sorted(_plain(n) for n in needs if n.endswith(("=", ">"))))
        for name, (_, needs, _) in sorted(read.items())
    }
    return {name: names for name, names in found.items() if names}


def _write(data: dict[str, Any]) -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _safe_read(distribution: str) -> Read:
    try:
        return read_wheel(distribution)
    except (OSError, zipfile.BadZipFile, tarfile.TarError, EOFError, ValueError, KeyError):
        return [], [], ""


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "top":
        return top(Path(sys.argv[2]), int(sys.argv[3]))
    if len(sys.argv) >= 2 and sys.argv[1] == "seed":
        return seed([Path(p) for p in sys.argv[2:]])
    if sys.argv[1:] == ["build"]:
        return build()
    if len(sys.argv) >= 3 and sys.argv[1] == "update":
        return update(sys.argv[2:])
    sys.stderr.write(__doc__ or "")
    return 2


if __name__ == "__main__":
    sys.exit(main())
