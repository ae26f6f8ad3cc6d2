"""`prodready score` claims no more than it measured: a card that lacks a required figure is
"incomplete", never A; pip-audit that skipped dependencies is "unknown (N of M not audited)",
never 0; and the interpreter is named before anything runs, never silently prodready's own."""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from prodready.cli import main
from prodready.findings import Kind
from prodready.report.scorecard import as_json, text
from prodready.score.card import INCOMPLETE, build_card, required_metrics, targets
from prodready.score.interface import Status, ToolResult
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


def cli(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`prodready ARGS` as a program, in `cwd`, with no virtual environment active."""
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    env["PRODREADY_HISTORY"] = str(cwd.parent / "history.sqlite3")
    program = str(Path(sys.executable).with_name("prodready"))
    return subprocess.run(
        [program, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


# --- 1. a grade over what was measured, "incomplete" without a required figure -------------


def test_a_subset_of_the_tools_is_incomplete_not_a(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_tree(tmp_path / "calc", GREEN)
    data = score_json(
        root, "--python", sys.executable, "--only", "pytest,importtime", capsys=capsys
    )
    measured = [t for t in data["targets"] if t["met"] is not None]
    assert measured
    assert all(t["met"] for t in measured)  # every measured target met: the old card said A
    assert data["grade"] == INCOMPLETE
    assert data["kind"] == "library"
    assert {"lint.findings", "types.errors", "vulnerabilities"} <= set(data["incomplete"])
    assert "tests.pass_rate" not in data["incomplete"]


def test_the_text_card_says_what_is_missing_and_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_tree(tmp_path / "calc", GREEN)
    main(["score", str(root), "--python", sys.executable, "--only", "ruff", "--no-save"])
    out = capsys.readouterr().out
    assert "Grade incomplete: 1 of 1 measured targets met." in out
    assert "Required for a library but not measured" in out
    assert re.search(r"type errors +- +<= 0 +MISSING +mypy: not selected", out), out
    assert "Grade A" not in out


def results_of(**figures: float) -> list[ToolResult]:
    """One OK run per tool holding the given figures (metric name with `_` for `.`)."""
    by_tool = {
        "tests_pass_rate": "pytest",
        "coverage_total": "pytest",
        "lint_findings": "ruff",
        "types_errors": "mypy",
        "vulnerabilities": "pip-audit",
        "security_high": "bandit",
        "build_ok": "build",
        "install_seconds": "install",
    }
    runs: dict[str, dict[str, float]] = {}
    for key, value in figures.items():
        runs.setdefault(by_tool[key], {})[key.replace("_", ".", 1)] = value
    return [ToolResult(tool, Status.OK, metrics) for tool, metrics in runs.items()]


ALL_MET = {
    "tests_pass_rate": 100.0,
    "coverage_total": 95.0,
    "lint_findings": 0,
    "types_errors": 0,
    "vulnerabilities": 0,
    "security_high": 0,
}


def test_a_grade_needs_every_figure_the_kind_requires(tmp_path: Path) -> None:
    wanted = targets(tmp_path, None)
    service = build_card(results_of(**ALL_MET), wanted, Kind.SERVICE)
    assert service.grade == "A"  # a service is not built or installed by others
    assert "Not measured: sdist and wheel build and render, clean install (s)." in text(service)
    library = build_card(results_of(**ALL_MET), wanted, Kind.LIBRARY)
    assert library.grade == INCOMPLETE  # a library is: its build and install are required
    assert {line.target.metric for line in library.incomplete} == {"build.ok", "install.seconds"}
    complete = build_card(
        results_of(**ALL_MET, build_ok=1, install_seconds=3.0), wanted, Kind.LIBRARY
    )
    assert complete.grade == "A"
    missed = build_card(
        results_of(**{**ALL_MET, "lint_findings": 4}, build_ok=1, install_seconds=3.0),
        wanted,
        Kind.LIBRARY,
    )
    assert missed.grade == "B"  # 7 of 8 measured targets met
    assert json.loads(as_json(missed))["incomplete"] == []
    without = ALL_MET.copy()
    del without["security_high"]
    assert build_card(results_of(**without), wanted, Kind.SERVICE).grade == INCOMPLETE


def test_every_kind_requires_tests_lint_types_and_security() -> None:
    common = {
        "tests.pass_rate",
        "coverage.total",
        "lint.findings",
        "types.errors",
        "vulnerabilities",
        "security.high",
    }
    for kind in Kind:
        assert common <= required_metrics(kind)
    assert required_metrics(Kind.LIBRARY) - common == {"build.ok", "install.seconds"}
    assert required_metrics(Kind.SERVICE) == required_metrics(Kind.APPLICATION) == common


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


# --- 3. the interpreter is named, and prodready's own is never silently used -------------


def test_without_a_project_environment_its_tests_are_not_run(tmp_path: Path) -> None:
    mark = tmp_path / "imported"
    files = {
        **GREEN,
        "tests/conftest.py": f"from pathlib import Path\n\nPath({str(mark)!r}).touch()\n",
    }
    root = write_tree(tmp_path / "calc", files)
    done = cli("score", "--only", "pytest", cwd=root)
    assert done.returncode == 2, done
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "no project environment" in lines[0]
    assert "--python PATH" in lines[0]
    assert "--isolated" in lines[0]
    assert not mark.exists()  # not one test was collected in prodready's environment
    assert not (tmp_path / "history.sqlite3").exists()  # refused before anything was made
    assert done.stdout == ""


def test_prodready_s_own_active_environment_is_refused_for_an_uninstalled_project(
    tmp_path: Path,
) -> None:
    """The usual set-up: prodready installed in a venv that is active, the project not in it."""
    mark = tmp_path / "imported"
    files = {
        **GREEN,
        "tests/conftest.py": f"from pathlib import Path\n\nPath({str(mark)!r}).touch()\n",
    }
    root = write_tree(tmp_path / "calc", files)
    env = {**os.environ, "VIRTUAL_ENV": sys.prefix}
    env["PRODREADY_HISTORY"] = str(tmp_path / "history.sqlite3")
    done = subprocess.run(
        [str(Path(sys.executable).with_name("prodready")), "score", "--only", "pytest"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2, done
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "the active virtual environment is prodready's own" in lines[0]
    assert not mark.exists()
    assert not (tmp_path / "history.sqlite3").exists()


def test_the_interpreter_is_named_with_its_version_before_anything_runs(
    tmp_path: Path,
) -> None:
    root = write_tree(tmp_path / "calc", GREEN)
    done = cli("score", "--only", "ruff", "--no-save", "--python", sys.executable, cwd=root)
    first = done.stderr.splitlines()[0]
    assert f"with {sys.executable} (Python {platform.python_version()}, --python" in first
    assert "prodready's own environment" in first
    # a tool that only reads the files may run in prodready's own environment, and says so
    done = cli("score", "--only", "ruff", "--no-save", cwd=root)
    assert done.returncode == 0, done.stderr
    assert "(Python " in done.stderr.splitlines()[0]
    assert "prodready's own environment" in done.stderr.splitlines()[0]


def test_the_project_venv_is_found_without_an_active_one(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "calc", GREEN)
    venv.create(root / ".venv", with_pip=False)
    done = cli("score", "--only", "importtime", "--no-save", "--format", "json", cwd=root)
    first = done.stderr.splitlines()[0]
    python = root / ".venv" / BIN / ("python.exe" if sys.platform == "win32" else "python")
    assert f"with {python} (Python " in first, first
    assert "the project's .venv)" in first
    assert json.loads(done.stdout)["grade"] == INCOMPLETE


@pytest.mark.slow
def test_isolated_builds_a_throwaway_environment_with_the_dev_extra(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "calc", GREEN)
    done = cli("score", "--isolated", "--only", "pytest", "--no-save", "--format", "json", cwd=root)
    assert done.returncode == 0, done.stderr
    first, second = done.stderr.splitlines()[:2]
    assert "pip install -e .[dev] into a throwaway virtual environment" in first
    assert "a throwaway environment, --isolated)" in second
    throwaway = Path(second.split(" with ", 1)[1].split(" (Python", 1)[0])
    assert not throwaway.exists()  # removed after the run
    data = json.loads(done.stdout)
    assert data["metrics"]["tests.passed"] == 1
    assert data["metrics"]["coverage.total"] == 100
    assert data["grade"] == INCOMPLETE  # only pytest ran


# --- and the whole story: `prodready new`, then `prodready score` ---------------------------


@pytest.mark.slow
def test_a_new_project_is_graded_only_when_everything_required_was_measured(
    tmp_path: Path,
) -> None:
    root = tmp_path / "demo"
    assert main(["new", "demo", "--kind", "lib", "--yes", "--dir", str(root)]) == 0
    venv.create(root / ".venv", with_pip=True)
    pip = [str(root / ".venv" / BIN / "python"), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, "-e", ".[dev]"], cwd=root, check=True, capture_output=True)

    def card(*options: str) -> dict:  # type: ignore[type-arg]
        done = cli("score", "--no-save", "--format", "json", *options, cwd=root, timeout=900)
        assert done.returncode in (0, 1), done.stderr
        assert "the project's .venv" in done.stderr.splitlines()[0]
        data: dict = json.loads(done.stdout)  # type: ignore[type-arg]
        return data

    first = card()
    assert first["grade"] == INCOMPLETE
    assert set(first["incomplete"]) == {"vulnerabilities", "security.high", "build.ok"}
    assert card("--only", "pytest,importtime")["grade"] == INCOMPLETE
    subprocess.run(
        [*pip, "pip-audit", "bandit[toml]", "build", "twine"],
        cwd=root,
        check=True,
        capture_output=True,
    )
    full = card()
    # everything is measured now, unless pip-audit could not audit every dependency here
    assert set(full["incomplete"]) <= {"vulnerabilities"}
    assert (full["grade"] == INCOMPLETE) == bool(full["incomplete"])
    if full["grade"] == "A":
        assert all(t["met"] for t in full["targets"] if t["required"])
