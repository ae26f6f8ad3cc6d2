"""GHA: GitHub Actions workflow security: what the token may do, which secrets reach which
jobs, whether the pins say what runs, caches in release jobs, publishing credentials, provenance
and workflow linting."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from typing import Any, NamedTuple

from prodready.findings import Violation, at_line
from prodready.project import Project
from prodready.project.pins import action_tags
from prodready.project.workflows import (
    Step,
    action_name,
    action_of,
    action_version,
    env_names,
    grants_id_token,
    job_of,
    jobs,
    release_triggers,
    step_with,
    token_use,
    triggers,
)
from prodready.project.yamldoc import YamlDoc
from prodready.rules import rule

# GHA004-GHA007: permissions, secrets and version comments.

# `${{ ... }}` expressions, and the secrets they read (`secrets.NAME`, `secrets['NAME']`)
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.S)
SECRET = re.compile(r"\bsecrets\s*(?:\.\s*([A-Za-z_][\w-]*)|\[\s*['\"]([^'\"]+)['\"]\s*\])")
# Secrets whose names say they publish, deploy, sign in to a registry or a cloud, or act on
# GitHub beyond the job's token (a personal access token, a GitHub App's private key)
AUTHORITY = re.compile(
    r"PYPI|TWINE|NPM|DOCKER|REGISTRY|DEPLOY|RELEASE|PUBLISH|AWS|AZURE|GCP|GCLOUD|GOOGLE"
    r"|CLOUDFLARE|HEROKU|VERCEL|NETLIFY|ANACONDA|CONDA_|QUAY|GHCR|DOCKERHUB|SSH|SIGNING|GPG"
    r"|(?:^|_)PAT(?:_|$)|PERSONAL_ACCESS|^GH_TOKEN$|^GITHUB_PAT|PRIVATE_KEY|_PEM(?:_|$)",
    re.I,
)
# Steps that publish a package or deploy: their job holds the release's keys
PUBLISHING_ACTIONS = re.compile(
    r"^(pypa/gh-action-pypi-publish|docker/login-action|docker/build-push-action"
    r"|softprops/action-gh-release|ncipollo/release-action|peaceiris/actions-gh-pages"
    r"|jamesives/github-pages-deploy-action|cloudflare/|aws-actions/|google-github-actions/"
    r"|azure/|conda-incubator/anaconda-upload|pypa/cibuildwheel-publish)"
)
PUBLISHING_COMMAND = re.compile(
    r"\btwine\s+upload|\buv\s+publish|\bpoetry\s+publish|\bhatch\s+publish|\bpdm\s+publish"
    r"|\bflit\s+publish|\bmaturin\s+(?:upload|publish)|\bnpm\s+publish|\bdocker\s+push"
    r"|\banaconda\s+upload|\bgh\s+release\s+(?:create|upload)|\bdeploy\b",
    re.I,
)
# `uses: OWNER/NAME@<40 hex>  # v1.2.3` (also `# tag=v1.2.3`, `# version: 1.2.3`)
PINNED_USES = re.compile(
    r"""uses:\s*['"]?([\w.-]+/[\w./-]+)@([0-9a-f]{40})['"]?\s*#\s*"""
    r"""(?:(?:tag|version|ver)\s*[:=]\s*)?(v?\d[\w.+-]*)"""
)


def _write_scopes(permissions: Any) -> list[str]:
    """The scopes a `permissions:` mapping grants `write`."""
    if not isinstance(permissions, dict):
        return []
    return [str(scope) for scope, level in permissions.items() if level == "write"]


@rule(
    "GHA004",
    "excessive-permissions",
    source="https://docs.zizmor.sh/audits/#excessive-permissions",
    peers=("zizmor:excessive-permissions", "scorecard:Token-Permissions"),
)
def excessive_permissions(p: Project) -> Iterator[Violation]:
    """A workflow or a job grants its token more than its steps can use.

    ## What it does
    Reports three shapes (a missing top-level `permissions:` and `write-all` are SEC006's):

    - `permissions: read-all` in a job: it reads every scope (issues, pull requests, packages,
      security events) where a job needs one or two;
    - a write grant, or `read-all`, at the top of a workflow whose jobs, two or more of them,
      inherit it: every job gets it, where usually one needs it (a single job's top-level
      `read-all`, as Scorecard's own workflow writes it, is left alone);
    - a write grant (`contents: write`, `id-token: write`, ...) to a job whose every step is known
      not to use it: only checkouts, set-up actions, artifacts and caches of the same run, and
      scripts that neither push, tag, release, publish, deploy, sign nor call `gh` or GitHub's
      API. The list of such actions is short and explicit; a job with any other action (a local
      or Docker action, a reusable workflow) could use the grant, and the rule stays quiet.

    A reusable workflow (`on: workflow_call` only) is not reported for its top-level grants:
    its caller's permissions bound it.

    ## Why it matters
    The token is handed to every step of the job; a compromised action or dependency can do
    whatever it allows: push to the default branch, publish a release, mint an OIDC token that a
    package index or a cloud account trusts.

    ## Example
    ```yaml
    permissions:
      contents: write
    jobs:
      test: ...
      release: ...
    ```

    ## Use instead
    ```yaml
    permissions:
      contents: read
    jobs:
      test: ...
      release:
        permissions:
          contents: write
    ```

    ## Fix
    Grant at the top only what every job needs (`contents: read`, or `{}`), and each write in the
    job that uses it; drop a write that no step uses.
    """
    for doc in p.workflows.docs:
        yield from _excessive(doc)


def _excessive(doc: YamlDoc) -> Iterator[Violation]:
    top = doc.data.get("permissions")
    table = list(jobs(doc))
    inheriting = [(job_id, job) for job_id, job in table if "permissions" not in job]
    reusable = triggers(doc) == {"workflow_call"}
    shared = not reusable and len(inheriting) >= 2
    if top == "read-all" and shared:
        yield at_line(
            doc.path,
            "permissions: read-all grants every read scope; name the scopes the jobs read",
            doc.line_of("permissions"),
        )
    for scope in _write_scopes(top):
        if shared:
            names = ", ".join(job_id for job_id, _ in inheriting)
            yield at_line(
                doc.path,
                f"{scope}: write is granted at the top to every job without its own "
                f"permissions ({names}); grant it only in the job that needs it",
                doc.line_of("permissions", scope),
            )
        elif not reusable and inheriting and all(token_use(job) is None for _, job in inheriting):
            yield at_line(
                doc.path,
                f"{scope}: write is granted at the top, but no step of "
                f"{', '.join(job_id for job_id, _ in inheriting)} can use it",
                doc.line_of("permissions", scope),
            )
    for job_id, job in table:
        granted = job.get("permissions")
        if granted == "read-all":
            yield at_line(
                doc.path,
                f"job {job_id} has permissions: read-all; name the scopes it reads",
                doc.line_of("jobs", job_id, "permissions"),
            )
        scopes = _write_scopes(granted)
        if scopes and token_use(job) is None:
            yield at_line(
                doc.path,
                f"job {job_id} grants {', '.join(f'{s}: write' for s in scopes)}, but none of its "
                "steps can use it (checkouts, set-up actions and scripts that use no token)",
                doc.line_of("jobs", job_id, "permissions", scopes[0]),
            )


@rule(
    "GHA005",
    "secrets-inherit",
    source="https://docs.zizmor.sh/audits/#secrets-inherit",
    peers=("zizmor:secrets-inherit",),
)
def secrets_inherit(p: Project) -> Iterator[Violation]:
    """A job hands every secret to a reusable workflow with `secrets: inherit`.

    ## What it does
    Reports jobs that call a reusable workflow (`uses: ...yml`) with `secrets: inherit`, whether
    the workflow is this repository's or another's.

    ## Why it matters
    The called workflow receives every secret of the repository and its organisation, not the
    one or two it needs; whoever can change that workflow (another repository's maintainers, or
    a branch it is called at) can read them all, and no one can tell from the caller which
    secrets it used.

    ## Example
    ```yaml
    jobs:
      release:
        uses: org/workflows/.github/workflows/release.yml@v1
        secrets: inherit
    ```

    ## Use instead
    ```yaml
    jobs:
      release:
        uses: org/workflows/.github/workflows/release.yml@v1
        secrets:
          pypi-token: ${{ secrets.PYPI_TOKEN }}
    ```

    ## Fix
    Name each secret the called workflow declares under `on.workflow_call.secrets`.
    """
    for doc in p.workflows.docs:
        for job_id, job in jobs(doc):
            if "uses" in job and job.get("secrets") == "inherit":
                yield at_line(
                    doc.path,
                    f"job {job_id} hands every secret to {job['uses']} (secrets: inherit)",
                    doc.line_of("jobs", job_id, "secrets"),
                )


def _secrets_read(value: Any) -> Iterator[str]:
    """The names of the secrets the expressions inside a job's values read."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _secrets_read(item)
    elif isinstance(value, list):
        for item in value:
            yield from _secrets_read(item)
    elif isinstance(value, str) and "secrets" in value:
        for expression in EXPRESSION.findall(value):
            for dotted, quoted in SECRET.findall(expression):
                yield dotted or quoted


def _publishes(job: dict[str, Any]) -> bool:
    """True when a step of the job publishes a package or deploys."""
    listed = job.get("steps")
    for step in listed if isinstance(listed, list) else []:
        if not isinstance(step, dict):
            continue
        if PUBLISHING_ACTIONS.match(action_name(str(step.get("uses", "")))):
            return True
        if PUBLISHING_COMMAND.search(str(step.get("run", ""))):
            return True
    return False


@rule(
    "GHA006",
    "secrets-outside-env",
    severity="I",
    source="https://docs.zizmor.sh/audits/#secrets-outside-env",
    peers=("zizmor:secrets-outside-env",),
)
def secrets_outside_env(p: Project) -> Iterator[Violation]:
    """A job that publishes or deploys reads its keys without a deployment environment.

    ## What it does
    Reports a job with no `environment:` that reads a secret (`${{ secrets.NAME }}`, not
    `GITHUB_TOKEN`) when the job publishes or deploys (`pypa/gh-action-pypi-publish`,
    `docker/login-action`, a release or pages action, a cloud's action, `twine upload`,
    `uv publish`, `docker push`, `deploy`) or the secret's name says it does (`PYPI`, `TWINE`,
    `NPM`, `DOCKER`, `DEPLOY`, `RELEASE`, `PUBLISH`, a cloud's name, `SSH`, `GPG`) or it acts
    on GitHub beyond the job's token (`GH_TOKEN`, a `PAT`, a GitHub App's `PRIVATE_KEY`): one
    finding per job, naming the secrets.

    It stays quiet for other secrets (a coverage or a chat token gates nothing worth an approval
    on every pull request), for jobs of reusable workflows (an environment's secrets reach them
    only through `secrets: inherit`, which GHA005 reports), and for `GITHUB_TOKEN`, whose reach
    is set by `permissions:`. prodready cannot see where a secret is stored on GitHub: a job with
    an environment is assumed to read that environment's secrets.

    ## Why it matters
    A repository or organisation secret reaches every workflow run of every branch that asks for
    it; an environment's secret reaches only the jobs its protection rules let through (a tag, a
    reviewer's approval), so a compromised branch or dependency cannot publish with it.

    ## Example
    ```yaml
    publish:
      runs-on: ubuntu-latest
      steps:
        - run: uv publish
          env:
            UV_PUBLISH_TOKEN: ${{ secrets.PYPI_TOKEN }}
    ```

    ## Use instead
    ```yaml
    publish:
      runs-on: ubuntu-latest
      environment: pypi
      steps:
        - run: uv publish
          env:
            UV_PUBLISH_TOKEN: ${{ secrets.PYPI_TOKEN }}
    ```
    (and move the secret into the `pypi` environment's secrets; better still, publish with
    trusted publishing and no token at all).

    ## Fix
    Create an environment with protection rules, move the secret into it, and name it in the job.
    """
    for doc in p.workflows.docs:
        if "workflow_call" in triggers(doc):
            continue
        for job_id, job in jobs(doc):
            if job.get("environment") or "uses" in job:
                continue
            read = sorted({s for s in _secrets_read(job) if s.upper() != "GITHUB_TOKEN"})
            if not read:
                continue
            if not _publishes(job):
                read = [s for s in read if AUTHORITY.search(s)]
            if read:
                yield at_line(
                    doc.path,
                    f"job {job_id} reads {', '.join(read)} without an environment: any run of "
                    "any branch can use them",
                    doc.line_of("jobs", job_id),
                )


def _precision(tag: str) -> tuple[int, int, str]:
    """The most precise of a commit's tags names it best (`v4.2.2` rather than `v4`)."""
    return (tag.count("."), len(tag), tag)


def _series(comment: str, tag: str) -> bool:
    """True when the tag is the comment's version or one of its series (`v4` holds `v4.2.2`)."""
    return tag == comment or tag.startswith(comment + ".")


@rule(
    "GHA007",
    "ref-version-mismatch",
    source="https://docs.zizmor.sh/audits/#ref-version-mismatch",
    peers=("zizmor:ref-version-mismatch",),
)
def ref_version_mismatch(p: Project) -> Iterator[Violation]:
    """An action pinned by commit carries a version comment that names another release.

    ## What it does
    Reads `uses: OWNER/NAME@COMMIT  # vX.Y.Z` (also `# tag=vX.Y.Z`, `# version: X.Y.Z`) and
    compares, offline, with the tags prodready's data records for the common actions
    (`data/pins.json`, generated from the actions' repositories). It reports the step when the
    data knows both the commit (a release's) and the comment's tag, and the commit is not that
    release nor one of its series (`# v4` on the commit of `v4.2.2` is fine).

    It stays quiet for actions the data does not cover, for commits that are no release's (a
    branch's commit, or a release newer than the data), and for comments that are not a version.
    zizmor asks GitHub's API for every action instead, and also reports pins with no comment;
    prodready stays offline.

    ## Why it matters
    The comment is what reviewers and Dependabot read: a wrong one hides what actually runs (an
    older release with a fixed vulnerability, or a commit someone swapped in), and Dependabot
    may stop updating a pin whose comment it no longer understands.

    ## Example
    ```yaml
    - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683  # v4.1.0
    ```

    ## Use instead
    ```yaml
    - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683  # v4.2.2
    ```

    ## Fix
    Write the commit's release in the comment (the message names it), or pin the release the
    comment names.
    """
    for step in p.workflows.steps:
        if "@" not in step.uses:
            continue
        line = step.doc.line_of("jobs", step.job, "steps", step.position, "uses")
        lines = step.doc.text.splitlines()
        if line is None or line > len(lines):
            continue
        found = PINNED_USES.search(lines[line - 1])
        if found is None:
            continue
        name, commit, version = found.groups()
        tags = action_tags("/".join(name.split("/")[:2]))
        if tags is None:
            continue
        version = version.rstrip(".,;")
        named = tags.get(version) or tags.get(version.removeprefix("v")) or tags.get(f"v{version}")
        releases = sorted(t for t, c in tags.items() if c == commit[:12])
        if named is None or not releases or named == commit[:12]:
            continue
        if any(_series(version.removeprefix("v"), t.removeprefix("v")) for t in releases):
            continue
        yield at_line(
            step.doc.path,
            f"{name} is pinned to the commit of {max(releases, key=_precision)}, but the comment says {version}",
            line,
        )


# --- GHA008-GHA011: caches in release jobs, publishing credentials, provenance, linting -------

PYPI_ACTION = "pypa/gh-action-pypi-publish"
PYPI_INDEXES = ("pypi.org", "pypi.python.org", "/pypi", "pypi", "testpypi")
# Tools that cannot publish with trusted publishing: a credential is all they take.
NO_TRUSTED_PUBLISHING = frozenset({"poetry", "hatch", "flit"})
PUBLISH_SUBCOMMANDS = {
    "twine": ("upload",),
    "uv": ("publish",),
    "poetry": ("publish",),
    "hatch": ("publish",),
    "pdm": ("publish",),
    "flit": ("publish",),
    "maturin": ("publish", "upload"),
}
# Words that may stand before the publishing tool in one command (`python -m twine upload`,
# `pipx run twine==6 upload`, `uv run --with twine twine upload`); options are skipped.
RUNNERS = frozenset({"uvx", "pipx", "run", "uv", "tool", "pipenv", "exec", "sudo", "time", "-m"})
TOKEN_OPTIONS = frozenset({"-p", "--password", "--token", "-t", "--auth", "-a", "--api-token"})
TOKEN_ENV = re.compile(
    r"^(?:TWINE_PASSWORD|TWINE_API_KEY|UV_PUBLISH_TOKEN|UV_PUBLISH_PASSWORD|POETRY_PYPI_TOKEN_\w+"
    r"|POETRY_HTTP_BASIC_\w+_PASSWORD|HATCH_INDEX_AUTH|FLIT_PASSWORD|PDM_PUBLISH_PASSWORD"
    r"|MATURIN_PYPI_TOKEN|MATURIN_PASSWORD)$"
)
REPOSITORY_OPTIONS = frozenset(
    {"--repository-url", "--repository", "-r", "--repo", "--publish-url", "--index", "--url"}
)
PYTHON = re.compile(r"^(?:python[\d.]*|py)$")
CONTINUATION = re.compile(r"\\\r?\n")
COMMAND_SEPARATOR = re.compile(r"\r?\n|;|&&|\|\|?")


class Publish(NamedTuple):
    """One upload to a package index found in a workflow step."""

    step: Step
    tool: str  # `twine`, `uv`, … or the action (`pypa/gh-action-pypi-publish`)
    credential: str  # how a long-lived credential is handed over ('' when none is seen)


def _tool_name(word: str) -> str:
    """`twine` of `twine`, `/usr/bin/twine`, `twine==6.1`, `twine@6`, `python3.12`."""
    base = word.rsplit("/", 1)[-1]
    return re.split(r"[=<>@\[]", base, maxsplit=1)[0].lower()


def _commands(script: str) -> Iterator[list[str]]:
    """The simple commands of a shell script, as words (a best effort: no shell is run)."""
    for part in COMMAND_SEPARATOR.split(CONTINUATION.sub(" ", script)):
        try:
            words = shlex.split(part, comments=True)
        except ValueError:
            words = part.split()
        while words and re.match(r"^[A-Za-z_]\w*=", words[0]):
            words = words[1:]  # `TWINE_PASSWORD=… twine upload`
        if words:
            yield words


def _to_pypi(words: list[str]) -> bool:
    """False when the command names an index that is not PyPI or TestPyPI (a private index has
    no trusted publishing); a value read from a variable is not PyPI either, as far as is known."""
    for index, word in enumerate(words):
        option, _, value = word.partition("=")
        if option in REPOSITORY_OPTIONS:
            target = value or (words[index + 1] if index + 1 < len(words) else "")
            if not any(name in target.lower() for name in PYPI_INDEXES):
                return False
    return True


def _publishing_tool(words: list[str]) -> str | None:
    """The tool of a command that uploads distributions (`twine upload`, `uv publish`, …)."""
    first = _tool_name(words[0])
    if not (first in PUBLISH_SUBCOMMANDS or first in RUNNERS or PYTHON.match(first)):
        return None  # `echo twine upload`, `pip install twine`
    for index, word in enumerate(words):
        name = _tool_name(word)
        if name not in PUBLISH_SUBCOMMANDS:
            continue
        rest = words[index + 1 :]
        verb = next((w for w in rest if not w.startswith("-")), "")
        if verb in PUBLISH_SUBCOMMANDS[name]:
            return None if "--dry-run" in rest or not _to_pypi(rest) else name
    return None


def _token_in_words(words: list[str]) -> str:
    for index, word in enumerate(words):
        option = word.partition("=")[0]
        if option in TOKEN_OPTIONS:
            return f"`{option}`"
        if option in ("-u", "--username") and "__token__" in " ".join(words[index : index + 2]):
            return "the `__token__` user"
    return ""


def publishes(p: Project) -> list[Publish]:
    """Every upload to PyPI (or TestPyPI) in the workflows: the publish action, maturin's
    action, and the commands of `run:` steps."""
    found: list[Publish] = []
    for step in p.workflows.steps:
        action, _ = action_of(step.uses)
        job = job_of(step)
        env = env_names(step.doc, job, step)
        secret_env = next((name for name in env if TOKEN_ENV.match(name)), "")
        if action == PYPI_ACTION:
            inputs = step_with(step)
            url = str(inputs.get("repository-url", inputs.get("repository_url", "")))
            if url and not any(name in url.lower() for name in PYPI_INDEXES):
                continue
            token = "the `password:` input" if "password" in inputs else ""
            found.append(Publish(step, PYPI_ACTION, token))
        elif action == "pyo3/maturin-action":
            inputs = step_with(step)
            words = str(inputs.get("args", "")).split()
            if str(inputs.get("command", "")) in ("upload", "publish") and _to_pypi(words):
                token = f"`{secret_env}`" if secret_env else _token_in_words(words)
                found.append(Publish(step, "maturin", token))
        elif step.run:
            before = len(found)
            for words in _commands(step.run):
                tool = _publishing_tool(words)
                if tool is None:
                    continue
                given = _token_in_words(words) or (f"`{secret_env}`" if secret_env else "")
                if not given and tool == "poetry" and "pypi-token" in step.run:
                    given = "`poetry config pypi-token`"
                found.append(Publish(step, tool, given))
            handed = _secret_token_env(step)
            if len(found) == before and handed:
                # a PyPI credential handed to a step that publishes through a task runner
                # (arrow: `FLIT_PASSWORD: ${{ secrets.PYPI_API_TOKEN }}` for `tox -e publish`)
                found.append(Publish(step, f"`{step.run.split()[0]}`", f"`{handed}`"))
    return found


def _secret_token_env(step: Step) -> str:
    """The PyPI credential variable the step itself sets from a secret, or ''."""
    env = step.data.get("env")
    for name, value in env.items() if isinstance(env, dict) else []:
        if TOKEN_ENV.match(str(name)) and "secrets." in str(value):
            return str(name)
    return ""


def _stored_credential(publish: Publish) -> str:
    """How the upload authenticates with a long-lived credential, or '' when it may use trusted
    publishing."""
    if publish.credential:
        return publish.credential
    if publish.tool in NO_TRUSTED_PUBLISHING:
        return f"{publish.tool}, which has no trusted publishing"
    if not grants_id_token(publish.step.doc, job_of(publish.step)):
        return "a stored credential (the job cannot request `id-token: write`)"
    return ""


def _uses_line(step: Step) -> int | None:
    return step.doc.line_of("jobs", step.job, "steps", step.position, "uses") or step.line


@rule(
    "GHA009",
    "publish-with-token",
    severity="W",
    fix="unsafe",
    source="PyPI trusted publishing: https://docs.pypi.org/trusted-publishers/; sp-repo-review GH105",
    peers=(
        "zizmor:use-trusted-publishing",
        "sp-repo-review:GH105",
        "scorecard:Packaging",
    ),
)
def publish_with_token(p: Project) -> Iterator[Violation]:
    """A workflow uploads to PyPI with a long-lived token instead of trusted publishing.

    ## What it does
    Reports uploads to PyPI or TestPyPI that authenticate with a stored credential:
    `pypa/gh-action-pypi-publish` given a `password:`; `twine upload`, `uv publish`,
    `pdm publish` and `maturin upload` handed a token (`-p`, `--password`, `--token`,
    `-u __token__`, or `TWINE_PASSWORD`, `UV_PUBLISH_TOKEN`, `PDM_PUBLISH_PASSWORD`,
    `MATURIN_PYPI_TOKEN` in the step's, job's or workflow's `env`) or run in a job that cannot
    request an OpenID Connect token (no `id-token: write`), so has nothing but a stored
    credential; and `poetry publish`, `hatch publish` and `flit publish`, which cannot use
    trusted publishing at all. Also `PyO3/maturin-action` with `command: upload`. Commands are
    found in `python -m twine`, `pipx run twine`, `uvx twine` and `uv run twine` forms too.
    Uploads to another index (`--repository-url`, `repository-url:` not PyPI's), `--dry-run`
    and `twine check` are left alone: trusted publishing is PyPI's.

    ## Why it matters
    A PyPI token stored as a repository secret lives until someone revokes it: any workflow,
    action or dependency that reads it (a compromised action, an injected script) can publish
    releases of the project from anywhere, long after the leak. Trusted publishing hands the
    job a token that lasts minutes and only works from the workflow named on PyPI.

    ## Example
    ```yaml
    jobs:
      publish:
        runs-on: ubuntu-latest
        steps:
          - uses: pypa/gh-action-pypi-publish@release/v1
            with:
              password: ${{ secrets.PYPI_API_TOKEN }}
    ```

    ## Use instead
    ```yaml
    jobs:
      publish:
        runs-on: ubuntu-latest
        environment: pypi
        permissions:
          id-token: write
        steps:
          - uses: pypa/gh-action-pypi-publish@release/v1
    ```

    ## Fix
    Unsafe, for `pypa/gh-action-pypi-publish` only: removes `password:` (and a `user:` of
    `__token__`) and grants the job `id-token: write` (a job without `permissions` gets the
    workflow's permissions, or `contents: read`, beside it). It is unsafe because the upload
    then works only once the PyPI project has a trusted publisher for this repository, workflow
    file and environment (https://docs.pypi.org/trusted-publishers/adding-a-publisher/): add it
    before the next release, then revoke the token. Commands are left to you: `uv publish`,
    `twine upload` (6.1 and later) and `pdm publish` use trusted publishing by themselves once
    the job has `id-token: write` and no token is passed.
    """
    for publish in publishes(p):
        credential = _stored_credential(publish)
        if not credential:
            continue
        step = publish.step
        fixable = publish.tool == PYPI_ACTION and bool(publish.credential)
        yield Violation(
            f"{publish.tool} uploads to PyPI with {credential} in job {step.job}: use trusted "
            "publishing (`id-token: write`, and a trusted publisher on PyPI)",
            step.doc.path,
            _uses_line(step) if step.uses else step.line,
            1,
            data=(step.doc.path, step.job, step.position) if fixable else (),
            fixable=fixable,
        )


# What makes an attestation or provenance for what a workflow builds.
ATTESTING_ACTIONS = (
    "actions/attest-build-provenance",
    "actions/attest",
    "actions/attest-sbom",
    "slsa-framework/slsa-github-generator",
)
ATTESTING_COMMANDS = re.compile(r"pypi-attestations\s+sign|\bgh\s+attestation\b|--attestations\b")
MOVING_CURRENT_REFS = ("release/v1", "unstable/v1")


def _attests(p: Project, doc_path: str) -> bool:
    """True when the workflow makes attestations of its own (an attest action, the SLSA
    generator called as a job or a step, `pypi-attestations sign`)."""
    for doc in p.workflows.docs:
        if doc.path != doc_path:
            continue
        if any(action in doc.text.lower() for action in ATTESTING_ACTIONS):
            return True
        if ATTESTING_COMMANDS.search(doc.text):
            return True
    return False


def _action_attests(publish: Publish) -> bool | None:
    """Whether pypa/gh-action-pypi-publish makes PEP 740 attestations here: from v1.11 on it
    does by default under trusted publishing. None when its version cannot be told."""
    step = publish.step
    if publish.credential or not grants_id_token(step.doc, job_of(step)):
        return False
    if str(step_with(step).get("attestations", "true")).lower() == "false":
        return False
    _, ref = action_of(step.uses)
    if ref in MOVING_CURRENT_REFS:
        return True
    version = action_version(step)
    if version is None:
        return None if re.fullmatch(r"[0-9a-f]{40}", ref) else False
    return version >= (1, 11)


@rule(
    "GHA010",
    "release-without-attestations",
    severity="I",
    source="PEP 740: https://peps.python.org/pep-0740/; OpenSSF Scorecard Signed-Releases",
    peers=("scorecard:Signed-Releases", "sp-repo-review:GH105"),
)
def release_without_attestations(p: Project) -> Iterator[Violation]:
    """A workflow publishes to PyPI without attestations of where the distributions were built.

    ## What it does
    For each upload to PyPI (see GHA009 for what counts as one), looks for what would make
    provenance for it: `pypa/gh-action-pypi-publish` v1.11 or later (or `release/v1`) under
    trusted publishing, which signs PEP 740 attestations unless `attestations: false`; or, in
    the same workflow, `actions/attest-build-provenance` / `actions/attest`, the SLSA generator,
    or `pypi-attestations sign` (whose files `twine upload --attestations` sends). Reports the
    upload when none is there. A commit pin of the action without a version comment cannot be
    dated, and is left alone. `uv publish` and `twine upload` send attestations only when
    something made them: by themselves they make none.

    It is advice (info): PyPI does not require attestations, and a release without them is
    not broken; Scorecard's Signed-Releases counts them.

    ## Why it matters
    An attestation binds each file on PyPI to the repository, commit and workflow that built
    it, signed through Sigstore: users and tools (`pypi-attestations verify`, PyPI's own page)
    can check that a wheel was not built or swapped elsewhere, as stolen-token uploads are.

    ## Example
    ```yaml
    - uses: pypa/gh-action-pypi-publish@v1.8.14
      with:
        password: ${{ secrets.PYPI_TOKEN }}
    ```

    ## Use instead
    ```yaml
    permissions:
      id-token: write
    steps:
      - uses: pypa/gh-action-pypi-publish@release/v1
    ```

    ## Fix
    Publish with trusted publishing through `pypa/gh-action-pypi-publish` v1.11 or later, or
    add `actions/attest-build-provenance` for `dist/*` before the upload.
    """
    for publish in publishes(p):
        step = publish.step
        if _attests(p, step.doc.path):
            continue
        if publish.tool == PYPI_ACTION:
            made = _action_attests(publish)
            if made is None or made:
                continue
            why = (
                "with a token"
                if publish.credential
                else "below v1.11, or without `id-token: write`"
            )
            if str(step_with(step).get("attestations", "")).lower() == "false":
                why = "with `attestations: false`"
        else:
            why = f"through {publish.tool}, which makes none"
        yield at_line(
            step.doc.path,
            f"the upload to PyPI in job {step.job} carries no attestations ({why}): publish "
            "with trusted publishing through pypa/gh-action-pypi-publish, or attest dist/*",
            _uses_line(step) if step.uses else step.line,
        )


# Publishing actions (zizmor's list), and the builds of a release.
PUBLISHER_ACTIONS = (
    PYPI_ACTION,
    "rubygems/release-gem",
    "goreleaser/goreleaser-action",
    "softprops/action-gh-release",
    "ncipollo/release-action",
    "svenstaro/upload-release-action",
    "docker/build-push-action",
    "redhat-actions/push-to-registry",
)
BUILD_ACTIONS = (
    "pypa/cibuildwheel",
    "hynek/build-and-inspect-python-package",
    "pyo3/maturin-action",
)
BUILD_COMMAND = re.compile(
    r"(?:^|[;&|(])\s*(?:(?:sudo\s+)?python[\d.]*\s+-m\s+build\b|pyproject-build\b"
    r"|(?:uv|poetry|hatch|pdm|flit|maturin)\s+build\b|python[\d.]*\s+setup\.py\b[^\n;&|]*\b(?:sdist|bdist_wheel)\b"
    r"|(?:python[\d.]*\s+-m\s+)?pip3?\s+wheel\b|(?:pipx\s+run\s+)?cibuildwheel\b|pipx\s+run\s+build\b"
    r"|uvx\s+(?:--from\s+build\s+)?pyproject-build\b)",
    re.M,
)


RELEASE_UPLOAD = re.compile(r"\bgh\s+release\s+(?:create|upload)\b")


def _truthy(value: Any) -> bool | None:
    """A literal boolean input (`true`, `'false'`); None for an expression or anything else."""
    text = str(value).strip().lower()
    return True if text == "true" else False if text == "false" else None


# Actions that restore a cache, by the input that switches it: "on" caches when the input is
# true, "off" caches unless it is true, "default" caches unless it is false, "always" always does.
CACHE_SWITCHES: dict[str, tuple[str, str]] = {
    "actions/cache": ("lookup-only", "off"),
    "actions/cache/restore": ("lookup-only", "off"),
    "swatinem/rust-cache": ("lookup-only", "off"),
    "actions-rust-lang/setup-rust-toolchain": ("cache", "default"),
    "jdx/mise-action": ("cache", "default"),
    "actions/setup-dotnet": ("cache", "on"),
    "ruby/setup-ruby": ("bundler-cache", "on"),
    "pyo3/maturin-action": ("sccache", "on"),
    "prefix-dev/setup-pixi": ("cache", "on"),
    "mamba-org/setup-micromamba": ("cache-environment", "on"),
    "oven-sh/setup-bun": ("no-cache", "off"),
    "gradle/actions/setup-gradle": ("cache-disabled", "off"),
    "mozilla-actions/sccache-action": ("", "always"),
    "nix-community/cache-nix-action": ("", "always"),
}
NAMED_CACHE_ACTIONS = ("actions/setup-python", "actions/setup-java", "graalvm/setup-graalvm")


def _switched_on(inputs: dict[str, Any], field: str, how: str) -> bool:
    value = _truthy(inputs.get(field)) if field else None
    if how == "on":
        return value is True
    if how == "off":
        return value is not True and "${{" not in str(inputs.get(field, ""))
    if how == "default":
        return value is not False and "${{" not in str(inputs.get(field, ""))
    return True


def _setup_uv_cache(inputs: dict[str, Any], major: int | None) -> str | None:
    enabled = inputs.get("enable-cache")
    if _truthy(enabled):
        return "restores a cache (`enable-cache: true`)"
    default = enabled is None or str(enabled).strip().lower() == "auto"
    if default and major is not None and 5 <= major < 10:
        return f"restores a cache (v{major} caches by default on GitHub's runners)"
    return None


def _setup_node_cache(p: Project, inputs: dict[str, Any], major: int | None) -> str | None:
    value = str(inputs.get("cache", "")).strip()
    if value in ("npm", "yarn", "pnpm"):
        return f"restores its `cache: {value}`"
    if major is None or major < 5 or _truthy(inputs.get("package-manager-cache")) is False:
        return None
    manifest = p.repo.read("package.json") or ""
    if re.search(r'"packageManager"\s*:\s*"npm@|"devEngines"', manifest):
        return "restores npm's cache (v5 caches by default for a package manager of npm)"
    return None


def _restores_cache(p: Project, step: Step) -> str | None:
    """How a step restores a cache, or None (as zizmor's cache-poisoning audit reads each action's
    inputs and defaults; an input set by an expression is taken as the author's own switch)."""
    action, _ = action_of(step.uses)
    inputs = step_with(step)
    version = action_version(step)
    major = version[0] if version else None
    if action in CACHE_SWITCHES:
        field, how = CACHE_SWITCHES[action]
        if action == "mamba-org/setup-micromamba" and _truthy(inputs.get("cache-downloads")):
            return "restores a cache"
        return "restores a cache" if _switched_on(inputs, field, how) else None
    if action in NAMED_CACHE_ACTIONS:
        value = str(inputs.get("cache", "")).strip()
        return f"restores its `cache: {value}`" if value and "${{" not in value else None
    if action == "astral-sh/setup-uv":
        return _setup_uv_cache(inputs, major)
    if action == "actions/setup-node":
        return _setup_node_cache(p, inputs, major)
    if action == "actions/setup-go" and (major or 4) >= 4:
        return "restores a cache (by default)" if _switched_on(inputs, "cache", "default") else None
    return None


def _release_job(p: Project, steps: list[Step], publishing: set[tuple[str, str]]) -> str | None:
    """Why a job makes or publishes a release, or None: it uploads to a package index, runs a
    publishing action, or builds distributions in a workflow triggered by tags or releases."""
    step = steps[0]
    if (step.doc.path, step.job) in publishing:
        return "publishes to PyPI"
    for each in steps:
        action, _ = action_of(each.uses)
        if action in PUBLISHER_ACTIONS and (
            action != "docker/build-push-action" or _truthy(step_with(each).get("push"))
        ):
            return f"publishes through {action}"
    triggers = release_triggers(step.doc)
    builds = any(
        action_of(each.uses)[0] in BUILD_ACTIONS or BUILD_COMMAND.search(each.run) for each in steps
    )
    # what is built leaves the job: as an artifact for a later job to publish, or a release asset
    hands_on = any(
        action_of(each.uses)[0] == "actions/upload-artifact" or RELEASE_UPLOAD.search(each.run)
        for each in steps
    )
    if triggers and builds and hands_on:
        return f"builds what it hands on to the release, on {triggers[0]}"
    return None


@rule(
    "GHA008",
    "cache-poisoning",
    severity="W",
    source="Lesson: a cache entry written by any workflow of the default branch is restored by the release job, so code run there reaches the release; https://adnanthekhan.com/2024/05/06/the-monsters-in-your-build-cache-github-actions-cache-poisoning/",
    peers=("zizmor:cache-poisoning",),
)
def cache_poisoning(p: Project) -> Iterator[Violation]:
    """A job that builds or publishes a release restores a cache.

    ## What it does
    Finds the release jobs: those that upload to PyPI (see GHA009), run a publishing action
    (`pypa/gh-action-pypi-publish`, `softprops/action-gh-release`, `PyO3/maturin-action`,
    `docker/build-push-action` with `push: true`, ...), or build distributions (`python -m
    build`, `uv build`, cibuildwheel, `gh release upload`, ...) in a workflow triggered by a push
    of tags, a push to a release branch, or `release`. In them, reports the steps that restore
    a cache: `actions/cache` (unless `lookup-only: true`), `actions/setup-python` with `cache:`,
    `astral-sh/setup-uv` with `enable-cache: true` (or v5 to v9, which cache by default on
    GitHub's runners), `actions/setup-node` with `cache:` (or v5 with an npm `packageManager`),
    and the other caching actions zizmor knows (setup-go, rust-cache, sccache, maturin's
    `sccache`, setup-ruby's `bundler-cache`, pixi, micromamba). A cache input set by an
    expression (`enable-cache: ${{ !startsWith(github.ref, 'refs/tags/') }}`) is taken as the
    author's own switch and left alone, and so are the test and docs jobs of a tag workflow
    that neither build nor publish: what they restore does not reach the release.

    ## Why it matters
    GitHub's cache is shared by every workflow run on the default branch: code that runs in
    any of them (an injected script in an issue-triage workflow, a compromised test
    dependency) can write an entry under the key the release job restores, and so put its own
    files into the wheels or the build tools of the release, signed and published as yours.

    ## Example
    ```yaml
    on:
      push:
        tags: ["v*"]
    jobs:
      release:
        steps:
          - uses: astral-sh/setup-uv@v6   # caches by default
          - run: uv build
          - uses: pypa/gh-action-pypi-publish@release/v1
    ```

    ## Use instead
    ```yaml
          - uses: astral-sh/setup-uv@v6
            with:
              enable-cache: false
    ```

    ## Fix
    Turn the cache off in release jobs (`enable-cache: false`, drop `cache:`, remove
    `actions/cache`): a release is rare enough to pay for a cold install.
    """
    publishing = {(each.step.doc.path, each.step.job) for each in publishes(p)}
    by_job: dict[tuple[str, str], list[Step]] = {}
    for step in p.workflows.steps:
        by_job.setdefault((step.doc.path, step.job), []).append(step)
    for steps in by_job.values():
        why = _release_job(p, steps, publishing)
        if why is None:
            continue
        for step in steps:
            how = _restores_cache(p, step)
            if how is not None:
                action, _ = action_of(step.uses)
                yield at_line(
                    step.doc.path,
                    f"{action} {how} in job {step.job}, which {why}: a poisoned cache entry "
                    "would reach the release; turn the cache off here",
                    _uses_line(step),
                )


LINTER_WORDS = re.compile(r"\bzizmor\b|\bactionlint\b")


@rule(
    "GHA011",
    "no-workflow-linter",
    severity="I",
    source="zizmor: https://docs.zizmor.sh/; actionlint: https://github.com/rhysd/actionlint",
)
def no_workflow_linter(p: Project) -> Iterator[Violation]:
    """The repository has GitHub workflows and nothing lints them.

    ## What it does
    When `.github/workflows/` holds a workflow, looks for zizmor or actionlint: a pre-commit
    hook (`zizmorcore/zizmor-pre-commit`, `woodruffw/zizmor-pre-commit`, `rhysd/actionlint`),
    a workflow step (`zizmorcore/zizmor-action`, an actionlint action, a `zizmor` or
    `actionlint` command), or a command in tox, nox, a Makefile or another task runner.
    Reports when neither appears.

    It is advice (info): prodready's GHA rules cover the worst of what zizmor finds, offline,
    but not all of it (it also reads expressions, known-vulnerable actions and impostor
    commits online), and actionlint checks what GitHub would reject (unknown keys, bad
    expressions, shell mistakes) before a push.

    ## Why it matters
    Workflows run with the repository's token and secrets; a template injection or a mistyped
    condition is found by these linters in seconds, and by an attacker or a failed release
    otherwise.

    ## Example
    ```yaml
    # .pre-commit-config.yaml without a workflow linter
    ```

    ## Use instead
    ```yaml
    - repo: https://github.com/zizmorcore/zizmor-pre-commit
      rev: v1.16.0
      hooks:
        - id: zizmor
    ```

    ## Fix
    Add zizmor's pre-commit hook (or `zizmorcore/zizmor-action` in CI), and actionlint if you
    like.
    """
    if not p.workflows.docs:
        return
    if any(LINTER_WORDS.search(hook_id) for hook_id in p.precommit.hook_ids):
        return
    if LINTER_WORDS.search(p.automation.text) or LINTER_WORDS.search(p.precommit.entries):
        return
    yield Violation("no workflow linter: run zizmor (or actionlint) in pre-commit or CI")
