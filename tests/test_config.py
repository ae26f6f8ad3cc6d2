"""`[tool.prodready]`: validated, applied, and reported when wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from prodready import Auditor
from prodready.cli import main
from tests.conftest import write_tree

BASE = '[project]\nname = "x"\nversion = "1"\n'


def check(tmp_path: Path, table: str, *args: str) -> int:
    write_tree(tmp_path, {"pyproject.toml": BASE + table})
    return main(["check", str(tmp_path), "--format", "json", *args])


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            '[tool.prodready]\nfail-on = "fatal"\n',
            "[tool.prodready] fail-on: Input should be 'error', 'warning' or 'info'",
        ),
        ('[tool.prodready]\nkind = "lib"\n', "[tool.prodready] kind:"),
        (
            "[tool.prodready]\nselects = []\n",
            "[tool.prodready] selects: Extra inputs are not permitted",
        ),
        ('[tool.prodready]\nselect = ["NOPE"]\n', "unknown rule selector 'NOPE'"),
        ('[tool.prodready]\nignore = { NOPE1 = "x" }\n', "unknown rule selector 'NOPE1'"),
        ('[tool]\nprodready = "library"\n', "[tool.prodready] must be a table"),
    ],
)
def test_bad_configuration_exits_2_naming_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], table: str, message: str
) -> None:
    assert check(tmp_path, table) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_configured_kind_select_and_fail_on_apply(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": BASE
            + '[tool.prodready]\nkind = "service"\nselect = ["DEP002", "PKG004"]\nfail-on = "error"\n',
            "requirements.txt": "x\n",
        },
    )
    report = Auditor().check(tmp_path)
    repo = report.repositories[0]
    assert (repo.kind.value, repo.kind_reason) == ("service", "set in [tool.prodready]")
    assert sorted(f.code for f in repo.findings) == ["DEP002", "PKG004"]
    assert report.ok


def test_ignore_with_reason_and_per_path_ignore(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": BASE
            + '[tool.prodready.ignore]\nPKG004 = "tool config only"\n[tool.prodready.per-path-ignores]\n"examples/*" = { DOC005 = "shows Python 2 on purpose" }\n',
            "examples/old.py": 'print "x"\n',
            "docs/examples/broken.py": "def (:\n",
        },
    )
    codes = [
        (f.code, f.path)
        for f in Auditor(select=["PKG004", "DOC005", "CFG"]).check(tmp_path).findings
    ]
    assert codes == [("DOC005", "docs/examples/broken.py")]


def test_cli_kind_overrides_configuration(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": BASE + '[tool.prodready]\nkind = "library"\n'})
    repo = Auditor(kind="application", select=["PKG"]).check(tmp_path).repositories[0]
    assert (repo.kind.value, repo.kind_reason) == ("application", "set on the command line")
