"""Generate `src/prodready/data/ruff_redirects.json`: the rule codes and prefixes ruff still
accepts under an old name (`TCH` for `TC`, `TCH001` for `TC001`, …) and the prefixes of ruff's
linters (`TC`, `T10`, `PL`: a selector selects within one linter), read from ruff's own source
in its sdist on PyPI (never typed by hand).

Usage:
    python scripts/ruff_redirects.py [VERSION]   # default: the newest ruff on PyPI

ruff keeps the table in `crates/ruff_linter/src/rule_redirects.rs` as `("OLD", "NEW")` pairs;
entries only compiled into ruff's own tests (`#[cfg(feature = "test-rules")]`) are skipped.
The linters are the `#[prefix = "…"]` attributes of `Linter` in `crates/ruff_linter/src/registry.rs`.
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
    document = {"ruff": version, "linters": linters, "redirects": dict(sorted(table.items()))}
    OUT.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    print(
        f"ruff {version}: {len(table)} redirects, {len(linters)} linters -> {OUT.relative_to(ROOT)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
