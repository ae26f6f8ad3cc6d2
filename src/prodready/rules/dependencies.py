"""DEP: dependencies — declared, bounded and layered the way the project kind needs."""

from __future__ import annotations

import re
from collections.abc import Iterator

from prodready.findings import Violation
from prodready.project import Project
from prodready.project.requirements import Dependency, canonical, names_in_requirements_text
from prodready.rules.locate import at_line
from prodready.rules.registry import rule

HEAVY = frozenset(
    {
        "torch",
        "torchvision",
        "torchaudio",
        "tensorflow",
        "tensorflow-gpu",
        "tensorflow-cpu",
        "jax",
        "jaxlib",
        "opencv-python",
        "opencv-contrib-python",
        "opencv-python-headless",
        "transformers",
        "mxnet",
        "paddlepaddle",
        "onnxruntime-gpu",
        "tensorrt",
        "cupy",
        "xgboost",
        "lightgbm",
        "catboost",
        "spacy",
        "diffusers",
        "accelerate",
        "deepspeed",
        "vllm",
    }
)
DEV_TOOLS = frozenset(
    {
        "ruff",
        "black",
        "mypy",
        "pre-commit",
        "coverage",
        "tox",
        "nox",
        "bandit",
        "pip-audit",
        "safety",
        "flake8",
        "pylint",
        "isort",
        "pyupgrade",
        "autoflake",
        "twine",
        "pyright",
        "basedpyright",
        "pydocstyle",
        "yapf",
        "autopep8",
        "hypothesis",
        "codespell",
        "pip-tools",
    }
)
PLUGIN_GROUPS = {
    "pytest11": "pytest",
    "flake8.extension": "flake8",
    "tox": "tox",
    "mypy.plugins": "mypy",
}


def _dep_violation(p: Project, dep: Dependency, message: str) -> Violation:
    line = p.pyproject.line_of_value(dep.where, dep.raw) if p.pyproject else None
    return Violation(message, "pyproject.toml", line or 1, 1)


@rule("DEP001", "unconstrained-dependency", source="S1 pitfall 8")
def unconstrained(p: Project) -> Iterator[Violation]:
    """A runtime dependency has no version constraint at all.

    ## What it does
    Reports `[project] dependencies` entries with neither a version specifier nor a direct URL.

    ## Why it matters
    Any version satisfies it, including the ancient one already installed in a user's
    environment that lacks the API you call, or a future major that removed it.

    ## Example
    ```toml
    dependencies = ["requests"]
    ```

    ## Use instead
    ```toml
    dependencies = ["requests>=2.31"]
    ```

    ## Fix
    Add at least the lowest version you test against.
    """
    for dep in p.runtime_deps:
        if not dep.constrained:
            yield _dep_violation(
                p, dep, f"`{dep.raw}` has no version constraint; add a lower bound"
            )


@rule("DEP002", "missing-lock-file", kinds="A S", source="S3 applications: pin everything")
def missing_lock(p: Project) -> Iterator[Violation]:
    """An application or service has no lock file.

    ## What it does
    Looks for `uv.lock`, `poetry.lock`, `pdm.lock`, `Pipfile.lock`, `pylock.toml`, or a
    requirements file in which every requirement is pinned with `==`.

    ## Why it matters
    Without a lock, two deployments of the same commit install different dependency versions; a
    release of any transitive dependency can break production with no change of yours.

    ## Example
    ```text
    pyproject.toml   (dependencies = ["fastapi>=0.110"], nothing pinned)
    ```

    ## Use instead
    ```text
    pyproject.toml
    uv.lock          (uv lock; deploy with uv sync --frozen)
    ```

    ## Fix
    `uv lock`, `poetry lock`, `pdm lock` or `pip-compile --generate-hashes`, and commit it.
    """
    if not p.lock_paths and (p.runtime_deps or p.requirements_paths):
        yield Violation(
            f"{p.kind.value} without a lock file: commit uv.lock, poetry.lock or hashed requirements"
        )


def _release(version: str) -> tuple[int, ...]:
    match = re.match(r"v?(\d+(?:\.\d+)*)", version)
    return tuple(int(part) for part in match.group(1).split(".")) if match else (0,)


def _caps_below_major(dep: Dependency) -> str | None:
    """The constraint that pins or caps below the next major version, if any."""
    for op, version in dep.specs:
        release = _release(version)
        major_only = 2 if release[0] == 0 else 1
        if op in ("==", "==="):
            wildcard = version.endswith(".*")
            if not (wildcard and len(release) <= major_only):
                return f"{op}{version}"
        elif (
            op == "<="
            or (op == "~=" and len(release) > major_only + 1)
            or (op == "<" and any(release[major_only:]))
        ):
            return f"{op}{version}"
    return None


@rule("DEP003", "library-pins", kinds="L", source="S3 libraries: be permissive")
def library_pins(p: Project) -> Iterator[Violation]:
    """A library pins a dependency exactly, or caps it below the next major version.

    ## What it does
    Reports `==`, `===`, `<=`, `~=X.Y.Z` and `<X.Y` constraints on a library's runtime
    dependencies (for 0.x versions a cap at the next minor is accepted). A dependency built from
    the same repository (a monorepo member released in lockstep, such as pydantic-core beside
    pydantic) may be pinned.

    ## Why it matters
    A library shares one environment with its users' other packages. Tight pins make your package
    impossible to install next to others, and users cannot take a security fix of the dependency
    until you release.

    ## Example
    ```toml
    dependencies = ["requests==2.31.0", "pydantic<2.6"]
    ```

    ## Use instead
    ```toml
    dependencies = ["requests>=2.31", "pydantic>=2.4"]
    ```

    ## Fix
    Keep lower bounds; pin in a lock file for your own CI instead.
    """
    siblings = {canonical(d.rsplit("/", 1)[-1]) for d in p.subproject_dirs}
    for dep in p.runtime_deps:
        spec = _caps_below_major(dep)
        if spec is not None and dep.name not in siblings:
            yield _dep_violation(
                p, dep, f"`{dep.raw}`: a library should not constrain `{dep.name}` to `{spec}`"
            )


@rule("DEP004", "application-upper-bound", kinds="A S", severity="I", source="S0 add upper bounds")
def application_upper_bound(p: Project) -> Iterator[Violation]:
    """An application's dependency has no upper bound and no lock file pins it.

    ## What it does
    Reports runtime dependencies of an application or service without `<`, `<=`, `~=` or `==`
    when the repository has no lock file.

    ## Why it matters
    The next major release of a dependency may break the application; with neither a lock nor a
    cap, the next deployment installs it.

    ## Example
    ```toml
    dependencies = ["pydantic>=2.5"]
    ```

    ## Use instead
    ```toml
    dependencies = ["pydantic>=2.5,<3"]
    ```

    ## Fix
    Add a lock file (preferred, DEP002) or cap each dependency below its next major.
    """
    if p.lock_paths:
        return
    for dep in p.runtime_deps:
        if dep.url is None and not dep.operators & {"<", "<=", "~=", "==", "==="}:
            yield _dep_violation(p, dep, f"`{dep.raw}` has no upper bound and no lock file pins it")


@rule("DEP005", "heavy-core-dependency", source="S0 §3")
def heavy_core(p: Project) -> Iterator[Violation]:
    """A heavy framework is a core dependency instead of an extra.

    ## What it does
    Reports torch, tensorflow, jax, opencv, transformers and similar multi-hundred-megabyte
    frameworks in `[project] dependencies`.

    ## Why it matters
    Every install, CI job and container pays gigabytes and minutes for them, even for commands
    that never touch them (S0: install went from 5 minutes to 10 seconds once they moved).

    ## Example
    ```toml
    dependencies = ["numpy>=1.24", "torch>=2.0"]
    ```

    ## Use instead
    ```toml
    dependencies = ["numpy>=1.24"]

    [project.optional-dependencies]
    ml = ["torch>=2.0"]
    ```

    ## Fix
    Move it to an extra and import it lazily where it is used.
    """
    own = p.project_name or ""
    for dep in p.runtime_deps:
        if dep.name in HEAVY and not own.startswith(dep.name.split("-")[0]):
            yield _dep_violation(
                p,
                dep,
                f"`{dep.name}` is a heavy framework in core dependencies; move it to an extra",
            )


@rule("DEP006", "dev-tool-runtime-dependency", fix="safe", source="S0, S3 dev layer")
def dev_tool_runtime(p: Project) -> Iterator[Violation]:
    """A development tool is a runtime dependency.

    ## What it does
    Reports pytest and its plugins, ruff, black, mypy, pre-commit, coverage, tox, nox, bandit,
    pip-audit and similar tools in `[project] dependencies`. A plug-in of the tool (a pytest
    plug-in depending on pytest) is not reported.

    ## Why it matters
    Every user installs your test and lint tool chain, with its pins, into their environment.

    ## Example
    ```toml
    dependencies = ["httpx>=0.27", "pytest>=8"]
    ```

    ## Use instead
    ```toml
    dependencies = ["httpx>=0.27"]

    [dependency-groups]
    dev = ["pytest>=8"]
    ```

    ## Fix
    Safe: moves the requirement into the `dev` dependency group (or extra, if that is what the
    project uses).
    """
    own = p.project_name or ""
    hosts = {
        tool for group, tool in PLUGIN_GROUPS.items() if group in (p.meta.get("entry-points") or {})
    }
    for dep in p.runtime_deps:
        tool = "pytest" if dep.name.startswith("pytest") else dep.name
        if (
            tool not in DEV_TOOLS | {"pytest"}
            or tool in hosts
            or own.startswith(tool)
            or tool in own.split("-")
        ):
            continue
        yield _dep_violation(
            p, dep, f"`{dep.name}` is a development tool; move it to a dev group or extra"
        )


@rule("DEP010", "broken-extra-reference", source="S3 convenience group")
def broken_extra_reference(p: Project) -> Iterator[Violation]:
    """An extra refers to the project itself with a misspelt name or an extra that does not exist.

    ## What it does
    Checks self-references such as `all = ["example[test,docs]"]`: the name must be the project's
    own (a near-miss is a typo that installs a different package from the index), and each extra
    it names must exist.

    ## Why it matters
    A misspelt self-reference installs whatever package holds that name, or fails; a missing extra
    is silently ignored by pip, so `pip install .[dev]` lacks the tools it promised.

    ## Example
    ```toml
    [project]
    name = "example"
    [project.optional-dependencies]
    test = ["pytest"]
    dev = ["exmaple[test]"]
    ```

    ## Use instead
    ```toml
    dev = ["example[test]"]
    ```

    ## Fix
    Correct the name or the extra.
    """
    own = p.project_name
    if own is None or p.pyproject is None:
        return
    extras = set(p.optional_deps)
    groups = [*p.optional_deps.values(), *p.dependency_groups.values()]
    for dep in (d for deps in groups for d in deps):
        if dep.name == own:
            for extra in sorted(dep.extras - extras):
                yield _dep_violation(
                    p, dep, f"`{dep.raw}` names the extra `{extra}`, which {own} does not define"
                )
        elif dep.extras and dep.extras <= extras and _near(dep.name, own):
            yield _dep_violation(
                p, dep, f"`{dep.raw}` looks like a misspelt self-reference to `{own}`"
            )


def _near(a: str, b: str) -> bool:
    """True when two names differ by at most two edits (and are not equal)."""
    if a == b or abs(len(a) - len(b)) > 2:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1] <= 2


@rule("DEP011", "requirements-txt-library", kinds="L", source="S0 don't: requirements.txt")
def requirements_txt_library(p: Project) -> Iterator[Violation]:
    """A library keeps its dependencies in `requirements.txt` instead of `[project] dependencies`.

    ## What it does
    Reports a library whose `[project]` declares no dependencies (statically or as `dynamic`)
    while `requirements.txt` lists some.

    ## Why it matters
    `pip install example` reads the metadata, not requirements.txt: users get a package that
    fails with `ModuleNotFoundError` on first import.

    ## Example
    ```text
    requirements.txt: requests>=2.31
    pyproject.toml:   [project] with no dependencies
    ```

    ## Use instead
    ```toml
    [project]
    dependencies = ["requests>=2.31"]
    ```

    ## Fix
    Move the requirements into `[project] dependencies` (keep a lock for CI if you need one).
    """
    if not p.has_project_table or "dependencies" in p.meta or "dependencies" in p.dynamic:
        return
    if p.exists("requirements.txt") and names_in_requirements_text(
        p.read("requirements.txt") or ""
    ):
        yield at_line(
            "requirements.txt",
            "the library's requirements live here, not in [project] dependencies: pip install will not see them",
        )
