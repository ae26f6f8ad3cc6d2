"""GHA009's unsafe fix: trusted publishing in place of the token handed to the publish action.

The fixed workflow keeps its comments, validates against GitHub's workflow schema and passes
zizmor; the fix runs only with --unsafe-fixes, a second run changes nothing and --diff writes
nothing."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from prodready import Auditor
from prodready.cli import main
from tests.conftest import commit_all, write_tree

CHECKOUT = "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683  # v4.2.2"
PUBLISH = "pypa/gh-action-pypi-publish@76f52bc884231f62b9a034ebfe128415bbaabdfc  # v1.12.4"
# reduced from peewee's wheels.yaml and flask-login's publish-release.yml
WORKFLOW = f"""name: publish
on:
  release:
    types: [published]
permissions:
  contents: read
jobs:
  publish:
    runs-on: ubuntu-latest  # the publishing job
    steps:
      - uses: {CHECKOUT}
        with:
          persist-credentials: false
      - run: pipx run build
      # upload what was built
      - uses: {PUBLISH}
        with:
          user: __token__
          password: ${{{{ secrets.PYPI_API_TOKEN }}}}
          skip-existing: true  # re-runs
"""
FIXED = f"""name: publish
on:
  release:
    types: [published]
permissions:
  contents: read
jobs:
  publish:
    runs-on: ubuntu-latest  # the publishing job
    permissions:
      contents: read
      id-token: write
    steps:
      - uses: {CHECKOUT}
        with:
          persist-credentials: false
      - run: pipx run build
      # upload what was built
      - uses: {PUBLISH}
        with:
          skip-existing: true  # re-runs
"""
JOB_PERMISSIONS = WORKFLOW.replace(
    "    runs-on: ubuntu-latest  # the publishing job\n",
    "    runs-on: ubuntu-latest  # the publishing job\n    permissions:\n      contents: read\n",
).replace("          skip-existing: true  # re-runs\n", "")


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p): p.read_bytes() for p in root.rglob("*") if p.is_file() and ".git" not in p.parts
    }


def found(root: Path) -> list[str]:
    return [f.message for f in Auditor(select=["GHA009"], use_cache=False).check(root).findings]


def validate(path: Path) -> None:
    """The workflow still validates against GitHub's schema and zizmor finds nothing."""
    bin_dir = Path(sys.executable).parent
    schema = shutil.which("check-jsonschema", path=str(bin_dir)) or shutil.which("check-jsonschema")
    zizmor = shutil.which("zizmor", path=str(bin_dir)) or shutil.which("zizmor")
    if schema is None or zizmor is None:
        pytest.skip("check-jsonschema and zizmor come with the dev extra")
    subprocess.run(
        [schema, "--builtin-schema", "vendor.github-workflows", str(path)],
        check=True,
        capture_output=True,
    )
    done = subprocess.run(
        [zizmor, "--offline", str(path)], check=False, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (WORKFLOW, FIXED),
        (
            JOB_PERMISSIONS,
            FIXED.replace("          skip-existing: true  # re-runs\n", "")
            .replace("        with:\n          \n", "")
            .replace(f"      - uses: {PUBLISH}\n        with:\n", f"      - uses: {PUBLISH}\n"),
        ),
    ],
    ids=["workflow-permissions-copied", "job-permissions-extended"],
)
def test_gha009_trusted_publishing_fix(tmp_path: Path, before: str, after: str) -> None:
    root = write_tree(tmp_path / "r", {".github/workflows/publish.yml": before})
    commit_all(root)
    path = root / ".github/workflows/publish.yml"
    assert found(root)
    main(["fix", "--select", "GHA009", str(root)])
    assert path.read_text() == before  # unsafe: not by default
    snap = snapshot(root)
    assert main(["fix", "--select", "GHA009", "--unsafe-fixes", "--diff", str(root)]) == 1
    assert snapshot(root) == snap, "--diff wrote something"
    main(["fix", "--select", "GHA009", "--unsafe-fixes", str(root)])
    assert path.read_text() == after
    assert found(root) == []
    main(["fix", "--select", "GHA009", "--unsafe-fixes", str(root)])
    assert path.read_text() == after
    validate(path)
