"""Walking GitHub Actions workflows: their triggers, jobs and steps, tolerant of bad shapes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from prodready.project import Project
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


def workflows(p: Project) -> Iterator[YamlDoc]:
    """Every workflow that parsed to a mapping."""
    for path in p.workflow_paths:
        doc = p.workflow(path)
        if doc is not None and isinstance(doc.data, dict):
            yield doc


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


def steps(p: Project) -> Iterator[Step]:
    """Every step of every job of every workflow."""
    for doc in workflows(p):
        for job_id, job in jobs(doc):
            listed = job.get("steps")
            for index, step in enumerate(listed if isinstance(listed, list) else []):
                if isinstance(step, dict):
                    yield Step(doc, job_id, index, step)
