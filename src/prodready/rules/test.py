"""TEST: tests and coverage — a suite that exists, is configured, and runs as written."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from prodready.findings import Violation, at_line
from prodready.project import Project
from prodready.project.paths import is_conftest, is_test_module, is_test_support
from prodready.rules import rule
from prodready.rules._graph import dotted_name, imported_modules, resolve
from prodready.rules._memo import per_project
from prodready.rules._tests import collected_by_pytest, imported_test_files
from prodready.source.records import (
    FIXTURE,
    FIXTURE_SETUP,
    HOOKS,
    IMPORTED_NAME,
    INHERITS,
    WEBTEST_REQUEST,
    ClassTests,
    FileFacts,
)

FIXTURES = (FIXTURE, FIXTURE_SETUP)  # the names under which fixtures that check are helpers

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


@functools.cache
def plugin_markers() -> frozenset[str]:
    """The markers pytest plug-ins register themselves (`script_launch_mode` of
    pytest-console-scripts, `django_db` of pytest-django, …): `data/pytest_markers.json`,
    generated from the plug-ins' own code by `scripts/pytest_markers.py`."""
    import json
    from importlib.resources import files

    text = files("prodready").joinpath("data/pytest_markers.json").read_text("utf-8")
    plugins: dict[str, dict[str, list[str]]] = json.loads(text)["plugins"]
    return frozenset(m for plugin in plugins.values() for m in plugin["markers"])


@rule(
    "TEST001",
    "no-tests",
    severity="W",
    source="Lesson: a project credited its comprehensive tests with giving it the confidence to refactor; pytest docs: https://docs.pytest.org/",
)
def no_tests(p: Project) -> Iterator[Violation]:
    """The repository has no tests at all.

    ## What it does
    Looks for `tests/` or `test/` folders and `test_*.py` / `*_test.py` files; doctests that
    pytest collects (`--doctest-modules` in its `addopts`) count as tests, and so do the test
    modules of the folders pytest's `testpaths` names (a workspace root that runs its members'
    suites) and the modules its `python_files` patterns name (`test.py`).

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
    if (
        not p.packaging.test_files
        and not p.packaging.only_members
        and not _doctests(p)
        and not _tests_in_test_roots(p)
        and not _named_by_python_files(p)
    ):
        yield Violation("no tests found (no tests/ folder, no test_*.py files)")


def _named_by_python_files(p: Project) -> bool:
    """True when pytest's own `python_files` patterns name a module of the repository
    (click-default-group's `python_files = test.py`)."""
    import fnmatch

    patterns = p.tools.pytest_setting("python_files", ())
    names = {f.rsplit("/", 1)[-1] for f in p.repo.files if f.endswith(".py")}
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns for name in names)


def _tests_in_test_roots(p: Project) -> bool:
    """True when pytest's `testpaths` name folders holding test modules, wherever they are (a
    workspace root whose pytest runs the members' suites: `setuptools-scm/testing_scm`)."""
    named = (
        r.strip().strip("/").removeprefix("./") for r in p.tools.pytest_setting("testpaths", ())
    )
    roots = tuple(f"{r}/" for r in named if r and ".." not in r and "*" not in r)
    return bool(roots) and any(f.startswith(roots) and is_test_module(f) for f in p.repo.files)


def _doctests(p: Project) -> bool:
    """True when pytest runs the modules' or the documents' doctests (`--doctest-modules`,
    `--doctest-glob`): the examples in the docstrings are the tests."""
    return any(option.startswith("--doctest") for option in p.tools.pytest_addopts)


def _uses_pytest(p: Project) -> bool:
    """True when the tests are pytest's: a test module imports pytest or a `conftest.py`
    holds its fixtures, a dependency list declares pytest, or a command, hook or task runs it.
    pytest named as a requirement only (tox's `requires = pytest`, `pip install pytest`) does
    not run it: Django's runner may run the tests (`quicktest.py`, `manage.py test`)."""
    if "pytest" in p.packaging.tooling_names or "pytest" in p.precommit.hook_ids:
        return True
    if any(is_conftest(f) for f in p.packaging.test_files):
        return True
    if any(
        i.top == "pytest"
        for _, facts in p.sources.facts_for(p.packaging.test_files)
        for i in facts.imports
    ):
        return True
    if PYTEST_COMMAND.search(p.precommit.entries):
        return True  # a local hook runs it
    return any(
        PYTEST_COMMAND.search(command) and not REQUIREMENT_LINE.search(command)
        for line in p.automation.text.splitlines()
        if "py" in line
        for command in re.split(r"&&|\|\||;", line)
    )


# pytest run as a program (`pytest -v`, `python -m pytest`, `session.run("pytest", …)`), not a
# distribution with a version (`pytest>=8`) nor another one (`pytest-cov`)
PYTEST_COMMAND = re.compile(r"(?<![\w.-])py\.?test(?![\w.-]|[ \t]*[<>=!~;\[])")
# a command or setting that names what to install: tox's `requires`/`deps`, an installer's
REQUIREMENT_LINE = re.compile(
    r"^[ \t]*(?:requires|deps|dependencies)[ \t]*[=:]"
    r"|\b(?:pip|pipx|poetry|pdm|uv|conda|mamba)[ \t]+(?:\S+[ \t]+)*?(?:install|add)\b"
)


@rule(
    "TEST002",
    "no-pytest-config",
    source="sp-repo-review PP301; pytest docs: https://docs.pytest.org/en/stable/reference/customize.html",
    peers=("sp-repo-review:PP301",),
)
def no_pytest_config(p: Project) -> Iterator[Violation]:
    """Tests run with pytest, but pytest has no configuration.

    ## What it does
    In a project whose tests are pytest's (a test imports pytest, a `conftest.py`, pytest
    declared as a dependency, or a command, hook or task that runs it; pytest named only as
    something to install, such as tox's `requires = pytest`, is not enough), looks for
    `[tool.pytest.ini_options]` (or pytest 9's `[tool.pytest]`), `pytest.ini`,
    `[pytest]` in `tox.ini` or `[tool:pytest]` in `setup.cfg`. A member of a workspace without
    its own has the repository root's, which pytest finds by walking up from the member; a
    file the automation hands pytest by path (`-c config/pytest.ini`, a duty's
    `config_file="config/pytest.ini"`) counts too.

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
    explicit = "pytest" in p.tools.explicit_configs  # `pytest -c config/pytest.ini`
    if p.packaging.test_files and p.tools.pytest is None and not explicit and _uses_pytest(p):
        yield Violation(
            "tests use pytest but pytest has no configuration: add [tool.pytest.ini_options]"
        )


def _plugin_for(option: str) -> str | None:
    name = option.split("=", 1)[0]
    for pattern, plugin in PLUGIN_OPTIONS:
        if re.fullmatch(pattern, name):
            return plugin
    return None


@rule(
    "TEST003",
    "addopts-plugin-missing",
    severity="W",
    fix="safe",
    source="Lesson: --cov-report options in addopts made plain pytest stop with 'unrecognized arguments' because pytest-cov was not installed.",
)
def addopts_plugin_missing(p: Project) -> Iterator[Violation]:
    """pytest's `addopts` uses a plug-in's options, and no dependency declares the plug-in.

    ## What it does
    Maps each option in `addopts` to the plug-in that adds it (`--cov*` pytest-cov, `-n`/`--dist`
    pytest-xdist, `--benchmark-*` pytest-benchmark, `--timeout` pytest-timeout, `--reruns`
    pytest-rerunfailures, `--asyncio-mode` pytest-asyncio, …) and checks that some dependency list,
    group, requirements file or tox/nox file declares it. `-p name` loads are checked too.

    ## Why it matters
    `pytest` stops before running anything: `error: unrecognized arguments: --cov-report=...`
    New contributors hit it first.

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
    config = p.tools.pytest
    if config is None or config.inherited:
        return  # a member's inherited settings are the repository root's to report
    missing: dict[str, str] = {}
    for option in p.tools.pytest_addopts:
        plugin = _plugin_for(option)
        if plugin and plugin not in p.packaging.mentioned_names:
            missing.setdefault(plugin, option)
    for plugin, option in missing.items():
        message = f"addopts `{option}` needs {plugin}, which no dependency declares"
        yield Violation(message, config.path, config.line_of("addopts"), 1, data=(plugin,))


def _markers_used(p: Project, known: frozenset[str]) -> dict[str, tuple[str, int]]:
    """Unknown marker names used in test code, with where each is first used."""
    used: dict[str, tuple[str, int]] = {}
    reached = collected_by_pytest(p)  # a suite pytest does not enter has its own configuration
    for path, facts in p.sources.facts_for([f for f in p.packaging.test_files if reached(f)]):
        for name, line in facts.markers:
            if name not in known:
                used.setdefault(name, (path, line))
    return used


def _markers_registered(p: Project) -> set[str] | None:
    """Registered marker names; None when a plug-in registers markers from computed names."""
    config = p.tools.pytest
    value = config.values.get("markers", []) if config else []
    lines = value if isinstance(value, list) else str(value).splitlines()
    names = {str(line).split(":")[0].split("(")[0].strip() for line in lines if str(line).strip()}
    for path, facts in p.sources.facts_for([*p.packaging.test_files, *p.packaging.package_files]):
        if not facts.registers_markers:
            continue
        text = p.repo.read(path) or ""
        literal = re.findall(r"addinivalue_line\(\s*[\"']markers[\"']\s*,\s*[\"'](\w+)", text)
        calls = re.findall(r"addinivalue_line\(\s*[\"']markers[\"']", text)
        if len(calls) > len(literal):
            return None
        names.update(literal)
    return names


def _strict_markers(p: Project) -> bool:
    config = p.tools.pytest
    if config is None:
        return False
    flags = {"--strict-markers", "--strict"}
    if flags & set(p.tools.pytest_addopts):
        return True
    if any(
        str(config.values.get(key, "")).lower() == "true" for key in ("strict_markers", "strict")
    ):
        return True
    # Warnings made errors include PytestUnknownMarkWarning: a misspelt marker fails collection.
    return any(f in MARK_ERRORS for f in _warning_filters(p)) or _strict_where_run(p)


PYTEST_RUN = re.compile(r"(?<![\w.-])py\.?test(?![\w.-])|pytest_addopts")


def _strict_where_run(p: Project) -> bool:
    """True when the automation runs pytest with strict markers: `--strict-markers` on its
    command line (or in `PYTEST_ADDOPTS`), or warnings made errors there (`pytest -Werror`,
    `python -W error -m pytest`), which turns an unknown marker's warning into an error: a
    misspelt marker fails the run (CI's, or the task's)."""
    text = p.automation.text
    if "pytest" not in text and "py.test" not in text:
        return False
    marks = {f.lower() for f in MARK_ERRORS}
    for line in text.splitlines():
        if not PYTEST_RUN.search(line):
            continue
        words = [w.strip("'\"") for w in re.split(r"[\s=]+(?=-)|\s+", line)]
        words = ["-W" + w[2:] if w.startswith("-w") else w for w in words]  # the text is lower
        if {"--strict-markers", "--strict"} & set(words):
            return True
        if any(f.strip("'\"") in marks for f in _warning_options(words)):
            return True
    return False


def _warning_filters(p: Project) -> tuple[str, ...]:
    """pytest's warning filters, in the order it applies them: `filterwarnings` (a TOML list,
    or one filter a line in an INI file), then the `-W` options of `addopts`."""
    config = p.tools.pytest
    if config is None:
        return ()
    filters = p.tools.pytest_setting("filterwarnings", ())
    raw = config.values.get("filterwarnings")
    if isinstance(raw, str):
        filters = tuple(line.strip() for line in raw.splitlines())
    filters = (*filters, *_warning_options(p.tools.pytest_addopts))
    return tuple(f.strip().strip("'\"").strip() for f in filters if f.strip())


def _every_warning_fails(p: Project) -> bool:
    """True when pytest's configuration makes every warning an error: the last filter for all
    warnings (no message, no module; no category or `Warning`) is `error`."""
    every = False
    for text in _warning_filters(p):
        action, message, category, module, *_ = (*text.split(":"), "", "", "", "")
        if not message.strip() and not module.strip() and category.strip() in ("", "Warning"):
            every = action.strip() == "error"
    return every


def _warning_options(addopts: list[str]) -> list[str]:
    """The filters of `-W error`, `-W=error`, `-Werror` and `--pythonwarnings error` options."""
    found: list[str] = []
    for index, option in enumerate(addopts):
        if option in ("-W", "--pythonwarnings"):
            found.extend(addopts[index + 1 : index + 2])
        elif option.startswith(("-W", "--pythonwarnings=")):
            found.append(option.split("=", 1)[1] if "=" in option else option[2:])
    return found


MARK_ERRORS = {
    "error",
    "error::UserWarning",
    "error::pytest.PytestWarning",
    "error::pytest.PytestUnknownMarkWarning",
}


@rule(
    "TEST004",
    "unregistered-markers",
    fix="safe",
    source="sp-repo-review PP307; pytest docs: https://docs.pytest.org/en/stable/how-to/mark.html",
    peers=("sp-repo-review:PP307",),
)
def unregistered_markers(p: Project) -> Iterator[Violation]:
    """A marker used in the tests is not registered, or `--strict-markers` is off.

    ## What it does
    Collects `@pytest.mark.<name>` uses in the tests (and `mark.<name>` where `mark` is
    imported from pytest, not where a function binds a `mark` of its own, such as a loop over
    `item.iter_markers()`) and compares them with the `markers` setting (and
    `config.addinivalue_line("markers", …)` in conftest files), leaving out pytest's own markers
    and those pytest plug-ins register themselves (pytest-console-scripts'
    `script_launch_mode`, pytest-django's `django_db`, …: read from the plug-ins' own code).
    Also reports a pytest configuration without `--strict-markers` (or pytest 9's `strict`),
    unless `filterwarnings` makes every warning an error (`"error"`), which fails collection on
    an unknown marker just the same, or the automation runs pytest so (`pytest -Werror` or
    `--strict-markers` in CI, `PYTEST_ADDOPTS=--strict-markers` in a tox environment).

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
    config = p.tools.pytest
    if config is None:
        return
    registered = _markers_registered(p)
    known = None if registered is None else BUILTIN_MARKERS | plugin_markers() | registered
    used = sorted(_markers_used(p, known).items()) if known is not None else []
    for name, (path, line) in used:
        message = f"marker `{name}` is not registered in the pytest configuration"
        # a member's inherited settings are outside it: prodready fix does not write there
        fixable = not config.inherited
        yield Violation(message, path, line, 1, data=("register", name), fixable=fixable)
    if not _strict_markers(p) and not config.inherited:
        message = "pytest runs without --strict-markers: a misspelt marker passes silently"
        yield Violation(message, config.path, config.line_of("addopts"), 1, data=("strict",))


@rule(
    "TEST005",
    "xdist-small-suite",
    severity="I",
    source="Lesson: a 30-test suite took 0.44 s sequentially and 4.04 s with pytest -n auto, because starting workers cost more than the tests.",
)
def xdist_small_suite(p: Project) -> Iterator[Violation]:
    """`-n auto` runs by default for a suite of fewer than 100 tests.

    ## What it does
    Counts the test functions and reports pytest-xdist's `-n` in the default `addopts` when there
    are fewer than 100.

    ## Why it matters
    Starting workers costs seconds; one project measured a 30-test suite at 0.44 s sequential and 4.04 s
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
    config = p.tools.pytest
    if (
        config is None
        or config.inherited
        or not any(re.fullmatch(r"-n\S*|--numprocesses(=.*)?", o) for o in p.tools.pytest_addopts)
    ):
        return
    count = sum(facts.test_functions for _, facts in p.sources.facts_for(p.packaging.test_files))
    if count < 100:
        yield at_line(
            config.path,
            f"addopts runs pytest-xdist by default for {count} tests: workers cost more than they save",
            config.line_of("addopts"),
        )


def _fail_under(p: Project) -> tuple[str, int | None, float] | None:
    """Where coverage's threshold is set, and its value."""
    doc = p.repo.pyproject
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
        parser = p.repo.ini(path)
        if parser is not None and parser.has_option(section, "fail_under"):
            try:
                return path, None, float(parser.get(section, "fail_under"))
            except ValueError:
                return path, None, 0.0
    match = re.search(
        r"(?:--cov-fail-under|--fail-under)[= ](\d+(?:\.\d+)?)",
        p.automation.text + " ".join(p.tools.pytest_addopts),
    )
    return ("", None, float(match.group(1))) if match else None


@rule(
    "TEST006",
    "coverage-threshold",
    severity="I",
    source="Lesson: fail_under = 95 blocked merges, while 60 with quality tests allowed progress; coverage docs: https://coverage.readthedocs.io/en/latest/config.html",
)
def coverage_threshold(p: Project) -> Iterator[Violation]:
    """Coverage has no `fail_under`, or one above 95.

    ## What it does
    Looks for coverage's threshold (`[tool.coverage.report] fail_under`, `.coveragerc`,
    `--cov-fail-under` / `coverage report --fail-under` in CI) in a project that measures
    coverage.

    ## Why it matters
    Without a threshold coverage only ever falls. A threshold near 100 % pushes people to write
    tests for coverage rather than for behaviour and blocks useful changes.

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
    if not p.tools.uses("coverage"):
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


@rule(
    "TEST007",
    "test-asserts-nothing",
    source="Lesson: tests that checked little gave high coverage but low value, until parametrized tests asserted the edge cases.",
)
def test_asserts_nothing(p: Project) -> Iterator[Violation]:
    """A test function asserts nothing.

    ## What it does
    Reports `test_*` functions whose body has no `assert`, no `pytest.raises` / `warns` /
    `approx` / `RaisesGroup`, no unittest or mock assertion (`self.assertEqual`,
    `.assert_called_once_with`), no `raise`, and calls no helper that asserts (a function of
    any test module or conftest whose body asserts, or one named `check_…`, `verify_…`,
    `expect_…`, `ensure_…`, `compare_…`, or an assertion function imported from a module of
    testing helpers, such as `eq_`, `is_` or `ne_` from `sqlalchemy.testing` or `nose.tools`,
    or any function of a module of checks such as `babel.messages.checkers` or a `validators`
    module, which raise on bad input; under another name too: `from … import test_pending as
    run`). A function of a module of examples or documentation that the test imports counts
    when it asserts, and so does an object of such a module that a function registered on it
    checks for whoever starts it (`@app.after_startup` over an `assert`: `TestApp(app)`), or
    an object on which the test class's `setUp` installed one of its asserting methods as a
    callback (`self.repl.pager = self.assert_pager_gets_unicode`) when the test uses it.
    Calls are read from the code only: the text of the
    body's strings and comments calls nothing (the source a test hands to `ast.parse`, a
    comment naming a helper). A function the test hands to another call (`spawn(worker)`,
    `partial(check, 1)`) counts as called, as does a helper that calls an object it built in
    a module whose class's `__call__` asserts (a fixture's runner of a tester object), and
    `pytest.deprecated_call`, `no_warning_call` and warnings turned into errors count as
    checks (in the test, in its module's `pytestmark`, or, for a test whose name speaks of a
    warning or a deprecation, by pytest's `filterwarnings` or `-W` settings when they make
    every warning an error), as does building an object of the test's module whose hook
    methods assert (a model's `on_train_end` or `training_step`, a callback's `on_fit_start`)
    for a framework to run, or whose `__init__` holds an `assert`. A test whose body does
    nothing (`pass`, a docstring) is the setup of the fixtures it requests: their checks are
    its own; in a subclass of a test class that defines it (in the module or another, such as
    a shared suite `dbapi20.DatabaseAPI20Test`, also through that class's own bases), it turns
    the inherited test off, unless a to-do comment in it owes the check (`# TODO fix later`).
    A handshake with a server as the test's last step counts, when the test then only works
    through the connection or closes it: a connection with credentials or an address
    (`pymysql.connect(user=…, password=…)`, `sock.connect((host, port))`, a websocket fetch
    with `headers=`) or a `ping()`, which raise when the server refuses (not a local
    `sqlite3.connect(":memory:")`, nor `graph.connect(other)`). So do waits that raise when
    what the code should do never happens
    (`asyncio.wait_for`, `fail_after`, botocore's waiters, Selenium's `WebDriverWait`,
    pexpect's `expect…`, which raises `TIMEOUT` or `EOF`), probes that raise when what it
    should have made is missing (a `SELECT` whose rows are thrown away, Django's
    `full_clean()`, `clean(…)` in a module that names `ValidationError`, WebTest's
    `mustcontain(…)`, and
    `call_command("check")`, a command run with `--check`: `makemigrations --check`), a parse whose result is thrown away (`compile(source, name,
    "exec")`, `ast.parse`, `json.loads`, `tomllib.loads`, `yaml.safe_load` of something other
    than a literal, outside a `try`), responses' `RequestsMock()` and respx's mock (the
    `respx_mock` fixture, `respx.mock`: each fails on exit unless every registered response
    was requested), accelerate's `launch_command`,
    `torch.jit.trace(..., check_inputs=...)` and `torch.jit.script(module)`. It stays
    quiet on tests under `if 0:` (never defined), on methods of classes pytest does not
    collect (names outside `python_classes`,
    `Test` by default, unless they derive from a test case; classes that define `__init__`) and
    of skipped classes (or classes whose `setUp` skips), on tests that skip themselves
    (`pytest.skip(...)`,
    `return self.skipTest(...)`, `config.skip_test(...)` at the body's own level), on tests a
    decorator checks (pytest-memray's `limit_memory`, `@pytest.mark.timeout`, a replayed
    HTTP recording such as vcrpy's `use_cassette` or `@pytest.mark.vcr`, a snapshot
    or benchmark fixture or marker, also as the module's `pytestmark`; a parametrization
    handing `pytest.raises` or `pytest.warns` to the test), on tests that hand work
    to a launcher or a subprocess runner (whose failures fail the test) or call `exit()`, on
    files outside pytest's `testpaths` when it is set, and on modules named like tests that
    the package itself imports (bandit's `core/test_properties.py` holds its decorators).

    ## Why it matters
    The test passes whatever the code does: it adds coverage and no protection ("high
    coverage, low value").

    ## Example
    ```python
    def test_parse():
        parse("a=1")
    ```

    ## Use instead
    ```python
    def test_parse():
        assert parse("a=1") == {"a": "1"}
    ```

    ## Fix
    Assert on the result or the side effect; for a "does not raise" test, say so in an assert.
    """
    checked = p.sources.facts_for(p.packaging.test_files)
    support = p.sources.facts_for(
        [
            f
            for f in p.sources.python_files
            if is_test_support(f) and f not in p.packaging.test_files
        ]
    )
    helpers = _asserting_helpers([facts for _, facts in [*checked, *support]])
    # a fixture whose teardown asserts reaches the tests of its module and of its conftest's
    # folder only: other modules' fixtures of the same name are other fixtures
    shared: dict[str, set[str]] = {}
    for path, facts in [*checked, *support]:
        if is_conftest(path):
            folder = path.rpartition("/")[0]
            shared.setdefault(folder + "/" if folder else "", set()).update(
                h.name for h in facts.helper_calls if h.name.startswith(FIXTURES)
            )
    helpers = {h for h in helpers if not h.startswith((*FIXTURES, HOOKS))}
    if any(i.top == "webtest" for facts in p.sources.facts.values() for i in facts.imports):
        helpers.add(WEBTEST_REQUEST)  # its TestApp raises on an error status
    collects = p.tools.pytest_collects_class
    reached = collected_by_pytest(p)
    # a module named like a test that the product imports is part of the product
    product = imported_modules(p, p.packaging.package_files)
    # a test about a warning (`test_…_no_warning`, `test_…_deprecated`) where pytest's settings
    # make every warning an error checks that the warning is not emitted
    warnings_fail = _every_warning_fails(p)
    for path, facts in checked:
        if not reached(path):
            continue  # outside `testpaths`, or in `norecursedirs`: an example, not the suite
        if product and dotted_name(p, path) in product:
            continue  # the package's own module (bandit's `test_properties`), no test module
        own = {h.name for h in facts.helper_calls if h.name.startswith(FIXTURES)}
        own |= {n for folder, names in shared.items() if path.startswith(folder) for n in names}
        lonely = [
            (line, name)
            for line, name, called, owner in facts.tests_without_asserts
            if not (owner and not collects(owner))  # a class pytest collects (not a model's)
            # a test that runs another test function (often imported from docs or examples)
            # asserts through it
            and not helpers.intersection(called)
            and not own.intersection(called)
            and not any(c.startswith("test_") for c in called)
            and not (warnings_fail and WARNING_TEST.search(name))
            and not _turns_off_inherited(p, name, called)
            and not _runs_imported_check(p, path, called, helpers)
        ]
        for line, name in lonely:
            yield at_line(path, f"`{name}` asserts nothing", line)


WARNING_TEST = re.compile(r"warn|deprecat", re.I)


def _runs_imported_check(p: Project, path: str, called: tuple[str, ...], helpers: set[str]) -> bool:
    """True when a name the test calls is bound by an import to a check: an asserting helper
    under another name (`from docs.docs_src.pel_testing import test_pending as run`), or what a
    module of examples or documentation defines that asserts, a function or an object whose
    registered hooks assert (`from docs.docs_src.rpc.app import app`, whose
    `@app.after_startup` hook asserts: `TestApp(app)` runs it)."""
    for name in called:
        if not name.startswith(IMPORTED_NAME):
            continue
        module, _, original = name.removeprefix(IMPORTED_NAME).rpartition(":")
        level = len(module) - len(module.lstrip("."))
        base = resolve(_root_name(path), path, level, module.lstrip("."))
        if original in helpers:
            return True  # a helper of the tests, imported under another name
        modules = _module_files(p)
        target = modules.get(f"{base}.{original}") or modules.get(base)
        checks = _module_checks(p, target) if target else set()
        if original in checks or HOOKS + original in checks:
            return True
    return False


@per_project
def _module_files(p: Project) -> dict[str, str]:
    """Each Python file of the repository by its dotted name from the root (`docs.docs_src.app`,
    the name a test run from the root imports it by; a `src/` layout's modules also under the
    name the package gives them)."""
    names: dict[str, str] = {}
    for path in p.sources.python_files:
        names.setdefault(_root_name(path), path)
    for path in p.packaging.package_files:
        if name := dotted_name(p, path):
            names.setdefault(name, path)
    return names


def _root_name(path: str) -> str:
    """`docs/docs_src/app.py` -> `docs.docs_src.app` (`__init__` names its package)."""
    return path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


def _module_checks(p: Project, path: str) -> set[str]:
    """The functions of one module that assert (through the module's other functions too), and
    its objects whose hooks assert (`hooks:app`): what a test importing them runs."""
    known = _checks_by_module(p)
    if path not in known:
        facts = p.sources.facts.get(path)
        helpers = facts.helper_calls if facts is not None else []
        known[path] = _asserting_helpers([facts]) if facts is not None and helpers else set()
    return known[path]


@per_project
def _checks_by_module(p: Project) -> dict[str, set[str]]:
    """`_module_checks` of the modules asked about so far."""
    return {}


def _turns_off_inherited(p: Project, name: str, called: tuple[str, ...]) -> bool:
    """True for a test whose body does nothing in a class deriving from a base that, wherever
    the repository defines it (a module of shared suites, `dbapi20.DatabaseAPI20Test`), has a
    test of the same name, itself or through its own bases: the subclass turns it off."""
    bases = [c.removeprefix(INHERITS) for c in called if c.startswith(INHERITS)]
    if not bases:
        return False
    classes = _test_classes(p)
    seen: set[str] = set()
    while bases:
        base = bases.pop().rpartition(".")[2]  # `dbapi20.DatabaseAPI20Test`: the class's name
        if base in seen:
            continue
        seen.add(base)
        for found in classes.get(base, ()):
            if name in found.tests:
                return True
            bases.extend(found.bases)
    return False


@per_project
def _test_classes(p: Project) -> dict[str, list[ClassTests]]:
    """The classes of the repository that define tests or derive from others, by name."""
    classes: dict[str, list[ClassTests]] = {}
    for facts in p.sources.facts.values():
        for found in facts.test_classes:
            classes.setdefault(found.name, []).append(found)
    return classes


# A module of testing helpers (`sqlalchemy.testing.assertions`, `alembic.testing`, `nose.tools`)
# and the names its assertion functions have there: `eq_`, `ne_`, `is_`, `is_true`, `ok_`, …
# (`lightning_utilities.test.warning`, whose `no_warning_call` fails on the warning it names)
TESTING_MODULE = re.compile(r"(?:^|\.)(?:test|testing|assertions?|asserts|tools)(?:\.|$)")
ASSERTION_NAME = re.compile(
    r"(?:eq|ne|ok|is|is_not|is_true|is_false|is_none|is_not_none|in|not_in|lt|le|gt|ge)_?"
    r"|is_instance_of|(?:assert|expect)\w*|no_warnings?(?:_\w+)?"
)


# a module of checks (`babel.messages.checkers`, `pkg.validators`): each function raises on bad input
CHECKING_MODULE = re.compile(r"(?:^|\.)(?:checkers?|validators?|validation|verifiers?)$")


def _imported_assertions(all_facts: list[FileFacts]) -> set[str]:
    """Assertion functions imported from a module of testing helpers (`from alembic.testing
    import eq_`), and every function of a module of checks (`from babel.messages.checkers
    import python_format`): their bodies are elsewhere, but their names say what they do."""
    found: set[str] = set()
    for facts in all_facts:
        for item in facts.imports:
            if not item.names:
                continue
            checks = CHECKING_MODULE.search(item.module) is not None
            if checks or TESTING_MODULE.search(item.module):
                found.update(
                    local
                    for name in item.names
                    if checks or ASSERTION_NAME.fullmatch(name.split(" as ")[0])
                    for local in [name.split(" as ")[-1]]
                )
    return found


def _asserting_helpers(all_facts: list[FileFacts]) -> set[str]:
    """Helpers that assert, directly or through the helpers they call (across modules)."""
    calls: dict[str, set[str]] = {}
    asserting: set[str] = _imported_assertions(all_facts)
    for facts in all_facts:
        for name, asserts, called in facts.helper_calls:
            calls.setdefault(name, set()).update(called)
            if asserts:
                asserting.add(name)
    changed = True
    while changed:
        grown = {
            name for name, called in calls.items() if name not in asserting and called & asserting
        }
        asserting |= grown
        changed = bool(grown)
    return asserting


@rule(
    "TEST008",
    "hardware-test-always-skipped",
    source="Lesson: GPU and TensorRT tests were marked skip unconditionally, so they never ran, even where a GPU existed; https://docs.pytest.org/en/stable/how-to/skipping.html",
)
def hardware_always_skipped(p: Project) -> Iterator[Violation]:
    """A hardware test is skipped unconditionally instead of when the hardware is missing.

    ## What it does
    Reports `@pytest.mark.skip(reason="Requires GPU")` and unconditional `pytest.skip(...)` calls
    whose reason names a GPU, CUDA, TensorRT, TPU, MPS or other device.

    ## Why it matters
    The test never runs, not even on the machine that has the GPU: the GPU path ships untested.

    ## Example
    ```python
    @pytest.mark.skip(reason="Requires GPU")
    def test_cuda(): ...
    ```

    ## Use instead
    ```python
    @pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
    def test_cuda(): ...
    ```

    ## Fix
    Use `skipif` on the real condition (or a marker deselected in CI).
    """
    for path, facts in p.sources.facts_for(p.packaging.test_files):
        for line, reason in facts.hardware_skips:
            yield at_line(
                path, f"skipped unconditionally ({reason}): use skipif on the real condition", line
            )


@rule(
    "TEST009",
    "tests-edit-sys-path",
    source="Lesson: a broken wheel target went unnoticed until the package was installed and imported, raising ModuleNotFoundError; https://docs.pytest.org/en/stable/explanation/goodpractices.html",
)
def tests_edit_sys_path(p: Project) -> Iterator[Violation]:
    """Tests put the source tree on `sys.path`.

    ## What it does
    Reports `sys.path.insert`, `sys.path.append` and assignments to `sys.path` in test files and
    `conftest.py` that name the folder the package lives in (`src`, `lib`) or, when the package
    sits at the root, climb to the root (`..`, `Path(__file__).parent.parent`). It stays quiet
    on edits that add a temporary, plug-in or fixture folder or a name it cannot resolve (a
    path relative to the current folder, `".."` or `os.getcwd()`, in a file whose tests change
    directory into their temporary folders), on
    files pytest does not import, and in projects that are never installed (`[tool.uv] package
    = false`, setuptools told to ship no module), whose code runs from the checkout.

    ## Why it matters
    The tests then import the package from the checkout, not the installed distribution: a wheel
    that misses modules or data passes every test.

    ## Example
    ```python
    sys.path.insert(0, str(Path(__file__).parent.parent / "src"))
    ```

    ## Use instead
    ```bash
    pip install -e . && pytest
    ```

    ## Fix
    Install the project (editable is fine) and remove the path edits; pytest's `pythonpath`
    setting is the explicit alternative for test helpers.
    """
    if p.packaging.not_packaged:
        return  # nothing is installed: the tests can only import the checkout
    roots = _source_roots(p)
    reached = collected_by_pytest(p)
    for path, facts in p.sources.facts_for(imported_test_files(p)):
        if not reached(path):
            continue  # pytest never imports it (outside `testpaths`, in `norecursedirs`)
        if not facts.sys_path or (is_test_module(path) and not facts.test_functions):
            continue  # (a script named like a test, `examples/x/test_run.py`, holds no test)
        text = p.repo.read(path) or ""
        lines = text.splitlines()
        moves = CHANGES_DIRECTORY.search(text) is not None
        for line in facts.sys_path:
            statement = " ".join(lines[line - 1 : line + 5])
            if moves and RELATIVE_TO_CWD.search(statement):
                continue  # `sys.path.insert(0, "..")` after a chdir into the test's temp folder
            if _names_source_tree(statement, roots):
                yield at_line(
                    path, "the tests edit sys.path: test the installed package instead", line
                )


# a test that changes directory (into its temporary folder), and a path relative to wherever
# it stands: what that adds depends on the folder it moved to
CHANGES_DIRECTORY = re.compile(r"\bchdir\(|\bchange_dir\(")
RELATIVE_TO_CWD = re.compile(
    r"sys\.path\.(?:insert\([^,]*,|append\()[ \t]*(?:os\.getcwd\(\)|[\"']\.{1,2}(?:/[\w.-]*)*[\"'])[ \t]*\)"
)
CLIMBS = re.compile(r"\.\.|pardir|\.parent\.parent|parents\[|dirname\([^()]*dirname\(|getcwd\(\)")


def _source_roots(p: Project) -> tuple[set[str], bool]:
    """The folders the package lives in (`src`, `lib`), and whether it sits at the root."""
    folders = {"src"} | {d.split("/")[0] for d in p.packaging.package_dirs.values() if "/" in d}
    flat = any("/" not in d for d in p.packaging.package_dirs.values())
    return folders, flat


def _first_call(text: str) -> str:
    """`text` up to where its first parenthesis closes (the whole edit, over its lines)."""
    depth = 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == ")" and depth <= 0:
            return text[: index + 1]
    return text


def _names_source_tree(statement: str, roots: tuple[set[str], bool]) -> bool:
    """True when a `sys.path` edit names the folder the package lives in (`"src"`), or climbs
    to the repository root in a flat layout (where the root holds the package); an edit that
    adds a temporary, plug-in or fixture folder, or a name prodready cannot resolve, is not."""
    folders, flat = roots
    statement = _first_call(statement)
    if any(re.search(rf"""["'/\\]{re.escape(f)}["'/\\]""", statement) for f in folders):
        return True
    return flat and CLIMBS.search(statement) is not None
