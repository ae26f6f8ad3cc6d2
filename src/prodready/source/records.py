"""The records the source layer produces and caches: light to import, so a run that finds every
file in the cache never loads the analysers."""

from __future__ import annotations

import itertools
import os
import typing
from typing import Any, NamedTuple

Stamp = tuple[int, int, int, int]  # a file's size, modification time, inode and device


def stamp_of(info: os.stat_result) -> Stamp:
    """What says a file is unchanged since: its size, modification time, inode and device."""
    return (info.st_size, info.st_mtime_ns, info.st_ino, info.st_dev)


class Import(NamedTuple):
    """One imported module (and, for `from` imports, the names taken from it)."""

    module: str
    names: tuple[str, ...]
    line: int
    level: int
    guarded: bool
    type_only: bool
    in_function: bool
    since: int
    below: bool

    @property
    def top(self) -> str:
        """The top-level package name (`a` of `a.b.c`)."""
        return self.module.split(".")[0]


class Suppression(NamedTuple):
    """One suppression comment: where, for which codes, and why."""

    line: int
    codes: tuple[str, ...]
    reason: str


class Context(NamedTuple):
    """What a file's analysis depends on beside its bytes."""

    min_python: tuple[int, int] | None  # the oldest Python the project supports
    in_tests: bool  # the file holds tests or test support


class Problem(NamedTuple):
    """Why a file could not be analysed (it does not decode or parse), and where."""

    message: str
    line: int


class Spot(NamedTuple):
    """A line, and what was found on it (a path, a `raise`, a secret's kind, a skip reason)."""

    line: int
    text: str


class GenericRaise(NamedTuple):
    """A generic or vague `raise` (`text`, of the exception `kind`), and the private functions
    of its module through which it leaves uncaught (the function raising and its callers
    there): a caller in another module that catches it around one of them makes it a signal."""

    line: int
    text: str
    kind: str
    through: tuple[str, ...]


class Catch(NamedTuple):
    """A private function called or handed on inside a `try` (or `with suppress(...)`), and the
    exceptions caught there."""

    name: str
    kinds: tuple[str, ...]


class Newer(NamedTuple):
    """Syntax or a standard-library module that needs Python 3.`minor` or newer."""

    line: int
    what: str
    minor: int
    in_function: bool = False  # runs only when a function is called, not at import


class RuntimeName(NamedTuple):
    """A name imported only under `if TYPE_CHECKING:` that a framework evaluates at run time."""

    line: int
    name: str
    consumer: str


class AnnotationSyntax(NamedTuple):
    """An annotation a framework evaluates at run time, written with syntax newer than 3.`minor`
    can evaluate."""

    line: int
    text: str
    minor: int
    consumer: str


# What a lonely test "calls" when it sends a request through a test application object
# (`self.app.put_json(…)`): a check where the project uses WebTest, whose TestApp raises on an
# error status; the rule knows, from the whole repository's imports.
WEBTEST_REQUEST = "webtest:request"
# The name under which a fixture whose teardown asserts is a helper, and under which a test
# that requests it calls it (a setup-only fixture's sanity check checks nothing for the test).
FIXTURE = "fixture:"
# The name under which a fixture that asserts anywhere (in its setup) is a helper, and under
# which a test whose body does nothing requests it: such a test is the fixture's setup, and
# that setup's checks are the test's (pytest-django's `noaccess`, two `pytest.raises`).
FIXTURE_SETUP = "fixture-setup:"
# What a test whose body does nothing, in a class deriving from `Base`, "calls": `inherits:Base`.
# When `Base`, wherever it is defined, has a test of the same name, the test turns that
# inherited test off; the rule decides, from the classes of the whole repository.
INHERITS = "inherits:"
# The name under which an object of a module (`app`) is a helper when a function the module
# registers on it with a decorator asserts (`@app.after_startup`): a test that imports the
# object and starts it (`TestApp(app)`) runs that check.
HOOKS = "hooks:"
# What a test "calls" when it calls a name an import binds: `imported:module:name`, the module
# as written (`.helpers` for a relative import) and the name it has there (`from
# docs.docs_src.pel_testing import test_pending as run`, then `run()`); the rule finds the
# module's file and whether that function, or the object's hooks, assert.
IMPORTED_NAME = "imported:"


class LonelyTest(NamedTuple):
    """A test function with no assertion of its own, and the names it calls."""

    line: int
    name: str
    calls: tuple[str, ...]
    owner: str = ""  # the enclosing class, as `Name` or `Name(bases)`; "" at module level


class Helper(NamedTuple):
    """A function of a test module: whether it asserts, and the names it calls."""

    name: str
    asserts: bool
    calls: tuple[str, ...]


class ClassTests(NamedTuple):
    """A class that defines test methods, or derives from others: its name, its bases as
    written (`dbapi20.DatabaseAPI20Test`), and the `test…` methods it defines itself."""

    name: str
    bases: tuple[str, ...]
    tests: tuple[str, ...]


class MarkerUse(NamedTuple):
    """A pytest marker used in code, and the line of its first use."""

    name: str
    line: int


class FileFacts(NamedTuple):
    """What the source rules read from one file."""

    imports: list[Import]
    problem: Problem | None
    type_checking_runtime: list[RuntimeName]
    annotation_syntax: list[AnnotationSyntax]
    stdlib: list[Newer]
    user_paths: list[Spot]
    generic_raises: list[GenericRaise]
    catches: list[Catch]  # private functions whose errors a `try` of the package's file catches
    logging_setup: list[int]
    swallowing: list[int]
    pydantic_settings_v1: list[int]
    pydantic_v1: list[Spot]
    tests_without_asserts: list[LonelyTest]
    helper_calls: list[Helper]
    test_classes: list[ClassTests]  # classes of a module that defines tests, for inheritance
    markers: list[MarkerUse]
    test_functions: int
    has_arrows: bool  # `->` appears: the file may carry return annotations
    registers_markers: bool  # calls `addinivalue_line` (a plug-in or conftest adding markers)
    hardware_skips: list[Spot]
    sys_path: list[int]
    secrets: list[Spot]
    suppressions: list[Suppression]
    checked_modules: list[str]  # modules whose availability the file tests (`is_nltk_available`)
    runs_as_script: bool  # has a module-level `if __name__ == "__main__":` block
    too_new: Problem | None  # the first construct the oldest supported Python cannot parse


# The record each list (or optional) field of `FileFacts` holds, for reading facts back from data
# that cannot run code (the cache is JSON): lists inside a record were tuples.
ITEMS: dict[str, type[tuple[Any, ...]]] = {
    "imports": Import,
    "type_checking_runtime": RuntimeName,
    "annotation_syntax": AnnotationSyntax,
    "stdlib": Newer,
    "user_paths": Spot,
    "generic_raises": GenericRaise,
    "catches": Catch,
    "pydantic_v1": Spot,
    "tests_without_asserts": LonelyTest,
    "helper_calls": Helper,
    "test_classes": ClassTests,
    "markers": MarkerUse,
    "hardware_skips": Spot,
    "secrets": Spot,
    "suppressions": Suppression,
}


def facts_from_data(data: list[Any]) -> FileFacts:
    """`FileFacts` from its JSON form (a list of its fields, freshly decoded: its lists become
    the records); `ValueError` or `TypeError` when the data does not have that shape."""
    if not isinstance(data, list) or len(data) != len(FileFacts._fields):
        raise ValueError("not the facts of a file")
    for index, record, tuples in _LISTS:
        if data[index]:
            data[index] = _records(record, tuples, data[index])
    for index in _PROBLEMS:
        if data[index] is not None:
            data[index] = Problem(*data[index])
    return FileFacts._make(data)


def _records(record: type[tuple[Any, ...]], tuples: tuple[int, ...], items: list[Any]) -> list[Any]:
    """The records of one field from their JSON lists; the fields at `tuples` were tuples."""
    for item in items if tuples else ():
        for index in tuples:
            item[index] = tuple(item[index])
    return list(itertools.starmap(record, items))


def _tuple_fields(record: Any) -> tuple[int, ...]:
    hints = typing.get_type_hints(record)
    return tuple(
        i for i, name in enumerate(record._fields) if typing.get_origin(hints[name]) is tuple
    )


# (field index, record, indices of its tuple fields) for each list field, and the optional
# `Problem` fields: what reading a JSON form back needs, worked out once
_LISTS = tuple(
    (FileFacts._fields.index(name), record, _tuple_fields(record)) for name, record in ITEMS.items()
)
_PROBLEMS = tuple(FileFacts._fields.index(name) for name in ("problem", "too_new"))
