"""Errors that end a command with a message rather than a traceback (exit code 2)."""

from __future__ import annotations


class ProdreadyError(Exception):
    """A problem the user can act on: bad usage, bad configuration, an unreadable path."""


class ConfigError(ProdreadyError):
    """`[tool.prodready]` or a command-line option does not hold what it must."""


class UsageError(ProdreadyError):
    """A command was called with arguments that cannot work."""
