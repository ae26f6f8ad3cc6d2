"""The GitHub Actions read model: workflows, their triggers, jobs and steps, tolerant of bad shapes."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from functools import cached_property
from typing import Any, NamedTuple

from prodready.project.expressions import fenced
from prodready.project.repository import Repository
from prodready.project.yamldoc import YamlDoc

# Actions that run one of their inputs as code (the `${{ }}` in it is expanded first), from
# CodeQL's models of injection sinks as zizmor carries them.
SCRIPT_INPUTS: dict[str, tuple[str, ...]] = {
    "actions/github-script": ("script",),
    "appleboy/ssh-action": ("script",),
    "azure/cli": ("inlinescript",),
    "azure/powershell": ("inlinescript",),
    "mikefarah/yq": ("cmd",),
    "sergeysova/jq-action": ("cmd",),
    "amadevus/pwsh-script": ("script",),
    "jannekem/run-python-script-action": ("script",),
    "cardinalby/js-eval-action": ("expression",),
    "addnab/docker-run-action": ("options", "run"),
}
ACTION_FILES = ("action.yml", "action.yaml")


class Step(NamedTuple):
    """One step of one job (or of a composite action, whose `job` is ''), with the document it
    came from for locating findings."""

    doc: YamlDoc
    job: str
    position: int
    data: dict[str, Any]
    keys: tuple[str | int, ...] = ()  # where the step is in `doc` when not a job's step

    @property
    def path(self) -> tuple[str | int, ...]:
        """The key path of the step in its document."""
        return self.keys or ("jobs", self.job, "steps", self.position)

    @property
    def in_action(self) -> bool:
        """True for a step of a composite action."""
        return bool(self.keys)

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
        return self.doc.line_of(*self.path)

    @property
    def env(self) -> dict[str, Any]:
        """The step's own `env:`."""
        env = self.data.get("env")
        return env if isinstance(env, dict) else {}

    @property
    def with_(self) -> dict[str, Any]:
        """The step's `with:` inputs."""
        options = self.data.get("with")
        return options if isinstance(options, dict) else {}

    @property
    def action(self) -> str:
        """The action of a `uses:` step without its ref, lower case (`actions/checkout`)."""
        return self.uses.partition("@")[0].lower().rstrip("/")


class Expression(NamedTuple):
    """One `${{ ... }}` written in a document, with the line it is on (inside a block scalar,
    the line of the expression itself, not of the key)."""

    inner: str  # the expression between the braces
    raw: str  # `${{ ... }}` as written
    offset: int  # where `raw` starts in the document's text
    line: int


class Script(NamedTuple):
    """Code GitHub expands expressions into before running it: a step's `run:` or an input of
    an action that runs it (`actions/github-script`'s `script:`)."""

    step: Step
    keys: tuple[str | int, ...]  # the key path of the script in the step's document
    text: str
    expressions: list[Expression]

    @property
    def is_run(self) -> bool:
        """True for a `run:` script (a shell's), False for an action's input."""
        return self.keys[-1] == "run"


class Call(NamedTuple):
    """A use of a local reusable workflow (a job's `uses:`) or composite action (a step's)."""

    doc: YamlDoc  # the calling workflow or action
    job: str
    target: str  # the called file
    with_: dict[str, Any]


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

    @cached_property
    def calls(self) -> list[Call]:
        """Every use of a local reusable workflow or composite action, from workflows and from
        the local actions themselves."""
        found: list[Call] = []
        for doc in self.docs:
            for job_id, job in jobs(doc):
                target = local_target(str(job.get("uses", "")), self._repo.file_set)
                if target is not None:
                    options = job.get("with")
                    found.append(
                        Call(doc, job_id, target, options if isinstance(options, dict) else {})
                    )
        for step in self.steps + self.action_steps:
            target = local_target(step.uses, self._repo.file_set)
            if target is not None:
                found.append(Call(step.doc, step.job, target, step.with_))
        return found

    @cached_property
    def actions(self) -> list[YamlDoc]:
        """The repository's composite actions: its own root `action.yml`, those under
        `.github/actions/`, and every local action a workflow or action uses."""
        paths = [*self._repo.glob(*(f".github/actions/*/{name}" for name in ACTION_FILES))]
        paths += [name for name in ACTION_FILES if self._repo.exists(name)]
        pending = [step.uses for step in self.steps]
        seen: set[str] = set()
        docs: list[YamlDoc] = []
        while paths or pending:
            if not paths:
                target = local_target(pending.pop(), self._repo.file_set)
                if target is not None and not target.startswith(".github/workflows/"):
                    paths.append(target)
                continue
            path = paths.pop()
            if path in seen:
                continue
            seen.add(path)
            doc = self._repo.yaml(path)
            if doc is None or not isinstance(doc.data, dict):
                continue
            docs.append(doc)
            for _, data in composite_steps(doc):
                pending.append(str(data.get("uses", "")))
        return sorted(docs, key=lambda d: d.path)

    @cached_property
    def action_steps(self) -> list[Step]:
        """Every step of every local composite action."""
        return [
            Step(doc, "", index, data, ("runs", "steps", index))
            for doc in self.actions
            for index, data in composite_steps(doc)
        ]

    @cached_property
    def scripts(self) -> list[Script]:
        """Every script of every step, of workflows and of local composite actions."""
        found: list[Script] = []
        for step in self.steps + self.action_steps:
            if "run" in step.data:
                keys: list[tuple[str | int, ...]] = [(*step.path, "run")]
            else:
                names = SCRIPT_INPUTS.get(step.action, ())
                keys = [
                    (*step.path, "with", key)
                    for key in step.with_
                    if isinstance(key, str) and key.lower() in names
                ]
            for where in keys:
                last = str(where[-1])
                value = step.data.get("run") if last == "run" else step.with_.get(last)
                if isinstance(value, str):
                    found.append(Script(step, where, value, expressions_at(step.doc, *where)))
        return found

    def callers_of(self, path: str) -> list[Call]:
        """The local uses of a reusable workflow or composite action."""
        return [call for call in self.calls if call.target == path]

    def effective_triggers(self, doc: YamlDoc, depth: int = 0) -> set[str]:
        """The events a workflow or action runs for: a workflow's own triggers, with those of
        the local workflows that call it when it is reusable (`workflow_call`); an action's are
        those of the workflows that use it."""
        own = triggers(doc) if not is_action(doc) else set()
        if depth > 4 or (own and "workflow_call" not in own):
            return own
        for call in self.callers_of(doc.path):
            own |= self.effective_triggers(call.doc, depth + 1)
        return own


def local_target(uses: str, files: frozenset[str]) -> str | None:
    """The file a local `uses: ./…` names: a workflow file, or the action file of a folder."""
    if not uses.startswith("./"):
        return None
    path = posixpath.normpath(uses[2:].partition("@")[0] or ".").strip("/")
    if path.startswith(".."):
        return None
    if path.endswith((".yml", ".yaml")):
        return path if path in files else None
    for name in ACTION_FILES:
        candidate = name if path == "." else f"{path}/{name}"
        if candidate in files:
            return candidate
    return None


def is_action(doc: YamlDoc) -> bool:
    """True for an action's definition (`action.yml`), not a workflow."""
    return doc.path.rpartition("/")[2] in ACTION_FILES


def composite_steps(doc: YamlDoc) -> Iterator[tuple[int, dict[str, Any]]]:
    """(position, step) of a composite action's steps."""
    data = doc.data if isinstance(doc.data, dict) else {}
    runs = data.get("runs")
    listed = runs.get("steps") if isinstance(runs, dict) else None
    for index, step in enumerate(listed if isinstance(listed, list) else []):
        if isinstance(step, dict):
            yield index, step


def expressions_at(doc: YamlDoc, *keys: str | int) -> list[Expression]:
    """The expressions written in the scalar at a key path, each with its own line."""
    import yaml

    node = doc.node_at(*keys)
    if not isinstance(node, yaml.ScalarNode):
        return []
    start, end = node.start_mark.index, node.end_mark.index
    raw = doc.text[start:end]
    first_line = node.start_mark.line + 1
    return [
        Expression(inner, f"${{{{{inner}}}}}", start + at, first_line + raw.count("\n", 0, at))
        for at, inner in fenced(raw)
    ]


def workflow_env(doc: YamlDoc) -> dict[str, Any]:
    """The workflow's top-level `env:`."""
    data = doc.data if isinstance(doc.data, dict) else {}
    env = data.get("env")
    return env if isinstance(env, dict) else {}


def job_of(step: Step) -> dict[str, Any]:
    """The mapping of a step's job ({} for a composite action's step)."""
    return {} if step.in_action else dict(jobs(step.doc)).get(step.job, {})


def env_value(step: Step, name: str) -> Any:
    """The value of an environment variable as `env:` sets it for a step (the step's own, then
    its job's, then the workflow's), or None when no `env:` sets it. Names compare exactly,
    as the runner's environment does."""
    job_env = job_of(step).get("env")
    for env in (step.env, job_env if isinstance(job_env, dict) else {}, workflow_env(step.doc)):
        if name in env:
            return env[name]
    return None


def shell_of(step: Step) -> str:
    """The shell a `run:` step runs in: its `shell:`, the job's or the workflow's
    `defaults.run.shell`, else '' (bash on Linux and macOS runners, pwsh on Windows)."""
    if "shell" in step.data:
        return str(step.data["shell"])
    data = step.doc.data if isinstance(step.doc.data, dict) else {}
    for holder in (job_of(step), data):
        defaults = holder.get("defaults")
        run = defaults.get("run") if isinstance(defaults, dict) else None
        if isinstance(run, dict) and "shell" in run:
            return str(run["shell"])
    return ""


def declared_inputs(doc: YamlDoc) -> dict[str, str]:
    """Input name (lower case) -> declared type, of a reusable or dispatched workflow's inputs
    (`string` when none is given) or of an action's (always strings)."""
    data = doc.data if isinstance(doc.data, dict) else {}
    found: dict[str, str] = {}
    if is_action(doc):
        tables = [data.get("inputs")]
    else:
        on = data.get("on", data.get(True))
        tables = []
        if isinstance(on, dict):
            for event in ("workflow_call", "workflow_dispatch"):
                spec = on.get(event)
                tables.append(spec.get("inputs") if isinstance(spec, dict) else None)
    for table in tables:
        for name, spec in table.items() if isinstance(table, dict) else []:
            kind = spec.get("type", "string") if isinstance(spec, dict) else "string"
            found.setdefault(str(name).lower(), str(kind))
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
