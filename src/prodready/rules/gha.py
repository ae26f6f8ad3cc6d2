"""GHA: GitHub Actions workflow security: what the token may do, which secrets reach which jobs,
and whether the pins say what runs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from prodready.findings import Violation, at_line
from prodready.project import Project
from prodready.project.pins import action_tags
from prodready.project.workflows import action_name, jobs, token_use, triggers
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
