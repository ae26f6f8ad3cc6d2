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
