"""TEST: tests and coverage — a suite that exists, is configured, and runs as written."""

from __future__ import annotations

import re
from collections.abc import Iterator

from prodready.findings import Violation
from prodready.project import Project
from prodready.rules.locate import at_line
from prodready.rules.registry import rule

# Options that plug-ins add to pytest, by the distribution that adds them. Plain pytest stops
# with "unrecognized arguments" when the plug-in is not installed.
PLUGIN_OPTIONS: tuple[tuple[str, str], ...] = (
    (r"--cov(-.*)?|--no-cov.*", "pytest-cov"),
    (
        r"-n|--numprocesses|--dist|--maxprocesses|--max-worker-restart|-n\d+|-nauto|--looponfail",
        "pytest-xdist",
    ),
    (r"--benchmark-.*", "pytest-benchmark"),
    (r"--timeout|--timeout-method|--timeout_method", "pytest-timeout"),
    (r"--reruns|--reruns-delay|--only-rerun", "pytest-rerunfailures"),
    (r"--asyncio-mode", "pytest-asyncio"),
    (r"--html|--self-contained-html", "pytest-html"),
    (r"--randomly-seed|--randomly-dont-reorganize|--randomly-dont-reset-seed", "pytest-randomly"),
    (r"--mypy", "pytest-mypy"),
    (r"--ruff|--ruff-format", "pytest-ruff"),
    (r"--ds|--dc|--reuse-db|--create-db|--nomigrations|--no-migrations", "pytest-django"),
    (r"--hypothesis-.*", "hypothesis"),
    (r"--forked", "pytest-forked"),
    (r"--instafail", "pytest-instafail"),
    (r"--md-report.*", "pytest-md-report"),
    (r"--json-report.*", "pytest-json-report"),
    (r"--snapshot-update", "syrupy"),
    (r"--mpl.*", "pytest-mpl"),
    (r"--doctest-plus|--doctest-rst", "pytest-doctestplus"),
)
BUILTIN_MARKERS = frozenset(
    {
        "parametrize",
        "skip",
        "skipif",
        "xfail",
        "usefixtures",
        "filterwarnings",
        "tryfirst",
        "trylast",
    }
)
# Markers that well-known plug-ins register themselves, by plug-in.
PLUGIN_MARKER_TABLE: dict[str, tuple[str, ...]] = {
    "pytest-asyncio": ("asyncio",),
    "anyio": ("anyio",),
    "pytest-trio": ("trio",),
    "pytest-django": ("django_db", "urls", "ignore_template_errors"),
    "pytest-timeout": ("timeout",),
    "flaky / pytest-rerunfailures": ("flaky",),
    "pytest-benchmark / pytest-codspeed": ("benchmark",),
    "pytest-xdist": ("xdist_group",),
    "pytest-order": ("order", "run"),
    "pytest-dependency": ("dependency",),
    "pytest-mpl": ("mpl_image_compare",),
    "pytest-recording / vcrpy": ("vcr", "default_cassette", "block_network", "allowed_hosts"),
    "pytest-httpx": ("httpx_mock",),
    "respx": ("respx",),
    "pytest-freezer / time-machine": ("freeze_time", "time_machine"),
    "pytest-randomly": ("randomly",),
    "pytest-cov": ("no_cover",),
    "pytest-forked": ("forked",),
    "pytest-repeat": ("repeat",),
    "pytest-doctestplus / pytest-remotedata": ("doctest_plus", "remote_data"),
    "syrupy": ("snapshot",),
    "pytest-datafiles": ("datafiles",),
    "pytest-env": ("env",),
    "pytest-subtests": ("subtests",),
    "pytest-retry": ("retry",),
    "pytest-run-parallel": ("thread_unsafe", "parallel_threads", "iterations"),
    "pytest-memray": ("limit_memory", "limit_leaks"),
    "pytest-socket": ("enable_socket", "disable_socket", "allow_hosts"),
}
PLUGIN_MARKERS = frozenset(m for markers in PLUGIN_MARKER_TABLE.values() for m in markers)


@rule("TEST001", "no-tests", severity="E", source="all seeds")
def no_tests(p: Project) -> Iterator[Violation]:
    """The repository has no tests at all.

    ## What it does
    Looks for `tests/` or `test/` folders and `test_*.py` / `*_test.py` files.

    ## Why it matters
    Every change is a guess; refactoring and dependency upgrades become risks nobody can measure.

    ## Example
    ```text
    src/example/__init__.py
    ```

    ## Use instead
    ```text
    src/example/__init__.py
    tests/test_example.py
    ```

    ## Fix
    Add a `tests/` folder with a first test that imports and exercises the package.
    """
    if not p.test_files and not p.only_members:
        yield Violation("no tests found (no tests/ folder, no test_*.py files)")


def _uses_pytest(p: Project) -> bool:
    return p.uses("pytest") or any(
        i.top == "pytest" for _, facts in p.facts_for(p.test_files) for i in facts.imports
    )


@rule("TEST002", "no-pytest-config", source="S0 §4")
def no_pytest_config(p: Project) -> Iterator[Violation]:
    """Tests run with pytest, but pytest has no configuration.

    ## What it does
    Looks for `[tool.pytest.ini_options]` (or pytest 9's `[tool.pytest]`), `pytest.ini`,
    `[pytest]` in `tox.ini` or `[tool:pytest]` in `setup.cfg`.

    ## Why it matters
    Without a configuration file pytest picks its root directory from the command line, collects
    from wherever it is started, and has no `testpaths`, markers or strictness settings.

    ## Example
    ```text
    tests/test_example.py   (no pytest settings anywhere)
    ```

    ## Use instead
    ```toml
    [tool.pytest.ini_options]
    testpaths = ["tests"]
    addopts = ["-ra", "--strict-markers", "--strict-config"]
    ```

    ## Fix
    Add the table to `pyproject.toml`.
    """
    if p.test_files and p.pytest is None and _uses_pytest(p):
        yield Violation(
            "tests use pytest but pytest has no configuration: add [tool.pytest.ini_options]"
        )


def _plugin_for(option: str) -> str | None:
    name = option.split("=", 1)[0]
    for pattern, plugin in PLUGIN_OPTIONS:
        if re.fullmatch(pattern, name):
            return plugin
    return None


@rule("TEST003", "addopts-plugin-missing", severity="E", fix="safe", source="S0 §4")
def addopts_plugin_missing(p: Project) -> Iterator[Violation]:
    """pytest's `addopts` uses a plug-in's options, and no dependency declares the plug-in.

    ## What it does
    Maps each option in `addopts` to the plug-in that adds it (`--cov*` pytest-cov, `-n`/`--dist`
    pytest-xdist, `--benchmark-*` pytest-benchmark, `--timeout` pytest-timeout, `--reruns`
    pytest-rerunfailures, `--asyncio-mode` pytest-asyncio, …) and checks that some dependency list,
    group, requirements file or tox/nox file declares it. `-p name` loads are checked too.

    ## Why it matters
    `pytest` stops before running anything: `error: unrecognized arguments: --cov-report=...`
    (S0 §4). New contributors hit it first.

    ## Example
    ```toml
    [tool.pytest.ini_options]
    addopts = ["--cov=example"]
    # pytest-cov declared nowhere
    ```

    ## Use instead
    ```toml
    [dependency-groups]
    dev = ["pytest>=8", "pytest-cov>=5"]
    ```

    ## Fix
    Safe: adds the plug-in to the project's test or dev dependency group (else its test/dev
    extra, else its requirements-dev file, else a new `dev` group).
    """
    config = p.pytest
    if config is None:
        return
    missing: dict[str, str] = {}
    for option in p.pytest_addopts:
        plugin = _plugin_for(option)
        if plugin and plugin not in p.mentioned_names:
            missing.setdefault(plugin, option)
    for plugin, option in missing.items():
        yield at_line(
            config.path,
            f"addopts `{option}` needs {plugin}, which no dependency declares",
            config.line_of("addopts"),
        )


def _markers_used(p: Project, known: frozenset[str]) -> dict[str, tuple[str, int]]:
    """Unknown marker names used in test code, with where each is first used."""
    used: dict[str, tuple[str, int]] = {}
    for path, facts in p.facts_for(p.test_files):
        for name, line in facts.markers:
            if name not in known:
                used.setdefault(name, (path, line))
    return used


def _markers_registered(p: Project) -> set[str] | None:
    """Registered marker names; None when a plug-in registers markers from computed names."""
    config = p.pytest
    value = config.values.get("markers", []) if config else []
    lines = value if isinstance(value, list) else str(value).splitlines()
    names = {str(line).split(":")[0].split("(")[0].strip() for line in lines if str(line).strip()}
    for path, facts in p.facts_for([*p.test_files, *p.package_files]):
        if not facts.counts[2]:
            continue
        text = p.read(path) or ""
        literal = re.findall(r"addinivalue_line\(\s*[\"']markers[\"']\s*,\s*[\"'](\w+)", text)
        calls = re.findall(r"addinivalue_line\(\s*[\"']markers[\"']", text)
        if len(calls) > len(literal):
            return None
        names.update(literal)
    return names


def _strict_markers(p: Project) -> bool:
    config = p.pytest
    if config is None:
        return False
    flags = {"--strict-markers", "--strict"}
    if flags & set(p.pytest_addopts):
        return True
    return any(
        str(config.values.get(key, "")).lower() == "true" for key in ("strict_markers", "strict")
    )


@rule("TEST004", "unregistered-markers", fix="safe", source="S0 custom markers")
def unregistered_markers(p: Project) -> Iterator[Violation]:
    """A marker used in the tests is not registered, or `--strict-markers` is off.

    ## What it does
    Collects `@pytest.mark.<name>` uses in the tests and compares them with the `markers`
    setting (and `config.addinivalue_line("markers", …)` in conftest files), leaving out pytest's
    own markers and those of well-known plug-ins. Also reports a pytest configuration without
    `--strict-markers` (or pytest 9's `strict`).

    ## Why it matters
    A misspelt marker (`@pytest.mark.slwo`) silently creates a new marker, so `-m "not slow"`
    runs the slow test anyway. With `--strict-markers` the typo is an error.

    ## Example
    ```python
    @pytest.mark.gpu
    def test_cuda(): ...
    ```

    ## Use instead
    ```toml
    [tool.pytest.ini_options]
    addopts = ["--strict-markers"]
    markers = ["gpu: needs a CUDA device"]
    ```

    ## Fix
    Safe: registers the markers and adds `--strict-markers`.
    """
    config = p.pytest
    if config is None:
        return
    registered = _markers_registered(p)
    known = None if registered is None else BUILTIN_MARKERS | PLUGIN_MARKERS | registered
    used = sorted(_markers_used(p, known).items()) if known is not None else []
    for name, (path, line) in used:
        yield at_line(path, f"marker `{name}` is not registered in the pytest configuration", line)
    if not _strict_markers(p):
        yield at_line(
            config.path,
            "pytest runs without --strict-markers: a misspelt marker passes silently",
            config.line_of("addopts"),
        )


@rule("TEST005", "xdist-small-suite", severity="I", source="S0 §8, S2")
def xdist_small_suite(p: Project) -> Iterator[Violation]:
    """`-n auto` runs by default for a suite of fewer than 100 tests.

    ## What it does
    Counts the test functions and reports pytest-xdist's `-n` in the default `addopts` when there
    are fewer than 100.

    ## Why it matters
    Starting workers costs seconds; S0 measured a 30-test suite at 0.44 s sequential and 4.04 s
    with 16 workers.

    ## Example
    ```toml
    addopts = ["-n", "auto"]   # 30 tests
    ```

    ## Use instead
    ```bash
    pytest            # default, sequential
    pytest -n auto    # on request, for the big suites
    ```

    ## Fix
    Drop `-n` from `addopts`; pass it on the command line or in CI when the suite grows.
    """
    config = p.pytest
    if config is None or not any(
        re.fullmatch(r"-n\S*|--numprocesses(=.*)?", o) for o in p.pytest_addopts
    ):
        return
    count = sum(facts.counts[0] for _, facts in p.facts_for(p.test_files))
    if count < 100:
        yield at_line(
            config.path,
            f"addopts runs pytest-xdist by default for {count} tests: workers cost more than they save",
            config.line_of("addopts"),
        )


def _fail_under(p: Project) -> tuple[str, int | None, float] | None:
    """Where coverage's threshold is set, and its value."""
    doc = p.pyproject
    value = doc.get("tool", "coverage", "report", "fail_under") if doc else None
    if isinstance(value, int | float):
        return (
            "pyproject.toml",
            doc.line_of("tool", "coverage", "report", "fail_under") if doc else None,
            float(value),
        )
    for path, section in (
        (".coveragerc", "report"),
        ("setup.cfg", "coverage:report"),
        ("tox.ini", "coverage:report"),
    ):
        parser = p.ini(path)
        if parser is not None and parser.has_option(section, "fail_under"):
            try:
                return path, None, float(parser.get(section, "fail_under"))
            except ValueError:
                return path, None, 0.0
    match = re.search(
        r"(?:--cov-fail-under|--fail-under)[= ](\d+(?:\.\d+)?)",
        p.automation_text + " ".join(p.pytest_addopts),
    )
    return ("", None, float(match.group(1))) if match else None


@rule("TEST006", "coverage-threshold", severity="I", source="S1 pitfall 2")
def coverage_threshold(p: Project) -> Iterator[Violation]:
    """Coverage has no `fail_under`, or one above 95.

    ## What it does
    Looks for coverage's threshold (`[tool.coverage.report] fail_under`, `.coveragerc`,
    `--cov-fail-under` / `coverage report --fail-under` in CI) in a project that measures
    coverage.

    ## Why it matters
    Without a threshold coverage only ever falls. A threshold near 100 % pushes people to write
    tests for coverage rather than for behaviour and blocks useful changes (S1 pitfall 2).

    ## Example
    ```toml
    [tool.coverage.report]
    show_missing = true
    ```

    ## Use instead
    ```toml
    [tool.coverage.report]
    fail_under = 85
    ```

    ## Fix
    Set it just below today's figure and raise it as tests improve.
    """
    if not p.uses("coverage"):
        return
    found = _fail_under(p)
    if found is None:
        yield Violation("coverage is measured but has no fail_under threshold")
    elif found[2] > 95:
        path, line, value = found
        yield Violation(
            f"coverage fail_under {value:g} is above 95: it rewards tests written for the number",
            path or None,
            line,
            1 if line else None,
        )
