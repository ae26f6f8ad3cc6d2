"""Generate `src/prodready/data/ruff_redirects.json`: the rule codes and prefixes ruff still
accepts under an old name (`TCH` for `TC`, `TCH001` for `TC001`, …), the prefixes of ruff's
linters (`TC`, `T10`, `PL`: a selector selects within one linter), and the rules ruff selects
when a configuration selects none (since ruff 0.16 several hundred, before it `E4`, `E7`, `E9`
and `F`, with the first release of the newest default), read from ruff's own source in its
sdists on PyPI (never typed by hand).

Usage:
    python scripts/ruff_redirects.py [VERSION]   # default: the newest ruff on PyPI

ruff keeps the table in `crates/ruff_linter/src/rule_redirects.rs` as `("OLD", "NEW")` pairs;
entries only compiled into ruff's own tests (`#[cfg(feature = "test-rules")]`) are skipped.
The linters are the `#[prefix = "…"]` attributes of `Linter` in `crates/ruff_linter/src/registry.rs`;
the default is `DEFAULT_SELECTORS` in `crates/ruff_linter/src/settings/mod.rs`, each rule's code
from `crates/ruff_linter/src/codes.rs`; the release that brought the newest default is found by
bisecting the releases (a dozen sdists).
The data file is sorted, so a rebuild shows as a readable diff.
"""

from __future__ import annotations

import io
import json
import re
import sys
import tarfile
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "prodready" / "data" / "ruff_redirects.json"
TABLE = "crates/ruff_linter/src/rule_redirects.rs"
REGISTRY = "crates/ruff_linter/src/registry.rs"
PAIR = re.compile(r'^\s*\("([A-Z0-9]+)",\s*"([A-Z0-9]+)"\),')
PREFIX = re.compile(r'^\s*#\[prefix = "([A-Z0-9]+)"\]', re.M)
LINTER = re.compile(r'((?:#\[prefix = "[A-Z0-9]+"\]\s*)+)(?:#\[[^\]]*\]\s*)*(\w+),')
SETTINGS = "crates/ruff_linter/src/settings/mod.rs"
CODES = "crates/ruff_linter/src/codes.rs"
# `(Pyflakes, "401") => rules::pyflakes::rules::UnusedImport,`, in older releases with the
# rule's group first: `=> (RuleGroup::Stable, rules::…::UnusedImport),`
CODE = re.compile(r'\((\w+), "(\w+)"\)\s*=>\s*(?:\([\w:]+,\s*)?[\w:]*::(\w+)\)?,')
INDEX = "https://pypi.org/pypi/ruff/json"


def release_sdists() -> dict[str, str]:
    """Every release of ruff with an sdist, by version, oldest first, from PyPI's JSON API."""
    with urllib.request.urlopen(INDEX, timeout=60) as response:
        data = json.load(response)
    found = {
        version: urllib.parse.urljoin(INDEX, entry["url"])
        for version, files in data["releases"].items()
        for entry in files
        if entry["packagetype"] == "sdist" and re.fullmatch(r"\d+\.\d+\.\d+", version)
    }
    return dict(sorted(found.items(), key=lambda item: tuple(map(int, item[0].split(".")))))


def default_selection(archive: tarfile.TarFile) -> list[str]:
    """The selectors ruff uses when a configuration selects none: rules by their codes,
    linters by their prefixes, prefixes as written (`E4`)."""
    text = source_file(archive, SETTINGS)
    start = text.index("DEFAULT_SELECTORS")
    block = text[start : text.index("];", start)]
    prefixes = {
        name: re.findall(r'"([A-Z0-9]+)"', attributes)
        for attributes, name in LINTER.findall(source_file(archive, REGISTRY))
    }
    codes = {  # pycodestyle's codes carry their letter (`E501`): it has two prefixes, E and W
        rule: ("" if len(prefixes.get(linter, ())) != 1 else prefixes[linter][0]) + code
        for linter, code, rule in CODE.findall(source_file(archive, CODES))
    }
    found = [codes[rule] for rule in re.findall(r"Rule::(\w+)", block) if rule in codes]
    found += [
        prefix
        for linter in re.findall(r"RuleSelector::Linter\(Linter::(\w+)\)", block)
        for prefix in prefixes.get(linter, ())
    ]
    found += re.findall(r"codes::\w+::([A-Z]+\d*)\b", block)
    return sorted(set(found))


def defaults_of(url: str) -> list[str]:
    """The default selection of the release whose sdist is at `url` (none read from a release
    older than the source layout the parser knows: its default was the small one)."""
    with urllib.request.urlopen(url, timeout=300) as response:  # noqa: S310
        data = io.BytesIO(response.read())
    with tarfile.open(fileobj=data, mode="r:gz") as archive:
        try:
            return default_selection(archive)
        except (StopIteration, ValueError):
            return []


def newest_default_since(sdists: dict[str, str], newest: list[str]) -> tuple[str, list[str]]:
    """The first release whose default is as large as the newest's (bisected: the defaults grew
    once, from a handful of selectors to hundreds of rules), and the default before it."""
    versions = list(sdists)
    low, high = 0, len(versions) - 1  # versions[high] has the large default
    while low < high:
        middle = (low + high) // 2
        if len(defaults_of(sdists[versions[middle]])) * 2 > len(newest):
            high = middle
        else:
            low = middle + 1
    return versions[high], defaults_of(sdists[versions[high - 1]])


def sdist(version: str | None) -> tuple[str, str]:
    """(version, URL of the sdist) from PyPI's JSON API."""
    index = (
        "https://pypi.org/pypi/ruff/json"
        if version is None
        else f"https://pypi.org/pypi/ruff/{version}/json"
    )
    with urllib.request.urlopen(index, timeout=60) as response:  # noqa: S310
        data = json.load(response)
    for entry in data["urls"]:
        if entry["packagetype"] == "sdist":
            return data["info"]["version"], urllib.parse.urljoin(index, entry["url"])
    raise SystemExit(f"ruff {data['info']['version']} has no sdist on PyPI")


def redirects(source: str) -> dict[str, str]:
    """The `("OLD", "NEW")` pairs of the table, skipping test-only ones."""
    found: dict[str, str] = {}
    test_only = False
    for line in source.splitlines():
        if 'feature = "test-rules"' in line:
            test_only = True
            continue
        match = PAIR.match(line)
        if match and not test_only:
            found[match.group(1)] = match.group(2)
        test_only = False if match else test_only
    return found


def source_file(archive: tarfile.TarFile, path: str) -> str:
    """The text of one file of ruff's source in the sdist."""
    member = next(m for m in archive.getmembers() if m.name.endswith(path))
    extracted = archive.extractfile(member)
    if extracted is None:
        raise SystemExit(f"{path} is not a file in the sdist")
    return extracted.read().decode("utf-8")


def main() -> int:
    version, url = sdist(sys.argv[1] if len(sys.argv) > 1 else None)
    with urllib.request.urlopen(url, timeout=300) as response:  # noqa: S310
        data = io.BytesIO(response.read())
    with tarfile.open(fileobj=data, mode="r:gz") as archive:
        table = redirects(source_file(archive, TABLE))
        linters = sorted(set(PREFIX.findall(source_file(archive, REGISTRY))))
        default = default_selection(archive)
    since, before = newest_default_since(release_sdists(), default)
    document = {
        "ruff": version,
        "linters": linters,
        "default": {"since": since, "select": default, "before": before},
        "redirects": dict(sorted(table.items())),
    }
    OUT.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    print(
        f"ruff {version}: {len(table)} redirects, {len(linters)} linters -> {OUT.relative_to(ROOT)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
