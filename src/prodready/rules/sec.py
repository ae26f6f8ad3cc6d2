"""SEC: security — audited dependencies, static analysis, no secrets, least-privilege CI."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from prodready.findings import Kind, Severity, Violation, at_line
from prodready.project import Project
from prodready.project.paths import in_template
from prodready.project.workflows import Step, jobs, token_use, triggers
from prodready.rules import rule
from prodready.source.secrets import GOOGLE_API_KEY

AUDITORS = (
    "pip-audit",
    "safety",
    "osv-scanner",
    "uv-audit",
    "dependency-review",
    "trivy",
    "grype",
    "snyk",
    "scorecard",
)
AUDIT_COMMAND = re.compile(r"pip[-_]audit|\bsafety\s+(check|scan)\b|osv-scanner|\buv\s+audit\b")
DISCARDED = re.compile(r"\|\|\s*(true|:|exit 0)\b")
SECRET_NAME = re.compile(
    r"^\s*(export\s+)?\w*(SECRET|TOKEN|PASSWORD|PASSWD|PASS|KEY|CREDENTIAL|AUTH|DSN|DATABASE_URL|PRIVATE|CERT)\w*\s*=",
    re.I | re.M,
)
ENV_TEMPLATES = (".example", ".sample", ".template", ".dist", ".defaults", ".in", ".tpl", ".schema")
PR_HEAD = re.compile(r"github\.event\.pull_request\.head\.(sha|ref)|github\.head_ref|refs/pull/")
FIXTURE_DIRS = re.compile(r"(^|/)(tests?|testing|fixtures|testdata|test_data|certs)/")
# CI configuration, and compose files that start services for tests or CI (`compose.ci.yaml`)
CI_FILES = re.compile(
    r"^(?:\.github|\.ci|ci|\.circleci|\.buildkite|\.gitlab)/|^\.gitlab-ci\.ya?ml$|^\.travis\.ya?ml$"
    r"|(?:^|/)(?:docker-)?compose[^/]*[.-](?:ci|test|tests|e2e|cypress)[^/]*\.ya?ml$"
)
RECORDED_PAGES = (".html", ".htm", ".xml", ".txt")
# documentation, examples and demos, also under a name of their own (`demodesk/`, `example_app/`)
DOCS_DIRS = re.compile(
    r"(^|/)(docs?|docs_src|examples?|tutorials?|samples?|demo[\w-]*|(?:example|sample)[_-][\w-]+)/"
)
# An API description (OpenAPI, Swagger): its literals are the examples of a schema
API_DESCRIPTION = re.compile(r"(^|/)(openapi|swagger)[^/]*\.(ya?ml|json)$", re.I)
FULL_SHA = re.compile(r"^[0-9a-f]{40}$")
FIRST_PARTY_OWNERS = ("actions/", "github/")


RENOVATE_FILES = (
    "renovate.json",
    "renovate.json5",
    ".github/renovate.json",
    ".github/renovate.json5",
    ".gitlab/renovate.json",
    ".renovaterc",
    ".renovaterc.json",
)
OSV_ALERTS = re.compile(r"""["']?osvVulnerabilityAlerts["']?\s*:\s*true""")


# a preset Renovate fetches from another repository (`github>org/actions//config/renovate.json`,
# `local>org/renovate-config`): what it enables cannot be read from this one
REMOTE_PRESET = re.compile(r"""["'](?:github|gitlab|gitea|bitbucket|local)>""")


def _renovate_audits(p: Project) -> bool:
    """True when the repository's Renovate configuration checks dependencies against OSV, or
    builds on a preset of another repository, which may (prodready cannot read it)."""
    texts = [p.repo.read(f) or "" for f in RENOVATE_FILES if p.repo.exists(f)]
    return any(OSV_ALERTS.search(text) or REMOTE_PRESET.search(text) for text in texts)


# Dependabot's alerts at work: a link to one of the repository's alerts (a floor raised for it,
# `# https://github.com/org/repo/security/dependabot/174`), or the project saying its
# security updates are on
DEPENDABOT_ALERTS = re.compile(
    r"github\.com/[\w.-]+/[\w.-]+/security/dependabot\b|dependabot security updates?\b"
    r"|dependabot(?:'s)? (?:security )?alerts\b",
    re.I,
)
ALERT_FILES = (
    "pyproject.toml",
    ".github/dependabot.yml",
    ".github/dependabot.yaml",
    "CONTRIBUTING.md",
    "CONTRIBUTING.rst",
    ".github/CONTRIBUTING.md",
    "SECURITY.md",
    ".github/SECURITY.md",
)
# a workflow submitting dependencies to GitHub's dependency graph, whose only use is to have
# Dependabot alert on them (the submission API, or an action built on it)
DEPENDENCY_SUBMISSION = re.compile(r"dependency-graph/snapshots|dependency-submission", re.I)


def _dependabot_alerts(p: Project) -> bool:
    """True when the repository shows that Dependabot's security alerts watch its dependencies:
    it links an alert, says its security updates are on, or submits dependencies to the
    dependency graph for them."""
    texts = [p.repo.read(f) or "" for f in ALERT_FILES if p.repo.exists(f)]
    if any(DEPENDABOT_ALERTS.search(text) for text in texts):
        return True
    return any(DEPENDENCY_SUBMISSION.search(p.repo.read(f) or "") for f in p.workflows.paths)


@rule(
    "SEC001",
    "no-dependency-audit",
    source="Lesson: pip-audit flagged published advisories for the pip and setuptools versions in a project's environment; OpenSSF Scorecard Vulnerabilities",
    peers=("scorecard:Vulnerabilities",),
)
def no_dependency_audit(p: Project) -> Iterator[Violation]:
    """Nothing audits the dependencies for known vulnerabilities.

    ## What it does
    Looks for pip-audit, safety, osv-scanner, `uv audit`, GitHub's dependency-review action, or
    a scanner that reads the Python packages of a tree or an image (Trivy, Grype, Snyk), or
    OpenSSF Scorecard (whose Vulnerabilities check matches the dependencies against OSV) in CI,
    pre-commit, tox, nox and Makefiles, and Renovate told to raise OSV's advisories
    (`"osvVulnerabilityAlerts": true`, or a preset of another repository, which prodready
    cannot read, `github>org/actions//config/renovate.json`); and Dependabot's security alerts
    where the repository shows they watch its dependencies: a link to one of its alerts (a
    floor raised for `/security/dependabot/174`), a statement that Dependabot security updates
    are on (in pyproject.toml, the Dependabot configuration, CONTRIBUTING or SECURITY), or a
    workflow submitting dependencies to the dependency graph for them. A library that declares
    no dependency at all (extras for its own developers, `test` or `docs`, aside; read from
    `[project]`, poetry's table, setup.cfg, or a literal `setup()` call without
    `install_requires`, whose `**` arguments are dictionaries without it) has nothing its
    users install to audit and is left alone.

    ## Why it matters
    A published advisory for one of your dependencies goes unnoticed until somebody exploits it.

    ## Example
    ```yaml
    # CI runs tests and lint only
    ```

    ## Use instead
    ```yaml
    - run: pip-audit --strict
    ```

    ## Fix
    Add pip-audit to CI (and a pre-push hook).
    """
    if p.kind is Kind.LIBRARY and p.packaging.installs_nothing:
        return  # a package that installs nothing beside itself has no dependency to audit
    if any(p.tools.uses(tool) for tool in AUDITORS) or _renovate_audits(p):
        return
    if not _dependabot_alerts(p):
        yield Violation("no dependency vulnerability audit: run pip-audit (or osv-scanner) in CI")


@rule(
    "SEC002",
    "no-static-security-analysis",
    source="OpenSSF Scorecard SAST; bandit docs: https://bandit.readthedocs.io/",
    peers=("scorecard:SAST",),
)
def no_static_security_analysis(p: Project) -> Iterator[Violation]:
    """No static security analysis runs on the code.

    ## What it does
    Looks for bandit, ruff's `S` rules, semgrep or CodeQL (its action, or a reusable workflow
    named for it). ruff's selection is read as ruff
    reads it, following `extend` to the configuration it builds on; `ALL` or any `S` selector
    counts, even with single rules such as `S101` ignored (the three `S` rules of ruff's default
    selection since 0.16, `exec` and `try`-`except`-`pass`, are no such analysis).

    ## Why it matters
    `subprocess(..., shell=True)` with user input, `yaml.load`, `pickle` from the network and
    hard-coded temp paths are found by these tools in seconds and by attackers later.

    ## Example
    ```toml
    [tool.ruff.lint]
    select = ["E", "F"]
    ```

    ## Use instead
    ```toml
    [tool.ruff.lint]
    select = ["E", "F", "S"]
    ```

    ## Fix
    Select ruff's `S` rules (flake8-bandit) or run bandit.
    """
    if p.tools.uses("bandit") or p.tools.uses("semgrep") or p.tools.uses("codeql"):
        return
    if p.tools.uses("ruff") and p.tools.ruff_enables_any("S", configured=True):
        return
    yield Violation("no static security analysis: select ruff's S rules or run bandit")


@rule(
    "SEC003",
    "secret-in-repository",
    severity="W",
    source="detect-secrets: https://github.com/Yelp/detect-secrets; The Twelve-Factor App, III. Config: https://12factor.net/config",
)
def secret_in_repository(p: Project) -> Iterator[Violation]:
    """A secret-shaped value sits in a tracked file.

    ## What it does
    Searches tracked text files for private key blocks and for tokens by their known shapes (AWS
    access key ids, GitHub, GitLab, Slack, Google, Stripe live, PyPI, OpenAI-style and Hugging
    Face tokens), and settings-like files (Python, TOML, YAML, INI, JSON, `.env`) for literal
    `password=` / `secret=` / `api_key=` values that are not placeholders. Private keys and
    password literals under test folders (by name, or named by pytest's `testpaths`) and in
    documentation, examples and demos are left alone (test suites and demo servers ship
    throw-away keys and example credentials on purpose); token shapes are reported everywhere,
    except fillers whose last characters repeat one or two (`AKIA6666666666666666`); an AWS
    access key id only with a secret access key near it (an id alone, as in sample output,
    authenticates nothing), and except, in test code, a token beside the URL of the staging,
    sandbox or CI instance of a service it is for (`https://hub-ci.huggingface.co`, within a
    few lines): that instance's throw-away token. Literals in user-interface translations (`lang/`, `locale/`, `i18n/`:
    `"password": "Passwort"`) are words, not values, and those of API descriptions
    (`openapi*.yaml`, `swagger*.json`) are a schema's examples. A Google API key (`AIza…`) is
    information: browser, Maps and Firebase keys are public by design (every visitor's browser
    receives them, YouTube's own web key among them) and restricted to their origins, which the
    repository does not show; only a server key is a secret.

    ## Why it matters
    A pushed secret is in every clone and every fork forever; bots scan public repositories for
    these shapes within minutes.

    ## Example
    ```python
    GITHUB_TOKEN = "ghp_…"   # the real 36 characters
    ```

    ## Use instead
    ```python
    GITHUB_TOKEN = os.environ["GITHUB_TOKEN"]
    ```

    ## Fix
    Revoke the secret first, then remove it from the history and read it from the environment or
    a secret store.
    """
    for path, facts in p.sources.facts_for(p.sources.scanned_files):
        for line, what in facts.secrets:
            in_tests = FIXTURE_DIRS.search(path) is not None or path.startswith(
                p.packaging.test_roots
            )
            throwaway = (
                in_tests
                or DOCS_DIRS.search(path) is not None
                or API_DESCRIPTION.search(path) is not None
            )
            if throwaway and (what == "a private key" or what.startswith("a literal")):
                continue
            if what.startswith("a literal") and CI_FILES.search(path):
                continue  # the password of a service container CI starts for the tests
            if in_tests and path.lower().endswith(RECORDED_PAGES):
                continue  # a page saved as test data carries the site's ids, not the project's
            if what == GOOGLE_API_KEY:
                message = f"{what} is committed here: restrict it to your origins, or revoke it and read it from the environment if it is a server key"
                yield at_line(path, message, line)._replace(severity=Severity.INFO)
                continue
            yield at_line(
                path, f"{what} is committed here: revoke it and read it from the environment", line
            )


@rule(
    "SEC004",
    "env-file-committed",
    severity="W",
    source="The Twelve-Factor App, III. Config: https://12factor.net/config; https://github.com/github/gitignore/blob/main/Python.gitignore",
)
def env_file_committed(p: Project) -> Iterator[Violation]:
    """A `.env` file is committed, or present and not ignored.

    ## What it does
    Reports `.env` and `.env.*` files (templates such as `.env.example` excepted) that git tracks,
    or that sit in the tree without an ignore rule, when they set a variable whose name suggests a
    secret (`…KEY`, `…TOKEN`, `…SECRET`, `PASSWORD`, `DATABASE_URL`, …). A `.env` of plain
    settings (editor or test options) is left alone, and so is one inside a project template's
    folder (`{{cookiecutter.project_name}}/.env`), which each generated project ignores itself.

    ## Why it matters
    `.env` files hold the real secrets of a deployment; once pushed they are in the history of
    every clone and must be rotated.

    ## Example
    ```text
    .env   (tracked)
    ```

    ## Use instead
    ```text
    .env.example   (tracked, placeholder values)
    .gitignore:    .env
    ```

    ## Fix
    `git rm --cached .env`, add it to `.gitignore`, and rotate every secret it held.
    """
    # The file list holds tracked files and untracked ones no ignore rule covers: all exposed.
    tracked = p.repo.tracked or frozenset()
    for path in (f for f in p.repo.files if _is_env_file(f.rsplit("/", 1)[-1])):
        if in_template(path):
            continue  # rendered into the projects a template makes, with their own ignores
        if not SECRET_NAME.search(p.repo.read(path) or "SECRET="):
            continue  # only settings such as TERMINAL_WIDTH: nothing to leak
        state = "is tracked by git" if path in tracked else "is not ignored by .gitignore"
        yield at_line(path, f"{path} {state}: it may hold secrets")


def _is_env_file(name: str) -> bool:
    return (name == ".env" or name.startswith(".env.")) and not name.endswith(ENV_TEMPLATES)


@rule(
    "SEC005",
    "audit-failure-discarded",
    source="Lesson: to silence system-package advisories, CI ran pip-audit || true, so no advisory could fail the build; https://github.com/pypa/pip-audit",
)
def audit_failure_discarded(p: Project) -> Iterator[Violation]:
    """A dependency audit runs, but its failure is thrown away.

    ## What it does
    Reports pip-audit / safety / osv-scanner commands followed by `|| true` (or `|| exit 0`), and
    CI steps that run them with `continue-on-error: true`.

    ## Why it matters
    The audit can never fail the build, so a critical advisory scrolls past in a log nobody reads.
    One project did this to silence advisories for system packages; the right tool is `--ignore-vuln ID` with a reason.

    ## Example
    ```yaml
    - run: pip-audit --skip-editable || true
    ```

    ## Use instead
    ```yaml
    - run: pip-audit --skip-editable --ignore-vuln GHSA-xxxx  # not reachable: see docs/security.md
    ```

    ## Fix
    Ignore named advisories with a reason; let everything else fail.
    """
    for step in p.workflows.steps:
        if (
            AUDIT_COMMAND.search(step.run)
            and str(step.data.get("continue-on-error", "")).lower() == "true"
        ):
            yield at_line(
                step.doc.path,
                "the audit step has continue-on-error: true; it can never fail",
                step.line,
            )
    for path in p.automation.paths:
        text = p.repo.read(path) or ""
        if not AUDIT_COMMAND.search(text):
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if AUDIT_COMMAND.search(line) and DISCARDED.search(line):
                yield at_line(
                    path,
                    "the audit's failure is discarded (`|| true`): ignore named advisories instead",
                    number,
                )


def _bounded(p: Project, job: dict[str, Any]) -> bool:
    """True when the job's token is limited: it sets `permissions`, or it calls a reusable
    workflow of the repository whose top-level `permissions` limit the token it is handed (one
    of another repository cannot be read offline: most set none, so the caller should)."""
    if "permissions" in job:
        return True
    called = job.get("uses")
    if not isinstance(called, str) or not called.startswith("./"):
        return False
    target = called[2:].split("@", 1)[0]
    return any(
        doc.path == target and isinstance(doc.data, dict) and "permissions" in doc.data
        for doc in p.workflows.docs
    )


@rule(
    "SEC006",
    "workflow-permissions",
    fix="safe",
    source="OpenSSF Scorecard Token-Permissions",
    peers=("scorecard:Token-Permissions", "zizmor:excessive-permissions"),
)
def workflow_permissions(p: Project) -> Iterator[Violation]:
    """A workflow has no top-level `permissions:`, or grants `write-all`.

    ## What it does
    Reports workflows without a top-level `permissions:` block (unless every job sets its own,
    or calls a reusable workflow of this repository with top-level `permissions`), and any
    `permissions: write-all`. A call of another repository's workflow counts as unlimited: its
    file cannot be read offline, and the caller's `permissions` bound it either way.

    ## Why it matters
    The default token may be able to push code and publish releases; a compromised action or
    dependency in any step then can too.

    ## Example
    ```yaml
    on: push
    jobs: ...
    ```

    ## Use instead
    ```yaml
    on: push
    permissions:
      contents: read
    jobs: ...
    ```

    ## Fix
    Add `permissions: contents: read` at the top; grant more per job only where needed.
    `prodready fix` adds it when no job would lose a permission it uses: every job either sets
    its own `permissions` (which replace the top-level ones) or only checks out, sets up tools,
    moves artifacts of the run, and runs scripts that neither push, tag, release, publish,
    deploy, sign nor call `gh` or GitHub's API (GHA004 reads jobs the same way). A job that calls a
    reusable workflow or any other action leaves the workflow to you: which grants it needs
    cannot be read offline, and guessing them would either break it or over-grant.
    """
    for doc in p.workflows.docs:
        data = doc.data
        if triggers(doc) == {"workflow_call"}:
            continue  # a reusable workflow runs with its caller's token
        every_job = all(_bounded(p, job) for _, job in jobs(doc)) and any(True for _ in jobs(doc))
        if "permissions" not in data and not every_job:
            safe = all("permissions" in job or token_use(job) is None for _, job in jobs(doc))
            yield Violation(
                "no top-level permissions: the token gets the repository's defaults",
                doc.path,
                1,
                1,
                data=("contents: read",),
                fixable=safe and any(True for _ in jobs(doc)),
            )
        if data.get("permissions") == "write-all":
            yield at_line(
                doc.path, "permissions: write-all grants every scope", doc.line_of("permissions")
            )._replace(fixable=False)
        for job_id, job in jobs(doc):
            if job.get("permissions") == "write-all":
                yield at_line(
                    doc.path,
                    f"job {job_id} has permissions: write-all",
                    doc.line_of("jobs", job_id, "permissions"),
                )._replace(fixable=False)


@rule(
    "SEC007",
    "action-not-pinned",
    severity="I",
    source="OpenSSF Scorecard Pinned-Dependencies",
    peers=("scorecard:Pinned-Dependencies", "zizmor:unpinned-uses"),
)
def action_not_pinned(p: Project) -> Iterator[Violation]:
    """A third-party GitHub Action is not pinned to a full commit SHA.

    ## What it does
    Reports `uses: owner/action@ref` where the owner is not `actions` or `github` and the ref is
    not a 40-character commit SHA.

    ## Why it matters
    Tags can be moved: whoever controls the action's repository can change what runs in your CI,
    with your secrets (as happened to tj-actions/changed-files in 2025).

    ## Example
    ```yaml
    - uses: pypa/gh-action-pypi-publish@release/v1
    ```

    ## Use instead
    ```yaml
    - uses: pypa/gh-action-pypi-publish@76f52bc884231f62b9a034ebfe128415bbaabdfc  # v1.12.4
    ```

    ## Fix
    Pin the SHA and keep the tag in a comment; dependabot updates both.
    """
    for step in p.workflows.steps:
        uses = step.uses
        if not uses or uses.startswith(("./", "docker://")) or uses.startswith(FIRST_PARTY_OWNERS):
            continue
        ref = uses.partition("@")[2]
        if not FULL_SHA.match(ref):
            yield at_line(
                step.doc.path,
                f"{uses} is not pinned to a commit SHA",
                step.doc.line_of("jobs", step.job, "steps", step.position, "uses"),
            )


SAME_REPOSITORY = re.compile(
    r"head\.repo\.full_name\s*==|==\s*github\.event\.pull_request\.head\.repo\.full_name"
    r"|head\.repo\.fork\s*==\s*false|!\s*github\.event\.pull_request\.head\.repo\.fork"
)


def _same_repository_only(step: Step) -> bool:
    """True when the job or the step runs only for pull requests from the repository itself
    (`if: github.event.pull_request.head.repo.full_name == github.repository`): a fork's code
    never reaches it."""
    job = dict(jobs(step.doc)).get(step.job, {})
    conditions = [str(job.get("if", "")), str(step.data.get("if", ""))]
    return any(SAME_REPOSITORY.search(" ".join(c.split())) for c in conditions)


# What runs code of the working tree: an install or a build of it, an interpreter or a task
# runner, a script of the checkout, or an action defined in it (`uses: ./.github/actions/x`).
# A command word, not part of a file name (`review.sh`, `uv.lock`); an interpreter counts unless
# it runs a script from an absolute path outside the workspace (`bash /tmp/gather.sh`, `python
# "${{ runner.temp }}/check.py"`: the runner's temporary folder, written before the checkout).
RUNS_WORKSPACE = re.compile(
    r"(?<![\w./-])(?:pip3?|uv|poetry|pdm|hatch|npm|npx|yarn|pnpm|bun|cargo|go|mvn|gradle)(?![\w.-])"
    r"|(?<![\w./-])(?:python3?|pytest|tox|nox|make|just|invoke|bash|sh|node|ruby|perl)"
    r"(?![\w.-])(?![ \t]+[\"']?(?:/|\$\{\{\s*runner\.temp\s*\}\}/|\$\{?RUNNER_TEMP\b))"
    r"|(?:^|[\s;&|(])\./"
)


def _runs_checked_out_code(checkout: Step, steps: list[Step]) -> bool:
    """True when a later step of the checkout's job runs something from the working tree (a
    checkout that only reads files, as a release-note check does, hands nothing over)."""
    for step in steps:
        if step.doc is not checkout.doc or step.job != checkout.job:
            continue
        if step.position <= checkout.position:
            continue
        if step.uses.startswith("./") or RUNS_WORKSPACE.search(step.run):
            return True
    return False


@rule(
    "SEC008",
    "pull-request-target-checkout",
    severity="E",
    source="OpenSSF Scorecard Dangerous-Workflow",
    peers=("scorecard:Dangerous-Workflow", "zizmor:dangerous-triggers"),
)
def pull_request_target_checkout(p: Project) -> Iterator[Violation]:
    """A `pull_request_target` workflow checks out the pull request's code.

    ## What it does
    Reports checkout steps in `pull_request_target` workflows whose `ref` is the pull request's
    head (`github.event.pull_request.head.sha`, `head.ref`, `github.head_ref`, `refs/pull/…`)
    when a later step of the job runs code from the working tree (an install, a build, an
    interpreter, a task runner, a script of the checkout or a local action; not a script run
    from an absolute path outside it, as `bash /tmp/gather.sh`), unless the job or
    step runs only for pull requests from the repository itself (an `if:` comparing
    `head.repo.full_name` with the repository, or `head.repo.fork == false`). A checkout that
    only reads files for an action is left to workflow linters such as zizmor.

    ## Why it matters
    `pull_request_target` runs with the base repository's secrets and a write token; checking out
    and building a stranger's code there hands both to the stranger.

    ## Example
    ```yaml
    on: pull_request_target
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{ github.event.pull_request.head.sha }}
    ```

    ## Use instead
    ```yaml
    on: pull_request
    ```

    ## Fix
    Use `pull_request`, or split the privileged part into a `workflow_run` workflow that never
    runs the pull request's code.
    """
    steps = p.workflows.steps
    for step in steps:
        if "pull_request_target" not in triggers(step.doc) or "checkout" not in step.uses:
            continue
        options = step.data.get("with")
        ref = str(options.get("ref", "")) if isinstance(options, dict) else ""
        if (
            PR_HEAD.search(ref)
            and not _same_repository_only(step)
            and _runs_checked_out_code(step, steps)
        ):
            yield at_line(
                step.doc.path,
                "pull_request_target checks out the pull request's head with the base repository's secrets",
                step.line,
            )


SECURITY_POLICY = re.compile(
    r"^(?:\.github/|docs?/)?security(?:\.(?:md|markdown|rst|txt|adoc))?$", re.IGNORECASE
)
PRIVATE_CLASSIFIER = "Private :: Do Not Upload"


@rule(
    "SEC009",
    "security-policy",
    severity="I",
    source="OpenSSF Scorecard Security-Policy: https://github.com/ossf/scorecard/blob/main/docs/checks.md#security-policy; GitHub docs, adding a security policy: https://docs.github.com/en/code-security/getting-started/adding-a-security-policy-to-your-repository",
    peers=("scorecard:Security-Policy",),
)
def security_policy(p: Project) -> Iterator[Violation]:
    """The repository has no security policy saying how to report a vulnerability.

    ## What it does
    Looks for `SECURITY.md` (any case; `.md`, `.markdown`, `.rst`, `.txt`, `.adoc`) at the
    root, in `.github/` and in `docs/` or `doc/`, where GitHub and Scorecard look. It speaks
    to libraries and services, and to applications that build a distribution; it stays quiet
    for an application that is never packaged and for a project marked
    `Private :: Do Not Upload`. A policy kept in the organisation's `.github` repository
    cannot be seen offline: if that is where yours lives, ignore this rule in
    `[tool.prodready]`.

    ## Why it matters
    Whoever finds a vulnerability needs a private way to report it. Without a policy the
    report lands in a public issue, where everybody can read it before a fix exists, or is
    never sent. GitHub shows the file on the repository's Security tab and offers private
    vulnerability reporting beside it. It is advice (info): nothing breaks without it.

    ## Example
    ```text
    README.md
    src/example/__init__.py
    ```

    ## Use instead
    ```text
    SECURITY.md   (supported versions; report privately via GitHub's private vulnerability
                   reporting or an address; what to expect and when)
    ```

    ## Fix
    Add `SECURITY.md` saying which versions get fixes and where to report privately, and turn
    on private vulnerability reporting in the repository's settings.
    """
    if any(SECURITY_POLICY.match(path) for path in p.repo.files):
        return
    classifiers = p.packaging.meta.get("classifiers")
    if isinstance(classifiers, list) and PRIVATE_CLASSIFIER in classifiers:
        return
    distributed = (
        p.packaging.has_project_table or p.repo.exists("setup.py")
    ) and not p.packaging.not_packaged
    if p.kind is Kind.APPLICATION and not distributed:
        return
    yield Violation(
        "no SECURITY.md: say how to report a vulnerability privately (root, .github/ or docs/)"
    )
