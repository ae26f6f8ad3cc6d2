"""The GitHub Actions read model: workflows, their triggers, jobs and steps, tolerant of bad shapes."""

from __future__ import annotations

import re
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


def step_with(step: Step) -> dict[str, Any]:
    """The `with:` inputs of a step ({} when absent or malformed)."""
    given = step.data.get("with")
    return given if isinstance(given, dict) else {}


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


def job_of(step: Step) -> dict[str, Any]:
    """The job mapping a step belongs to."""
    return dict(jobs(step.doc)).get(step.job, {})


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
    data = doc.data if isinstance(doc.data, dict) else {}
    found: dict[str, str] = {}
    for env in (data.get("env"), job.get("env"), step.data.get("env")):
        if isinstance(env, dict):
            found.update({str(k): str(v) for k, v in env.items()})
    return found
