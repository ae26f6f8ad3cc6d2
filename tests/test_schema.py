"""The JSON schema of `[tool.prodready]`: generated from the model, read by validate-pyproject."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from prodready import schema
from prodready.config_model import ProdreadyTable

DATA = Path(schema.__file__).parent / "data" / schema.FILE


def test_the_published_schema_is_what_the_model_gives() -> None:
    assert DATA.read_text(encoding="utf-8") == schema.text(), "run: python -m prodready.schema"


def test_the_schema_names_every_setting_the_model_reads() -> None:
    names = {field.alias or name for name, field in ProdreadyTable.model_fields.items()}
    assert set(schema.tool_schema("prodready")["properties"]) == names


def validate(tmp_path: Path, table: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "pyproject.toml").write_text(
        f'[project]\nname = "x"\nversion = "1"\n\n[tool.prodready]\n{table}\n', encoding="utf-8"
    )
    return subprocess.run(
        [sys.executable, "-m", "validate_pyproject", str(tmp_path / "pyproject.toml")],
        capture_output=True,
        text=True,
        check=False,
    )


def test_validate_pyproject_accepts_good_settings(tmp_path: Path) -> None:
    good = validate(
        tmp_path,
        'fail-on = "error"\nselect = ["SEC", "PKG008"]\nignore = { CODE004 = "a tutorial" }\n'
        '[tool.prodready.per-path-ignores]\n"tests/*" = ["SEC003"]',
    )
    assert good.returncode == 0, good.stdout + good.stderr


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('fail-on = "fatal"', "tool.prodready.fail-on` must be one of"),
        ('kind = "libary"', "tool.prodready.kind` must be one of ['library', 'application'"),
        ('select = ["sec"]', "tool.prodready.select[0]"),
        ('ignore = { "not a code" = "why" }', "tool.prodready.ignore"),
        ("selct = []", "must not contain {'selct'}"),
        ("ignore = 3", "tool.prodready.ignore"),
    ],
)
def test_validate_pyproject_rejects_bad_settings(tmp_path: Path, table: str, message: str) -> None:
    bad = validate(tmp_path, table)
    assert bad.returncode == 1
    assert message in bad.stdout + bad.stderr
