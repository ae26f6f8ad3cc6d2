"""A bounded fuzz run, as CI runs it: a fixed seed, a few hundred mutants of real configuration
files, every rule and every fixer, no traceback, no rule crash, no file taking long.
`bench/fuzz.py` runs the same for longer."""

from __future__ import annotations

import random
import re
import shutil
import time
from importlib import resources
from pathlib import Path

from prodready.auditor import Auditor
from prodready.edits.engine import plan
from prodready.errors import ProdreadyError
from tests.conftest import write_tree
from tests.security.mutate import mutant, seeds

ROOT = Path(__file__).resolve().parents[2]
MUTANTS = 250
# A fixer may refuse a shape it does not edit (ValueError, with the reason); these are bugs.
BUG = re.compile(r"\b(AttributeError|KeyError|IndexError|TypeError|NameError)\b")
SECONDS_PER_MUTANT = 5.0


def test_mutants_of_real_configuration(tmp_path: Path) -> None:
    templates = Path(str(resources.files("prodready") / "templates"))
    pool = seeds(ROOT / "tests" / "fixtures", templates, ROOT / ".github")
    pool.setdefault("pyproject.toml", []).append((ROOT / "pyproject.toml").read_text())
    pool.setdefault(".pre-commit-config.yaml", []).append(
        (ROOT / ".pre-commit-config.yaml").read_text()
    )
    rng = random.Random(20261127)  # noqa: S311 - a reproducible fuzz run, not a secret
    auditor = Auditor(use_cache=False)
    problems: list[str] = []
    for number in range(MUTANTS):
        root = tmp_path / f"m{number}"
        files = mutant(rng, pool)
        write_tree(root, {name: text.replace("<<", "{{") for name, text in files.items()})
        start = time.perf_counter()
        try:
            audit = auditor.audit(root)
            fixes = plan(audit.project, audit.report.findings, unsafe=True)
        except ProdreadyError:
            continue  # a configuration error: one line and exit 2 on the command line
        except Exception as exc:
            problems.append(f"mutant {number}: {type(exc).__name__}: {exc}")
            continue
        seconds = time.perf_counter() - start
        problems += [f"mutant {number}: {e}" for e in audit.report.errors]
        problems += [f"mutant {number}: {f}" for f in fixes.failures if BUG.search(f)]
        if seconds > SECONDS_PER_MUTANT:
            problems.append(f"mutant {number}: {seconds:.1f} s")
        shutil.rmtree(root)
    assert not problems, "\n".join(problems[:20])
