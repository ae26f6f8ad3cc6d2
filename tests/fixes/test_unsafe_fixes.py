"""The unsafe fixes run only with --unsafe-fixes, and then keep comments and unrelated code."""

from __future__ import annotations

from pathlib import Path

from prodready import Auditor
from prodready.cli import main
from tests.conftest import commit_all, write_tree

META = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "pkg"\nversion = "1"\nrequires-python = ">=3.10"\ndependencies = ["pydantic>=2"]\n'
MODEL = '''"""Settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel

if TYPE_CHECKING:
    # only for hints
    from collections.abc import Sequence
    from pathlib import Path  # paths


class Config(BaseModel):
    model_path: Path

    def names(self) -> Sequence[str]:
        return []
'''


def codes(root: Path, code: str) -> list[str]:
    return [f.message for f in Auditor(select=[code], use_cache=False).check(root).findings]


def test_code001_moves_the_import_out_only_with_unsafe_fixes(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "r",
        {"pyproject.toml": META, "src/pkg/__init__.py": "", "src/pkg/config.py": MODEL},
    )
    commit_all(root)
    assert codes(root, "CODE001")
    main(["fix", "--select", "CODE001", str(root)])
    assert (root / "src/pkg/config.py").read_text() == MODEL  # unsafe: not by default
    main(["fix", "--select", "CODE001", "--unsafe-fixes", str(root)])
    text = (root / "src/pkg/config.py").read_text()
    assert (
        "from pydantic import BaseModel\nfrom pathlib import Path  # paths\n\n"
        "if TYPE_CHECKING:\n    # only for hints\n    from collections.abc import Sequence\n"
    ) in text
    assert codes(root, "CODE001") == []
    main(["fix", "--select", "CODE001", "--unsafe-fixes", str(root)])
    assert (root / "src/pkg/config.py").read_text() == text


def test_code002_imports_from_pydantic_settings_and_declares_it(tmp_path: Path) -> None:
    source = "from pydantic import BaseModel, BaseSettings  # both\n\n\nclass S(BaseSettings):\n    debug: bool = False\n"
    root = write_tree(
        tmp_path / "r",
        {"pyproject.toml": META, "src/pkg/__init__.py": "", "src/pkg/settings.py": source},
    )
    commit_all(root)
    assert codes(root, "CODE002")
    main(["fix", "--select", "CODE002", "--unsafe-fixes", str(root)])
    text = (root / "src/pkg/settings.py").read_text()
    assert text.startswith(
        "from pydantic import BaseModel  # both\nfrom pydantic_settings import BaseSettings\n"
    )
    assert '"pydantic-settings>=2"' in (root / "pyproject.toml").read_text()
    assert codes(root, "CODE002") == []
