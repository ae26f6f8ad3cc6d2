"""CI: continuous integration — present, committed, and running the tests and checks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from prodready.digits import number
from prodready.findings import Violation, at_line
from prodready.project import Project
from prodready.project.workflows import jobs, triggers
from prodready.rules import rule
from prodready.rules.dep import HEAVY, dependabot_updates

TEST_WORDS = re.compile(
    r"\b(pytest|tox|nox|unittest|hatch\s+test|coverage\s+run|tests?|run_?tests?)\b"  # runtests.py
)
CHECK_WORDS = re.compile(
    r"\b(ruff|flake8|pylint|mypy|pyright|basedpyright|pre-commit|lint|black|typecheck|type-check)\b"
)
HEAVY_EXTRAS = frozenset({"ml", "all", "full", "gpu", "cuda", "torch", "tensorflow"})
UPDATERS = (
    ".github/dependabot.yml",
    ".github/dependabot.yaml",
    "renovate.json",
    "renovate.json5",
    ".renovaterc",
    ".renovaterc.json",
    ".github/renovate.json",
    ".github/renovate.json5",
    ".gitlab/renovate.json",
)
UNKNOWN = (0, 0)
VERSION = re.compile(r"(?:^|[^\d.])3\.(\d+)")


@rule(
    "CI001",
    "no-ci",
    source="Lesson: a team that added CI late concluded CI from day one would have caught its issues earlier; OpenSSF Scorecard CI-Tests",
    peers=("scorecard:CI-Tests",),
)
def no_ci(p: Project) -> Iterator[Violation]:
    """The repository has no CI configuration.

    ## What it does
    Looks for GitHub Actions workflows and the files of GitLab CI, Azure Pipelines, CircleCI,
    Travis, Jenkins, Bitbucket, Cirrus, AppVeyor, Woodpecker and Drone.

    ## Why it matters
    Nothing checks a change on a clean machine before it is merged; "works on my machine" ships.

    ## Example
    ```text
    (no .github/workflows/)
    ```

    ## Use instead
    ```yaml
    # .github/workflows/ci.yml
    on: [push, pull_request]
    permissions:
      contents: read
    jobs:
      test:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
          - uses: actions/setup-python@v5
          - run: pip install -e ".[dev]" && pytest
    ```

    ## Fix
    Add a workflow that installs the project and runs its tests and checks.
    """
    if not p.automation.ci_paths:
        yield Violation("no CI configuration: add a workflow that runs tests and checks")


@rule(
    "CI002",
    "workflows-ignored",
    source="Lesson: to dodge a workflow-permission error, .github/workflows/ was added to .gitignore, so the CI files were never pushed.",
)
def workflows_ignored(p: Project) -> Iterator[Violation]:
    """`.github/workflows/` is git-ignored, so CI never runs.

    ## What it does
    Asks the repository's ignore rules whether a workflow file would be ignored, unless git
    already tracks workflow files (ignore rules do not apply to tracked files: they run).

    ## Why it matters
    One project ignored its workflows to get around a permission error: the files existed locally, CI
    never ran, and nobody noticed. Ignored workflows are never pushed.

    ## Example
    ```text
    # .gitignore
    .github/workflows/
    ```

    ## Use instead
    ```text
    # .gitignore without that line; fix the token's `workflow` scope instead
    ```

    ## Fix
    Remove the ignore rule and commit the workflows.
    """
    sample = ".github/workflows/ci.yml"
    tracked: frozenset[str] = p.repo.tracked or frozenset()
    if any(f.startswith(".github/workflows/") for f in tracked):
        return  # committed before the rule, or added with -f: they are pushed, CI runs
    if sample in p.repo.ignored([sample]):
        line = next(
            (
                n
                for n, text in enumerate((p.repo.read(".gitignore") or "").splitlines(), 1)
                if ".github" in text or "workflows" in text
            ),
            None,
        )
        yield at_line(
            ".gitignore", ".github/workflows/ is ignored: CI workflows are never committed", line
        )


@rule(
    "CI003", "ci-runs-no-tests", source="OpenSSF Scorecard CI-Tests", peers=("scorecard:CI-Tests",)
)
def ci_runs_no_tests(p: Project) -> Iterator[Violation]:
    """CI does not run the tests.

    ## What it does
    Looks for a test command (pytest, tox, nox, unittest, `hatch test`, a `test` script) in the
    CI configuration and in the tox/nox files it calls.

    ## Why it matters
    A CI that only lints lets broken behaviour merge with a green tick.

    ## Example
    ```yaml
    - run: ruff check .
    ```

    ## Use instead
    ```yaml
    - run: ruff check .
    - run: pytest
    ```

    ## Fix
    Add a test job.
    """
    if p.automation.ci_paths and not TEST_WORDS.search(_ci_commands(p)):
        yield Violation("CI runs no tests")


RUNNERS = {
    "tox.ini": r"\btox\b",
    "noxfile.py": r"\bnox\b",
    "Makefile": r"\bmake\b",
    "justfile": r"\bjust\b",
}


def _ci_commands(p: Project) -> str:
    """What CI runs: `run:` scripts, `uses:` of workflows, other CI files, and the task files
    (tox, nox, Makefile, scripts/…) those commands call."""
    parts = [f"{s.run}\n{s.uses}\n{s.data.get('name', '')}" for s in p.workflows.steps]
    parts += [str(job.get("uses", "")) for doc in p.workflows.docs for _, job in jobs(doc)]
    parts += [
        p.repo.read(path) or ""
        for path in p.automation.ci_paths
        if not path.startswith(".github/workflows/")
    ]
    direct = "\n".join(parts)
    for path in p.automation.paths:
        pattern = RUNNERS.get(path)
        called = re.search(pattern, direct) if pattern else path in direct
        if called and path not in p.automation.ci_paths:
            parts.append(p.repo.read(path) or "")
    return "\n".join(parts).lower()


@rule(
    "CI004",
    "ci-runs-no-checks",
    severity="I",
    source="Lesson: pre-commit hooks could be skipped with git commit --no-verify, so only CI could enforce lint and type checks.",
)
def ci_runs_no_checks(p: Project) -> Iterator[Violation]:
    """CI runs no lint, type check or pre-commit step.

    ## What it does
    Looks for ruff, flake8, pylint, mypy, pyright, pre-commit or a `lint` target in CI, and for
    pre-commit.ci (a `ci:` section in the pre-commit configuration).

    ## Why it matters
    Local hooks can be skipped with `--no-verify`; only CI makes the checks binding.

    ## Example
    ```yaml
    - run: pytest
    ```

    ## Use instead
    ```yaml
    - run: pre-commit run --all-files
    - run: pytest
    ```

    ## Fix
    Run pre-commit (or the tools) in CI, or enable pre-commit.ci.
    """
    if not p.automation.ci_paths:
        return
    data = p.precommit.doc.data if p.precommit.doc else None
    if isinstance(data, dict) and "ci" in data:
        return
    if not CHECK_WORDS.search(_ci_commands(p)):
        yield Violation("CI runs no lint, type check or pre-commit step")


def _python_versions(value: Any, found: set[tuple[int, int]]) -> None:
    """Collect every `3.x` written under a `python-version`/`python` key, anywhere below `value`."""
    if isinstance(value, dict):
        for key, item in value.items():
            if str(key) in ("python-version", "python", "python-versions", "py"):
                if isinstance(item, str) and "fromjson" in item.replace(" ", "").lower():
                    found.add(UNKNOWN)
                for text in item if isinstance(item, list) else [item]:
                    found.update((3, number(m)) for m in VERSION.findall(f" {text}"))
            else:
                _python_versions(item, found)
    elif isinstance(value, list):
        for item in value:
            _python_versions(item, found)


@rule(
    "CI005",
    "ci-misses-oldest-python",
    kinds="L",
    severity="I",
    source="Lesson: mypy dropped Python 3.8 while the project still claimed it, and the minimum had to rise to 3.9; https://github.com/actions/setup-python",
)
def ci_misses_oldest_python(p: Project) -> Iterator[Violation]:
    """CI's Python matrix does not include the oldest version `requires-python` admits.

    ## What it does
    Collects the `python-version` values of the workflows (and nox sessions) and compares them
    with the minimum of `requires-python`. Workflows that name no version are left alone.

    ## Why it matters
    The oldest supported Python is where new syntax and standard-library calls break; untested,
    it breaks for users first.

    ## Example
    ```yaml
    requires-python = ">=3.9"
    python-version: ["3.11", "3.12"]
    ```

    ## Use instead
    ```yaml
    python-version: ["3.9", "3.12"]
    ```

    ## Fix
    Add the oldest version to the matrix, or raise `requires-python`.
    """
    if p.packaging.min_python is None:
        return
    found: set[tuple[int, int]] = set()
    for doc in p.workflows.docs:
        _python_versions(doc.data, found)
    noxfile = p.repo.read("noxfile.py") if p.repo.exists("noxfile.py") else None
    if noxfile:
        found.update((3, number(m)) for m in re.findall(r"[\"']3\.(\d+)[\"']", noxfile))
    if UNKNOWN in found:
        return  # a matrix computed at run time: its versions cannot be read here
    if found and p.packaging.min_python not in found and min(found) > p.packaging.min_python:
        oldest = f"{p.packaging.min_python[0]}.{p.packaging.min_python[1]}"
        yield Violation(f"CI tests no Python {oldest}, the oldest requires-python admits")


CPU_WHEELS = "download.pytorch.org/whl/cpu"


@rule(
    "CI006",
    "ci-heavy-extras",
    severity="I",
    source="Lesson: CI installing .[dev,test,ml] took 10+ minutes and timed out, while installing .[dev,test] took 45 seconds.",
)
def ci_heavy_extras(p: Project) -> Iterator[Violation]:
    """CI installs heavy extras for the test job.

    ## What it does
    Reports `pip install .[ml]`, `[all]`, `[full]`, `[gpu]` and extras that hold heavy frameworks
    in CI steps. A step that installs from PyTorch's CPU wheel index
    (`download.pytorch.org/whl/cpu`) is the dedicated job this rule asks for, at a fraction of
    the size, and is not reported.

    ## Why it matters
    Every CI run downloads gigabytes the unit tests do not need (minutes per job).

    ## Example
    ```yaml
    - run: pip install -e ".[all]"
    ```

    ## Use instead
    ```yaml
    - run: pip install -e ".[test]"
    ```

    ## Fix
    Install the test extra; give the heavy integration tests their own job.
    """
    heavy = set(HEAVY_EXTRAS)
    heavy |= {
        extra
        for extra, deps in p.packaging.optional_deps.items()
        if any(d.name in HEAVY for d in deps)
    }
    for step in p.workflows.steps:
        if CPU_WHEELS in step.run:
            continue
        for extras in re.findall(r"install[^\n]*?\.\[([^\]]+)\]", step.run):
            chosen = {e.strip().lower() for e in extras.split(",")} & heavy
            if chosen:
                yield at_line(
                    step.doc.path,
                    f"CI installs the heavy extra(s) {', '.join(sorted(chosen))}",
                    step.line,
                )


@rule(
    "CI007",
    "no-dependency-updates",
    severity="I",
    source="Lesson: pre-commit hooks broke after a refactor, and regular pre-commit autoupdate was the maintenance they needed; OpenSSF Scorecard Dependency-Update-Tool",
    peers=("scorecard:Dependency-Update-Tool",),
)
def no_dependency_updates(p: Project) -> Iterator[Violation]:
    """No dependency update automation is configured.

    ## What it does
    Looks for dependabot and renovate configuration.

    ## Why it matters
    Pins and hook revisions age silently; security fixes arrive only when someone remembers.

    ## Example
    ```text
    (no .github/dependabot.yml)
    ```

    ## Use instead
    ```yaml
    # .github/dependabot.yml
    version: 2
    updates:
      - package-ecosystem: pip
        directory: /
        schedule: { interval: weekly }
      - package-ecosystem: github-actions
        directory: /
        schedule: { interval: weekly }
    ```

    ## Fix
    Add dependabot or renovate.
    """
    if not any(p.repo.exists(path) for path in UPDATERS) and "renovate" not in (
        p.repo.pyproject.text if p.repo.pyproject else ""
    ):
        yield Violation("no dependency update automation (dependabot or renovate)")


@rule(
    "CI008",
    "invalid-workflow",
    severity="E",
    source="Lesson: a single unparsable workflow file must be reported, not crash the audit; actionlint: https://github.com/rhysd/actionlint",
)
def invalid_workflow(p: Project) -> Iterator[Violation]:
    """A CI workflow file is not valid YAML or not a valid workflow.

    ## What it does
    Parses every GitHub workflow and checks it is a mapping with `on` and `jobs`, each job a
    mapping with `runs-on` (or `uses`) and `steps` as a list.

    ## Why it matters
    GitHub shows a broken workflow only in its Actions tab; the checks it held silently stop.

    ## Example
    ```yaml
    on: push
    jobs:
      test:
        steps:
          - run: pytest
    ```

    ## Use instead
    ```yaml
    on: push
    jobs:
      test:
        runs-on: ubuntu-latest
        steps:
          - run: pytest
    ```

    ## Fix
    Correct the file as the message says.
    """
    for path in p.workflows.paths:
        doc = p.workflows.doc(path)
        if doc is None:
            yield at_line(
                path, f"cannot read the workflow: {p.repo.read_problems.get(path, 'unreadable')}"
            )
        elif doc.error:
            yield at_line(path, f"not valid YAML: {doc.error}", doc.error_line)
        elif not isinstance(doc.data, dict):
            yield at_line(path, "a workflow must be a mapping", 1)
        else:
            if not triggers(doc):
                yield at_line(path, "the workflow has no `on` trigger", 1)
            if not isinstance(doc.data.get("jobs"), dict):
                yield at_line(path, "the workflow has no `jobs` mapping", 1)
                continue
            for job_id, job in doc.data["jobs"].items():
                if not isinstance(job, dict):
                    yield at_line(
                        path, f"job {job_id} must be a mapping", doc.line_of("jobs", job_id)
                    )
                elif "uses" not in job and "runs-on" not in job:
                    yield at_line(path, f"job {job_id} has no runs-on", doc.line_of("jobs", job_id))
                elif "steps" in job and not isinstance(job["steps"], list):
                    yield at_line(
                        path,
                        f"job {job_id}: steps must be a list",
                        doc.line_of("jobs", job_id, "steps"),
                    )


# `uv sync`, `uv run` (which locks and syncs first); not `uvx`, `uv pip`, `uv tool`
UV_SYNCS = re.compile(r"(?<![\w-])uv\s+(?:--?[\w-]+(?:[ =][^\s-]\S*)?\s+)*?(sync|run)\b[^\n;&|]*")
UV_ENFORCES = re.compile(r"--locked\b|--frozen\b|--no-sync\b|--script\b")
UV_CHECKS_LOCK = re.compile(r"(?<![\w-])uv\s+lock\b[^\n;&|]*(?:--check\b|--locked\b)")
ENFORCING_ENV = ("UV_LOCKED", "UV_FROZEN")


def _env_enforces(*mappings: Any) -> bool:
    """True when an `env:` mapping sets UV_LOCKED or UV_FROZEN (to anything but off)."""
    for mapping in mappings:
        env = mapping.get("env") if isinstance(mapping, dict) else None
        if isinstance(env, dict) and any(
            str(env.get(name, "")).strip().lower() not in ("", "0", "false", "no")
            for name in ENFORCING_ENV
        ):
            return True
    return False


def _lock_checked(p: Project) -> bool:
    """True when something in CI holds uv.lock to pyproject.toml: a `uv sync`/`uv run` with
    `--locked` or `--frozen`, `uv lock --check`, UV_LOCKED/UV_FROZEN in an `env:`, or the
    `uv-lock` pre-commit hook (which fails when it has to rewrite the lock)."""
    for step in p.workflows.steps:
        if UV_CHECKS_LOCK.search(step.run) or _env_enforces(step.data):
            return True
        if any(UV_ENFORCES.search(m.group(0)) for m in UV_SYNCS.finditer(step.run)):
            return True
    for doc in p.workflows.docs:
        if _env_enforces(doc.data) or any(_env_enforces(job) for _, job in jobs(doc)):
            return True
    text = p.automation.text  # a Makefile, tox, nox or script target CI calls
    if UV_CHECKS_LOCK.search(text) or any(
        UV_ENFORCES.search(m.group(0)) for m in UV_SYNCS.finditer(text)
    ):
        return True
    data = p.precommit.doc.data if p.precommit.doc else None
    return isinstance(data, dict) and "uv-lock" in str(data.get("repos", ""))


CHANGE_EVENTS = frozenset({"push", "pull_request", "merge_group"})
ELSEWHERE = re.compile(r"--(?:directory|project)[ =](\S+)")


def _syncs_this_project(p: Project, step: Any, command: str) -> bool:
    """True when a `uv sync`/`uv run` works on the repository's own project: not `--no-project`
    or a script (`uv run tool.py` with inline metadata), nor in a folder that is not part of the
    repository (a project another step cloned)."""
    if "--no-project" in command or "--with-requirements" in command:
        return False
    script = re.search(r"\brun\s+(?:-\S+\s+)*(\S+\.py)\b", command)
    if script and "# /// script" in (p.repo.read(script.group(1)) or ""):
        return False
    folders = [m.group(1) for m in ELSEWHERE.finditer(command)]
    folders.append(str(step.data.get("working-directory", "")))
    job = step.doc.data.get("jobs", {}).get(step.job) if isinstance(step.doc.data, dict) else {}
    defaults = job.get("defaults") if isinstance(job, dict) else None
    run = defaults.get("run") if isinstance(defaults, dict) else None
    if isinstance(run, dict):
        folders.append(str(run.get("working-directory", "")))
    folders += re.findall(r"(?:^|[;&|]\s*|\n\s*)cd\s+([^\s;&|]+)", step.run)
    for written in folders:
        folder = written.strip("\"'").removeprefix("./").rstrip("/")
        if folder in ("", ".") or "${{" in folder:
            continue
        if folder.startswith(("/", "~", "$", "..")) or folder not in p.repo.dir_set:
            return False  # a checkout of another project, or a folder made at run time
    return True


@rule(
    "CI009",
    "lock-not-enforced",
    source="uv docs, using uv in GitHub Actions (uv sync --locked): https://docs.astral.sh/uv/guides/integration/github/; OpenSSF Scorecard Pinned-Dependencies",
    peers=("scorecard:Pinned-Dependencies",),
)
def lock_not_enforced(p: Project) -> Iterator[Violation]:
    """Nothing in CI holds `uv.lock` to pyproject.toml.

    ## What it does
    In a repository with `uv.lock` whose workflows run `uv sync` or `uv run` on the project,
    reports the first of them when no workflow checks the lock: no `uv sync`/`uv run` passes
    `--locked` or `--frozen`, no `uv lock --check` runs, no `env:` sets `UV_LOCKED` or
    `UV_FROZEN`, and the `uv-lock` pre-commit hook is not configured. One job that checks the
    lock is enough (CI fails when the lock is stale), so other jobs are left alone. Commands that
    do not use the project (`--no-project`, a script with inline metadata, a folder another step
    cloned) are not counted. It stays quiet without `uv.lock`.

    Requirements files with hashes need no `--require-hashes`: pip turns hash checking on by
    itself as soon as one requirement carries a `--hash`, so that case is not reported.

    ## Why it matters
    Without `--locked`, `uv sync` resolves again whenever pyproject.toml and the lock disagree and
    rewrites the lock on the runner: CI tests versions nobody committed, and a stale lock (DEP012)
    goes unnoticed until a `--frozen` deployment installs something else.

    ## Example
    ```yaml
    - run: uv sync --all-extras
    - run: uv run pytest
    ```

    ## Use instead
    ```yaml
    - run: uv sync --locked --all-extras
    - run: uv run pytest
    ```

    ## Fix
    Add `--locked` to the test job's `uv sync` (or set `UV_LOCKED: 1` in the workflow's `env:`).
    """
    if not p.repo.exists("uv.lock") or _lock_checked(p):
        return
    # a workflow that checks changes (push, pull_request) first: that is where --locked belongs
    steps = sorted(p.workflows.steps, key=lambda s: not triggers(s.doc) & CHANGE_EVENTS)
    for step in steps:
        for match in UV_SYNCS.finditer(step.run):
            if _syncs_this_project(p, step, match.group(0)):
                yield at_line(
                    step.doc.path,
                    f"`{' '.join(match.group(0).split()[:4])}` re-locks: no CI job runs uv with `--locked`, so a stale uv.lock goes unnoticed",
                    step.line,
                )
                return


# `curl … | sh`, `wget -O- … | bash`, `bash <(curl …)`, `sh -c "$(curl …)"`
PIPED_TO_SHELL = re.compile(
    r"\b(?:curl|wget)\b[^|\n]*\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:env\s+\S+=\S+\s+)*(?:ba|z|da|k)?sh\b"
    r"|\b(?:ba|z|k)?sh\s+<\(\s*(?:curl|wget)\b"
    r"|\b(?:ba|z|k)?sh\s+-c\s+[\"']?\$\(\s*(?:curl|wget)\b"
)


@rule(
    "CI010",
    "remote-script-piped-to-shell",
    source="OpenSSF Scorecard Pinned-Dependencies (downloadThenRun): https://github.com/ossf/scorecard/blob/main/docs/checks.md#pinned-dependencies",
    peers=("scorecard:Pinned-Dependencies",),
)
def remote_script_piped_to_shell(p: Project) -> Iterator[Violation]:
    """A workflow runs a script straight from the network (`curl … | sh`).

    ## What it does
    Reports `run:` steps that pipe `curl` or `wget` into a shell, or run one on the output of
    either (`bash <(curl …)`, `sh -c "$(curl …)"`).

    Unpinned `pip install pytest` of tools in CI is not reported: nearly every project does it,
    the fix (a hash-pinned requirements file per tool, kept current by an update bot) costs
    more than most projects gain, and the project's own dependencies are covered by its lock
    (DEP002, CI009).

    ## Why it matters
    Whatever the server returns at that moment runs with the job's token and secrets, with
    nothing to pin or verify: a compromised download host or a hijacked domain owns the build.

    ## Example
    ```yaml
    - run: curl -LsSf https://astral.sh/uv/install.sh | sh
    ```

    ## Use instead
    ```yaml
    - uses: astral-sh/setup-uv@<full commit sha> # v6
    ```

    ## Fix
    Use the tool's setup action pinned to a commit, or download a fixed version and check its
    published checksum before running it.
    """
    for step in p.workflows.steps:
        match = PIPED_TO_SHELL.search(step.run)
        if match:
            yield at_line(
                step.doc.path,
                f"`{' '.join(match.group(0).split())[:60]}` runs a downloaded script unverified",
                step.line,
            )


RENOVATE = UPDATERS[2:]
COOLDOWN_DAYS = 7


def _default_days(update: dict[str, Any]) -> int | None:
    """The entry's `cooldown.default-days` (None when it has no cooldown or no default)."""
    cooldown = update.get("cooldown")
    days = cooldown.get("default-days") if isinstance(cooldown, dict) else None
    return days if isinstance(days, int) and not isinstance(days, bool) else None


@rule(
    "CI011",
    "no-dependency-cooldown",
    severity="I",
    fix="safe",
    source="zizmor dependabot-cooldown: https://docs.zizmor.sh/audits/#dependabot-cooldown; Dependabot options reference, cooldown: https://docs.github.com/en/code-security/dependabot/working-with-dependabot/dependabot-options-reference#cooldown-",
    peers=("zizmor:dependabot-cooldown",),
)
def no_dependency_cooldown(p: Project) -> Iterator[Violation]:
    """Dependency updates are taken the day they are published.

    ## What it does
    Reports each Dependabot update entry without a `cooldown` whose `default-days` is at least
    7 (the threshold zizmor uses), a Renovate configuration without `minimumReleaseAge`, and a
    uv project (one with `uv.lock`) whose `[tool.uv]` (or `uv.toml`) sets no `exclude-newer`.

    ## Why it matters
    Malicious releases of popular packages are usually found and pulled within days; an update
    bot that proposes them within hours, or a resolver that takes the newest release, brings
    them in first. A few days' wait costs nothing else.

    ## Example
    ```yaml
    updates:
      - package-ecosystem: pip
        directory: /
        schedule:
          interval: weekly
    ```

    ## Use instead
    ```yaml
    updates:
      - package-ecosystem: pip
        directory: /
        schedule:
          interval: weekly
        cooldown:
          default-days: 7
    ```

    ## Fix
    The safe fix adds `cooldown: default-days: 7` to each Dependabot entry without a cooldown
    (an entry with a shorter one is left for you to raise). In Renovate set
    `"minimumReleaseAge": "7 days"`; in uv, `exclude-newer = "7 days"` under `[tool.uv]`
    (uv 0.9.17 or newer).
    """
    found = dependabot_updates(p)
    if found is not None:
        path, updates = found
        doc = p.repo.yaml(path)
        for position, update in updates:
            days = _default_days(update)
            if days is not None and days >= COOLDOWN_DAYS:
                continue
            has_cooldown = "cooldown" in update
            line = doc.line_of("updates", position) if doc else None
            ecosystem = update.get("package-ecosystem", "?")
            said = (
                f"a cooldown of {days} days"
                if days is not None
                else ("a cooldown without default-days" if has_cooldown else "no cooldown")
            )
            yield Violation(
                f"Dependabot updates {ecosystem} with {said}: set `cooldown: default-days: {COOLDOWN_DAYS}`",
                path,
                line,
                1,
                data=(position,),
                fixable=not has_cooldown,
            )
    for path in RENOVATE:
        if p.repo.exists(path) and "minimumReleaseAge" not in (p.repo.read(path) or ""):
            yield Violation(
                'Renovate has no minimumReleaseAge: set "minimumReleaseAge": "7 days"',
                path,
                1,
                1,
                fixable=False,
            )
    if p.repo.exists("uv.lock") and not _uv_excludes_newer(p):
        line = p.repo.pyproject.line_of("tool", "uv") if p.repo.pyproject else None
        yield Violation(
            'uv resolves to releases of any age: set `exclude-newer = "7 days"` under [tool.uv]',
            "pyproject.toml" if p.repo.pyproject else None,
            line,
            1,
            fixable=False,
        )


def _uv_excludes_newer(p: Project) -> bool:
    doc = p.repo.pyproject
    if doc is not None and doc.get("tool", "uv", "exclude-newer") is not None:
        return True
    uv_toml = p.repo.toml("uv.toml")
    return uv_toml is not None and uv_toml.get("exclude-newer") is not None
