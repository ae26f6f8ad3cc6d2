"""The one place prodready's version is written."""

__version__ = "0.1.0"
