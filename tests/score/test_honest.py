"""`prodready score` claims no more than it measured: pip-audit that skipped dependencies is
"unknown (N of M not audited)", never 0."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from prodready.cli import main
from tests.conftest import write_tree

GREEN = {
    "pyproject.toml": '[project]\nname = "calc"\nversion = "1"\nrequires-python = ">=3.11"\n\n[project.optional-dependencies]\ndev = ["pytest>=8", "coverage>=7"]\n',
    "calc/__init__.py": "",
    "calc/ops.py": "def add(a: int, b: int) -> int:\n    return a + b\n",
    "tests/test_ops.py": "from calc.ops import add\n\n\ndef test_add() -> None:\n    assert add(1, 2) == 3\n",
}
BIN = "Scripts" if sys.platform == "win32" else "bin"


def score_json(root: Path, *options: str, capsys: pytest.CaptureFixture[str]) -> dict:  # type: ignore[type-arg]
    """The JSON card of `prodready score` run in this process."""
    main(["score", str(root), "--format", "json", "--no-save", *options])
    data: dict = json.loads(capsys.readouterr().out)  # type: ignore[type-arg]
    return data


# --- 2. pip-audit that skipped dependencies is unknown, never 0 ---------------------------


def environment_with_an_unpublished_distribution(tmp_path: Path) -> Path:
    """A new environment that sees this one's packages (pip-audit, pip, their dependencies)
    through a .pth file, plus an installed distribution that no index has: pip-audit can only
    skip it."""
    folder = tmp_path / "env"
    venv.create(folder, with_pip=False)
    python = folder / BIN / ("python.exe" if sys.platform == "win32" else "python")
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = sysconfig.get_paths()["purelib"]
    write_tree(
        Path(purelib),
        {
            "ours.pth": f"import site; site.addsitedir({ours!r})\n",
            "prodready_never_published-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: prodready-never-published\nVersion: 1.0\n",
            "prodready_never_published-1.0.dist-info/INSTALLER": "pip\n",
            "prodready_never_published-1.0.dist-info/RECORD": "",
        },
    )
    return python


def test_pip_audit_with_skipped_dependencies_is_unknown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    python = environment_with_an_unpublished_distribution(tmp_path)
    root = write_tree(tmp_path / "calc", GREEN)
    own = subprocess.run(
        [
            str(python),
            "-I",
            "-m",
            "pip_audit",
            "-f",
            "json",
            "--progress-spinner",
            "off",
            "--skip-editable",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if not own.stdout.startswith("{"):
        pytest.skip(f"pip-audit cannot reach its service here: {own.stderr.strip()[-200:]}")
    # an editable install is the code under audit, not a dependency: score leaves it out
    entries = [
        e
        for e in json.loads(own.stdout)["dependencies"]
        if e.get("skip_reason") != "distribution marked as editable"
    ]
    skipped = [e["name"] for e in entries if "skip_reason" in e]
    assert "prodready-never-published" in skipped  # pip-audit itself could not audit it
    data = score_json(
        root, "--python", str(python), "--only", "pip-audit", "--timeout", "600", capsys=capsys
    )
    audit = next(t for t in data["tools"] if t["tool"] == "pip-audit")
    assert audit["status"] == "unknown", audit
    assert audit["detail"].startswith(f"{len(skipped)} of {len(entries)} not audited"), audit
    line = next(t for t in data["targets"] if t["metric"] == "vulnerabilities")
    found = sum(len(e.get("vulns", [])) for e in entries)
    if found:  # a count above zero misses the target whatever the others hold
        assert line["value"] == found
    else:  # never 0 while some were not audited
        assert line["value"] is None
        assert line["note"] == f"pip-audit: unknown ({audit['detail']})"
