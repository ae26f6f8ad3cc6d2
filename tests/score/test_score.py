"""`prodready score` on projects whose figures are known: every figure is what the tool itself
says, a failing suite gives its real counts, a missing tool is "not run", a hanging one is
stopped, and pip-audit without its service is "unknown", never zero."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import venv
from pathlib import Path

import pytest

from prodready.cli import main
from tests.conftest import write_tree

PROJECT = {
    "pyproject.toml": '[project]\nname = "calc"\nversion = "1"\nrequires-python = ">=3.11"\n\n[tool.coverage.report]\nfail_under = 75\n\n[tool.mypy]\nfiles = ["calc"]\n',
    "calc/__init__.py": "",
    "calc/ops.py": "def add(a: int, b: int) -> int:\n    return a + b\n\n\ndef sub(a: int, b: int) -> int:\n    return a - b\n\n\ndef unused(a: int) -> int:\n    if a > 0:\n        return a\n    return -a\n",
    "tests/test_ops.py": "import pytest\n\nfrom calc.ops import add, sub\n\n\ndef test_add():\n    assert add(1, 2) == 3\n\n\ndef test_sub():\n    assert sub(3, 1) == 2\n\n\ndef test_wrong():\n    assert add(1, 1) == 3\n\n\n@pytest.mark.skip(reason='later')\ndef test_later():\n    pass\n",
}


def score(root: Path, *options: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main(
        ["score", str(root), "--python", sys.executable, "--format", "json", "--no-save", *options]
    )
    return code, json.loads(capsys.readouterr().out)


def tool(data: dict, name: str) -> dict:  # type: ignore[type-arg]
    return next(t for t in data["tools"] if t["tool"] == name)


def test_figures_are_what_the_tools_say(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_tree(tmp_path / "calc", PROJECT)
    code, data = score(root, "--only", "pytest,ruff,mypy", capsys=capsys)
    metrics = data["metrics"]
    assert (metrics["tests.passed"], metrics["tests.failed"], metrics["tests.skipped"]) == (2, 1, 1)
    assert metrics["tests.total"] == 4
    assert metrics["tests.pass_rate"] == pytest.approx(66.67)
    # coverage's own figure for the same run, through the project's configuration
    data_file = tmp_path / "cov"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "coverage",
            "run",
            f"--data-file={data_file}",
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
        ],
        cwd=root,
        capture_output=True,
        check=False,
    )
    own = subprocess.run(
        [
            sys.executable,
            "-m",
            "coverage",
            "report",
            f"--data-file={data_file}",
            "--format=total",
            "--precision=2",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert metrics["coverage.total"] == pytest.approx(float(own.stdout.strip()))
    assert metrics["lint.findings"] == 0
    assert metrics["types.errors"] == 0
    missed = {t["metric"] for t in data["targets"] if t["met"] is False}
    assert missed == {"tests.pass_rate"}  # coverage meets the project's own fail_under of 75
    assert code == 1


def test_type_errors_and_lint_are_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {**PROJECT, "calc/bad.py": "import os\n\n\ndef f() -> int:\n    return 'x'\n"}
    root = write_tree(tmp_path / "calc", files)
    _, data = score(root, "--only", "ruff,mypy", capsys=capsys)
    assert data["metrics"]["types.errors"] == 1
    assert data["metrics"]["lint.findings"] == 1
    assert data["metrics"]["lint.rule.F401"] == 1


def test_a_missing_tool_is_not_run_with_its_install_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_tree(tmp_path / "calc", PROJECT)
    venv.create(tmp_path / "bare", with_pip=False)  # an environment with no tools at all
    bare = tmp_path / "bare" / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    code = main(
        [
            "score",
            str(root),
            "--python",
            str(bare),
            "--format",
            "json",
            "--no-save",
            "--only",
            "bandit,mypy",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert code == 0  # nothing measured, nothing missed
    assert tool(data, "mypy")["status"] == "not run"
    bandit = tool(data, "bandit")
    assert bandit["status"] == "not run"
    assert "pip install 'bandit[toml]'" in bandit["detail"]
    line = next(t for t in data["targets"] if t["metric"] == "security.high")
    assert line["value"] is None
    assert line["met"] is None


def test_a_hanging_suite_is_stopped_at_its_timeout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {
        **PROJECT,
        "tests/test_hang.py": "import time\n\n\ndef test_hang():\n    time.sleep(120)\n",
    }
    root = write_tree(tmp_path / "calc", files)
    start = time.monotonic()
    _, data = score(root, "--only", "pytest", "--timeout", "3", capsys=capsys)
    assert time.monotonic() - start < 30
    assert tool(data, "pytest")["status"] == "timeout"
    assert "tests.total" not in data["metrics"]


def test_pip_audit_without_its_service_is_unknown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(variable, "http://127.0.0.1:9")
    monkeypatch.setenv("PIP_AUDIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    root = write_tree(tmp_path / "calc", PROJECT)
    _, data = score(root, "--only", "pip-audit", "--timeout", "120", capsys=capsys)
    audit = tool(data, "pip-audit")
    assert audit["status"] == "unknown", audit
    assert "vulnerabilities" not in data["metrics"]
    line = next(t for t in data["targets"] if t["metric"] == "vulnerabilities")
    assert line["value"] is None


def test_runs_are_kept_and_listed_with_their_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_tree(tmp_path / "calc", PROJECT)
    history = tmp_path / "history.sqlite3"
    lint = [
        "score",
        str(root),
        "--python",
        sys.executable,
        "--only",
        "ruff",
        "--history",
        str(history),
    ]
    main(lint)
    (root / "calc" / "extra.py").write_text("import os\n")
    main(lint)
    main(["check", str(root), "--save", "--history", str(history)])
    capsys.readouterr()
    assert main(["history", str(root), "--history", str(history)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    assert "lint.findings=0" in lines[0]
    assert "lint.findings=1 (+1)" in lines[1]
    assert "check" in lines[2]
    assert "findings.total=" in lines[2]


def test_an_interpreter_that_does_not_exist_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_tree(tmp_path / "calc", PROJECT)
    code = main(["score", str(root), "--python", str(tmp_path / "no-python"), "--no-save"])
    assert code == 2
    assert "cannot run the project's interpreter" in capsys.readouterr().err


def test_a_project_without_tests_misses_the_tests_target(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {k: v for k, v in PROJECT.items() if not k.startswith("tests/")}
    root = write_tree(tmp_path / "calc", files)
    code, data = score(root, "--only", "pytest", capsys=capsys)
    assert data["metrics"]["tests.total"] == 0
    assert data["metrics"]["tests.pass_rate"] == 0
    assert code == 1
