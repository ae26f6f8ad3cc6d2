"""`python -m prodready`."""

from prodready.cli import entry

entry()
