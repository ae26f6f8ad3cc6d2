"""The GitHub Actions read model: workflows, their triggers, jobs and steps, tolerant of bad shapes."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import Any, NamedTuple

from prodready.project.repository import Repository
from prodready.project.yamldoc import YamlDoc


class Step(NamedTuple):
    """One step of one job, with the document it came from for locating findings."""

    doc: YamlDoc
    job: str
    position: int
    data: dict[str, Any]

    @property
    def run(self) -> str:
        """The shell script of a `run:` step ('' for `uses:` steps)."""
        return str(self.data.get("run", ""))

    @property
    def uses(self) -> str:
        """The action of a `uses:` step ('' for `run:` steps)."""
        return str(self.data.get("uses", ""))

    @property
    def line(self) -> int | None:
        """The line where the step starts."""
        return self.doc.line_of("jobs", self.job, "steps", self.position)


class Workflows:
    """The repository's GitHub Actions workflows."""

    def __init__(self, repo: Repository) -> None:
        self._repo = repo

    @cached_property
    def paths(self) -> list[str]:
        """Workflow files under `.github/workflows/`."""
        return self._repo.glob(".github/workflows/*.yml", ".github/workflows/*.yaml")

    def doc(self, path: str) -> YamlDoc | None:
        """One parsed workflow (None when it cannot be read)."""
        return self._repo.yaml(path)

    @cached_property
    def docs(self) -> list[YamlDoc]:
        """Every workflow that parsed to a mapping."""
        found = (self.doc(path) for path in self.paths)
        return [doc for doc in found if doc is not None and isinstance(doc.data, dict)]

    @cached_property
    def steps(self) -> list[Step]:
        """Every step of every job of every workflow."""
        found: list[Step] = []
        for doc in self.docs:
            for job_id, job in jobs(doc):
                listed = job.get("steps")
                for index, step in enumerate(listed if isinstance(listed, list) else []):
                    if isinstance(step, dict):
                        found.append(Step(doc, job_id, index, step))
        return found


def triggers(doc: YamlDoc) -> set[str]:
    """The events that start a workflow (YAML 1.1 reads the `on` key as `true`)."""
    data = doc.data if isinstance(doc.data, dict) else {}
    on = data.get("on", data.get(True))
    if isinstance(on, str):
        return {on}
    if isinstance(on, list | dict):
        return {str(event) for event in on}
    return set()


def jobs(doc: YamlDoc) -> Iterator[tuple[str, dict[str, Any]]]:
    """(job id, job mapping) for every well-formed job."""
    data = doc.data if isinstance(doc.data, dict) else {}
    table = data.get("jobs")
    for job_id, job in table.items() if isinstance(table, dict) else []:
        if isinstance(job, dict):
            yield str(job_id), job
