"""Generate `src/prodready/data/service-requirements.txt`: the hash-pinned lock of the run-time
dependencies of a `prodready new --kind service` project, which its Dockerfile installs with
`pip install --require-hashes` (never typed by hand).

Usage:
    python scripts/service_lock.py

The service kind's dependencies (`scaffold/kinds/service.py`) are resolved by
`uv pip compile --universal --generate-hashes` for every platform and every Python from the
oldest the templates support, so one file serves the image and any developer machine. The
header names the command a project runs to refresh its own copy from its `pyproject.toml`; with
the pins of the existing file as preferences, that command reproduces this file exactly, which
the generated project's CI checks.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "prodready" / "data" / "service-requirements.txt"
sys.path.insert(0, str(ROOT / "src"))

from prodready.scaffold.kinds import KINDS, PYTHON  # noqa: E402

# The command a generated service runs to refresh the lock (also in its README and CI).
OPTIONS = ["--universal", "--generate-hashes", "--no-annotate", "--quiet"]
REFRESH = f"uv pip compile pyproject.toml {' '.join(OPTIONS[:3])} -o requirements.txt"


def main() -> int:
    """Resolve the service's dependencies and write the lock."""
    uv = shutil.which("uv") or str(Path(sys.executable).with_name("uv"))
    dependencies = KINDS.get("service").dependencies
    with tempfile.TemporaryDirectory() as tmp:
        listed = Path(tmp) / "requirements.in"
        listed.write_text("\n".join(dependencies) + "\n", encoding="utf-8")
        subprocess.run(
            [
                uv,
                "pip",
                "compile",
                str(listed),
                *OPTIONS,
                "--python-version",
                f"{PYTHON[0]}.{PYTHON[1]}",
                "--custom-compile-command",
                REFRESH,
                "-o",
                str(OUT),
            ],
            check=True,
        )
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
