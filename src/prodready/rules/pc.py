"""PC: pre-commit — hooks that are pinned, fast on commit, not redundant, and actually run."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from packaging.version import InvalidVersion, Version

from prodready.digits import number as whole
from prodready.findings import Violation, at_line
from prodready.project import Project, pins
from prodready.project.pins import HookRepository, Release
from prodready.project.yamldoc import YamlDoc
from prodready.rules import rule

BRANCH_REVS = frozenset({"main", "master", "head", "develop", "dev", "trunk", "stable", "latest"})
SLOW_HOOK_IDS = frozenset(
    {
        "pip-audit",
        "safety",
        "python-safety-dependencies-check",
        "pytest",
        "pytest-check",
        "osv-scanner",
        "tox",
        "nox",
    }
)
SLOW_ENTRY = re.compile(r"\b(pytest|tox|nox|pip-audit|safety|osv-scanner)\b")
COMMIT_STAGES = frozenset({"pre-commit", "commit"})
MAX_COMMIT_HOOKS = 15
FORMATTER_IDS = ("ruff-format", "black", "black-jupyter")
RUFF_CHECK_IDS = ("ruff", "ruff-check")


def _repos(p: Project) -> list[tuple[int, dict[str, Any]]]:
    data = p.precommit.doc.data if p.precommit.doc else None
    repos = data.get("repos") if isinstance(data, dict) else None
    return (
        [(i, r) for i, r in enumerate(repos) if isinstance(r, dict)]
        if isinstance(repos, list)
        else []
    )


def _hook_at(
    doc: YamlDoc, message: str, repo: int, hook: int | None = None, key: str | None = None
) -> Violation:
    """A violation at a repo entry or one of its hooks; `data` is its (repo, hook) position."""
    keys: list[str | int] = ["repos", repo]
    if hook is not None:
        keys += ["hooks", hook]
    if key is not None:
        keys.append(key)
    where = (repo,) if hook is None else (repo, hook)
    return Violation(message, doc.path, doc.line_of(*keys), 1, data=where)


def _on_commit(p: Project, hook: dict[str, Any]) -> bool:
    data = p.precommit.doc.data if p.precommit.doc else {}
    stages = hook.get("stages", data.get("default_stages") if isinstance(data, dict) else None)
    return not isinstance(stages, list) or bool(COMMIT_STAGES & {str(s) for s in stages})


def _args(hook: dict[str, Any]) -> list[str]:
    args = hook.get("args", [])
    return [str(a) for a in args] if isinstance(args, list) else []


@rule(
    "PC001",
    "no-pre-commit",
    severity="I",
    source="Lesson: pre-commit hooks caught lint, format and type issues before they reached CI; pre-commit docs: https://pre-commit.com/",
)
def no_pre_commit(p: Project) -> Iterator[Violation]:
    """The repository has no `.pre-commit-config.yaml`.

    ## What it does
    Reports a repository without a pre-commit configuration.

    ## Why it matters
    Formatting, lint and simple file checks then run only in CI, minutes after the push, instead
    of in the second before the commit.

    ## Example
    ```text
    (no .pre-commit-config.yaml)
    ```

    ## Use instead
    ```yaml
    repos:
      - repo: https://github.com/astral-sh/ruff-pre-commit
        rev: v0.8.0
        hooks:
          - id: ruff-check
            args: [--fix]
          - id: ruff-format
    ```

    ## Fix
    Add the file and run `pre-commit install`.
    """
    if p.precommit.path is None:
        yield Violation("no .pre-commit-config.yaml: run the fast checks before each commit")


@rule(
    "PC002",
    "unpinned-hook-repo",
    source="pre-commit docs: https://pre-commit.com/#adding-pre-commit-plugins-to-your-project",
)
def unpinned_hook_repo(p: Project) -> Iterator[Violation]:
    """A hook repository has no `rev`, or is pinned to a branch.

    ## What it does
    Reports remote hook repositories whose `rev` is missing or names a branch (`main`, `master`,
    `HEAD`, `stable`, …).

    ## Why it matters
    pre-commit caches a branch at whatever commit it first saw: every machine runs a different
    version of the hook, and `pre-commit autoupdate` cannot manage it.

    ## Example
    ```yaml
    - repo: https://github.com/psf/black
      rev: stable
    ```

    ## Use instead
    ```yaml
    - repo: https://github.com/psf/black
      rev: 24.10.0
    ```

    ## Fix
    Run `pre-commit autoupdate`, which writes tags.
    """
    doc = p.precommit.doc
    if doc is None:
        return
    for index, repo in _repos(p):
        url = str(repo.get("repo", ""))
        if url in ("local", "meta"):
            continue
        rev = repo.get("rev")
        if rev is None:
            yield _hook_at(doc, f"hook repo {url} has no rev", index)
        elif str(rev).strip().lower() in BRANCH_REVS:
            yield _hook_at(
                doc,
                f"hook repo {url} is pinned to the branch `{rev}`: use a tag or commit",
                index,
                key="rev",
            )


@rule(
    "PC003",
    "check-yaml-safe",
    severity="E",
    fix="safe",
    source="Lesson: check-yaml with args [--safe] failed every commit with 'unrecognized arguments: --safe'; https://github.com/pre-commit/pre-commit-hooks",
)
def check_yaml_safe(p: Project) -> Iterator[Violation]:
    """`check-yaml` is given `--safe`, which it does not accept.

    ## What it does
    Reports `args: [--safe]` on the `check-yaml` hook.

    ## Why it matters
    The hook fails every commit with `check-yaml: error: unrecognized arguments: --safe`. Safe
    loading is the default; only `--unsafe` exists.

    ## Example
    ```yaml
    - id: check-yaml
      args: [--safe]
    ```

    ## Use instead
    ```yaml
    - id: check-yaml
    ```

    ## Fix
    Safe: removes the argument.
    """
    doc = p.precommit.doc
    for repo, index, hook in p.precommit.hooks():
        if doc is not None and hook.get("id") == "check-yaml" and "--safe" in _args(hook):
            yield _hook_at(
                doc,
                "check-yaml does not accept --safe (safe loading is the default)",
                repo,
                index,
                "args",
            )


@rule(
    "PC004",
    "bandit-toml-extra",
    fix="safe",
    source="Lesson: the bandit hook failed with ModuleNotFoundError until its additional_dependencies were fixed; bandit docs: https://bandit.readthedocs.io/",
)
def bandit_toml_extra(p: Project) -> Iterator[Violation]:
    """The bandit hook reads `pyproject.toml` without `bandit[toml]` installed.

    ## What it does
    Reports a bandit hook with `-c pyproject.toml` (or `--configfile`) whose
    `additional_dependencies` lack `bandit[toml]`.

    ## Why it matters
    On interpreters without `tomllib` (before 3.11) bandit cannot read TOML without the extra and
    stops, or ignores the configuration.

    ## Example
    ```yaml
    - id: bandit
      args: [-c, pyproject.toml]
    ```

    ## Use instead
    ```yaml
    - id: bandit
      args: [-c, pyproject.toml]
      additional_dependencies: ["bandit[toml]"]
    ```

    ## Fix
    Safe: adds `bandit[toml]` to `additional_dependencies`.
    """
    doc = p.precommit.doc
    for repo, index, hook in p.precommit.hooks():
        args = " ".join(_args(hook))
        listed = hook.get("additional_dependencies")
        extra = [str(d) for d in listed] if isinstance(listed, list) else []
        if (
            doc is not None
            and hook.get("id") == "bandit"
            and re.search(r"(-c|--configfile)[ =]pyproject\.toml", args)
        ) and not any(d.replace(" ", "").startswith("bandit[toml") for d in extra):
            yield _hook_at(
                doc,
                "bandit reads pyproject.toml but the hook lacks bandit[toml]",
                repo,
                index,
                "args",
            )


MIRRORS_MYPY = re.compile(r"github\.com/pre-commit/mirrors-mypy(?:\.git)?/?$")


def _isolated_mypy(url: str, hook: dict[str, Any]) -> bool:
    """True when the hook certainly runs mypy in pre-commit's own environment: the
    mirrors-mypy hook, or a local one whose language is not `system`; either with mypy as its
    entry (`just mypy`, `hatch run test:typing` hand it to the project's environment)."""
    entry = str(hook.get("entry", "mypy")).split()
    if url == "local":
        runs_mypy = entry[:1] == ["mypy"] or entry[:3] in (
            ["python", "-m", "mypy"],
            ["python3", "-m", "mypy"],
        )
        return str(hook.get("language", "")) not in ("system", "unsupported") and runs_mypy
    return (
        MIRRORS_MYPY.search(url) is not None
        and str(hook.get("language", "")) != "system"
        and entry[:1] == ["mypy"]  # not `hatch run test:typing`: the project's environment
    )


@rule(
    "PC005",
    "mypy-hook-environment",
    source="Lesson: the mypy hook was slow and failed on test files until tests were excluded and numpy and type stubs were added as dependencies.",
)
def mypy_hook_environment(p: Project) -> Iterator[Violation]:
    """The mypy hook lacks the project's dependencies, or checks files the mypy config leaves out.

    ## What it does
    Reports a mypy hook without `additional_dependencies` in a project that has runtime
    dependencies (a backport only Pythons older than the one mypy checks for install,
    `importlib-metadata; python_version < "3.10"`, is none: mypy skips the branch that imports
    it), and a mypy hook with no `files`/`exclude` when the mypy configuration limits
    `files` or sets `exclude`. Only hooks whose definition is known are read: mirrors-mypy's
    and local ones not run as `language: system`, each unless its `entry` hands mypy to the
    project's environment (`hatch run test:typing`, `just mypy`); another repository's `mypy` hook may run mypy in the project's own
    environment (`uv run mypy .`), which cannot be seen without fetching it.

    ## Why it matters
    pre-commit runs mypy in an isolated environment: without the dependencies, every import of
    them is `Any` (or an error), so the hook checks far less than `mypy` in CI. pre-commit also
    passes file names explicitly, which bypasses mypy's own `files` and `exclude`.

    ## Example
    ```yaml
    - id: mypy
    ```

    ## Use instead
    ```yaml
    - id: mypy
      additional_dependencies: [pydantic, types-requests]
      files: ^src/
    ```

    ## Fix
    List the typed dependencies and stub packages; mirror the mypy config's scope in `files`.
    """
    doc = p.precommit.doc
    if doc is None:
        return
    config = p.tools.mypy
    for repo, index, hook in p.precommit.hooks():
        if hook.get("id") != "mypy" or not _isolated_mypy(p.precommit.repo_url(repo), hook):
            continue
        if _checked_dependencies(p, config) and not hook.get("additional_dependencies"):
            yield _hook_at(
                doc,
                "the mypy hook has no additional_dependencies: the project's imports are unchecked",
                repo,
                index,
            )
        scoped = config is not None and ("exclude" in config.values or "files" in config.values)
        if (
            scoped
            and not (hook.get("files") or hook.get("exclude"))
            and hook.get("pass_filenames", True)
        ):
            yield _hook_at(
                doc,
                "the mypy hook checks every file it is given, ignoring mypy's files/exclude: set files or exclude",
                repo,
                index,
            )


# `; python_version < "3.10"`: a backport only older interpreters install
OLD_PYTHONS_ONLY = re.compile(r"python_(?:full_)?version\s*(<=?)\s*['\"]3\.(\d+)")


def _checked_dependencies(p: Project, config: Any) -> list[str]:
    """The runtime dependencies mypy would read: not a backport installed only on Pythons
    older than the one mypy checks for (its `python_version`, else the interpreter the hook
    runs on), whose imports sit in the `sys.version_info` branch mypy skips."""
    target = str(config.values.get("python_version", "")) if config is not None else ""
    minor = re.fullmatch(r"3\.(\d+)", target.strip())
    checked = whole(minor.group(1)) if minor else None
    found = []
    for dep in p.packaging.runtime_deps:
        below = OLD_PYTHONS_ONLY.search(dep.marker or "")
        bound = whole(below.group(2)) + (below.group(1) == "<=") if below else 0
        if below and " or " not in (dep.marker or "") and (checked is None or checked >= bound):
            continue
        found.append(dep.name)
    return found


@rule(
    "PC006",
    "slow-hook-on-commit",
    fix="safe",
    source="Lesson: bandit and the networked safety check slowed commits until safety moved to the push stage; https://pre-commit.com/#confining-hooks-to-run-at-certain-stages",
)
def slow_hook_on_commit(p: Project) -> Iterator[Violation]:
    """A slow or networked hook runs on every commit.

    ## What it does
    Reports pip-audit, safety, osv-scanner, pytest, tox and nox hooks (and local hooks whose
    `entry` runs them) that run on the commit stage.

    ## Why it matters
    Commits take seconds to minutes and fail when offline; people learn `--no-verify`.

    ## Example
    ```yaml
    - id: pip-audit
    ```

    ## Use instead
    ```yaml
    - id: pip-audit
      stages: [pre-push]
    ```

    ## Fix
    Safe: adds `stages: [pre-push]`.
    """
    doc = p.precommit.doc
    for repo, index, hook in p.precommit.hooks():
        hook_id = str(hook.get("id", ""))
        slow = hook_id in SLOW_HOOK_IDS or bool(SLOW_ENTRY.search(str(hook.get("entry", ""))))
        if doc is not None and slow and _on_commit(p, hook):
            yield _hook_at(
                doc,
                f"hook `{hook_id}` is slow or uses the network: run it on pre-push or manual",
                repo,
                index,
            )


@rule(
    "PC007",
    "redundant-hooks",
    source="Lesson: a 15-hook setup ran flake8 and pylint beside ruff, which already covered flake8, and made each commit wait 5+ minutes.",
)
def redundant_hooks(p: Project) -> Iterator[Violation]:
    """Two hooks do the same job.

    ## What it does
    Reports black beside ruff-format, flake8 beside ruff with pyflakes' `F` rules enabled (a
    ruff that selects only `I` leaves flake8 the checks, and so does a flake8 whose `select`
    names only plug-in codes, `DAR,RST`), and isort beside ruff with its `I` rules enabled.

    ## Why it matters
    Each commit runs both, and when they disagree they rewrite each other's output.

    ## Example
    ```yaml
    - id: black
    - id: ruff-format
    ```

    ## Use instead
    ```yaml
    - id: ruff-format
    ```

    ## Fix
    Remove the older tool's hook.
    """
    ids = set(p.precommit.hook_ids)
    ruff = bool(ids & {"ruff", "ruff-check"})
    pairs = (
        ("black", bool(ids & {"black", "black-jupyter"}) and "ruff-format" in ids, "ruff-format"),
        (
            "flake8",
            "flake8" in ids and ruff and p.tools.ruff_enables("F401") and not _plugins_only(p),
            "ruff",
        ),
        ("isort", "isort" in ids and ruff and p.tools.ruff_enables("I001"), "ruff's I rules"),
    )
    for old, clash, new in pairs:
        if clash and p.precommit.path:
            yield at_line(
                p.precommit.path, f"the {old} hook repeats what {new} does", _hook_line(p, old)
            )


# flake8's own checks (pycodestyle, pyflakes, mccabe), which ruff implements
FLAKE8_OWN = ("E", "W", "F", "C90")


def _plugins_only(p: Project) -> bool:
    """True when flake8's configuration selects only plug-in codes (`select = DAR,RST`:
    darglint, flake8-rst-docstrings), which ruff does not implement."""
    for path, section in ((".flake8", "flake8"), ("setup.cfg", "flake8"), ("tox.ini", "flake8")):
        parser = p.repo.ini(path) if p.repo.exists(path) else None
        if parser is not None and parser.has_section(section):
            codes = [c.strip() for c in parser.get(section, "select", fallback="").split(",")]
            codes = [c for c in codes if c]
            return bool(codes) and not any(c.startswith(FLAKE8_OWN) for c in codes)
    return False


def _hook_line(p: Project, hook_id: str) -> int | None:
    doc = p.precommit.doc
    for repo, index, hook in p.precommit.hooks():
        if doc is not None and hook.get("id") == hook_id:
            return doc.line_of("repos", repo, "hooks", index)
    return None


@rule(
    "PC008",
    "too-many-commit-hooks",
    severity="I",
    source="Lesson: 15+ pre-commit hooks made each commit wait 5+ minutes, and trimming them to essential hooks brought it under 30 seconds.",
)
def too_many_commit_hooks(p: Project) -> Iterator[Violation]:
    """More than 15 hooks run on each commit.

    ## What it does
    Counts the hooks that run on the commit stage.

    ## Why it matters
    In one project 15+ hooks made commits wait five minutes; people then skip hooks altogether.

    ## Example
    ```yaml
    # 18 hooks, all on commit
    ```

    ## Use instead
    ```yaml
    # the fast ones on commit; the rest with stages: [pre-push] or [manual]
    ```

    ## Fix
    Drop redundant hooks and move slow ones to pre-push.
    """
    count = sum(1 for _, _, hook in p.precommit.hooks() if _on_commit(p, hook))
    if count > MAX_COMMIT_HOOKS and p.precommit.path:
        yield at_line(
            p.precommit.path, f"{count} hooks run on every commit (more than {MAX_COMMIT_HOOKS})", 1
        )


@rule(
    "PC009",
    "ruff-fix-after-format",
    fix="safe",
    source="ruff-pre-commit docs: https://github.com/astral-sh/ruff-pre-commit",
)
def ruff_fix_after_format(p: Project) -> Iterator[Violation]:
    """ruff's fixing hook runs after the formatter.

    ## What it does
    Reports a ruff check hook with `--fix` placed after `ruff-format` or black, with no
    formatter after it (a formatter that runs after the fixes formats them).

    ## Why it matters
    Fixes can leave code unformatted; the formatter has already run, so the commit is rejected
    and has to be repeated. ruff's documentation puts the check hook first.

    ## Example
    ```yaml
    - id: ruff-format
    - id: ruff-check
      args: [--fix]
    ```

    ## Use instead
    ```yaml
    - id: ruff-check
      args: [--fix]
    - id: ruff-format
    ```

    ## Fix
    Safe: moves the check hook before the formatter.
    """
    doc = p.precommit.doc
    hooks = list(p.precommit.hooks())
    formats = [n for n, (_, _, hook) in enumerate(hooks) if hook.get("id") in FORMATTER_IDS]
    for number, (repo, index, hook) in enumerate(hooks):
        if (
            hook.get("id") in RUFF_CHECK_IDS
            and formats
            and number > formats[-1]
            and doc is not None
            and {"--fix", "--fix-only"} & set(_args(hook))
        ):
            yield _hook_at(
                doc, "ruff's --fix hook runs after the formatter: put it first", repo, index
            )


@rule(
    "PC010",
    "invalid-pre-commit-config",
    severity="E",
    source="Lesson: a single unparsable file must be reported, not crash the audit; pre-commit validate-config",
)
def invalid_pre_commit_config(p: Project) -> Iterator[Violation]:
    """`.pre-commit-config.yaml` is not valid YAML or not a valid pre-commit configuration.

    ## What it does
    Parses the file and checks its shape: a mapping with a `repos` list; each repo with `repo`
    (and `rev` unless local or meta) and a `hooks` list; each hook with an `id`, and local hooks
    with `name`, `entry` and `language`.

    ## Why it matters
    pre-commit refuses to run at all, so every other hook is off too.

    ## Example
    ```yaml
    repos:
      - repo: local
        hooks:
          - id: tests
    ```

    ## Use instead
    ```yaml
    repos:
      - repo: local
        hooks:
          - id: tests
            name: tests
            entry: pytest
            language: system
            pass_filenames: false
    ```

    ## Fix
    Correct the file; `pre-commit validate-config` shows the same problems.
    """
    path = p.precommit.path
    if path is None:
        return
    doc = p.precommit.doc
    if doc is None:
        yield at_line(
            path, f"cannot read the configuration: {p.repo.read_problems.get(path, 'unreadable')}"
        )
        return
    if doc.error:
        yield at_line(path, f"not valid YAML: {doc.error}", doc.error_line)
        return
    yield from (
        Violation(message, path, doc.line_of(*keys) or 1, 1) for keys, message in _shape(doc.data)
    )


def _shape(data: Any) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if not isinstance(data, dict) or not isinstance(data.get("repos"), list):
        yield (), "the configuration must be a mapping with a `repos` list"
        return
    for r, repo in enumerate(data["repos"]):
        if not isinstance(repo, dict) or "repo" not in repo:
            yield ("repos", r), "each entry of `repos` needs a `repo`"
            continue
        if not isinstance(repo.get("hooks"), list):
            yield ("repos", r), f"repo {repo['repo']} needs a `hooks` list"
            continue
        for h, hook in enumerate(repo["hooks"]):
            if not isinstance(hook, dict) or "id" not in hook:
                yield ("repos", r, "hooks", h), "each hook needs an `id`"
            elif repo["repo"] == "local":
                lacking = [k for k in ("name", "entry", "language") if k not in hook]
                if lacking:
                    yield (
                        ("repos", r, "hooks", h),
                        f"local hook `{hook['id']}` lacks {', '.join(lacking)}",
                    )


def _known_releases(p: Project) -> Iterator[tuple[int, dict[str, Any], HookRepository, int]]:
    """(index, entry, what prodready knows of its repository, the pinned release's index) for
    each hook repository pinned to a release that `data/pins.json` records."""
    for index, repo in _repos(p):
        known = pins.known(str(repo.get("repo", "")))
        rev = repo.get("rev")
        release = known.release(str(rev)) if known is not None and isinstance(rev, str) else None
        if known is not None and release is not None:
            yield index, repo, known, release


@rule(
    "PC011",
    "hook-id-not-at-rev",
    severity="E",
    source="Lesson: a template pinned ruff-pre-commit at v0.8.6 with the hook id `ruff-check`, which that repository only has from v0.11.10 on; every commit failed with '`ruff-check` is not present in repository'.",
)
def hook_id_not_at_rev(p: Project) -> Iterator[Violation]:
    """A hook id is not provided by its repository at the pinned revision.

    ## What it does
    For well-known hook repositories (ruff, pre-commit-hooks, mypy, black, isort, flake8,
    codespell, check-jsonschema, zizmor, uv and others: `data/pins.json`, generated from
    each repository's tags), reads the hooks the pinned release's `.pre-commit-hooks.yaml`
    declares, and reports a hook id that is not among them. A revision the data does not know
    (newer than the data, a branch, an unknown commit) is not judged.

    ## Why it matters
    pre-commit stops before running any hook: "`ruff-check` is not present in repository
    https://github.com/astral-sh/ruff-pre-commit. Typo? Perhaps it is introduced in a newer
    version?". Every commit fails once `pre-commit install` has run, and CI's pre-commit job
    fails.

    ## Example
    ```yaml
    - repo: https://github.com/astral-sh/ruff-pre-commit
      rev: v0.8.6
      hooks:
        - id: ruff-check
    ```

    ## Use instead
    ```yaml
    - repo: https://github.com/astral-sh/ruff-pre-commit
      rev: v0.16.4
      hooks:
        - id: ruff-check
    ```

    ## Fix
    Run `pre-commit autoupdate`, or use the hook's old id at the old revision (`ruff`).
    """
    doc = p.precommit.doc
    if doc is None:
        return
    for index, repo, known, release in _known_releases(p):
        hooks = repo.get("hooks")
        for h, hook in enumerate(hooks if isinstance(hooks, list) else []):
            hook_id = hook.get("id") if isinstance(hook, dict) else None
            if isinstance(hook_id, str) and not known.provides(hook_id, release):
                message = _missing_hook(known, hook_id, known.releases[release].tag)
                yield _hook_at(doc, message, index, h, "id")


def _missing_hook(known: HookRepository, hook_id: str, tag: str) -> str:
    span = known.span(hook_id)
    head = f"{known.name} {tag} has no hook `{hook_id}`"
    if span is None:
        ids = sorted(h for h in known.hooks if known.provides(h, known.release(tag) or 0))
        return f"{head} (its hooks: {', '.join(ids)}): pre-commit fails before any hook runs"
    first, last = span
    when = f"from {first.tag} on" if last == known.releases[-1] else f"{first.tag} to {last.tag}"
    return f"{head} (it has it {when}): pre-commit fails before any hook runs"


STALE_DAYS = 365


def _stale(pinned: Release, newest: Release) -> bool:
    """More than a year older than the newest release, and a minor or major version behind
    (a year of patch releases only, codespell 2.4.1 against 2.4.3, is not worth a warning)."""
    if (newest.date - pinned.date).days <= STALE_DAYS:
        return False
    try:
        old, new = (Version(r.tag.removeprefix("v")).release[:2] for r in (pinned, newest))
    except InvalidVersion:
        return True
    return old < new


@rule(
    "PC012",
    "stale-hook-rev",
    source="Lesson: hooks pinned years back ran an old ruff and mypy while CI ran new ones, so commits and CI disagreed; https://pre-commit.com/#updating-hooks-automatically",
)
def stale_hook_rev(p: Project) -> Iterator[Violation]:
    """A hook repository is pinned to a release more than a year older than its newest.

    ## What it does
    For well-known hook repositories (`data/pins.json`), compares the date of the pinned
    release with the repository's newest final release that prodready knows, and reports a pin
    more than 365 days behind it and at least a minor version behind (a year of patch releases
    only is not reported). Revisions the data does not know are not judged.

    ## Why it matters
    The hook runs a tool a year or more older than the one in the dev environment and CI, so
    the commit hook and CI disagree (rules renamed, formatting changed), and fixes to the hooks
    themselves never arrive. `pre-commit autoupdate` (or pre-commit.ci, Renovate or Dependabot's
    `pre-commit` ecosystem) keeps pins current.

    ## Example
    ```yaml
    - repo: https://github.com/pre-commit/pre-commit-hooks
      rev: v4.0.1   # 2021
    ```

    ## Use instead
    ```yaml
    - repo: https://github.com/pre-commit/pre-commit-hooks
      rev: v6.0.0
    ```

    ## Fix
    Run `pre-commit autoupdate`, and let a bot keep the pins current.
    """
    doc = p.precommit.doc
    if doc is None:
        return
    for index, _, known, release in _known_releases(p):
        pinned, newest = known.releases[release], known.newest
        if newest is not None and _stale(pinned, newest):
            months = (newest.date - pinned.date).days * 12 // 365
            yield _hook_at(
                doc,
                f"{known.name} is pinned to {pinned.tag} ({pinned.date}), {months} months "
                f"before {newest.tag} ({newest.date}): run `pre-commit autoupdate`",
                index,
                key="rev",
            )
