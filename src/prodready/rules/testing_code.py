"""TEST (test code): tests that check something, can run where their hardware is, and test the
installed package rather than the source tree."""

from __future__ import annotations

from collections.abc import Iterator

from prodready.findings import Violation
from prodready.project import Project
from prodready.rules.locate import at_line
from prodready.rules.registry import rule
from prodready.source.records import FileFacts


@rule("TEST007", "test-asserts-nothing", source="S2 challenge 3")
def test_asserts_nothing(p: Project) -> Iterator[Violation]:
    """A test function asserts nothing.

    ## What it does
    Reports `test_*` functions whose body has no `assert`, no `pytest.raises` / `warns` /
    `approx`, no unittest or mock assertion (`self.assertEqual`, `.assert_called_once_with`), no
    `raise`, and calls no helper that asserts (a function of any test module or conftest whose
    body asserts, or one named `check_…`, `verify_…`, `expect_…`, `ensure_…`, `compare_…`).

    ## Why it matters
    The test passes whatever the code does: it adds coverage and no protection (S2 challenge 3:
    "high coverage, low value").

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
    checked = p.facts_for(p.test_files)
    support = p.facts_for(
        [f for f in p.python_files if "/test" in f"/{f}" and f not in p.test_files]
    )
    helpers = _asserting_helpers([facts for _, facts in [*checked, *support]])
    for path, facts in checked:
        for line, name, called in facts.tests_without_asserts:
            # a test that runs another test function (often imported from docs or examples)
            # asserts through it
            if not helpers.intersection(called) and not any(c.startswith("test_") for c in called):
                yield at_line(path, f"`{name}` asserts nothing", line)


def _asserting_helpers(all_facts: list[FileFacts]) -> set[str]:
    """Helpers that assert, directly or through the helpers they call (across modules)."""
    calls: dict[str, set[str]] = {}
    asserting: set[str] = set()
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


@rule("TEST008", "hardware-test-always-skipped", source="S1 L8")
def hardware_always_skipped(p: Project) -> Iterator[Violation]:
    """A hardware test is skipped unconditionally instead of when the hardware is missing.

    ## What it does
    Reports `@pytest.mark.skip(reason="Requires GPU")` and unconditional `pytest.skip(...)` calls
    whose reason names a GPU, CUDA, TensorRT, TPU, MPS or other device.

    ## Why it matters
    The test never runs, not even on the machine that has the GPU: the GPU path ships untested
    (S1 L8).

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
    for path, facts in p.facts_for(p.test_files):
        for line, reason in facts.hardware_skips:
            yield at_line(
                path, f"skipped unconditionally ({reason}): use skipif on the real condition", line
            )


@rule("TEST009", "tests-edit-sys-path", source="S2 §3, S3 src layout")
def tests_edit_sys_path(p: Project) -> Iterator[Violation]:
    """Tests put the source tree on `sys.path`.

    ## What it does
    Reports `sys.path.insert`, `sys.path.append` and assignments to `sys.path` in test files and
    `conftest.py`.

    ## Why it matters
    The tests then import the package from the checkout, not the installed distribution: a wheel
    that misses modules or data passes every test (S2 §3).

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
    for path, facts in p.facts_for(p.test_files):
        for line in facts.sys_path:
            yield at_line(path, "the tests edit sys.path: test the installed package instead", line)
