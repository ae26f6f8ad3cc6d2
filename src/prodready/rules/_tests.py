"""What the test rules of several families share: which test files pytest imports."""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from typing import TYPE_CHECKING

from prodready.project.paths import is_conftest

if TYPE_CHECKING:
    from prodready.project import Project

DEFAULT_FILES = ("test_*.py", "*_test.py")


def collected_by_pytest(p: Project) -> Callable[[str], bool]:
    """A test of whether pytest, run from the root with the root's configuration, collects a
    file: inside `testpaths` when it is set (or under the project's own test folders), and not
    in a suite with a `pytest.ini` of its own beside the root's configuration (that suite is
    run from its folder, with its file)."""
    roots = tuple(f"{r.strip('/')}/" for r in p.tools.pytest_setting("testpaths", ()) if r)
    own = p.packaging.test_roots
    config = p.tools.pytest
    at_root = config is not None and "/" not in config.path
    suites = tuple(
        folder
        for folder in (f.removesuffix("pytest.ini") for f in p.repo.files)
        # below a test root, beside the root's configuration: a suite of its own
        if at_root and folder.endswith("/") and folder not in (*roots, *own)
    )

    def reached(path: str) -> bool:
        if roots and not path.startswith(roots) and not path.startswith(own):
            return False
        return not path.startswith(suites)

    return reached


def imported_test_files(p: Project) -> list[str]:
    """The test files pytest imports: conftests, modules matching `python_files` (`test_*.py`,
    `*_test.py` by default), and the support modules those import, where pytest run from the
    root collects (`collected_by_pytest`: a tutorial's tests under `docs/`, outside `testpaths`,
    are not). A script in the tests folder that nothing imports (a stress test, a file only a
    type checker reads) is not."""
    patterns = p.tools.pytest_setting("python_files", DEFAULT_FILES) or DEFAULT_FILES
    reached = collected_by_pytest(p)
    files = [f for f in p.packaging.test_files if reached(f)]
    collected = [
        f
        for f in files
        if is_conftest(f)
        or any(fnmatch.fnmatchcase(f.rsplit("/", 1)[-1], pattern) for pattern in patterns)
    ]
    used: set[str] = set()
    for _, facts in p.sources.facts_for(collected):
        for item in facts.imports:
            used.update(item.module.split("."))
            used.update(name.split(" as ")[0] for name in item.names)
    chosen = set(collected)
    return [f for f in files if f in chosen or f.rsplit("/", 1)[-1].removesuffix(".py") in used]


def test_data_reader(p: Project) -> Callable[[str], bool]:
    """A test of whether the test suite names a file (`"examples/nonsense.py"` read by a
    linter's own tests): then the file is input for the tests, not code that runs. The test
    files are read once, and only when asked."""
    texts: list[str] = []

    def named(path: str) -> bool:
        if not texts:
            texts.append("\n".join(p.repo.read(f) or "" for f in p.packaging.test_files))
        return path.rsplit("/", 1)[-1] in texts[0]

    return named
