"""TEST rules (configuration side): a suite that exists, is configured and runs as written."""

from __future__ import annotations

import pytest

from tests.conftest import Audit
from tests.rules.cases import Case, ids, run_case

PROJECT = '[project]\nname = "x"\nversion = "1"\n'
TESTS = {"tests/test_x.py": "import pytest\n\ndef test_x():\n    assert True\n"}
PYTEST = PROJECT + "[tool.pytest.ini_options]\n"

CASES = [
    Case("none", "TEST001", {"pyproject.toml": PROJECT, "src/x/__init__.py": ""}, 1),
    Case("tests-folder", "TEST001", {"pyproject.toml": PROJECT, **TESTS}, 0),
    Case(
        "test-module-beside-code",
        "TEST001",
        {"pkg/test_core.py": "def test_a():\n    assert 1\n"},
        0,
    ),
    # reduced from setuptools-scm: a virtual workspace root whose pytest runs the members'
    # suites, and whose published members carry the licences
    Case(
        "members-tested-from-the-root",
        "TEST001",
        {
            "pyproject.toml": '[project]\nname = "ws"\nversion = "0.1"\n'
            '[tool.pytest.ini_options]\ntestpaths = ["scm/testing_scm"]\n',
            "uv.lock": "version = 1\n",
            "src/ws_tools/__init__.py": "",
            "scm/pyproject.toml": '[project]\nname = "scm"\nversion = "1"\n',
            "scm/LICENSE": "MIT\n",
            "scm/src/scm/__init__.py": "",
            "scm/testing_scm/__init__.py": "",
            "scm/testing_scm/test_basic.py": "def test_x():\n    assert 1\n",
        },
        0,
    ),
    # reduced from click-default-group: pytest collects `test.py` by its own setting
    Case(
        "python-files-setting",
        "TEST001",
        {
            "pyproject.toml": '[project]\nname = "x"\nversion = "1"\n',
            "setup.cfg": "[tool:pytest]\npython_files = test.py\n",
            "x.py": "def f():\n    return 1\n",
            "test.py": "from x import f\n\ndef test_f():\n    assert f() == 1\n",
        },
        0,
    ),
    Case(
        "workspace-root-licence-in-members",
        "DOC003",
        {
            "pyproject.toml": '[project]\nname = "ws"\nversion = "0.1"\n',
            "uv.lock": "version = 1\n",
            "scm/pyproject.toml": '[project]\nname = "scm"\nversion = "1"\n',
            "scm/LICENSE": "MIT\n",
            "scm/src/scm/__init__.py": "",
        },
        0,
    ),
    Case("no-config", "TEST002", {"pyproject.toml": PROJECT, **TESTS}, 1),
    # reduced from django-import-export: Django's runner; pytest is named in a comment only
    Case(
        "django-runner",
        "TEST002",
        {
            "pyproject.toml": PROJECT,
            "tests/test_admin.py": "from django.test import TestCase\n\n"
            "class AdminTest(TestCase):\n    def test_x(self):\n        self.assertTrue(True)\n",
            "Makefile": "clean-tests: ## remove pytest artifacts\n\trm -fr .pytest_cache/\n"
            "test:\n\tpython tests/manage.py test core\n",
        },
        0,
    ),
    # reduced from django-helpdesk: Django's runner runs the tests (`quicktest.py`); pytest is
    # only a stale requirement of tox itself; a task that installs and then runs pytest runs it
    Case(
        "pytest-only-a-requirement",
        "TEST002",
        {
            "pyproject.toml": PROJECT,
            "tests/test_api.py": "from django.test import TestCase\n\n"
            "class ApiTest(TestCase):\n    def test_x(self):\n        self.assertTrue(True)\n",
            "quicktest.py": "from django.test.runner import DiscoverRunner\n",
            "tox.ini": "[tox]\nminversion = 3.25.1\nrequires = pytest\n           freezegun\n\n"
            "[testenv:release]\ncommands = pip install -r requirements-testing.txt\n"
            "           python quicktest.py\n",
            ".github/workflows/test.yml": "on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n"
            "      - run: pip install pytest\n      - run: coverage run quicktest.py\n",
        },
        0,
    ),
    Case(
        "pytest-installed-then-run",
        "TEST002",
        {
            "pyproject.toml": PROJECT,
            "tests/test_api.py": "import unittest\n\nclass ApiTest(unittest.TestCase):\n"
            "    def test_x(self):\n        self.assertTrue(True)\n",
            "Makefile": "test:\n\tpip install -e . && pytest tests\n",
        },
        1,
    ),
    Case(
        "ini-options", "TEST002", {"pyproject.toml": PYTEST + 'testpaths = ["tests"]\n', **TESTS}, 0
    ),
    Case(
        "pytest9-native",
        "TEST002",
        {"pyproject.toml": PROJECT + '[tool.pytest]\ntestpaths = ["tests"]\n', **TESTS},
        0,
    ),
    Case("tox-section", "TEST002", {"tox.ini": "[pytest]\ntestpaths = tests\n", **TESTS}, 0),
    Case("unittest-only", "TEST002", {"tests/test_x.py": "import unittest\n"}, 0),
    Case(
        "cov-undeclared",
        "TEST003",
        {"pyproject.toml": PYTEST + 'addopts = ["--cov=x", "--cov-report=term-missing"]\n'},
        1,
        says="pytest-cov",
        line=5,
    ),
    Case(
        "xdist-string-addopts",
        "TEST003",
        {"pyproject.toml": PYTEST + 'addopts = "-n auto --timeout=30"\n'},
        2,
    ),
    Case(
        "cov-declared",
        "TEST003",
        {
            "pyproject.toml": PYTEST
            + 'addopts = ["--cov=x"]\n[dependency-groups]\ndev = ["pytest-cov>=5"]\n'
        },
        0,
    ),
    Case(
        "declared-in-requirements",
        "TEST003",
        {
            "pyproject.toml": PYTEST + 'addopts = "-n auto"\n',
            "requirements-dev.txt": "pytest-xdist==3.6\n",
        },
        0,
    ),
    Case(
        "builtin-options",
        "TEST003",
        {
            "pyproject.toml": PYTEST
            + 'addopts = ["-ra", "--strict-markers", "--doctest-modules", "-p", "no:cacheprovider"]\n'
        },
        0,
    ),
    Case(
        "pytest-ini", "TEST003", {"pytest.ini": "[pytest]\naddopts = --benchmark-skip\n"}, 1, line=2
    ),
    Case(
        "unregistered",
        "TEST004",
        {
            "pyproject.toml": PYTEST + 'addopts = ["--strict-markers"]\n',
            "tests/test_x.py": "import pytest\n\n@pytest.mark.gpu\ndef test_x():\n    assert 1\n",
        },
        1,
        says="`gpu`",
        line=3,
    ),
    Case(
        "registered",
        "TEST004",
        {
            "pyproject.toml": PYTEST
            + 'addopts = ["--strict-markers"]\nmarkers = ["gpu: needs a GPU"]\n',
            "tests/test_x.py": "import pytest\n\n@pytest.mark.gpu\ndef test_x():\n    assert 1\n",
        },
        0,
    ),
    Case(
        "builtin-and-plugin",
        "TEST004",
        {
            "pyproject.toml": PYTEST + 'addopts = "--strict-markers"\n',
            "tests/test_x.py": "import pytest\n\n@pytest.mark.parametrize('a', [1])\n@pytest.mark.asyncio\ndef test_x(a):\n    assert a\n",
        },
        0,
    ),
    Case(
        "marker-in-string",
        "TEST004",
        {
            "pyproject.toml": PYTEST + 'addopts = "--strict-markers"\n',
            "tests/test_x.py": "SRC = '''\n@pytest.mark.slwo\n'''\n",
        },
        0,
    ),
    Case(
        "conftest-registration",
        "TEST004",
        {
            "pyproject.toml": PYTEST + 'addopts = "--strict-markers"\n',
            "tests/conftest.py": "def pytest_configure(config):\n    config.addinivalue_line('markers', 'gpu: GPU')\n",
            "tests/test_x.py": "import pytest\n\n@pytest.mark.gpu\ndef test_x():\n    assert 1\n",
        },
        0,
    ),
    Case(
        "not-strict",
        "TEST004",
        {
            "pyproject.toml": PYTEST + 'testpaths = ["tests"]\nmarkers = ["slow: takes long"]\n',
            "tests/test_x.py": "import pytest\n\n@pytest.mark.slow\ndef test_x():\n    assert 1\n",
        },
        1,
        says="--strict-markers",
    ),
    Case(
        "strict-pytest9",
        "TEST004",
        {"pyproject.toml": PROJECT + "[tool.pytest]\nstrict = true\n"},
        0,
    ),
    Case(
        "small-suite-parallel",
        "TEST005",
        {"pyproject.toml": PYTEST + 'addopts = ["-n", "auto"]\n', **TESTS},
        1,
        says="1 tests",
    ),
    Case(
        "large-suite-parallel",
        "TEST005",
        {
            "pyproject.toml": PYTEST + 'addopts = "-n auto"\n',
            "tests/test_many.py": "".join(f"def test_{i}():\n    assert 1\n" for i in range(120)),
        },
        0,
    ),
    Case("sequential", "TEST005", {"pyproject.toml": PYTEST + 'addopts = ["-ra"]\n', **TESTS}, 0),
    Case(
        "no-threshold",
        "TEST006",
        {"pyproject.toml": PROJECT + "[tool.coverage.run]\nbranch = true\n"},
        1,
    ),
    Case(
        "too-high",
        "TEST006",
        {"pyproject.toml": PROJECT + "[tool.coverage.report]\nfail_under = 100\n"},
        1,
        says="100",
        line=5,
    ),
    Case(
        "sensible",
        "TEST006",
        {"pyproject.toml": PROJECT + "[tool.coverage.report]\nfail_under = 85\n"},
        0,
    ),
    Case(
        "ci-flag",
        "TEST006",
        {
            "pyproject.toml": PROJECT + "[tool.coverage.run]\n",
            ".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: pytest --cov --cov-fail-under=80\n",
        },
        0,
    ),
    Case("coveragerc", "TEST006", {".coveragerc": "[report]\nfail_under = 90\n"}, 0),
    Case("no-coverage", "TEST006", {"pyproject.toml": PROJECT}, 0),
]

STRICT = PYTEST + 'addopts = "--strict-markers"\n'
CASES += [
    Case(
        "marker-in-comment-and-param",
        "TEST004",
        {
            "pyproject.toml": STRICT,
            "tests/test_x.py": "import pytest\n# @pytest.mark.old\nCASES = [pytest.param(1, marks=pytest.mark.slowish)]\n",
        },
        1,
        says="slowish",
        line=3,
    ),
    Case(
        "bare-mark-import",
        "TEST004",
        {
            "pyproject.toml": STRICT,
            "tests/test_x.py": "from pytest import mark\n\n@mark.net\ndef test_x():\n    assert 1\n",
        },
        1,
        says="`net`",
    ),
    # reduced from jrnl: a loop variable `mark` (and a parameter, an assignment) hides the `mark`
    # imported from pytest in its function; `.name` of a marker object is no `@mark.name`
    Case(
        "mark-rebound-in-a-function",
        "TEST004",
        {
            "pyproject.toml": STRICT,
            "tests/conftest.py": "from pytest import mark, skip\n\n"
            "def pytest_bdd_apply_tag(tag, function):\n"
            "    marker = mark.skipif(on_windows(), reason='Skip on Windows')\n"
            "    marker(function)\n\n"
            "def pytest_runtest_setup(item):\n"
            "    markers = [mark.name for mark in item.iter_markers()]\n"
            "    if 'skip_win' in markers:\n        skip('Skip test on Windows')\n\n"
            "def describe(mark):\n    return mark.args\n\n"
            "def first(item):\n    mark = item.get_closest_marker('x')\n    return mark.kwargs\n\n"
            "@mark.network\ndef test_fetch():\n    assert fetch()\n",
        },
        1,
        says="`network`",
    ),
    Case(
        "other-mark-object",
        "TEST004",
        {"pyproject.toml": STRICT, "tests/test_x.py": "mark = Generator()\nmark._private\n"},
        0,
    ),
    # reduced from jupyter_server: pytest-console-scripts registers `script_launch_mode`
    Case(
        "marker-a-plugin-registers",
        "TEST004",
        {
            "pyproject.toml": STRICT,
            "tests/test_entrypoint.py": "import pytest\n\n"
            'pytestmark = pytest.mark.script_launch_mode("subprocess")\n\n'
            "def test_list(script_runner):\n    assert script_runner.run(['jupyter']).success\n",
        },
        0,
    ),
    Case(
        "marker-in-pytester-source",
        "TEST004",
        {
            "pyproject.toml": STRICT,
            "tests/test_x.py": 'def test_x(pytester):\n    pytester.makepyfile(\n        """\n        import pytest\n        @pytest.mark.inner\n        def test_y():\n            pass\n        """\n    )\n',
        },
        0,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_testing_rules(audit: Audit, case: Case) -> None:
    run_case(audit, case)


def test_monorepo_root_leaves_tests_to_members(audit: Audit) -> None:
    files = {
        "pyproject.toml": "[tool.uv.workspace]\n",
        "api/pyproject.toml": "[project]\nname = 'api'\n",
        "api/tests/test_a.py": "",
    }
    assert audit(files, "TEST001") == []


def test_configuration_files_the_tasks_hand_the_tools(audit: Audit) -> None:
    # reduced from mkdocstrings and griffe: a duty runs ruff and pytest with files under config/
    duties = (
        "from duty import duty, tools\n\n@duty\ndef check_quality(ctx):\n"
        '    ctx.run(tools.ruff.check("src", config="config/ruff.toml"))\n\n'
        "@duty\ndef test(ctx):\n"
        '    ctx.run(tools.pytest("tests", config_file="config/pytest.ini"))\n'
    )
    files: dict[str, str | bytes] = {
        "pyproject.toml": '[project]\nname = "pkg"\nversion = "1"\n'
        '[dependency-groups]\ndev = ["duty>=1", "ruff>=0.9", "pytest>=8"]\n',
        "src/pkg/__init__.py": "",
        "tests/test_pkg.py": "import pytest\n\n\ndef test_pkg() -> None:\n    assert pytest\n",
        "duties.py": duties,
        "config/ruff.toml": '[lint]\nselect = ["ALL"]\n',
        "config/pytest.ini": "[pytest]\ntestpaths = tests\n",
    }
    assert audit(files, "TEST002") == []
    assert audit(files, "SEC002") == []  # config/ruff.toml selects ALL, the S rules with it
    files["duties.py"] = ""  # the same files, handed to nothing: neither tool reads them
    assert [f.code for f in audit(files, "TEST002")] == ["TEST002"]
    assert [f.code for f in audit(files, "SEC002")] == ["SEC002"]


def test_plugin_markers_are_read_from_the_plugins_code() -> None:
    # the forms the real plug-ins use: a literal (pytest-console-scripts), text built in a
    # variable (pytest-order), an f-string over a table of markers (pytest-memray), the list
    # `getini("markers")` returns (pytest-remotedata)
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "scripts" / "pytest_markers.py"
    spec = importlib.util.spec_from_file_location("pytest_markers", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    code = (
        "MARKERS = {'limit_memory': limit_memory, 'limit_leaks': limit_leaks}\n\n"
        "def pytest_configure(config):\n"
        "    config.addinivalue_line(\n        'markers',\n"
        "        'script_launch_mode: how to run python scripts under test '\n"
        "        '(inprocess|subprocess|both)',\n    )\n"
        "    config_line = (\n        'order: specify ordering information. ' + provided_by\n    )\n"
        '    config.addinivalue_line("markers", config_line)\n'
        "    for marker, marker_fn in MARKERS.items():\n"
        '        line = f"{marker}({args}): {marker_fn.__doc__}"\n'
        '        config.addinivalue_line("markers", line)\n'
        "    config.getini('markers').append(\n"
        "        'remote_data: Apply to tests that require data from remote servers')\n"
        "    config.addinivalue_line('filterwarnings', 'error')\n"
    )
    assert module.registered(code, "plugin.py") == {
        "script_launch_mode",
        "order",
        "limit_memory",
        "limit_leaks",
        "remote_data",
    }
