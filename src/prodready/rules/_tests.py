"""What the test rules of several families share: which test files pytest imports."""

from __future__ import annotations

import fnmatch
from typing import TYPE_CHECKING

from prodready.project.paths import is_conftest

if TYPE_CHECKING:
    from prodready.project import Project

DEFAULT_FILES = ("test_*.py", "*_test.py")


def imported_test_files(p: Project) -> list[str]:
    """The test files pytest imports: conftests, modules matching `python_files` (`test_*.py`,
    `*_test.py` by default), and the support modules those import. A script in the tests
    folder that nothing imports (a stress test, a file only a type checker reads) is not."""
    patterns = p.tools.pytest_setting("python_files", DEFAULT_FILES) or DEFAULT_FILES
    files = p.packaging.test_files
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
