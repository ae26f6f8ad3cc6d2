"""Checking a new project's name: a valid distribution name whose import name is a valid,
unclaimed Python identifier."""

from __future__ import annotations

import keyword
import re

from prodready.errors import UsageError
from prodready.source.modules import STDLIB

MAX_NAME = 100
DISTRIBUTION = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.I)


def project_names(raw: str) -> tuple[str, str]:
    """(distribution name, import package name) for NAME, or a UsageError saying why not."""
    name = raw.strip()
    if not name:
        raise UsageError("the project name is empty")
    if len(name) > MAX_NAME:
        raise UsageError(f"the project name is longer than {MAX_NAME} characters")
    if "/" in name or "\\" in name or ".." in name:
        raise UsageError(f"{raw!r} is a path, not a name: use --dir to choose the folder")
    if not DISTRIBUTION.match(name):
        raise UsageError(
            f"{raw!r} is not a valid project name: use letters, digits, '-', '_' and '.', "
            "starting and ending with a letter or digit"
        )
    distribution = re.sub(r"[-_.]+", "-", name).lower()
    package = distribution.replace("-", "_")
    if not package.isidentifier() or package[0].isdigit():
        raise UsageError(f"{raw!r} gives the package name {package!r}, which Python cannot import")
    if keyword.iskeyword(package) or keyword.issoftkeyword(package):
        raise UsageError(f"{raw!r} gives the package name {package!r}, a Python keyword")
    if package in STDLIB:
        raise UsageError(
            f"{raw!r} gives the package name {package!r}, which the standard library already uses"
        )
    return distribution, package
