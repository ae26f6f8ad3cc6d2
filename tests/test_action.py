"""The GitHub Action: its metadata validates, and its steps run in a simulated GitHub job.

The simulation does what the runner does for a composite action: each `run` step gets its
`env` with the `${{ ... }}` expressions resolved (inputs, `github.action_path`, `runner.temp`,
earlier steps' outputs), the `GITHUB_ENV`, `GITHUB_OUTPUT` and `GITHUB_STEP_SUMMARY` files, and
bash. The `uses` step (upload-sarif) is not run: its condition and the SARIF it would upload are
checked instead.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.report.github_sarif import problems

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")


def test_action_metadata_validates_against_the_github_action_schema() -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-actions",
            str(ROOT / "action.yml"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_zizmor_finds_nothing_in_the_action() -> None:
    zizmor = shutil.which(
        "zizmor", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    )
    assert zizmor, "zizmor comes with the dev extra"
    run = subprocess.run(
        [zizmor, "--offline", "--no-progress", str(ROOT / "action.yml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_upload_action_is_pinned_to_the_recorded_release() -> None:
    """The pin comes from `data/pins.json` (scripts/pins.py), with its tag in a comment."""
    from prodready.project import pins

    pin = pins.action("github/codeql-action")
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    assert f"github/codeql-action/upload-sarif@{pin.commit} # {pin.tag}" in text


def test_expressions_never_reach_a_script() -> None:
    """Inputs go to `run` scripts through `env` only (no template injection)."""
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step["name"]


def read_pairs(path: Path) -> dict[str, str]:
    pairs = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, _, value = line.partition("=")
        pairs[name] = value
    return pairs


class Job:
    """One simulated job running the action with the given inputs in `workspace`."""

    def __init__(self, runner: Path, workspace: Path, inputs: dict[str, str]) -> None:
        self.tmp, self.workspace = runner, workspace
        defaults = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
        self.inputs = {**defaults, **inputs}
        self.files = {name: workspace.parent / name for name in ("env", "output", "summary")}
        for path in self.files.values():
            path.write_text("", encoding="utf-8")
        self.outputs: dict[str, dict[str, str]] = {}

    def value(self, expression: str) -> str:
        scope, _, name = expression.partition(".")
        if scope == "inputs":
            return str(self.inputs[name])
        if expression == "github.action_path":
            return str(ROOT)
        if expression == "runner.temp":
            return str(self.tmp)
        if scope == "steps":
            step, _, output = name.partition(".outputs.")
            return self.outputs.get(step, {}).get(output, "")
        raise AssertionError(f"the simulation does not know {expression}")

    def resolve(self, text: str) -> str:
        return EXPRESSION.sub(lambda m: self.value(m.group(1)), str(text))

    def run(self, step: dict[str, Any]) -> subprocess.CompletedProcess[str]:
        env = {
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", str(self.tmp)),
            "PRODREADY_CACHE_DIR": os.environ.get("PRODREADY_CACHE_DIR", str(self.tmp / "cache")),
            "GITHUB_ENV": str(self.files["env"]),
            "GITHUB_OUTPUT": str(self.files["output"]),
            "GITHUB_STEP_SUMMARY": str(self.files["summary"]),
            "RUNNER_TEMP": str(self.tmp),
            **read_pairs(self.files["env"]),
            **{k: self.resolve(v) for k, v in step.get("env", {}).items()},
        }
        self.files["output"].write_text("", encoding="utf-8")
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", step["run"]],
            cwd=self.workspace,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if "id" in step:
            self.outputs[step["id"]] = read_pairs(self.files["output"])
        return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The runner's temporary folder after the install step, run once for the module."""
    runner = tmp_path_factory.mktemp("runner")
    (runner / "job").mkdir()
    job = Job(runner, runner / "job", {})
    done = job.run(ACTION["runs"]["steps"][0])
    assert done.returncode == 0, done.stderr
    return runner


def job_after_install(tmp_path: Path, repo: str, inputs: dict[str, str], runner: Path) -> Job:
    workspace = tmp_path / "checkout"
    shutil.copytree(FIXTURES / repo, workspace)
    return Job(runner, workspace, inputs)


@pytest.mark.slow
def test_the_steps_audit_summarise_set_outputs_and_fail(tmp_path: Path, installed: Path) -> None:
    job = job_after_install(tmp_path, "broken-service", {"annotations": "2"}, installed)
    _, audit, upload, fail = ACTION["runs"]["steps"]
    audited = job.run(audit)
    assert audited.returncode == 0, audited.stderr

    outputs = job.outputs["audit"]
    assert outputs["exit-code"] == "1"
    assert outputs["sarif-file"] == str(installed / "prodready.sarif")
    assert int(outputs["findings"]) == sum(int(outputs[n]) for n in ("errors", "warnings", "notes"))
    assert int(outputs["errors"]) >= 1
    log = json.loads((installed / "prodready.sarif").read_text(encoding="utf-8"))
    schema = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validate(log, schema)
    assert problems(log) == []
    assert len(log["runs"][0]["results"]) == int(outputs["findings"])

    summary = job.files["summary"].read_text(encoding="utf-8")
    assert summary.startswith(f"## prodready: Found {outputs['findings']} findings")
    assert "| error | [PC003]" in summary
    annotations = [line for line in audited.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 2

    assert "inputs.upload-sarif == 'true'" in upload["if"]
    assert job.resolve(upload["with"]["sarif_file"]) == outputs["sarif-file"]
    assert re.fullmatch(r"github/codeql-action/upload-sarif@[0-9a-f]{40}", upload["uses"])

    failed = job.run(fail)
    assert failed.returncode == 1


@pytest.mark.slow
def test_a_clean_repository_passes(tmp_path: Path, installed: Path) -> None:
    job = job_after_install(tmp_path, "sound-library", {"upload-sarif": "false"}, installed)
    _, audit, _, fail = ACTION["runs"]["steps"]
    assert job.run(audit).returncode == 0
    assert job.outputs["audit"]["findings"] == "0"
    assert job.outputs["audit"]["exit-code"] == "0"
    assert "No findings." in job.files["summary"].read_text(encoding="utf-8")
    assert job.run(fail).returncode == 0


@pytest.mark.slow
def test_quoted_arguments_and_verbose_reach_prodready(tmp_path: Path, installed: Path) -> None:
    inputs = {"args": '--select "PC003,SEC005" -v', "upload-sarif": "false"}
    job = job_after_install(tmp_path, "broken-service", inputs, installed)
    audited = job.run(ACTION["runs"]["steps"][1])
    assert audited.returncode == 0, audited.stderr
    assert job.outputs["audit"]["findings"] == "2"
    assert "rules selected" in audited.stderr  # -v said its piece


@pytest.mark.slow
def test_a_failed_audit_uploads_nothing_and_says_why(tmp_path: Path, installed: Path) -> None:
    stale = installed / "prodready.sarif"
    stale.write_text('{"runs": []}', encoding="utf-8")
    job = job_after_install(tmp_path, "sound-library", {"paths": "missing-folder"}, installed)
    _, audit, _, fail = ACTION["runs"]["steps"]
    assert job.run(audit).returncode == 2
    assert not stale.exists()
    assert job.outputs["audit"].get("sarif-file", "") == ""
    assert job.outputs["audit"]["exit-code"] == "2"
    assert "## prodready could not audit" in job.files["summary"].read_text(encoding="utf-8")
    assert job.run(fail).returncode == 2
