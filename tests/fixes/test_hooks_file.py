"""The hooks this repository offers to other projects' pre-commit configurations."""

from __future__ import annotations

from pathlib import Path

import yaml

HOOKS = Path(__file__).parents[2] / ".pre-commit-hooks.yaml"


def test_hooks_run_check_and_fix_on_the_whole_repository() -> None:
    hooks = {hook["id"]: hook for hook in yaml.safe_load(HOOKS.read_text())}
    assert hooks["prodready"]["entry"] == "prodready check"
    assert hooks["prodready-fix"]["entry"] == "prodready fix"
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is False  # the audit is of a repository, not of files
