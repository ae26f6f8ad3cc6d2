"""A bounded fuzz run, as CI runs it: a fixed seed, a few hundred mutants of real configuration
files, every rule and every fixer, no traceback, no rule crash, no file taking long.
`bench/fuzz.py` runs the same for longer."""

from __future__ import annotations

import random
from importlib import resources
from pathlib import Path

from tests.security.mutate import fuzz, seeds

ROOT = Path(__file__).resolve().parents[2]
MUTANTS = 250
SECONDS_PER_MUTANT = 5.0


def test_mutants_of_real_configuration(tmp_path: Path) -> None:
    templates = Path(str(resources.files("prodready") / "templates"))
    pool = seeds(ROOT / "tests" / "fixtures", templates, ROOT / ".github")
    for name in ("pyproject.toml", ".pre-commit-config.yaml"):
        pool.setdefault(name, []).append((ROOT / name).read_text(encoding="utf-8"))
    rng = random.Random(20261127)  # noqa: S311 - a reproducible fuzz run, not a secret
    outcome = fuzz(rng, pool, MUTANTS, SECONDS_PER_MUTANT, tmp_path)
    problems = outcome.tracebacks + outcome.crashes + outcome.slow
    assert not problems, "\n".join(problems[:20])
