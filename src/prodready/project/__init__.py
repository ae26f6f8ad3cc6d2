"""The read model of one repository: files, parsed configuration, packaging and tool facts."""

from prodready.project.model import Project

__all__ = ["Project"]
