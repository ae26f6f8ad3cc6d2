"""The registry is the one source of rule documentation: complete, and in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from prodready.rules import catalogue
from prodready.rules.registry import SECTIONS, load_rules, rule

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
        "run: python -m prodready.rules.catalogue README.md"
    )


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
