"""The shape of the code: no import cycles, one project model built once, named records, one
test-path predicate, sources users can read, and output that does not depend on chance."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import typing
from pathlib import Path

import pytest

from prodready.cli import main
from tests.conftest import commit_all, write_tree

SRC = Path(__file__).resolve().parents[1] / "src" / "prodready"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, name: str) -> set[str]:
    """Every prodready module the file imports, wherever the import statement is."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {m for m in found if m == "prodready" or m.startswith("prodready.")}


def import_graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in SRC.rglob("*.py")}
    return {
        name: {m for m in _imports(path, name) if m in modules and m != name}
        for name, path in modules.items()
    }


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycles() -> None:
    cycle = _cycle(import_graph())
    assert cycle is None, " -> ".join(cycle or [])


def test_the_cycle_finder_finds_cycles() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_project_is_built_once_and_not_changed(tmp_path: Path) -> None:
    from prodready.config import Settings
    from prodready.findings import Kind
    from prodready.project import Project

    root = write_tree(tmp_path, {"pyproject.toml": '[project]\nname = "x"\nversion = "1"\n'})
    project = Project(root, Settings(kind=Kind.SERVICE, kind_reason="told"))
    assert project.kind is Kind.SERVICE
    for name in ("settings", "kind", "use_cache", "used_suppressions", "ran_codes"):
        with pytest.raises(AttributeError):
            setattr(project, name, None)


def test_source_facts_are_named_records() -> None:
    from prodready.source import records

    positional = re.compile(r"tuple\[[^\]]*,(?! \.\.\.\])")  # tuple[int, str], not tuple[str, ...]
    for record in (records.FileFacts, records.Context, records.Import, records.Suppression):
        for name, hint in typing.get_type_hints(record).items():
            if name != "min_python":  # (3, minor): a version, compared as a whole
                assert not positional.search(repr(hint)), (record.__name__, name, hint)
    assert "counts" not in records.FileFacts._fields


# Code that decides from a path whether a file is a test: a folder or file name of the test
# suite written as a string (`"tests/"`, `"/test"`, `"conftest.py"`, `startswith("test_")`).
TEST_PATH_WORDS = re.compile(
    r"""["'](?:/tests?/?|tests?/|/?testing/|/?fixtures/|conftest\.py)["']"""
    r"""|startswith\(\(?["'](?:tests?|testing|fixtures)/"""
)


def test_one_test_path_predicate() -> None:
    owners = {
        str(p.relative_to(SRC))
        for p in SRC.rglob("*.py")
        for line in p.read_text(encoding="utf-8").splitlines()
        if TEST_PATH_WORDS.search(line) and not line.lstrip().startswith(("#", '"""'))
    }
    assert owners <= {"project/paths.py"}, owners
    assert TEST_PATH_WORDS.search('if "/test" in f"/{f}"')
    assert TEST_PATH_WORDS.search('path.startswith(("tests/", "test/"))')
    assert not TEST_PATH_WORDS.search('"no tests found (no tests/ folder)"')


def test_every_rule_source_can_be_read_by_users() -> None:
    from prodready.rules import load_rules

    internal = re.compile(r"\bS[0-4]\b|\bL\d+\b|§")
    for item in load_rules().values():
        assert not internal.search(item.source), (item.code, item.source)


def test_one_finding_per_problem_two_formatters(tmp_path: Path) -> None:
    from prodready import Auditor

    root = write_tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "x"\nversion = "1"\n\n[tool.black]\nline-length = 100\n\n[tool.ruff]\nline-length = 100\n',
            ".pre-commit-config.yaml": (
                "repos:\n  - repo: https://github.com/psf/black\n    rev: 24.1.0\n    hooks:\n"
                "      - id: black\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n"
                "    rev: v0.9.0\n    hooks:\n      - id: ruff-format\n"
            ),
        },
    )
    findings = Auditor(select=["LINT005", "PC007"]).check(root).findings
    assert len(findings) == 1, findings


TIES = {
    "pyproject.toml": (
        '[project]\nname = "x"\nversion = "1"\n\n'
        '[tool.ruff.lint]\nignore = ["E203", "UP031", "E501", "B008", "PLR2004", "SIM108"]\n'
    ),
    "src/x/__init__.py": "",
}


def _run_json(args: list[str], seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-m", "prodready", "check", "--format", "json", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


def test_output_is_the_same_bytes_whatever_the_hash_seed(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "repo", TIES)
    outputs = {_run_json([str(root), "--no-cache"], seed) for seed in ("1", "2", "3", "4")}
    assert len(outputs) == 1


def test_output_is_the_same_with_or_without_pool_and_cache(tmp_path: Path) -> None:
    first = write_tree(tmp_path / "a", TIES)
    second = write_tree(tmp_path / "b", {**TIES, "tests/test_x.py": "def test_x():\n    pass\n"})
    commit_all(second)
    together = _run_json([str(first), str(second)], "5")
    cold = _run_json([str(first), str(second), "--no-cache"], "6")
    one = _run_json([str(first)], "7")
    two = _run_json([str(second)], "8")
    assert together == cold
    import json

    merged = json.loads(together)["repositories"]
    assert merged == json.loads(one)["repositories"] + json.loads(two)["repositories"]


def test_findings_are_totally_ordered(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from prodready.findings import Finding, Severity

    a = Finding("LINT004", Severity.INFO, "b", "p", 1, 1)
    b = Finding("LINT004", Severity.INFO, "a", "p", 1, 1)
    assert sorted([a, b], key=Finding.sort_key) == [b, a]
    root = write_tree(tmp_path / "repo", TIES)
    main(["check", str(root), "--select", "LINT004", "--format", "json"])
    import json

    messages = [
        f["message"] for f in json.loads(capsys.readouterr().out)["repositories"][0]["findings"]
    ]
    assert messages == sorted(messages)
