"""The registry is the one source of rule documentation: complete, and in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from prodready import catalogue
from prodready.rules import SECTIONS, load_rules, rule

ROOT = Path(__file__).resolve().parents[1]
RULES = load_rules()


@pytest.mark.parametrize("code", list(RULES))
def test_every_rule_is_documented_in_fixed_sections(code: str) -> None:
    item = RULES[code]
    assert item.summary.endswith(".")
    assert item.source
    assert list(item.docs) == list(SECTIONS), code
    assert all(item.docs[s] for s in SECTIONS)
    assert "```" in item.docs["Example"]
    assert "```" in item.docs["Use instead"]


def test_readme_rule_list_is_generated_from_the_registry() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert catalogue.render_into(readme, RULES) == readme, (
        "run: python -m prodready.catalogue README.md"
    )


def test_every_rule_has_its_generated_page() -> None:
    folder = ROOT / "docs" / "rules"
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.md")}
    assert on_disk == catalogue.pages(RULES), "run: python -m prodready.catalogue README.md"


def test_every_code_in_rules_md_scope_is_registered() -> None:
    expected = {
        *(f"PKG{n:03}" for n in range(1, 15)),
        *(f"DEP{n:03}" for n in (1, 2, 3, 4, 5, 6, 10, 11)),
        *(f"LINT{n:03}" for n in range(1, 9)),
        *(f"TYPE{n:03}" for n in range(1, 6)),
        *(f"TEST{n:03}" for n in range(1, 7)),
        *(f"PC{n:03}" for n in range(1, 11)),
        *(f"SEC{n:03}" for n in (1, 2, 4, 5, 6, 7, 8)),
        *(f"CI{n:03}" for n in range(1, 9)),
        *(f"DOC{n:03}" for n in range(1, 6)),
        "GIT001",
        "GIT002",
        "APP001",
        "APP002",
        "APP003",
    }
    assert expected <= set(RULES)


def test_codes_are_well_formed_and_registration_guards() -> None:
    assert all(re.fullmatch(r"[A-Z]+\d{3}", code) for code in RULES)
    with pytest.raises(ValueError, match="registered twice"):
        rule("PKG001", "again")(lambda p: [])
    with pytest.raises(ValueError, match="three digits"):
        rule("PKG1", "short")
    with pytest.raises(ValueError, match="tool:check"):
        rule("PKG999", "odd", peers=("zizmor template-injection",))


def test_extension_points_list_their_modules_and_nothing_else() -> None:
    from prodready.commands import COMMANDS
    from prodready.report import FORMATS
    from prodready.scaffold.kinds import KINDS
    from prodready.score.tools import TOOLS

    for registry in (COMMANDS, FORMATS, KINDS, TOOLS):
        assert tuple(registry.load()) == registry.names() or set(registry.load()) == set(
            registry.names()
        ), registry.package
    families = {code.rstrip("0123456789").lower() for code in RULES}
    from prodready.rules import RULES as RULE_REGISTRY

    assert set(RULE_REGISTRY.modules()) == families
    for code, item in RULES.items():
        assert item.check.__module__ == f"prodready.rules.{item.family.lower()}", code


def test_cli_choices_come_from_the_registries() -> None:
    from prodready.cli import build_parser
    from prodready.report import FORMATS
    from prodready.scaffold.kinds import ALIASES, KINDS
    from prodready.score.tools import TOOLS

    parser = build_parser()
    actions = {
        name: {a.dest: a for a in sub._actions}
        for name, sub in parser._subparsers._group_actions[0].choices.items()  # type: ignore[union-attr]
    }
    assert tuple(actions["check"]["format"].choices) == FORMATS.names()
    assert tuple(actions["fix"]["format"].choices) == FORMATS.names()
    assert tuple(actions["new"]["kind"].choices) == (*KINDS.names(), *ALIASES)
    assert all(name in (actions["score"]["only"].help or "") for name in TOOLS.names())


def test_scorecard_targets_come_from_the_tools() -> None:
    from prodready.score.card import default_targets
    from prodready.score.tools import load_tools

    declared = [m.name for t in load_tools().values() for m in t.metrics if m.target is not None]
    assert list(default_targets()) == declared


def test_a_registry_finds_a_new_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from prodready.registry import Registry

    package = tmp_path / "myformats"
    package.mkdir()
    (package / "__init__.py").write_text(
        "from prodready.registry import Registry\nREG = Registry('myformats', 'format', one_per_module=True)\n"
    )
    (package / "csv_table.py").write_text("from myformats import REG\nREG.add('csv-table', 42)\n")
    (package / "_helpers.py").write_text("raise RuntimeError('a private module is not loaded')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import importlib

    registry: Registry[int] = importlib.import_module("myformats").REG
    assert registry.names() == ("csv-table",)
    assert registry.get("csv-table") == 42
    with pytest.raises(Exception, match="unknown format 'csv' \\(known: csv-table\\)"):
        registry.get("csv")
