"""Generate `src/prodready/data/pins.json`: what well-known pre-commit hook repositories
provide at each release, and the commit of each GitHub Action's newest release, read from the
repositories' own history (never typed by hand).

Usage:
    python scripts/pins.py [--mirrors DIR]

Every repository is read with git (`git for-each-ref`, `git cat-file --batch`) from a bare
clone: `DIR/OWNER+NAME/repo` when `--mirrors` holds one, else a fresh `git clone --bare
--filter=blob:none` from GitHub. Nothing is executed from the repositories.

- `hook_repositories` (from `scripts/hook_repos.txt`): per repository, its tags in release order
  with their dates and commits (the first 12 hex digits, for revisions pinned by commit), and for
  each hook id the ranges of tags whose `.pre-commit-hooks.yaml` declares it (PC011, PC012, and
  the revisions `prodready new` pins).
- `actions` (from `scripts/action_repos.txt`): the newest final release's tag and full commit,
  which workflows pin with the tag in a comment.

The file is sorted, so a rebuild shows as a readable diff.
"""

from __future__ import annotations

import argparse
import datetime
import json
import subprocess
import tempfile
from pathlib import Path

import yaml
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "prodready" / "data" / "pins.json"
HOOKS = ROOT / "scripts" / "hook_repos.txt"
ACTIONS = ROOT / "scripts" / "action_repos.txt"
MANIFEST = ".pre-commit-hooks.yaml"


def git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    return subprocess.run(
        ["git", "--git-dir", str(repo), *args], input=stdin, capture_output=True, check=True
    ).stdout


def bare_clone(name: str, mirrors: Path | None, scratch: Path) -> Path:
    if mirrors is not None:
        local = mirrors / name.replace("/", "+") / "repo"
        if local.is_dir():
            return local
    target = scratch / name.replace("/", "+")
    subprocess.run(
        [
            "git",
            "clone",
            "--quiet",
            "--bare",
            "--filter=blob:none",
            f"https://github.com/{name}",
            str(target),
        ],
        check=True,
    )
    return target


def tags(repo: Path) -> list[tuple[str, str, str]]:
    """(tag, date, commit) for every tag, in release order (by version where each is one)."""
    lines = git(
        repo,
        "for-each-ref",
        "--format=%(refname:short)\t%(creatordate:short)\t%(*objectname)\t%(objectname)",
        "refs/tags",
    ).decode()
    found = []
    for line in lines.splitlines():
        tag, date, peeled, obj = line.split("\t")
        found.append((tag, date, peeled or obj))

    def order(item: tuple[str, str, str]) -> tuple[int, object, str]:
        try:
            return (0, Version(item[0].removeprefix("v")), item[1])
        except InvalidVersion:
            return (1, item[1], item[0])

    return sorted(found, key=order)


def manifests(repo: Path, commits: list[str]) -> list[bytes | None]:
    """The manifest's bytes at each commit (None where it has none)."""
    query = "".join(f"{commit}:{MANIFEST}\n" for commit in commits).encode()
    out = git(repo, "cat-file", "--batch", stdin=query)
    found: list[bytes | None] = []
    position = 0
    for _ in commits:
        end = out.index(b"\n", position)
        header = out[position:end].split()
        if header[-1] == b"missing":
            found.append(None)
            position = end + 1
            continue
        size = int(header[2])
        found.append(out[end + 1 : end + 1 + size])
        position = end + 1 + size + 1
    return found


def hook_ids(manifest: bytes) -> set[str]:
    data = yaml.safe_load(manifest)
    return (
        {str(h["id"]) for h in data if isinstance(h, dict) and "id" in h}
        if isinstance(data, list)
        else set()
    )


def ranges(indexes: list[int]) -> list[list[int]]:
    """Consecutive runs of indexes as [first, last] pairs."""
    runs: list[list[int]] = []
    for index in indexes:
        if runs and runs[-1][1] == index - 1:
            runs[-1][1] = index
        else:
            runs.append([index, index])
    return runs


def record(repo: Path) -> dict[str, object]:
    releases = tags(repo)
    kept: list[tuple[str, str, str]] = []
    provided: dict[str, list[int]] = {}
    for (tag, date, commit), manifest in zip(
        releases, manifests(repo, [c for _, _, c in releases]), strict=True
    ):
        if manifest is None:
            continue  # not a hook repository at this release: pre-commit refuses it anyway
        for hook in hook_ids(manifest):
            provided.setdefault(hook, []).append(len(kept))
        kept.append((tag, date, commit[:12]))
    return {
        "tags": [list(t) for t in kept],
        "hooks": {hook: ranges(indexes) for hook, indexes in sorted(provided.items())},
    }


def newest_release(repo: Path) -> dict[str, str]:
    """The newest final release (`vX.Y.Z`, no pre-release) and its full commit."""
    final = []
    for tag, date, commit in tags(repo):
        try:
            version = Version(tag.removeprefix("v"))
        except InvalidVersion:
            continue
        if not version.is_prerelease and tag.count(".") == 2:
            final.append((version, tag, date, commit))
    _, tag, date, commit = max(final)
    return {"tag": tag, "date": date, "commit": commit}


def listed(path: Path) -> list[str]:
    """The repositories a list file names."""
    return [
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirrors", type=Path, help="folder of bare clones, OWNER+NAME/repo")
    args = parser.parse_args()
    hooks: dict[str, object] = {}
    actions: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for name in listed(HOOKS):
            clone = bare_clone(name, args.mirrors, Path(scratch))
            hooks[f"https://github.com/{name}".lower()] = record(clone)
        for name in listed(ACTIONS):
            actions[name] = newest_release(bare_clone(name, args.mirrors, Path(scratch)))
    out = {
        "generated": datetime.date.today().isoformat(),
        "source": "scripts/pins.py, from each repository's tags",
        "hook_repositories": hooks,
        "actions": actions,
    }
    OUT.write_text(json.dumps(out, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(hooks)} hook repositories, {len(actions)} actions")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
