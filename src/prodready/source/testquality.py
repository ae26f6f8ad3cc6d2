"""Facts about test code read from the text: tests that assert nothing, hardware tests that can
never run, and tests that put the source tree on `sys.path` (TEST007, TEST008, TEST009)."""

from __future__ import annotations

import re
from typing import Any

from prodready.source.records import (
    FIXTURE,
    FIXTURE_SETUP,
    HOOKS,
    IMPORTED_NAME,
    INHERITS,
    WEBTEST_REQUEST,
    ClassTests,
    Helper,
    LonelyTest,
    MarkerUse,
    Spot,
)
from prodready.source.text import SourceText

TEST_DEF = re.compile(r"def[ \t]+(test\w*)[ \t]*\(")
ANY_DEF = re.compile(r"def[ \t]+(\w+)[ \t]*\(")
CLASS_DEF = re.compile(r"^[ \t]*class[ \t]+(\w+)[ \t]*[(:]", re.M)
# the methods a framework calls on an object a test hands it: a model's `training_step` and
# `on_train_end`, a callback's `on_fit_start`, an optimizer's `step`; and `__init__`, which
# building the object runs (detectron2's configurable classes assert the arguments they get)
HOOK_DEF = re.compile(r"^[ \t]*(?:async[ \t]+)?def[ \t]+(on_\w+|\w*step|__init__)[ \t]*\(", re.M)
# A call of something named like a check (`check_output(`, `verify_schema(`, `expect(`, and
# pexpect's `p.expect (b"Hello")`, written with a space), in a lower-cased body of code (its
# strings and comments blanked): the name may start anywhere in an identifier; or a function of
# a module or object named for checking (`checkers.num_plurals(`, `validators.email(`), which
# raises when its input fails.
CHECKING_CALL = re.compile(
    r"(?:assert|check|verify|expect|ensure|validate|compare|should|match_)\w*[ \t]*\("
    r"|(?<![\w.])(?:checkers?|validators?|verifiers?|validation)\.\w+[ \t]*\("
)
# a decorator named for a check, or pytest-memray's limits (`limit_memory`, `limit_leaks`)
# or a marker a plug-in turns into a check (`@pytest.mark.raises_graphql_error(...)`)
CHECKING_DECORATOR = re.compile(
    r"assert|check|expect|verify|count|snapshot|benchmark|limit_memory|limit_leaks|raises|warns"
    r"|timeout"  # `@pytest.mark.timeout(15)`: a hang (a deadlock, a lost wake-up) fails the test
    # a recorded HTTP exchange replayed (vcrpy's `use_cassette`, pytest-recording's `mark.vcr`,
    # betamax): a request the code builds differently from the recording raises
    r"|cassette|mark\.vcr\b",
    re.I,
)
# whole words only (an underscore or a digit ends one): "outPUt" and "iNPUt" name no device
HARDWARE = re.compile(
    r"(?<![a-z])(?:gpu|cuda|tensorrt|tpu|mps|npu|hardware|device|accelerator|rocm|nvidia)s?(?![a-z])",
    re.I,
)
UNCONDITIONAL_SKIP = re.compile(r"mark\.skip\((.*)\)[ \t]*$", re.M)
# a decorator that turns the function into something else a framework registers (an agent's
# tool, a task, a command, a route): pytest does not collect what it returns
REGISTERING = re.compile(
    r"@[\w.]*?\b(?:function_tool|tool|task|shared_task|command|route|hookimpl)\b"
)
# `@skip`, `mark.skip(`, a skip whose condition is the constant True; not `skipif`
UNCONDITIONAL = re.compile(  # read from lower-cased decorator text
    r"(?:^|[.@ ])skip[ \t]*(?:\(|$| )|skip\w*\([ \t]*lambda[ \t]*:[ \t]*true\b"
)
# `xfail` with no condition (a reason or options only): the test is always expected to fail
ALWAYS_XFAIL = re.compile(r"xfail[ \t]*(?:$| |\([ \t]*(?:\)|reason|strict|raises|run)\b)")
SKIP_CALL = re.compile(r"pytest\.skip\((.*)\)[ \t]*$", re.M)
ASSERT_WORDS = (  # the commonest first: the search stops at the first word found
    "assert",
    "check=True",  # subprocess.run(..., check=True) raises on failure
    "raise_for_status(",  # an HTTP response that raises on an error status
    "inline_run",
    "runpytest",
    "run_pytest",
    "raises",
    "Raises",  # pytest's (and trio's) `RaisesGroup(...)`, `RaisesExc(...)`
    "warns",
    "deprecated_call",
    "exit(",  # `exit(1)` fails the test as a raise would
    "launcher(",
    "run_command(",  # accelerate's and transformers' test runners raise on a failed command  # runs a script or function in other processes; their failures fail the test
    "execute_subprocess",
    "'error'",  # warnings turned into errors: `simplefilter("error")`, `warnings="error"`
    '"error"',
    "fail(",
    "approx",
    "xfail",
    "snapshot",
    "benchmark",
    "pytester.",
    "testdir.",
    "eval_example.",  # pytest-examples: lint() and run() fail the test
    "raise ",
    "doctest",
    # a wait that raises when what the code should have done never happens: asyncio's and
    # trio's timeouts (`TimeoutError`), botocore's waiters (`WaiterError`), Selenium's
    # `WebDriverWait(driver, 3).until(…)` (`TimeoutException`); pexpect's `expect…`, a call
    # named for a check, is found with them
    "wait_for(",
    "fail_after(",
    "get_waiter(",
    ".wait_until_",
    "wait.until(",
    "WebDriverWait(",
    "full_clean(",  # Django's model validation raises `ValidationError`
    "mustcontain(",  # WebTest's response check raises when a string is missing (or present)
    # responses' mock, as a context manager, fails on exit unless every response registered
    # was requested (`assert_all_requests_are_fired` is on by default)
    "RequestsMock(",
    # respx's mock (the `respx_mock` fixture, `respx.mock`) fails on exit when a route it was
    # given is never called (`assert_all_called` is on by default)
    "respx_mock",
    "respx.mock",
    "launch_command(",  # accelerate's launcher raises when the script it runs fails
    "check_inputs=",  # `torch.jit.trace(..., check_inputs=...)` re-runs the trace and compares
    "jit.script(",  # TorchScript compiles the module and raises on what it cannot script
)
HELPER_WORDS = ("check", "verify", "expect", "ensure", "validate", "compare", "should", "match_")
SYS_PATH = re.compile(r"\bsys\.path\.(insert|append|extend)\(|\bsys\.path\s*(?:\+=|=\s*\[)", re.M)


CALLED = re.compile(r"([A-Za-z_]\w*)[ \t]*\(")  # `p.expect (b"x")`: a space may stand before
# A string literal (not an f-string, whose fields are code) or a comment: what a body holds that
# is not code (`ast.parse("except (foo(),): ...")` calls no `foo`)
NOT_CODE = re.compile(
    r"(?<![\w])[rRbBuU]{0,2}(?:\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''"
    r"|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*')|#[^\n]*"
)
# `return check_output`: a fixture that hands the test its checking helper
RETURNED = re.compile(r"return[ \t]+([A-Za-z_]\w*)[ \t]*$", re.M)
# A name handed to a call or bound (`spawn(worker)`, `partial(check, 1)`, `target=run`): a
# function the test passes on may be where its assertions are.
# (The name may open the next line of a call written over several.)
PASSED = re.compile(r"[(,=]\s*([A-Za-z_]\w*)[ \t]*(?=[,)\n])")
CLASS = re.compile(r"[ \t]*class[ \t]+(\w+)[ \t]*(\([^)]*\))?")


def tests_without_asserts(source: SourceText) -> list[LonelyTest]:
    """Test functions whose body has no assertion or raises check, with the names they call
    (a call to an asserting helper, of this module or another, still counts: the rule decides)."""
    found: list[LonelyTest] = []
    known: set[str] | None = None
    checking: set[str] | None = None
    bindings: dict[str, str] | None = None  # the names the module's own `from` imports bind
    callbacks: dict[int, set[str]] = {}  # per class, what its `setUp` made call a check
    autouse = _checking_autouse(source)
    if MODULE_MARK.search(source.text) or 0 in autouse:
        return found  # every test of the module fails on a warning, is measured, or a fixture checks it
    for match in TEST_DEF.finditer(source.text):
        if not _starts_definition(source, match.start()):
            continue
        line = source.line_of(match.start())
        asserts, called, code = _definition(source, line)  # most tests assert: decided first
        if (
            asserts
            or "yield" in code  # a generator: not a test pytest runs as written
            or _skips_itself(code)
            or _skipped(source, line)
            or _nested(source, line)
        ):
            continue
        owner = _owner(source, line)
        if owner is None or (autouse and not autouse.isdisjoint(source.enclosing(line))):
            continue  # a skipped class, or one whose autouse fixture checks its tests
        if _settled_by_setup(source, line, code, callbacks):
            continue
        disabled = _does_nothing(code) and not _owed(source, line)
        if disabled and _disables_inherited(source, owner, match.group(1), code):
            continue  # `def test_x(self): pass` in a subclass turns the base's test off
        known = _known(source) if known is None else known
        checking = _checking_classes(source) if checking is None else checking
        if checking and checking.intersection(called) - _classes_defined(code):
            continue  # it runs an object of this module whose hooks assert
        # the functions its parametrization hands it, and the fixtures it requests (one whose
        # teardown asserts checks every test that asks for it), may do the checking
        requested = _parameters(source, line)
        given = (*_given_names(source, line), *requested)
        if _does_nothing(code):  # the test is its fixtures' setup: their checks are its own
            given = (*given, *(FIXTURE_SETUP + n.removeprefix(FIXTURE) for n in requested))
            # or it turns off a test its class inherits from a base of another module
            given = (*given, *(INHERITS + base for base in _bases(source, line) if disabled))
        if "app." in code and APP_REQUEST.search(code):
            given = (*given, WEBTEST_REQUEST)
        names = _named((*called, *given), code, known)
        if "import" in source.text:
            if bindings is None:
                bindings = _from_imports(source.text, top=True)
            bound = {**bindings, **_from_imports(code, top=False)} if "import" in code else bindings
            names = (*names, *(IMPORTED_NAME + bound[n] for n in names if n in bound))
        found.append(LonelyTest(line, match.group(1), names, owner))
    return found


FROM_IMPORT = re.compile(
    r"^([ \t]*)from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.M
)


def _from_imports(text: str, top: bool) -> dict[str, str]:
    """`local -> module:name` for the `from … import …` statements of a text (at its top level
    only with `top`): the names a test calls that an import binds, for the rule to follow to
    their module (under another name: `from docs_src.pel import test_pending as run`)."""
    found: dict[str, str] = {}
    for match in FROM_IMPORT.finditer(text):
        if top and match.group(1):
            continue
        names = NOT_CODE.sub("", match.group(3)).strip().strip("()")
        for part in names.replace("\\", " ").split(","):
            original, _, alias = part.strip().partition(" as ")
            original, alias = original.strip(), alias.strip()
            if original.isidentifier():
                found[alias if alias.isidentifier() else original] = f"{match.group(2)}:{original}"
    return found


# in lower-cased decorator text: a comment or a string prefix may stand before the filter
ERROR_FILTER = re.compile(r"filterwarnings\([^\"')]*?[\"']error")
# `pytestmark = pytest.mark.filterwarnings("error…")`: the module's tests fail on a warning;
# `pytestmark = pytest.mark.benchmark`: they are measured (pytest-codspeed), not checked
MODULE_MARK = re.compile(
    r"pytestmark[ \t]*=[^\n]*(?:filterwarnings\([ \t]*[rRbBuU]?[\"']error|mark\.benchmark\b)"
)
NAME = re.compile(r"[A-Za-z_]\w*")


AUTOUSE = re.compile(r"fixture\([^)]*autouse[ \t]*=[ \t]*True")


def _checking_autouse(source: SourceText) -> set[int]:
    """Where a fixture every test uses (`autouse=True`) asserts, checking each test's outcome
    after the `yield`: 0 for one of the module, else the header line of the class whose tests
    it serves."""
    scopes: set[int] = set()
    if "autouse" not in source.text:
        return scopes
    for match in AUTOUSE.finditer(source.text):
        line = source.line_of(match.start())
        number = line + 1
        while number <= len(source.lines) and not source.line(number).lstrip().startswith(
            ("def ", "async def ")
        ):
            number += 1  # past the rest of the decorators
        if number <= len(source.lines) and _definition(source, number)[0]:
            classes = [h for h in source.enclosing(number) if CLASS.match(source.line(h))]
            scopes.add(classes[0] if classes else 0)
    return scopes


def _given_names(source: SourceText, line: int) -> tuple[str, ...]:
    """The names in the test's decorators' arguments (the functions a `parametrize` hands it);
    not the decorators themselves, nor other tests. (A fixture counts when the test calls it,
    one that returns a checking helper followed through its `return`, or requests it.)"""
    names: list[str] = []
    for decorator in _decorator_lines(source, line):
        opens = decorator.lstrip().startswith("@")  # else a continuation line of the arguments
        arguments = decorator.split("(", 1)[1] if opens and "(" in decorator else decorator
        names.extend(NAME.findall(arguments) if arguments != decorator or not opens else ())
    return tuple(name for name in names if not name.startswith("test"))


def _parameters(source: SourceText, line: int) -> tuple[str, ...]:
    """The fixtures a test requests (its parameters, under the `FIXTURE` prefix), from its
    `def` line to the end of its header."""
    header = " ".join(source.line(n) for n in range(line, _header_end(source, line) + 1))
    inside = header.split("(", 1)[1].rsplit(")", 1)[0] if "(" in header else ""
    return tuple(FIXTURE + name for name in NAME.findall(inside) if name not in ("self", "cls"))


def _definition(source: SourceText, line: int) -> tuple[bool, tuple[str, ...], str]:
    """Whether the function defined at `line` asserts, and (when it does not) the names it calls
    and its code (its body with strings and comments blanked: the code a test hands to
    `ast.parse` or writes to a file calls nothing); remembered, since tests and helpers ask
    about the same functions."""
    known = source.definitions.get(line)
    if known is None:
        body = source.body(_header_end(source, line), source.indent(line))
        if _asserts(body) or _validates(source, body):
            known = source.definitions[line] = (True, (), "")
        else:
            code = _code(body)
            called = tuple(sorted({*CALLED.findall(code), *RETURNED.findall(code)}))
            known = source.definitions[line] = (False, called, code)
    return known


def _code(body: str) -> str:
    """The body with each string literal made `""` and each comment removed (lines kept)."""
    if '"' not in body and "'" not in body and "#" not in body:
        return body
    return NOT_CODE.sub(_blank, body)


def _blank(match: re.Match[str]) -> str:
    text = match.group()
    return ("" if text.startswith("#") else '""') + "\n" * text.count("\n")


# `application.clean()` as a statement, in a module that knows Django's `ValidationError`: the
# model's (or form's) validation hook, which raises on invalid data
CLEAN_CALL = re.compile(r"^[ \t]*[\w.]+\.clean\([^\n()]*\)[ \t]*(?:#.*)?$", re.M)


def _validates(source: SourceText, body: str) -> bool:
    """True when a block runs Django's validation hook (`obj.clean()`, a form field's
    `self.field.clean(None)`) for its raise, in a module that names `ValidationError`."""
    return (
        ".clean(" in body
        and "ValidationError" in source.text
        and CLEAN_CALL.search(body) is not None
    )


def helper_calls(source: SourceText, wanted: set[str] | None = None) -> list[Helper]:
    """(name, asserts itself, names it calls) for the functions of a module, tests included (a
    test may call another test): the rule follows the calls to find helpers that assert through
    others. With `wanted`, only the functions those names reach are read."""
    definitions: dict[str, int] = {}
    for match in ANY_DEF.finditer(source.text):
        if _starts_definition(source, match.start()):
            definitions.setdefault(match.group(1), source.line_of(match.start()))
    aliases = {a: t for a, t in _aliases(source).items() if a not in definitions}
    found = {alias: Helper(alias, False, (target,)) for alias, target in aliases.items()}
    names = (
        list(definitions)
        if wanted is None
        else [
            *(n.removeprefix(FIXTURE) for n in wanted),
            *(aliases[n] for n in wanted if n in aliases),
        ]
    )
    todo = [n for n in names if n in definitions]
    checking_calls = "__call__" in source.text and _checking_instances(source)
    while todo:
        name = todo.pop()
        if name in found:
            continue
        asserts, called, code = _definition(source, definitions[name])
        if not asserts and checking_calls and _calls_what_it_made(code):
            asserts = True  # `tester = tester_class(...)`, `tester(...)`: an instance's check
        found[name] = Helper(name, asserts, called)
        if asserts and _is_fixture(source, definitions[name]):
            found[FIXTURE_SETUP + name] = Helper(FIXTURE_SETUP + name, True, ())
            if _teardown_asserts(source, definitions[name]):
                found[FIXTURE + name] = Helper(FIXTURE + name, True, ())
        if wanted is not None:
            todo.extend(c for c in called if c in definitions and c not in found)
    if wanted is None and "@" in source.text:
        found.update((h.name, h) for h in _checking_hooks(source))
    return list(found.values())


# a decorator at the module's top level that registers the function on an object of the module
# (`@app.after_startup`, `@broker.subscriber("q")`)
REGISTERED_ON = re.compile(r"^@([A-Za-z_]\w*)\.\w+", re.M)


def _checking_hooks(source: SourceText) -> list[Helper]:
    """The objects of the module that a function registered on them asserts for
    (`@app.after_startup` over a function that asserts): whoever starts the object runs it."""
    found: dict[str, Helper] = {}
    for match in REGISTERED_ON.finditer(source.text):
        if match.group(1) in found or not source.in_code(match.start()):
            continue
        number = source.line_of(match.start()) + 1
        while number <= len(source.lines) and not source.line(number).startswith(DEFS):
            if not source.line(number).startswith(("@", " ", "\t", ")")):
                break  # not a decorator of a function: a statement of its own
            number += 1
        if (
            number <= len(source.lines)
            and source.line(number).startswith(DEFS)
            and _definition(source, number)[0]
        ):
            found[match.group(1)] = Helper(HOOKS + match.group(1), True, ())
    return list(found.values())


CALL_METHOD = re.compile(r"^[ \t]*(?:async[ \t]+)?def[ \t]+__call__[ \t]*\(", re.M)
BOUND_CALL = re.compile(r"^[ \t]*([A-Za-z_]\w*)[ \t]*=[ \t]*[\w.]+\(", re.M)


def _checking_instances(source: SourceText) -> bool:
    """True when a class of this module has a `__call__` that asserts: calling one of its
    objects is a check (virtualenv's `ActivationTester`, which a fixture builds and calls)."""
    return any(
        _definition(source, source.line_of(m.start()))[0]
        for m in CALL_METHOD.finditer(source.text)
        if not source.in_long_string(m.start())
    )


def _calls_what_it_made(body: str) -> bool:
    """True when a block calls an object it built (`tester = tester_class(...)` then
    `tester(...)`)."""
    return any(
        re.search(rf"(?<![\w.]){re.escape(name)}\(", body) is not None
        for name in {m.group(1) for m in BOUND_CALL.finditer(body)}
    )


def _is_fixture(source: SourceText, line: int) -> bool:
    """True for a function a decorator makes a fixture."""
    return any("fixture" in decorator for decorator in _decorator_lines(source, line))


# what a body that does nothing holds: `pass`, `...`, comments and a docstring
NOTHING = re.compile(r"\s*(?:(?:pass|\.\.\.|#[^\n]*)\s*)*")
DOCSTRING = re.compile(r"\s*[rRuU]?(\"\"\"|\'\'\'|\"|\')")


def _disables_inherited(source: SourceText, owner: str, name: str, code: str) -> bool:
    """True for a method that does nothing, in a class deriving from a class of this module
    that defines a method of the same name: the subclass turns the inherited test off."""
    bases = {b.strip() for b in owner.partition("(")[2].rstrip(")").split(",")} - {""}
    if not bases or not _does_nothing(code):
        return False
    for match in CLASS_HEADER.finditer(source.text):
        if match.group(1) in bases:
            body = source.body(source.line_of(match.start()))
            if re.search(rf"\bdef[ \t]+{re.escape(name)}[ \t]*\(", body):
                return True
    return False


CLASS_HEADER = re.compile(r"^[ \t]*class[ \t]+(\w+)", re.M)


SETUP_DEF = re.compile(r"^[ \t]*(?:async[ \t]+)?def[ \t]+(?:setUp|asyncSetUp|setup_method|setup)\b")
# `self.repl.pager = self.assert_pager_gets_unicode` (a bound method, not called): the
# attribute `repl` now reaches the method
BOUND_METHOD = re.compile(
    r"^[ \t]*self\.(\w+)[\w.]*[ \t]*=[^=\n][^\n]*?\bself\.(\w+)\b(?![ \t]*\()", re.M
)


def _reaches_setup_check(
    source: SourceText, line: int, code: str, callbacks: dict[int, set[str]]
) -> bool:
    """True when the test uses an attribute (`self.repl`) on which its class's `setUp` installed
    one of the class's asserting methods as a callback (`self.repl.pager =
    self.assert_pager_gets_unicode`): what the test makes that object do calls the check."""
    header = next((h for h in source.enclosing(line) if CLASS.match(source.line(h))), None)
    if header is None:
        return False
    if header not in callbacks:
        callbacks[header] = _setup_callbacks(source, header)
    return any(re.search(rf"\bself\.{re.escape(root)}\b", code) for root in callbacks[header])


def _settled_by_setup(
    source: SourceText, line: int, code: str, callbacks: dict[int, set[str]]
) -> bool:
    """True when the `setUp` of the test's class settles it: it installed an asserting method as
    a callback on an object the test uses, or it skips every test (`self.skipTest(...)`)."""
    if "self." in code and _reaches_setup_check(source, line, code, callbacks):
        return True
    return "skipTest" in source.text and _setup_skips(source, line)


def _setup_skips(source: SourceText, line: int) -> bool:
    """True when the `setUp` of the test's class skips unconditionally (django-constance's
    pytest-only tests under unittest: `self.skipTest("Only run under pytest")`)."""
    header = next((h for h in source.enclosing(line) if CLASS.match(source.line(h))), None)
    if header is None:
        return False
    end = _header_end(source, header)
    body = source.body(end, source.indent(header))
    offset = source.line_starts[end] if end < len(source.line_starts) else len(source.text)
    for setup in SETUP_DEF.finditer(body):
        number = source.line_of(offset + setup.end() - 1)
        if _skips_itself(source.body(_header_end(source, number), source.indent(number))):
            return True
    return False


def _setup_callbacks(source: SourceText, header: int) -> set[str]:
    """The attributes of the class at `header` on which its `setUp` installs one of its
    asserting methods (`repl` for `self.repl.pager = self.assert_pager_gets_unicode`)."""
    end = _header_end(source, header)
    body = source.body(end, source.indent(header))
    if "self." not in body or SETUP_DEF.search(body) is None:
        return set()
    offset = source.line_starts[end] if end < len(source.line_starts) else len(source.text)
    methods = {
        m.group(1): source.line_of(offset + m.start(1))
        for m in ANY_DEF.finditer(body)
        if body[body.rfind("\n", 0, m.start()) + 1 : m.start()].strip() in ("", "async")
    }
    roots: set[str] = set()
    for setup in SETUP_DEF.finditer(body):
        number = source.line_of(offset + setup.end() - 1)
        setup_body = source.body(_header_end(source, number), source.indent(number))
        for bound in BOUND_METHOD.finditer(setup_body):
            method = methods.get(bound.group(2))
            if method is not None and _definition(source, method)[0]:
                roots.add(bound.group(1))
    return roots


# a comment that says the check is owed (`# TODO(YiYi) need to fix later`): the test is off
# because it fails, not because it does not apply
OWED = re.compile(r"#[^\n]*\b(?:TODO|FIXME|XXX)\b")


def _owed(source: SourceText, line: int) -> bool:
    """True when the body of the function at `line` holds a to-do comment."""
    body = source.body(_header_end(source, line), source.indent(line))
    return "#" in body and OWED.search(body) is not None


def _bases(source: SourceText, line: int) -> tuple[str, ...]:
    """The bases of the class of the test at `line`, as written (`dbapi20.DatabaseAPI20Test`),
    read from its header, which may span lines; none for a module-level test."""
    for header in source.enclosing(line):
        if CLASS.match(source.line(header)):
            return _header_bases(source, header)
    return ()


def _header_bases(source: SourceText, header: int) -> tuple[str, ...]:
    """The bases a `class` header at line `header` names (not `metaclass=`, not `object`)."""
    text = " ".join(source.line(n) for n in range(header, _header_end(source, header) + 1))
    inside = text.partition("(")[2].rpartition(")")[0] if "(" in text else ""
    return tuple(
        base
        for part in inside.split(",")
        if (base := part.split("#")[0].strip()) and "=" not in base and base != "object"
    )


TEST_METHOD = re.compile(r"^([ \t]*)(?:async[ \t]+)?def[ \t]+(test\w*)[ \t]*\(", re.M)


def classes_with_tests(source: SourceText) -> list[ClassTests]:
    """The classes of a module that define `test…` methods or derive from others: what a
    subclass elsewhere inherits (a `pass` override there turns one of these tests off)."""
    found: list[ClassTests] = []
    for match in CLASS_HEADER.finditer(source.text):
        if source.in_long_string(match.start()):
            continue
        header = source.line_of(match.start())
        bases = _header_bases(source, header)
        body = source.body(_header_end(source, header), source.indent(header))
        first = next((t for t in body.splitlines() if t.strip() and t.lstrip()[0] != "#"), "")
        depth = len(first) - len(first.lstrip())  # the class's own methods, not nested ones
        methods = TEST_METHOD.findall(body)
        tests = tuple(dict.fromkeys(name for indent, name in methods if len(indent) == depth))
        if tests or bases:
            found.append(ClassTests(match.group(1), bases, tests))
    return found


def _does_nothing(body: str) -> bool:
    """True for a function body of `pass`, `...`, comments and a docstring only."""
    opening = DOCSTRING.match(body)
    if opening is not None:
        quote = opening.group(1)
        end = body.find(quote, opening.end())
        if end < 0:
            return False
        body = body[end + len(quote) :]
    return NOTHING.fullmatch(body) is not None


def _teardown_asserts(source: SourceText, line: int) -> bool:
    """True for a fixture that asserts after its `yield`, on what the test left behind."""
    body = source.body(_header_end(source, line), source.indent(line))
    _, found, teardown = body.partition("yield")
    return bool(found) and _asserts(teardown)


# a statement of the body's own level that skips: the test is reported skipped, not passed
# (`pytest.skip`, `self.skipTest`, `return self.skipTest`, a test library's `config.skip_test`)
SKIPS_ITSELF = re.compile(
    r"^(?P<indent>[ \t]*)(?:return[ \t]+)?"
    r"(?:pytest\.skip|skip|unittest\.SkipTest|(?:[\w.]*\.)?(?:skipTest|skip_test))\(",
    re.M,
)


def _skips_itself(body: str) -> bool:
    """True when the test skips itself unconditionally: a `pytest.skip(...)` or
    `self.skipTest(...)` statement at the body's own indentation (not under an `if`)."""
    if "kip" not in body:
        return False
    first = next((line for line in body.splitlines() if line.strip()), "")
    base = len(first) - len(first.lstrip())
    return any(len(m.group("indent")) == base for m in SKIPS_ITSELF.finditer(body))


# `slow_check = partial(check, samples=-1)`: calling the alias calls the function
ALIAS = re.compile(r"partial\(\s*([A-Za-z_]\w*)[ \t]*[,)]")  # the function may open the next line
ALIAS_TARGET = re.compile(r"(\w+)[ \t]*=[ \t]*(?:functools\.)?$")


def _aliases(source: SourceText) -> dict[str, str]:
    """Module-level names bound to a `partial` of a function."""
    text = source.text
    if "partial(" not in text:
        return {}
    found = {}
    for match in ALIAS.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        bound = ALIAS_TARGET.fullmatch(text, line_start, match.start())
        if bound is not None and bound.group(1) != match.group(1):
            found[bound.group(1)] = match.group(1)
    return found


def _skipped(source: SourceText, line: int) -> bool:
    """True when a decorator just above the `def` always skips the test (`skipif`, `skip_if`,
    `skip.unless_module` skip only somewhere: the test runs elsewhere), expects it to fail, makes the
    function a fixture (which pytest does not collect as a test), or checks on its behalf. Decorators may span lines
    (`@skip_if(\n    lambda: True, "why"\n)`): every line of the block above counts."""
    lines = _decorator_lines(source, line)
    if not lines:
        return False
    text = " ".join(reversed(lines)).lower()  # collected from the `def` upwards
    if (
        ("skip" in text and UNCONDITIONAL.search(text))
        or ("xfail" in text and ALWAYS_XFAIL.search(text))
        or "fixture" in text
        or "@property" in text  # a property is not collected: it is no test
        or REGISTERING.search(text)  # `@function_tool def test_tool()`: an object, not a test
    ):
        return True
    if "raises(" in text or "warns(" in text or EXPECTATION.search(text):
        return True  # `parametrize("expectation", [pytest.raises(E), …])`: `with expectation:`
    if "filterwarnings" in text and ERROR_FILTER.search(text):
        return True  # `@pytest.mark.filterwarnings("error:…")`: the warning fails the test
    if TIMEOUT_ARGUMENT.search(text):
        return True  # `@gen_test(timeout=90)`: a wait that never ends fails the test
    # a decorator named for a check (`@profiling.function_call_count()`) asserts for the test
    names = [d.lstrip()[1:].split("(")[0] for d in lines if d.lstrip().startswith("@")]
    return any(CHECKING_DECORATOR.search(name) for name in names)


# a decorator's `timeout=` argument (tornado's `gen_test(timeout=…)`), read lower-cased
TIMEOUT_ARGUMENT = re.compile(r"[(,][ \t]*timeout[ \t]*=")


# `parametrize(("n", "warn_context"), [(1, no_warning_call), (2, pytest.warns)])`: the checking
# context manager handed over uncalled
EXPECTATION = re.compile(r"pytest\.(?:raises|warns|deprecated_call)\b")


def _classes_defined(body: str) -> set[str]:
    """The classes a test defines itself (its `class A(` reads as a call of `A`, and its `A`
    is not the module's)."""
    return set(CLASS_DEF.findall(body)) if "class " in body else set()


def _checking_classes(source: SourceText) -> set[str]:
    """The classes of this module with a hook method that asserts (`on_train_end`,
    `training_step`): a test that builds one and hands it to the framework checks through it."""
    if "class" not in source.text:
        return set()
    found: set[str] = set()
    for match in CLASS_DEF.finditer(source.text):
        if source.in_long_string(match.start()):
            continue
        header = source.line_of(match.start())
        start = source.line_starts[header] if header < len(source.line_starts) else len(source.text)
        end_line = source.block_end(_header_end(source, header), source.indent(header))
        end = (
            source.line_starts[end_line] if end_line < len(source.line_starts) else len(source.text)
        )
        for hook in HOOK_DEF.finditer(source.text, start, end):
            line = source.line_of(hook.start())  # the match opens its line
            if _definition(source, line)[0] and (
                hook.group(1) != "__init__"  # (a module-level class's own `assert` statement)
                or (source.indent(header) == 0 and _asserts_itself(source, line))
            ):
                found.add(match.group(1))
                break
    return found


ASSERT_STATEMENT = re.compile(r"^[ \t]*assert\b", re.M)


def _asserts_itself(source: SourceText, line: int) -> bool:
    """True when the function at `line` holds an `assert` statement of its own (a constructor's
    other checks, such as a request with an expected status, set up the test's fakes)."""
    body = source.body(_header_end(source, line), source.indent(line))
    return ASSERT_STATEMENT.search(body) is not None


IMPORTED = re.compile(r"^[ \t]*from[ \t]+[\w.]+[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.M)


def _known(source: SourceText) -> set[str]:
    """The functions this module defines (at any depth) or imports by name: what a test can
    hand to a call. A fixture argument or an unpacked variable is neither."""
    defined = {m.group(1) for m in ANY_DEF.finditer(source.text)}
    imported = {n for m in IMPORTED.finditer(source.text) for n in NAME.findall(m.group(1))}
    return defined | imported


# names a block binds itself (`mount = S3Mount(...)`, `for mount in`, `as mount`): a value
# handed on under such a name is no function of the module, whatever else bears the name
ASSIGNED = re.compile(
    r"^[ \t]*([A-Za-z_]\w*)[ \t]*(?::[^=\n]+)?=(?!=)|\b(?:as|for)[ \t]+([A-Za-z_]\w*)", re.M
)


def _named(called: tuple[str, ...], code: str, known: set[str]) -> tuple[str, ...]:
    """The names a test calls, and the functions it hands to a call or binds (`spawn(worker)`,
    `partial(check, 1)`, `target=run`, a worker imported from the tests' helpers): one of those
    may hold its checks."""
    passed = {n for n in PASSED.findall(code) if n in known}
    if passed and ("=" in code or " as " in code or "for " in code):
        passed -= {a or b for a, b in ASSIGNED.findall(code)}
    return tuple(sorted({*called, *passed}))


def _owner(source: SourceText, line: int) -> str | None:
    """The class a test method belongs to, as `Name` or `Name(bases)` ("" for a module-level
    test), or None when the class is skipped by its decorators (nothing in it runs)."""
    if source.indent(line) == 0:
        return ""
    for header in source.enclosing(line):
        if header in source.classes:
            return source.classes[header]
        match = CLASS.match(source.line(header))
        if match is not None:
            collected = not _skipped(source, header) and not _has_init(source, header)
            owner = match.group(1) + (match.group(2) or "") if collected else None
            source.classes[header] = owner
            return owner
    return ""


def _has_init(source: SourceText, header: int) -> bool:
    """True when the class at `header` defines `__init__` itself (not in a method or a nested
    class): pytest does not collect it."""
    body = source.body(header)
    if "__init__" not in body:
        return False
    lines = body.splitlines()
    first = next((line for line in lines if line.strip() and not line.lstrip().startswith("#")), "")
    indent = first[: len(first) - len(first.lstrip())]
    return any(line.startswith(indent) and INIT.match(line[len(indent) :]) for line in lines)


INIT = re.compile(r"def[ \t]+__init__[ \t]*\(")


def _decorator_lines(source: SourceText, line: int) -> list[str]:
    """The lines of the decorators standing directly above the `def` at `line`."""
    base = source.indent(line)
    found: list[str] = []
    number = line - 1
    while number > 0:
        code = source.line(number)
        stripped = code.lstrip()
        if not stripped:
            break
        deeper = len(code) - len(stripped) > base
        if not (stripped.startswith(("@", ")", "]", "#")) or deeper):
            break
        found.append(code)
        number -= 1
    return found if any(c.lstrip().startswith("@") for c in found) else []


# `if 0:` / `if False:`: a block Python never runs, whose tests are never defined
NEVER = re.compile(r"if[ \t]+(?:0|False)[ \t]*:")


def _nested(source: SourceText, line: int) -> bool:
    """True for a function defined inside another function, directly or in a class there (a
    callback or a fixture class, not a test), or under `if 0:` (never defined)."""
    if source.indent(line) == 0:
        return False
    headers = [source.line(h).lstrip() for h in source.enclosing(line)]
    return any(h.startswith(("def ", "async def ")) or NEVER.match(h) for h in headers)


def _starts_definition(source: SourceText, offset: int) -> bool:
    """True when `def` opens its line (after indentation and `async`), outside strings."""
    line_start = source.text.rfind("\n", 0, offset) + 1
    before = source.text[line_start:offset].strip()
    return before in ("", "async") and not source.in_long_string(offset)


def _header_end(source: SourceText, line: int) -> int:
    """The last line of a (possibly multi-line) `def` header."""
    total = len(source.lines)
    while not source.line(line).split("#")[0].rstrip().endswith(":") and line < total:
        line += 1
    return line


# WebTest's `app.get(url, status=404)`: the test application raises unless the response has
# that status (`expect_errors=True` alone accepts any); the keyword may follow nested calls
EXPECTED_STATUS = re.compile(r"\.(?:get|post|put|patch|delete|head|options|request)(?:_json)?\(")
STATUS_KEYWORD = re.compile(r"[(,\s]status=(?!=)")
# A request through a test application object (`self.app.put_json(…)`): when the project uses
# WebTest, whose `TestApp` raises on any error status, the request is the check; the rule
# decides, from the imports of the whole repository (the object is made elsewhere).
APP_REQUEST = re.compile(
    r"\b(?:app|testapp|test_app|webapp)\.(?:get|post|put|patch|delete|head|options)(?:_json)?\("
)


# A statement that probes what the code should have made and raises when it is missing: a
# query whose rows are thrown away (`connection.execute("SELECT 1 FROM t")` fails on a missing
# table or column), Django's system checks (`call_command("check")` raises SystemCheckError)
PROBE = re.compile(
    r"^[ \t]*[\w.]+\.execute\([ \t]*[rRuU]?(?:\"|')+[ \t]*select\b"
    r"|call_command\([ \t]*[\"']check[\"']"
    # a command told to fail when there is work left (`makemigrations --check`) exits non-zero
    r"|call_command\([^\n]*[\"']--check[\"']",
    re.M | re.I,
)


# A statement that parses text and throws the result away (`compile(source, name, "exec")`,
# `ast.parse(setup)`, `json.loads(result.out)`): it is there for the raise on invalid input
# (SyntaxError, JSONDecodeError, TOMLDecodeError, YAMLError)
PARSE_STATEMENT = re.compile(
    r"^[ \t]*(?:compile|ast\.parse|json\.loads?|tomllib\.loads?|tomli\.loads?|toml\.loads?"
    r"|yaml\.(?:safe_)?load)[ \t]*\(",
    re.M,
)
PARSERS = {
    "compile": "",
    "parse": "ast",
    "loads": "json tomllib tomli toml",
    "load": "json tomllib tomli toml yaml",
    "safe_load": "yaml",
}


def _asserts(body: str) -> bool:
    """True when a block asserts, checks a raise, or calls something that checks."""
    if any(word in body for word in ASSERT_WORDS):
        return True
    if ("execute(" in body or "call_command(" in body) and PROBE.search(body):
        return True
    if ("compile" in body or "load" in body or "parse" in body) and _parses(body):
        return True
    if "status=" in body and STATUS_KEYWORD.search(body) and EXPECTED_STATUS.search(body):
        return True
    if ("connect" in body or "ping(" in body or "ws_fetch(" in body) and _ends_connecting(body):
        return True
    lowered = body.lower()
    return (
        any(word in lowered for word in HELPER_WORDS)
        and CHECKING_CALL.search(_code(lowered)) is not None
    )


# a call that opens a connection (a database driver's `connect`, a socket's, a client's
# `ws_connect`/`websocket_connect`, a websocket fetch) or probes one (`ping()`)
CONNECTING = re.compile(r"(?:\bconnect|_connect|ws_fetch|\bping)[ \t]*\(")


def _ends_connecting(body: str) -> bool:
    """True when a block ends by connecting: a handshake with a server (`pymysql.connect(user=…,
    password=…)`, `sock.connect((host, port))`, `await jp_ws_fetch("permissive", …)`) or a
    `ping()` of a connection, after which the block only works through the connections it
    opened (`con.query(…)`, `con.close()`), sets values or connects again. The handshake raises
    when the server refuses it (`OperationalError` on a failed login, `HTTPClientError` 403):
    its success is the check. A connection handed on (`return con`), made for something else
    the block then does (`teleop.connect()` before a command), a connection of objects
    (`graph.connect(other)`, a signal's `connect(receiver)`) or inside a `try` that may catch
    the error is no check."""
    if CONNECTING.search(body) is None:
        return False
    statements = _statements(body)
    if statements is None:
        return False
    steps = _steps(statements)
    for index, step in enumerate(steps):
        opened = _connection(step)
        if opened is None:
            continue
        names = {opened}
        for later in steps[index + 1 :]:
            more = _connection(later)
            if more is not None:
                names.add(more)
            elif not _after_connecting(later, names):
                break
        else:
            return True
    return False


def _steps(statements: list[Any]) -> list[Any]:
    """The simple statements of a block in the order they run, the bodies of `with`, `if` and
    loops included (not a nested function's; a `try` that catches stays one step: what it
    guards is no check)."""
    import ast

    found: list[Any] = []
    for node in statements:
        if isinstance(node, ast.With | ast.AsyncWith | ast.If | ast.For | ast.AsyncFor | ast.While):
            found.extend(_steps([*node.body, *getattr(node, "orelse", [])]))
        elif isinstance(node, ast.Try) and not node.handlers:
            found.extend(_steps([*node.body, *node.finalbody]))
        elif not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found.append(node)
    return found


def _connection(node: Any) -> str | None:
    """The name of what a statement connects (`con` in `con = pymysql.connect(user=…)`,
    `sock` in `sock.connect((host, port))`, the call's text when its result is dropped), or
    None when it is no handshake."""
    import ast

    value = node.value if isinstance(node, ast.Expr | ast.Assign) else None
    if isinstance(value, ast.Await):
        value = value.value
    if not isinstance(value, ast.Call) or not _handshake(value):
        return None
    if isinstance(node, ast.Assign):
        target = node.targets[0] if len(node.targets) == 1 else None
        return target.id if isinstance(target, ast.Name) else None
    func = value.func
    return ast.unparse(func.value) if isinstance(func, ast.Attribute) else ast.unparse(func)


# what a client hands a server it connects to: who it is and where the server is
HANDSHAKE_KEYWORDS = frozenset(
    {"user", "username", "password", "passwd", "host", "port", "ssl", "auth", "headers", "dsn"}
)


def _handshake(call: Any) -> bool:
    """True for a call that connects to a server with credentials or its address (`user=`,
    `password=`, `headers=`, the options as `**options`, a `(host, port)` pair, a URL), or
    that pings a connection; not a local database (`sqlite3.connect(":memory:")`), nor objects
    handed over (a signal's receiver, a graph)."""
    import ast

    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name == "ping":
        return True
    if name.endswith("disconnect") or not (
        name == "connect" or name.endswith(("_connect", "ws_fetch"))
    ):
        return False
    if any(k.arg is None or k.arg in HANDSHAKE_KEYWORDS for k in call.keywords):
        return True
    first = call.args[0] if call.args else None
    return isinstance(first, ast.Tuple) or (
        isinstance(first, ast.Constant | ast.JoinedStr) and "://" in ast.unparse(first)
    )


def _after_connecting(node: Any, connections: set[str]) -> bool:
    """True for what may follow a handshake without being the test's subject: a call on a
    connection it opened (a query, `close()`), a value set without a call, `pass`."""
    import ast

    if isinstance(node, ast.Pass):
        return True
    if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
        return node.value is None or not any(isinstance(n, ast.Call) for n in ast.walk(node.value))
    value = node.value if isinstance(node, ast.Expr) else None
    if isinstance(value, ast.Await):
        value = value.value
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute):
        return ast.unparse(value.func.value) in connections
    return False


def _parses(body: str) -> bool:
    """True when a statement of the block (not in a nested function, nor in a `try` that may
    catch the error) parses a value that is no literal and discards the result: the parse is
    the check that the code made valid Python, JSON, TOML or YAML."""
    if PARSE_STATEMENT.search(body) is None:
        return False
    statements = _statements(body)
    if statements is None:
        return False
    import ast

    todo: list[ast.stmt] = list(statements)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Expr) and _is_parse(node.value):
            return True
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        for field in ("body", "orelse", "finalbody"):
            if field == "body" and isinstance(node, ast.Try) and node.handlers:
                continue
            todo.extend(getattr(node, field, ()))
        todo.extend(s for h in getattr(node, "handlers", ()) for s in h.body)
        todo.extend(s for c in getattr(node, "cases", ()) for s in c.body)
    return False


def _is_parse(node: object) -> bool:
    """True for a call of one of `PARSERS` on an argument that is not a literal."""
    import ast

    if not isinstance(node, ast.Call) or not node.args:
        return False
    func = node.func
    if isinstance(func, ast.Name):
        name, owner = func.id, ""
    elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        name, owner = func.attr, func.value.id
    else:
        return False
    modules = PARSERS.get(name)
    if modules is None or (owner not in modules.split() if modules else owner != ""):
        return False
    return not isinstance(node.args[0], ast.Constant | ast.JoinedStr)


def hardware_skips(source: SourceText) -> list[Spot]:
    """Unconditional skips whose reason names hardware (`@pytest.mark.skip(reason="Requires GPU")`)."""
    found = []
    for pattern in (UNCONDITIONAL_SKIP, SKIP_CALL):
        for match in pattern.finditer(source.text):
            if not HARDWARE.search(match.group(1)) or not _decorator_or_statement(
                source, match.start(), pattern is UNCONDITIONAL_SKIP
            ):
                continue
            number = source.line_of(match.start())
            if pattern is SKIP_CALL and _conditional(source, number):
                continue
            found.append(Spot(number, match.group(1).strip()))
    return found


def _decorator_or_statement(source: SourceText, offset: int, decorator: bool) -> bool:
    """True when the match opens its line (after `@` and `pytest.` for a decorator) in code."""
    line_start = source.text.rfind("\n", 0, offset) + 1
    before = source.text[line_start:offset].strip()
    allowed = ("@", "@pytest.") if decorator else ("",)
    return before in allowed and not source.in_long_string(offset)


def _conditional(source: SourceText, number: int) -> bool:
    """True when a `pytest.skip()` call sits under an `if`, `try` or `except`."""
    for header in source.enclosing(number):
        stripped = source.line(header).strip()
        if stripped.startswith(("if ", "elif ", "else", "try", "except", "with ")):
            return True
        if stripped.startswith(("def ", "async def ")):
            return False
    return False


def sys_path_edits(source: SourceText) -> list[int]:
    """Lines that change `sys.path` in code (not in strings or comments)."""
    return [
        source.line_of(m.start())
        for m in SYS_PATH.finditer(source.text)
        if source.in_code(m.start())
    ]


MARKER_USE = re.compile(r"mark\.([A-Za-z_]\w*)")
BARE_MARK_IMPORT = re.compile(r"^from pytest import .*\bmark\b", re.M)


def markers_used(source: SourceText) -> list[MarkerUse]:
    """Marker names used as `pytest.mark.NAME` (or a bare `mark.NAME` imported from pytest) in
    code, each with the line of its first use: plug-in test suites embed test files in strings.
    A bare `mark` that a function binds itself (`[mark.name for mark in item.iter_markers()]`,
    a parameter, an assignment) is that function's own, not pytest's."""
    text = source.text
    bare = "from pytest import" in text and BARE_MARK_IMPORT.search(text) is not None
    shadowed: list[tuple[int, int]] | None = None
    used: dict[str, int] = {}
    for match in MARKER_USE.finditer(text):
        name, start = match.group(1), match.start()
        if name in used:
            continue
        qualified = (
            text.endswith("pytest.", 0, start) and not text[start - 8 : start - 7].isidentifier()
        )
        attribute = text[start - 1 : start] in (".", "_") or text[start - 1 : start].isalnum()
        if not (qualified or (bare and not attribute)) or not source.in_code(start):
            continue
        line = source.line_of(start)
        if not qualified:
            shadowed = _mark_rebound(source) if shadowed is None else shadowed
            if any(first <= line <= last for first, last in shadowed):
                continue
        used[name] = line
    return sorted((MarkerUse(*item) for item in used.items()), key=lambda use: use.line)


# `mark` bound in code: a loop or comprehension variable, `as mark`, an assignment; a
# function's parameter; a lambda's
MARK_BINDING = re.compile(
    r"(?P<bound>\b(?:for|as)[ \t]+(?:[\w, \t(]*,[ \t]*)?mark\b(?![ \t]*\.)"
    r"|^[ \t]*mark[ \t]*(?::[^=\n]+)?=(?!=))"
    r"|(?P<parameter>\bdef[ \t]+\w+[ \t]*\([^)\n]*?(?<![\w.])mark\b(?![ \t]*\.))"
    r"|(?P<lambda>\blambda\b[^:\n]*?(?<![\w.])mark\b)",
    re.M,
)


def _mark_rebound(source: SourceText) -> list[tuple[int, int]]:
    """The line ranges where a name `mark` bound in code hides pytest's `mark`: the body of
    the function that binds it (or whose parameter it is); at module level, the rest of the
    module (a comprehension's or a lambda's variable: its own line)."""
    ranges: list[tuple[int, int]] = []
    for match in MARK_BINDING.finditer(source.text):
        if not source.in_code(match.start()):
            continue
        line = source.line_of(match.start())
        if match.group("lambda"):
            ranges.append((line, line))
            continue
        header = (
            line
            if match.group("parameter")
            else next(
                (h for h in source.enclosing(line) if source.line(h).lstrip().startswith(DEFS)), 0
            )
        )
        if header:
            end = source.block_end(_header_end(source, header), source.indent(header))
            ranges.append((header, end))
        elif match.group().lstrip().startswith("for") and not source.line(line).lstrip().startswith(
            "for"
        ):
            ranges.append((line, line))  # a comprehension's variable
        else:
            ranges.append((line, len(source.lines)))
    return ranges


DEFS = ("def ", "async def ")


def _statements(body: str) -> list[Any] | None:
    """The statements of a block's body, parsed after dedenting (None when it does not parse)."""
    import ast
    import textwrap

    try:
        return list(ast.parse(textwrap.dedent(body)).body)
    except (SyntaxError, ValueError):
        return None
