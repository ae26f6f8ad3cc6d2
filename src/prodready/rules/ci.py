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
from prodready.rules.dep import HEAVY

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
