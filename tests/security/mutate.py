"""Mutants of real configuration files, for fuzzing the audit: structural changes (a value of the
wrong type, a key dropped, a table doubled, deep nesting, YAML aliases) and textual ones (a
line cut, duplicated or broken, bytes flipped, a stray quote or bracket)."""

from __future__ import annotations

import random
import re
import shutil
import time
from pathlib import Path
from typing import Any, NamedTuple

import tomlkit
import yaml

# Configuration files prodready reads, by the path they take in a mutant repository.
CONFIG_NAMES = (
    "pyproject.toml",
    ".pre-commit-config.yaml",
    ".github/workflows/ci.yml",
    ".github/dependabot.yml",
    "setup.cfg",
    "tox.ini",
    "mypy.ini",
    ".gitignore",
    "requirements.txt",
    "Dockerfile",
    ".prodready-template.toml",
)

ODD_VALUES: list[Any] = [
    0,
    -1,
    10**30,
    3.5,
    True,
    "",
    "x" * 300,
    "\x00\x1b[2K",
    "../../etc/passwd",
    "${{ github.event.issue.title }}",
    [],
    [1, "a", None],
    {},
    {"a": {"b": {"c": [1]}}},
    None,
]
TEXT_BITS = [
    "[",
    "]]",
    "{",
    "}",
    '"',
    "'''",
    '"""',
    "\\",
    "&a",
    "*a",
    "<<: *a",
    "- ",
    ": ",
    "\t",
    "#",
    "=",
    ",",
    "\ufeff",
    "\x00",
]


def seeds(*folders: Path) -> dict[str, list[str]]:
    """Real files to mutate, by the name they take: every configuration file of the folders."""
    found: dict[str, list[str]] = {}
    for folder in folders:
        for name in CONFIG_NAMES:
            for path in folder.rglob(Path(name).name):
                if path.is_file() and not path.is_symlink() and path.stat().st_size < 200_000:
                    try:
                        found.setdefault(name, []).append(path.read_text(encoding="utf-8"))
                    except (OSError, UnicodeDecodeError):
                        continue
    return found


def _mutate_data(rng: random.Random, node: Any, depth: int = 0) -> Any:
    if isinstance(node, dict) and node:
        key = rng.choice(list(node))
        roll = rng.random()
        if roll < 0.25:
            node.pop(key)
        elif roll < 0.6:
            node[key] = rng.choice(ODD_VALUES)
        else:
            node[key] = _mutate_data(rng, node[key], depth + 1)
        return node
    if isinstance(node, list) and node:
        index = rng.randrange(len(node))
        if rng.random() < 0.5:
            node[index] = rng.choice(ODD_VALUES)
        else:
            node[index] = _mutate_data(rng, node[index], depth + 1)
        return node
    return rng.choice(ODD_VALUES)


def _structural(rng: random.Random, name: str, text: str) -> str | None:
    try:
        if name.endswith(".toml"):
            data = tomlkit.parse(text).unwrap()
            mutated = _mutate_data(rng, data)
            return tomlkit.dumps(_no_none(mutated)) if isinstance(mutated, dict) else None
        if name.endswith((".yaml", ".yml")):
            data = yaml.safe_load(text)
            return yaml.safe_dump(_mutate_data(rng, data), sort_keys=False)
    except Exception:
        return None
    return None


def _no_none(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _no_none(v) for k, v in node.items() if v is not None}
    if isinstance(node, list):
        return [_no_none(v) for v in node if v is not None]
    return node


def _textual(rng: random.Random, text: str) -> str:
    lines = text.splitlines(keepends=True) or [""]
    for _ in range(rng.randint(1, 4)):
        index = rng.randrange(len(lines))
        roll = rng.random()
        if roll < 0.2:
            lines.pop(index)
            lines = lines or [""]
        elif roll < 0.4:
            lines.insert(index, lines[index] * rng.randint(2, 50))
        elif roll < 0.7:
            line = lines[index]
            at = rng.randrange(len(line) + 1)
            lines[index] = line[:at] + rng.choice(TEXT_BITS) + line[at:]
        elif roll < 0.85:
            lines[index] = "  " * rng.randint(0, 200) + lines[index]
        else:
            lines.insert(index, "[" * rng.randint(1, 1200) + "\n")
    return "".join(lines)


def mutant(rng: random.Random, pool: dict[str, list[str]]) -> dict[str, str]:
    """One repository: a few seed files, one or more of them mutated."""
    names = rng.sample(sorted(pool), k=min(len(pool), rng.randint(1, 4)))
    files = {name: rng.choice(pool[name]) for name in names}
    for name in rng.sample(names, k=rng.randint(1, len(names))):
        structural = _structural(rng, name, files[name]) if rng.random() < 0.5 else None
        files[name] = structural if structural is not None else _textual(rng, files[name])
    files.setdefault("src/pkg/__init__.py", "")
    return files


class Outcome(NamedTuple):
    """What a fuzz run found: tracebacks (an exception out of the audit or a fixer bug), rule
    crashes, mutants slower than the budget, configuration errors (exit 2), the slowest time."""

    tracebacks: list[str]
    crashes: list[str]
    slow: list[str]
    config_errors: int
    slowest: float


# A fixer may refuse a shape it does not edit (ValueError, with the reason); these are bugs.
BUG = re.compile(r"\b(AttributeError|KeyError|IndexError|TypeError|NameError)\b")


def fuzz(
    rng: random.Random, pool: dict[str, list[str]], count: int, budget: float, scratch: Path
) -> Outcome:
    """Audit `count` mutants with every rule (no cache) and plan every fix, unsafe ones too."""
    from prodready.auditor import Auditor
    from prodready.edits.engine import plan
    from prodready.errors import ProdreadyError
    from tests.conftest import write_tree

    auditor = Auditor(use_cache=False)
    outcome = Outcome([], [], [], 0, 0.0)
    config_errors, slowest = 0, 0.0
    for number in range(count):
        root = scratch / f"m{number}"
        files = mutant(rng, pool)
        write_tree(root, {name: text.replace("<<", "{{") for name, text in files.items()})
        start = time.perf_counter()
        try:
            audit = auditor.audit(root)
            fixes = plan(audit.project, audit.report.findings, unsafe=True)
        except ProdreadyError:
            config_errors += 1
            continue
        except Exception as exc:
            outcome.tracebacks.append(f"mutant {number}: {type(exc).__name__}: {exc}")
            continue
        finally:
            shutil.rmtree(root)
        seconds = time.perf_counter() - start
        slowest = max(slowest, seconds)
        outcome.crashes.extend(f"mutant {number}: {e}" for e in audit.report.errors)
        outcome.tracebacks.extend(f"mutant {number}: {f}" for f in fixes.failures if BUG.search(f))
        if seconds > budget:
            outcome.slow.append(f"mutant {number}: {seconds:.1f} s")
    return outcome._replace(config_errors=config_errors, slowest=slowest)
