"""The GitHub Actions read model: workflows, their triggers, jobs and steps, tolerant of bad shapes."""

from __future__ import annotations

import posixpath
import re
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


# What a job's token may be used for, read from its steps (GHA004, and the fix of SEC006).
# Actions known to need nothing beyond reading the repository: they set up tools, move
# artifacts and caches of the same run, or check out code. Any other action, a local or Docker
# action, or a reusable workflow may use the token for anything its permissions allow.
READ_ONLY_ACTIONS = frozenset(
    {
        "actions/cache",
        "actions/checkout",
        "actions/setup-dotnet",
        "actions/setup-go",
        "actions/setup-java",
        "actions/setup-node",
        "actions/setup-python",
        "actions/upload-artifact",
        "astral-sh/setup-uv",
        "conda-incubator/setup-miniconda",
        "docker/setup-buildx-action",
        "docker/setup-qemu-action",
        "dtolnay/rust-toolchain",
        "hynek/setup-cached-uv",
        "mamba-org/setup-micromamba",
        "oven-sh/setup-bun",
        "pdm-project/setup-pdm",
        "pnpm/action-setup",
        "pre-commit/action",
        "pypa/cibuildwheel",
        "re-actors/alls-green",
        "snok/install-poetry",
        "swatinem/rust-cache",
    }
)
# actions/download-artifact reads another run's artifacts (`actions: read`) when given one;
# pre-commit/action (before v3) pushes its fixes when given a token
OTHER_RUN = ("run-id", "github-token", "repository")
# Commands and words in a script or an input that may write with the token, call GitHub's API,
# request an OIDC token, or pull from GitHub's registry: any of them and the job may need more.
TOKEN_USE = re.compile(
    r"git\s+push|\bgit\s+tag\b|\bgh\s|GITHUB_TOKEN|GH_TOKEN|github\.token|api\.github|ghcr\.io"
    r"|ACTIONS_ID_TOKEN|ACTIONS_RUNTIME|\bpublish|\bupload|\brelease|\bdeploy|\btwine\b"
    r"|\bcosign\b|sigstore|attest|oidc|id.token|\baws\b|gcloud|\baz\s|\bvault\b|docker\s+login"
    r"|\bmike\b|gh-deploy|ghp-import|semantic-release|\bsecrets\.",
    re.I,
)


def action_name(uses: str) -> str:
    """`OWNER/NAME` of a `uses:` reference, lower case ('' for local and Docker actions)."""
    if uses.startswith(("./", "docker://")) or "/" not in uses:
        return ""
    return "/".join(uses.split("@", 1)[0].split("/")[:2]).lower()


def token_use(job: dict[str, Any]) -> str | None:
    """Why the job may need its token for more than reading the repository (a step that may
    write, call the API or request an OIDC token), or None when every step is known not to."""
    if "uses" in job:
        return f"it calls the workflow {job['uses']}"
    if TOKEN_USE.search(str(job.get("env", ""))):
        return "its env hands a token or a secret to every step"
    for key in ("container", "services"):
        written = str(job.get(key, ""))
        if TOKEN_USE.search(written) or "credentials" in written:
            return f"its {key} may pull with the token"
    listed = job.get("steps")
    for step in listed if isinstance(listed, list) else []:
        if not isinstance(step, dict):
            return "a step is not a mapping"
        uses = str(step.get("uses", ""))
        name = action_name(uses)
        given = step.get("with")
        given = given if isinstance(given, dict) else {}
        if name == "actions/download-artifact" and any(k in given for k in OTHER_RUN):
            return f"{uses} reads another run's artifacts"
        if name == "pre-commit/action" and "token" in given:
            return f"{uses} pushes its fixes with the token"
        if uses and name != "actions/download-artifact" and name not in READ_ONLY_ACTIONS:
            return f"it uses {uses}"
        if not uses and (
            found := TOKEN_USE.search(f"{step.get('run', '')}\n{step.get('env', '')}")
        ):
            return f"a script mentions {found.group(0).strip()!r}"
    return None


# Release workflows: what triggers them, what a job may do with the token, which action a step
# calls and at which version (used by the GHA rules on caches, publishing and attestations).

VERSION_COMMENT = re.compile(r"#\s*(?:tag[:=]\s*)?v?(\d+)(?:\.(\d+))?(?:\.(\d+))?\b")
VERSION_REF = re.compile(r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$")


def release_triggers(doc: YamlDoc) -> list[str]:
    """The events of a workflow that usually build or publish a release: a push of tags, a push
    to a branch named for releases, and `release` (as zizmor's cache-poisoning audit reads
    them)."""
    data = doc.data if isinstance(doc.data, dict) else {}
    on = data.get("on", data.get(True))
    found: list[str] = []
    if isinstance(on, str | list):
        return ["release"] if "release" in ([on] if isinstance(on, str) else on) else []
    if not isinstance(on, dict):
        return found
    push = on.get("push")
    if isinstance(push, dict):
        if push.get("tags") is not None or push.get("tags-ignore") is not None:
            found.append("a push of tags")
        branches = push.get("branches")
        if isinstance(branches, list) and any("release" in str(b).lower() for b in branches):
            found.append("a push to a release branch")
    if "release" in on:
        found.append("release")
    return found


def action_of(uses: str) -> tuple[str, str]:
    """(action in lower case with its sub-path, ref) of a `uses:` value: `pypa/gh-action-pypi-publish`,
    `release/v1`; ('', '') for local actions and containers."""
    if not uses or uses.startswith(("./", "docker://")):
        return "", ""
    name, _, ref = uses.partition("@")
    return name.strip().lower(), ref.strip()


def action_version(step: Step) -> tuple[int, ...] | None:
    """The version of the action a step calls: from its ref (`v1.12.4`, `v5`), or from the
    comment after a commit pin (`@76f5… # v1.12.4`); None when neither says."""
    _, ref = action_of(step.uses)
    found = VERSION_REF.match(ref)
    if found is None:
        line = step.doc.line_of("jobs", step.job, "steps", step.position, "uses")
        lines = step.doc.text.splitlines()
        if line is None or not 0 < line <= len(lines):
            return None
        text = lines[line - 1]
        found = VERSION_COMMENT.search(text[text.find("#") :]) if "#" in text else None
    if found is None:
        return None
    return tuple(int(part) for part in found.groups() if part is not None)


def job_permissions(doc: YamlDoc, job: dict[str, Any]) -> Any:
    """The permissions a job's token gets: the job's own block, else the workflow's (None when
    neither sets any: the repository's defaults)."""
    if "permissions" in job:
        return job["permissions"]
    data = doc.data if isinstance(doc.data, dict) else {}
    return data.get("permissions")


def grants_id_token(doc: YamlDoc, job: dict[str, Any]) -> bool:
    """True when the job may request an OpenID Connect token (`id-token: write`, or
    `write-all`), which trusted publishing needs."""
    permissions = job_permissions(doc, job)
    if permissions == "write-all":
        return True
    return isinstance(permissions, dict) and permissions.get("id-token") == "write"


def env_names(doc: YamlDoc, job: dict[str, Any], step: Step) -> dict[str, str]:
    """The environment a step sees from the workflow, its job and itself (later wins)."""
    job_env = job.get("env")
    merged = {**workflow_env(doc), **(job_env if isinstance(job_env, dict) else {}), **step.env}
    return {str(k): str(v) for k, v in merged.items()}
