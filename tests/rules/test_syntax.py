"""CODE009 parses every file of the package, its tests and scripts; syntax too new for the
oldest Python `requires-python` admits is CODE003's in the package and CODE013's elsewhere."""

from __future__ import annotations

import pytest

from prodready.source import syntax
from tests.conftest import Audit
from tests.rules.test_code import project

MATCH = "def f(x):\n    match x:\n        case 1:\n            return 2\n    return 0\n"
NEWEST = (
    "type Pair[T] = tuple[T, T]\n"
    "def first[T](pair: Pair[T]) -> T:\n    return pair[0]\n"
    "def g() -> None:\n"
    "    try:\n        pass\n    except* ValueError:\n        pass\n"
    "names = ['a']\n"
    'message = f"{", ".join(names)}"\n'
)


def found(audit: Audit, files: dict[str, str | bytes], select: str = "CODE009") -> list[str]:
    return sorted(f"{f.code} {f.path}:{f.line}" for f in audit(files, select))


def test_a_broken_module_test_and_script_are_each_reported_with_the_line(audit: Audit) -> None:
    files = {
        **project(core="def ok():\n    return 1\n\n\ndef oops(:\n    pass\n"),
        "tests/test_core.py": "def test_a():\n    assert [1, 2\n",
        "scripts/release.py": "import sys\nprint('done'\n",
    }
    assert found(audit, files) == [
        "CODE009 scripts/release.py:2",
        "CODE009 src/pkg/core.py:5",
        "CODE009 tests/test_core.py:2",
    ]


def test_a_broken_file_nothing_imports_is_a_warning(audit: Audit) -> None:
    # reduced from pexpect: Python 2 checks under tests/platform_checks/ and notes/ that pytest
    # never collects, beside a package and a collected test that fail for certain
    files = {
        **project(core="def oops(:\n    pass\n"),
        "tests/test_core.py": "def test_a():\n    assert [1, 2\n",
        "tests/platform_checks/check.py": "import os\nprint 'pid', os.getpid()\n",
        "notes/my_forkpty.py": "print 'done'\n",
    }
    severities = {f.path: f.severity.label for f in audit(files, "CODE009")}
    assert severities == {
        "src/pkg/core.py": "error",
        "tests/test_core.py": "error",
        "tests/platform_checks/check.py": "warning",
        "notes/my_forkpty.py": "warning",
    }


def test_a_project_that_still_runs_on_python_2_keeps_its_python_2_scripts(
    audit: Audit,
) -> None:
    # reduced from pexpect: a 2.7 classifier in setup.py, a universal wheel in setup.cfg
    files: dict[str, str | bytes] = {
        "setup.py": "from setuptools import setup\n\nsetup(\n    name='pkg',\n"
        "    packages=['pkg'],\n"
        "    classifiers=['Programming Language :: Python :: 2.7'],\n)\n",
        "setup.cfg": "[bdist_wheel]\nuniversal=1\n",
        "pkg/__init__.py": "def oops(:\n    pass\n",
        "tests/platform_checks/check.py": "import os\nprint 'pid', os.getpid()\n",
    }
    assert found(audit, files) == ["CODE009 pkg/__init__.py:1"]


def test_a_match_statement_under_python_39_is_reported_by_the_right_rule(audit: Audit) -> None:
    files = {**project(core=MATCH), "tests/test_core.py": MATCH}
    # in the package CODE003 names it; in the tests (which CODE003 does not read) CODE013 does
    assert found(audit, files, "CODE003") == ["CODE003 src/pkg/core.py:2"]
    assert found(audit, files, "CODE009") == []
    messages = [f.message for f in audit(files, "CODE013")]
    assert len(messages) == 1
    assert "tests/test_core.py does not parse on Python 3.9" in messages[0]
    assert "`match` statement" in messages[0]


def test_the_newest_syntax_under_a_new_enough_requires_python_is_not_reported(
    audit: Audit,
) -> None:
    files = {**project(python=">=3.12", core=NEWEST), "tests/test_core.py": NEWEST}
    assert found(audit, files, "CODE") == []


def test_files_named_for_a_newer_python_and_test_data_are_left_alone(audit: Audit) -> None:
    files = {
        **project(core="X = 1\n"),
        "docs_src/tutorial001_py310.py": MATCH,
        "tests/py312/test_new.py": "type X = int\n",
        "tests/python_312/test_generics.py": "type X = int\n",
        "tests/data/cases/broken_on_purpose.py": "def f(:\n",
        "tests/test_format.py": "from pathlib import Path\n\n"
        "def test_cases():\n    assert Path('tests/data/cases/broken_on_purpose.py').read_text()\n",
    }
    assert found(audit, files, "CODE") == []


def test_without_ruff_cpython_parses_every_file(
    audit: Audit, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(syntax, "_ruff_binary", lambda: None)
    files = {
        **project(core="def oops(:\n    pass\n"),
        "tests/test_core.py": MATCH,
        "scripts/ok.py": "print('fine')\n",
    }
    # CPython's own verdicts: the error's line, and the file too new for Python 3.9
    assert found(audit, files, "CODE") == [
        "CODE009 src/pkg/core.py:1",
        "CODE013 tests/test_core.py:5",
    ]


def test_ruff_reads_no_link_and_nothing_outside_the_repository(
    tmp_path: pytest.TempPathFactory,
) -> None:
    root = tmp_path / "repo"  # type: ignore[operator]
    root.mkdir()
    outside = tmp_path / "outside.py"  # type: ignore[operator]
    outside.write_text("def oops(:\n", encoding="utf-8")
    (root / "link.py").symlink_to(outside)
    (root / "real.py").write_text("def oops(:\n", encoding="utf-8")
    verdicts = syntax.check(str(root), ["link.py", "real.py", "../outside.py"], (3, 9))
    assert verdicts is not None
    assert sorted(verdicts) == ["real.py"]
    assert verdicts["real.py"].broken is not None


# Constructs of every Python from 3.8 to 3.14: each parses on some versions and not others.
CONSTRUCTS = {
    "match.py": "match x:\n    case [1, *rest]:\n        pass\n",
    "except_star.py": "try:\n    pass\nexcept* ValueError:\n    pass\n",
    "type_params.py": "def f[T](x: T) -> T:\n    return x\n",
    "type_alias.py": "type Pair[T] = tuple[T, T]\n",
    "class_params.py": "class Box[T]:\n    pass\n",
    "generic_star.py": "def f[*Ts](*a: *Ts): pass\n",
    "default_type_param.py": "def f[T = int](x: T) -> T:\n    return x\n",
    "fstring_quotes.py": 'a = [\'x\']\nb = f"{", ".join(a)}"\n',
    "fstring_backslash.py": "a = ['x']\nb = f\"{'\\n'.join(a)}\"\n",
    "fstring_comment.py": "b = f'''{1 # one\n}'''\n",
    "tstring.py": "name = 'x'\nt = t'{name}'\n",
    "except_no_parens.py": "try:\n    pass\nexcept ValueError, TypeError:\n    pass\n",
    "walrus.py": "if (n := 10) > 5:\n    pass\n",
    "posonly.py": "def f(a, /, b):\n    return a\n",
    "parenthesized_with.py": "with (open('a') as a, open('b') as b):\n    pass\n",
    "starred_index.py": "a = {}\nb = a[*(1, 2)]\n",
    "async_comprehension.py": "async def f():\n    return [x async for x in y]\n",
}
EDITS = ["(", ")", ":", "[", "]", "{", "}", ",", "=", "    ", "\n", " lambda", "def ", "'", '"']
EDITS += ["\\", " else", "return ", "*", "@", ".", " yield", " await", "f'{", "\t"]


def _broken_on_purpose(count: int) -> dict[str, str]:
    """prodready's own source modules, each with one edit at a random place (seeded): a
    character or a few deleted, a token inserted, or a colon dropped."""
    import random
    from pathlib import Path

    modules = sorted(Path(syntax.__file__).parent.glob("*.py"))
    texts = [path.read_text(encoding="utf-8") for path in modules]
    chosen = random.Random(13)  # noqa: S311 - reproducible edits, not a secret
    files: dict[str, str] = {}
    for number in range(count):
        text = chosen.choice(texts)
        at = chosen.randrange(len(text))
        edit = chosen.randrange(3)
        if edit == 0:
            text = text[:at] + text[at + chosen.randrange(1, 4) :]
        elif edit == 1:
            text = text[:at] + chosen.choice(EDITS) + text[at:]
        else:
            text = text[:at] + text[at:].replace(":", "", 1)
        files[f"m{number:03d}.py"] = text
    return files


def test_verdicts_agree_with_cpython_on_broken_files_and_every_newer_construct(
    tmp_path: pytest.TempPathFactory,
) -> None:
    import sys
    import warnings
    from pathlib import Path

    files = {**_broken_on_purpose(300), **CONSTRUCTS}
    for name, text in files.items():
        (Path(str(tmp_path)) / name).write_text(text, encoding="utf-8")
    this = sys.version_info[:2]
    verdicts = syntax.check(str(tmp_path), sorted(files), this)
    assert verdicts is not None
    rejected = set()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, text in files.items():
            try:
                compile(text, name, "exec")
            except (SyntaxError, ValueError):
                rejected.add(name)
    reported = {name for name, v in verdicts.items() if v.broken or v.too_new}
    assert set(verdicts) == set(files)
    assert reported == rejected  # CPython running here is the reference, file by file
    assert 100 < len(rejected) < 250  # both kinds are well represented


# Errors CPython's compiler raises after its parser has accepted the file.
COMPILE_TIME = {
    "late_future.py": "import os\nfrom __future__ import annotations\n",
    "unknown_future.py": "from __future__ import notations\n",
    "return_outside.py": "return 1  # noqa: F706\n",
    "yield_outside.py": "yield 1\n",
    "break_outside.py": "break\n",
    "continue_in_else.py": "for x in y:\n    pass\nelse:\n    continue\n",
    "nonlocal_unbound.py": "def f():\n    nonlocal y\n",
    "global_after_use.py": "def f():\n    x = 1\n    global x\n",
    "await_in_sync.py": "def f():\n    await x\n",
    "async_for_in_sync.py": "def f():\n    async for x in y:\n        pass\n",
    "return_in_class.py": "class A:\n    return 1\n",
}
COMPILES = {
    "future_after_docstring.py": '"""Doc."""\nfrom __future__ import annotations\n',
    "async_generator.py": "async def f():\n    yield 1\n    await g()\n",
    "await_in_comprehension.py": "async def f():\n    return [await x for x in y]\n",
    "lambda_yield.py": "f = lambda: (yield)\n",
}


def test_errors_of_the_compiler_are_syntax_errors_too(tmp_path: pytest.TempPathFactory) -> None:
    from pathlib import Path

    files = {**COMPILE_TIME, **COMPILES}
    for name, text in files.items():
        (Path(str(tmp_path)) / name).write_text(text, encoding="utf-8")
    verdicts = syntax.check(str(tmp_path), sorted(files), (3, 11))
    assert verdicts is not None
    assert {name for name, v in verdicts.items() if v.broken} == set(COMPILE_TIME)


def test_a_top_level_await_is_left_to_the_runner_that_allows_it(audit: Audit) -> None:
    # reduced from pydantic-core: a script Pyodide runs with `runPythonAsync`
    files = {
        **project(),
        "wasm-preview/run_tests.py": "async def main():\n    pass\n\n"
        "try:\n    await main()  # noqa: F704\nexcept Exception:\n    raise\n",
        "scripts/bad.py": "def f():\n    await main()\n",
    }
    assert found(audit, files) == ["CODE009 scripts/bad.py:2"]


def test_cpython_older_than_the_project_gives_no_verdict() -> None:
    import sys

    newer = (sys.version_info[0], sys.version_info[1] + 1)
    assert syntax.parse_with_ast("def f(:\n", newer) == syntax.Verdict(None, None)
    this = sys.version_info[:2]
    assert syntax.parse_with_ast("def f(:\n", this).broken is not None
