"""Plug-in rules: found through the `prodready.rules` entry-point group, given the narrow
`ProjectView`, and reported like prodready's own rules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import write_tree

PLUGIN = '''
from prodready import ProjectView, Violation, rule


@rule("ACME001", "internal-index", severity="E", source="ACME packaging policy")
def internal_index(project: ProjectView):
    """Packages are published to the internal index.

    ## What it does
    Reports a workflow that uploads to pypi.org.

    ## Why it matters
    Our packages are private.

    ## Example
    ```yaml
    - run: twine upload dist/*
    ```

    ## Use instead
    ```yaml
    - run: twine upload --repository-url https://pypi.acme.internal dist/*
    ```

    ## Fix
    Point the upload at the internal index.
    """
    assert not hasattr(project, "packaging")  # the view, not the internal model
    for path in project.files:
        text = project.read(path) if path.startswith(".github/workflows/") else None
        if text and "twine upload dist" in text:
            yield Violation(f"uploads to pypi.org ({project.kind.value}, "
                            f"{project.metadata.get('name')})", path, 3, 1)
'''


def test_a_plugin_rule_runs_on_the_view(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_tree(
        site,
        {
            "acme_rules.py": textwrap.dedent(PLUGIN),
            "acme_rules-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: acme-rules\nVersion: 1.0\n",
            "acme_rules-1.0.dist-info/entry_points.txt": "[prodready.rules]\nacme = acme_rules\n",
        },
    )
    repo = write_tree(
        tmp_path / "repo",
        {
            "pyproject.toml": '[project]\nname = "shop"\nversion = "1"\n',
            ".github/workflows/release.yml": "on: push\njobs:\n  - run: twine upload dist/*\n",
        },
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    command = [sys.executable, "-m", "prodready", "check", str(repo), "--format", "json"]
    done = subprocess.run(
        [*command, "--select", "ACME"], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 1, done.stderr
    findings = json.loads(done.stdout)["repositories"][0]["findings"]
    assert [(f["code"], f["path"], f["message"]) for f in findings] == [
        ("ACME001", ".github/workflows/release.yml", "uploads to pypi.org (library, shop)")
    ]
    explained = subprocess.run(
        [sys.executable, "-m", "prodready", "rule", "ACME001"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert "## Why it matters" in explained.stdout
    assert "Source: ACME packaging policy" in explained.stdout
