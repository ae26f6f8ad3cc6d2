"""What a path is for, decided in one place: tests, the data tests read, scripts, benchmarks.

Every rule and read model asks these predicates instead of matching folder names itself, so
"is this a test?" has one answer across prodready.
"""

from __future__ import annotations

import re

# Folders whose files belong to the test suite: `tests/`, `test/` and `fixtures/` at any depth,
# `testing/` at the top (deeper, `pkg/testing/` is usually a module the package ships).
_TEST_FOLDER = re.compile(r"(?:^|/)(?:tests?|fixtures)/|^testing/")
# Folders at the top of a test tree (or anywhere below it) that hold data, not test code.
_TEST_DATA = re.compile(
    r"/(?:data|fixtures|example_scripts|examples|samples|resources|assets|testdata|test_data"
    r"|snapshots|__snapshots__|cases)/"
)
SCRIPT_DIRS = ("bin/", "scripts/", "tools/", "script/")


def in_test_folder(path: str) -> bool:
    """True when a folder of the path is a test folder (`tests/`, `test/`, `fixtures/` at any
    depth, `testing/` at the top)."""
    return _TEST_FOLDER.search(path) is not None


def in_test_tree(path: str) -> bool:
    """True when a folder of the path is named `test…` (`tests/`, `testing/`, `test_utils/` at any
    depth): its modules hold tests or the support tests use, such as a package's `testing`
    helpers, which assert on the tests' behalf."""
    return any(part.startswith("test") for part in path.split("/")[:-1])


def is_test_module(path: str) -> bool:
    """True for a module pytest collects tests from by default (`test_*.py`, `*_test.py`)."""
    name = path.rsplit("/", 1)[-1]
    return name.startswith("test_") or name.endswith("_test.py")


def is_test_path(path: str) -> bool:
    """True for a file of the test suite: in a test folder, a test module, a `tests.py` (what
    unittest's `test*.py` discovery and Django's apps use) or a `conftest.py` (scripts in
    `bin/`, `scripts/`, `tools/` are not tests whatever their name)."""
    if path.startswith(SCRIPT_DIRS):
        return False
    name = path.rsplit("/", 1)[-1]
    return in_test_folder(path) or is_test_module(path) or name in ("conftest.py", "tests.py")


def is_test_data(path: str) -> bool:
    """True for a file among the data a test suite reads (fixtures, samples, snapshots, …)."""
    return _TEST_DATA.search(path) is not None and is_test_path(path)


def in_benchmarks(path: str) -> bool:
    """True for a file in a benchmarks folder: benchmarks measure, they assert nothing."""
    return any(part.startswith("bench") for part in path.split("/")[:-1])


def is_test_support(path: str) -> bool:
    """True for a file that may hold helpers tests call: a folder or the file itself is named
    `test…` (a package's `testing.py`, a `testutils/` folder), as well as the test suite."""
    return any(part.startswith("test") for part in path.split("/"))


def is_conftest(path: str) -> bool:
    """True for a `conftest.py`, which pytest imports wherever it sits in the tests."""
    return path.rsplit("/", 1)[-1] == "conftest.py"


def names_a_test_folder(folder: str) -> bool:
    """True when a folder path has a part named as test folders are (`t/unit`, `testing`)."""
    return any(part in ("t", "test", "tests", "testing") for part in folder.split("/"))


EXAMPLE_FOLDERS = frozenset(
    {"examples", "example", "samples", "demos", "demo", "tutorials", "docs"}
)


def names_example_folder(folder: str) -> bool:
    """True for a folder inside one kept for examples, demos or documentation."""
    return any(part in EXAMPLE_FOLDERS for part in folder.split("/"))


# Third-party code copied into the project (`pkg/_vendor/lark/`): not the project's to fix.
VENDORED = re.compile(r"(?:^|/)(?:_?vendor(?:ed)?|third_party|_?extern(?:al)?s?)/")


def is_vendored(path: str) -> bool:
    """True for a file inside a folder of vendored third-party code."""
    return VENDORED.search(path) is not None


def in_template(path: str) -> bool:
    """True for a file of a project template (cookiecutter, copier): a folder or name that is a
    Jinja expression (`{{cookiecutter.project_name}}/.env`) is rendered into another project,
    not part of this one."""
    return "{{" in path or "{%" in path
