"""What well-known pre-commit hook repositories provide at each release, and the newest release
of the GitHub Actions prodready writes into workflows.

Read from `data/pins.json`, which `scripts/pins.py` generates from the repositories' own tags
(their `.pre-commit-hooks.yaml` at each release; each action's newest final release and its
commit). A revision the data does not know (a release newer than the data, a branch, an
unknown commit) gives no answer, so rules stay quiet.
"""

from __future__ import annotations

import datetime
import json
import re
from functools import cache
from typing import Any, NamedTuple

SSH = re.compile(r"^(?:ssh://)?git@github\.com[:/]", re.I)


class Release(NamedTuple):
    """One tag of a hook repository: its name, date and commit (first 12 hex digits)."""

    tag: str
    date: datetime.date
    commit: str


class HookRepository(NamedTuple):
    """A hook repository's releases in order, and which of them provide each hook id."""

    name: str
    releases: tuple[Release, ...]
    hooks: dict[str, tuple[tuple[int, int], ...]]
    newest_index: int | None = None  # the newest final release, as the data records it

    def release(self, rev: str) -> int | None:
        """The index of the release `rev` names (a tag, or a commit of at least 7 digits)."""
        rev = rev.strip()
        for index, release in enumerate(self.releases):
            if rev == release.tag:
                return index
        if len(rev) >= 7 and re.fullmatch(r"[0-9a-f]+", rev):
            return next(
                (i for i, r in enumerate(self.releases) if r.commit.startswith(rev[:12])), None
            )
        return None

    def provides(self, hook: str, index: int) -> bool:
        """True when the release at `index` has the hook id."""
        return any(first <= index <= last for first, last in self.hooks.get(hook, ()))

    def span(self, hook: str) -> tuple[Release, Release] | None:
        """The first and last releases that have the hook id (None if none ever had it)."""
        runs = self.hooks.get(hook)
        if not runs:
            return None
        return self.releases[runs[0][0]], self.releases[runs[-1][1]]

    @property
    def newest(self) -> Release | None:
        """The most recent final release (chosen once, by `scripts/pins.py`)."""
        return None if self.newest_index is None else self.releases[self.newest_index]


def normalise(url: str) -> str:
    """A repository address as the data keys it: https, lower case, no `.git` or slash."""
    url = SSH.sub("https://github.com/", url.strip())
    url = url.replace("http://", "https://", 1).rstrip("/").lower()
    return url.removesuffix(".git")


class ActionPin(NamedTuple):
    """An action's newest release: `uses: NAME@COMMIT  # TAG`."""

    tag: str
    commit: str


def known(url: str) -> HookRepository | None:
    """The data of the hook repository at `url`, if prodready knows it."""
    return _table().get(normalise(url))


def newest_revs() -> dict[str, str]:
    """Hook repository address -> its newest final release's tag (what `new` pins)."""
    return {url: repo.newest.tag for url, repo in _table().items() if repo.newest is not None}


def action(name: str) -> ActionPin:
    """The pin of an action prodready writes into workflows (`actions/checkout`)."""
    entry = _data()["actions"][name]
    return ActionPin(entry["tag"], entry["commit"])


@cache
def _data() -> dict[str, Any]:
    from importlib.resources import files

    data: dict[str, Any] = json.loads(
        files("prodready").joinpath("data/pins.json").read_text("utf-8")
    )
    return data


@cache
def _table() -> dict[str, HookRepository]:
    table: dict[str, HookRepository] = {}
    for url, entry in _data()["hook_repositories"].items():
        releases = tuple(
            Release(tag, datetime.date.fromisoformat(date), commit)
            for tag, date, commit in entry["tags"]
        )
        hooks = {
            hook: tuple((first, last) for first, last in runs)
            for hook, runs in entry["hooks"].items()
        }
        tag = entry.get("newest", {}).get("tag")
        newest = next((i for i, r in enumerate(releases) if r.tag == tag), None)
        table[url] = HookRepository(
            url.removeprefix("https://github.com/"), releases, hooks, newest
        )
    return table


def action_tags(name: str) -> dict[str, str] | None:
    """The version tags of the action `OWNER/NAME` and their commits (first 12 hex digits), or
    None when the data does not record its tags (names compare without case, as GitHub's do)."""
    return _action_tags().get(name.lower())


@cache
def _action_tags() -> dict[str, dict[str, str]]:
    recorded: dict[str, dict[str, str]] = _data().get("action_tags", {})
    return {name.lower(): tags for name, tags in recorded.items()}
