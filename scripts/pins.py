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
- `action_tags` (from `scripts/action_repos.txt` and `scripts/action_tag_repos.txt`): per action,
  every version tag (`v1`, `v4.2.2`, `1.0`) and its commit (the first 12 hex digits), so a
  workflow's `uses: OWNER/NAME@COMMIT  # TAG` can be checked against what the tag names (GHA007).

The file is sorted, so a rebuild shows as a readable diff.
"""

from __future__ import annotations

import argparse
import configparser
import datetime
import json
import re
import subprocess
import tempfile
import tomllib
from pathlib import Path

import yaml
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "prodready" / "data" / "pins.json"
HOOKS = ROOT / "scripts" / "hook_repos.txt"
ACTIONS = ROOT / "scripts" / "action_repos.txt"
ACTION_TAGS = ROOT / "scripts" / "action_tag_repos.txt"
VERSION_TAG = re.compile(r"^v?\d")
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


def show(repo: Path, commit: str, path: str) -> str:
    """A file's text at a commit ("" when absent)."""
    run = subprocess.run(
        ["git", "--git-dir", str(repo), "show", f"{commit}:{path}"],
        capture_output=True,
        check=False,
    )
    return run.stdout.decode("utf-8", "replace") if run.returncode == 0 else ""


PINNED = re.compile(r"""["']([A-Za-z0-9_.-]+==[A-Za-z0-9_.+-]+)["']""")


def requirements(repo: Path, commit: str, tag: str) -> list[str]:
    """What installing the hook repository at `commit` installs from the package index: the
    pinned requirements of a mirror (ruff-pre-commit's `ruff==X`, mirrors-mypy's `mypy==X`),
    else the repository's own distribution at the tag's version (pre-commit-hooks, pip-audit)."""
    pyproject = tomllib.loads(show(repo, commit, "pyproject.toml") or "")
    project = pyproject.get("project", {})
    pinned = [d for d in project.get("dependencies", []) if "==" in d]
    if pinned and project.get("version") != tag.removeprefix("v"):  # a mirror of a package
        return pinned
    setup_py = show(repo, commit, "setup.py")
    if "install_requires" in setup_py and "version='0.0.0'" in setup_py.replace('"', "'"):
        return PINNED.findall(setup_py.split("install_requires", 1)[1])
    name = project.get("name")
    if not name:
        config = configparser.ConfigParser()
        config.read_string(show(repo, commit, "setup.cfg") or "[metadata]\n")
        name = config.get("metadata", "name", fallback=None)
    return [f"{name}=={tag.removeprefix('v')}"] if name else []


def newest_hooks(repo: Path, releases: list[tuple[str, str, str]]) -> dict[str, object]:
    """The newest final release's manifest (every hook's definition) and what it installs, so
    tests can build the same hooks from the package index without GitHub."""
    final = []
    for tag, date, commit in releases:
        try:
            version = Version(tag.removeprefix("v"))
        except InvalidVersion:
            continue
        if not version.is_prerelease:
            final.append((date, version, tag, commit))
    if not final:
        return {}
    _, _, tag, commit = max(final)
    manifest = yaml.safe_load(show(repo, commit, MANIFEST)) or []
    return {"tag": tag, "manifest": manifest, "requirements": requirements(repo, commit, tag)}


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
        "newest": newest_hooks(repo, releases),
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


def version_tags(repo: Path) -> dict[str, str]:
    """Every tag that looks like a version (`v4`, `v4.2.2`, `1.0`), with its commit's first 12
    hex digits: a version comment names one of these."""
    return {tag: commit[:12] for tag, _, commit in tags(repo) if VERSION_TAG.match(tag)}


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
        action_tags = {
            name: version_tags(bare_clone(name, args.mirrors, Path(scratch)))
            for name in sorted({*listed(ACTIONS), *listed(ACTION_TAGS)})
        }
    out = {
        "generated": datetime.date.today().isoformat(),
        "source": "scripts/pins.py, from each repository's tags",
        "hook_repositories": hooks,
        "actions": actions,
        "action_tags": action_tags,
    }
    OUT.write_text(json.dumps(out, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(
        f"{OUT.relative_to(ROOT)}: {len(hooks)} hook repositories, {len(actions)} actions, "
        f"tags of {len(action_tags)} actions"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
