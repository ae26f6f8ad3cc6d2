"""GHA rules: template injection, dangerous triggers, persisted checkout credentials; cases
reduced from real workflows."""

from __future__ import annotations

import pytest

from prodready.findings import Severity
from tests.conftest import Audit
from tests.rules.cases import Case, ids, run_case

PY = {"pyproject.toml": "[project]\nname = 'x'\nversion = '1'\n"}


def workflow(body: str, on: str = "push", name: str = "ci.yml") -> dict[str, str | bytes]:
    """A repository with one workflow whose single job runs the steps in `body`."""
    return {
        **PY,
        f".github/workflows/{name}": f"on: {on}\npermissions: {{}}\njobs:\n"
        "  job:\n    runs-on: ubuntu-latest\n    steps:\n" + body,
    }


def run(script: str, extra: str = "") -> str:
    return f"      - run: |\n          {script}\n{extra}"


TITLE = "${{ github.event.issue.title }}"
CASES = [
    Case(
        "issue-title-in-issues-workflow",
        "GHA001",
        workflow(run(f'echo "{TITLE}"'), "issues"),
        1,
        line=8,
    ),
    Case(
        "pr-branch-under-pull-request-target",
        "GHA001",
        workflow("      - run: git log ${{ github.head_ref }}\n", "pull_request_target"),
        1,
        says="github.head_ref",
    ),
    Case(
        "github-script",
        "GHA001",
        workflow(
            "      - uses: actions/github-script@v7\n        with:\n          script: |\n"
            f"            const t = '{TITLE}'\n",
            "issue_comment",
        ),
        1,
        says="script input of actions/github-script",
    ),
    # booleans and comparisons carry no text
    Case(
        "boolean-expressions",
        "GHA001",
        workflow(
            "      - run: echo ${{ contains(github.event.issue.title, 'bug') }} "
            "${{ github.head_ref == 'main' }} ${{ !github.event.issue.body }}\n",
            "issues",
        ),
        0,
    ),
    # the recommended form: the text reaches the shell as a variable
    Case(
        "through-env",
        "GHA001",
        workflow(run('echo "$TITLE"', f"        env:\n          TITLE: {TITLE}\n"), "issues"),
        0,
    ),
    # reduced from aiohttp: `endsWith(...) && '-ft' || ''` is one of two literals
    Case(
        "env-of-literals",
        "GHA001",
        workflow(
            "      - env:\n          GROUP: test${{ endsWith(matrix.pyver, 't') && '-ft' || '' }}\n"
            "        run: pip install -r requirements/${{ env.GROUP }}.in\n"
        ),
        0,
    ),
    # reduced from mealie: the release's tag goes through $GITHUB_ENV into a later script
    Case(
        "github-env-from-a-tag",
        "GHA001",
        workflow(
            "      - run: echo \"VERSION_NUM=$(echo ${{ github.event.release.tag_name }} | sed 's/^v//')\" >> $GITHUB_ENV\n"
            "      - run: sed -i 's/^version = .*/version = \"${{ env.VERSION_NUM }}\"/' pyproject.toml\n",
            "release",
        ),
        2,
    ),
    # reduced from check-jsonschema and redash: typed inputs hold no shell syntax
    Case(
        "typed-inputs",
        "GHA001",
        {
            **PY,
            ".github/workflows/ci.yml": "on:\n  workflow_dispatch:\n    inputs:\n"
            "      devNumber:\n        type: number\n      bump:\n        type: boolean\n"
            "      repo:\n        type: choice\n        options: [preview]\n"
            "jobs:\n  job:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - run: echo ${{ inputs.devNumber }} ${{ github.event.inputs.bump }} ${{ inputs.repo }}\n",
        },
        0,
    ),
    Case(
        "string-input",
        "GHA001",
        {
            **PY,
            ".github/workflows/ci.yml": "on:\n  workflow_dispatch:\n    inputs:\n"
            "      version:\n        required: true\n"
            "jobs:\n  job:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - run: echo ${{ github.event.inputs.version }}\n",
        },
        1,
        says="chosen by whoever dispatches",
    ),
    # reduced from datasets' self-assign: logins, numbers and ids hold no shell syntax
    Case(
        "logins-and-numbers",
        "GHA001",
        workflow(
            '      - run: |\n          curl -d \'{"assignees": ["${{ github.event.comment.user.login }}"]}\' '
            "/issues/${{ github.event.issue.number }} ${{ github.actor }} ${{ github.sha }}\n",
            "issue_comment",
        ),
        0,
    ),
    # reduced from black's diff-shades: a matrix computed by an earlier job
    Case(
        "computed-matrix",
        "GHA001",
        {
            **PY,
            ".github/workflows/ci.yml": "on: push\njobs:\n  job:\n    runs-on: ubuntu-latest\n"
            "    strategy:\n      matrix: ${{ fromJson(needs.configure.outputs.matrix) }}\n"
            "    steps:\n      - run: ${{ matrix.setup-cmd }}\n",
        },
        1,
    ),
    Case(
        "written-matrix",
        "GHA001",
        {
            **PY,
            ".github/workflows/ci.yml": "on: push\njobs:\n  job:\n    runs-on: ubuntu-latest\n"
            "    strategy:\n      matrix:\n        py: ['3.12', '3.13']\n"
            "    steps:\n      - run: echo ${{ matrix.py }}\n",
        },
        0,
    ),
    # reduced from detectron2: a composite action's inputs are its callers' text
    Case(
        "composite-action-input",
        "GHA001",
        {
            **PY,
            ".github/actions/dep/action.yml": "name: dep\ninputs:\n  torch-version:\n    required: true\n"
            "runs:\n  using: composite\n  steps:\n    - shell: bash\n"
            "      run: pip install torch==${{inputs.torch-version}}\n",
        },
        1,
    ),
    Case(
        "secrets-and-runner",
        "GHA001",
        workflow(run("echo ${{ secrets.TOKEN }} ${{ runner.temp }} ${{ steps.x.outcome }}")),
        0,
    ),
    Case(
        "workflow-run-checkout-then-build",
        "GHA002",
        workflow(
            "      - uses: actions/checkout@v4\n        with:\n"
            "          ref: ${{ github.event.workflow_run.head_sha }}\n"
            "      - run: pip install . && python scripts/report.py\n",
            "\n  workflow_run:\n    workflows: [CI]\n    types: [completed]",
        ),
        1,
    ),
    # the repository's own branches only
    Case(
        "workflow-run-checkout-same-repository",
        "GHA002",
        workflow(
            "      - uses: actions/checkout@v4\n        with:\n"
            "          ref: ${{ github.event.workflow_run.head_sha }}\n"
            "        if: github.event.workflow_run.head_repository.full_name == github.repository\n"
            "      - run: pip install .\n",
            "\n  workflow_run:\n    workflows: [CI]\n    types: [completed]",
        ),
        1,  # only the info reminder at the trigger
        says="runs on `workflow_run`",
        line=2,
    ),
    # reduced from pydantic's coverage comment: the artifact is read, not executed
    Case(
        "workflow-run-artifact-read",
        "GHA002",
        workflow(
            "      - uses: actions/download-artifact@v4\n        with:\n          name: coverage\n"
            "          path: cov\n          run-id: ${{ github.event.workflow_run.id }}\n"
            "      - run: pip install coverage && coverage report --data-file cov/.coverage\n",
            "\n  workflow_run:\n    workflows: [CI]\n    types: [completed]",
        ),
        1,  # only the info reminder at the trigger
        says="runs on `workflow_run`",
        line=2,
    ),
    Case(
        "workflow-run-artifact-executed",
        "GHA002",
        workflow(
            "      - uses: actions/download-artifact@v4\n        with:\n          name: pr\n"
            "          path: pr\n          run-id: ${{ github.event.workflow_run.id }}\n"
            "      - run: bash pr/comment.sh\n",
            "\n  workflow_run:\n    workflows: [CI]\n    types: [completed]",
        ),
        1,
    ),
    Case(
        "comment-checks-out-the-pull-request",
        "GHA002",
        workflow(
            "      - uses: actions/checkout@v4\n        with:\n"
            "          ref: refs/pull/${{ github.event.issue.number }}/head\n"
            "      - run: make benchmark\n",
            "issue_comment",
        ),
        1,
    ),
    # reduced from the '/benchmark' bots: only members can start it
    Case(
        "comment-checkout-for-members",
        "GHA002",
        {
            **PY,
            ".github/workflows/ci.yml": "on: issue_comment\njobs:\n  job:\n"
            "    if: github.event.comment.author_association == 'MEMBER'\n"
            "    runs-on: ubuntu-latest\n    steps:\n      - run: gh pr checkout ${{ github.event.issue.number }}\n"
            "      - run: make benchmark\n",
        },
        1,  # only the info reminder at the trigger
        says="runs on `issue_comment`",
    ),
    Case(
        "checkout-then-tests",
        "GHA003",
        workflow("      - uses: actions/checkout@v4\n      - run: pytest\n"),
        1,
    ),
    Case(
        "checkout-without-credentials",
        "GHA003",
        workflow(
            "      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n"
        ),
        0,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_gha_rules(audit: Audit, case: Case) -> None:
    run_case(audit, case)


def _severities(audit: Audit, files: dict[str, str | bytes], code: str) -> list[Severity]:
    return [f.severity for f in audit(files, code) if f.code == code]


def test_injection_is_an_error_only_where_a_stranger_reaches_the_secrets(audit: Audit) -> None:
    script = run(f'echo "{TITLE}"')
    assert _severities(audit, workflow(script, "issues"), "GHA001") == [Severity.ERROR]
    # pull requests from forks hold no secrets: the title is text, not a hole
    pr_title = run('echo "${{ github.event.pull_request.title }}"')
    assert _severities(audit, workflow(pr_title, "pull_request"), "GHA001") == [Severity.WARNING]
    gated: dict[str, str | bytes] = {
        **PY,
        ".github/workflows/ci.yml": "on: issues\njobs:\n  job:\n"
        "    if: github.event.issue.author_association == 'OWNER'\n"
        f"    runs-on: ubuntu-latest\n    steps:\n{script}",
    }
    assert _severities(audit, gated, "GHA001") == [Severity.WARNING]


def test_a_local_action_is_as_dangerous_as_what_its_callers_pass(audit: Audit) -> None:
    files = {
        **workflow(
            f"      - uses: ./.github/actions/greet\n        with:\n          title: {TITLE}\n",
            "issues",
        ),
        ".github/actions/greet/action.yml": "name: greet\ninputs:\n  title: {}\n"
        "runs:\n  using: composite\n  steps:\n    - shell: bash\n"
        '      run: echo "${{ inputs.title }}"\n',
    }
    found = [f for f in audit(files, "GHA001") if f.code == "GHA001"]
    assert [(f.path, f.severity) for f in found] == [
        (".github/actions/greet/action.yml", Severity.ERROR)
    ]


def test_checkout_credentials_are_a_warning_when_the_workspace_is_uploaded(audit: Audit) -> None:
    upload = "      - uses: actions/upload-artifact@v4\n        with:\n          path: .\n"
    plain = workflow("      - uses: actions/checkout@v4\n")
    assert _severities(audit, plain, "GHA003") == [Severity.INFO]
    uploaded = workflow("      - uses: actions/checkout@v4\n" + upload)
    assert _severities(audit, uploaded, "GHA003") == [Severity.WARNING]


def test_a_permission_check_in_a_needed_job_gates_the_checkout(audit: Audit) -> None:
    # reduced from diffusers' GPU tests on a comment: `gate` looks up the commenter first
    files: dict[str, str | bytes] = {
        **PY,
        ".github/workflows/ci.yml": "on: issue_comment\njobs:\n  gate:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: gh api repos/x/y/collaborators/z/permission\n"
        "  tests:\n    needs: gate\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n        with:\n"
        "          ref: refs/pull/${{ github.event.issue.number }}/head\n      - run: pytest\n",
    }
    assert _severities(audit, files, "GHA002") == [Severity.INFO]  # the trigger's reminder


def _action(inputs: str, script: str) -> str:
    return (
        f"name: a\ninputs:\n{inputs}runs:\n  using: composite\n  steps:\n    - shell: bash\n"
        f"      run: {script}\n"
    )


def _severities_in(audit: Audit, files: dict[str, str | bytes], path: str) -> list[Severity]:
    """The severities of GHA001 in one file (the audit's folder keeps earlier files)."""
    return [f.severity for f in audit(files, "GHA001") if f.code == "GHA001" and f.path == path]


def test_severity_follows_who_can_write_the_text(audit: Audit) -> None:
    # reduced from django-rest-framework's prepare-release: a dispatch input is a maintainer's
    dispatch: dict[str, str | bytes] = {
        **PY,
        ".github/workflows/ci.yml": "on:\n  workflow_dispatch:\n    inputs:\n      version: {}\n"
        "jobs:\n  job:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ inputs.version }} ${{ github.ref_name }}\n",
    }
    assert _severities_in(audit, dispatch, ".github/workflows/ci.yml") == [Severity.INFO] * 2
    # reduced from mypy's action.yml: a published action's callers are other repositories;
    # a switch (default 'yes') is written as a literal
    published: dict[str, str | bytes] = {
        **PY,
        "action.yml": _action(
            "  paths:\n    default: .\n  install_types:\n    default: 'yes'\n",
            "mypy ${{ inputs.paths }} ${{ inputs.install_types }}",
        ),
    }
    assert _severities_in(audit, published, "action.yml") == [Severity.WARNING, Severity.INFO]
    # an action of the repository's own, which no workflow calls with a stranger's text
    internal: dict[str, str | bytes] = {
        **PY,
        ".github/actions/dep/action.yml": _action(
            "  torch:\n    required: true\n", "pip install torch==${{ inputs.torch }}"
        ),
    }
    internal_path = ".github/actions/dep/action.yml"
    assert _severities_in(audit, internal, internal_path) == [Severity.INFO]


def test_a_reusable_workflow_no_local_workflow_calls_is_published(audit: Audit) -> None:
    reusable = (
        "on:\n  workflow_call:\n    inputs:\n      project:\n        type: string\n"
        "jobs:\n  job:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: towncrier build --name ${{ inputs.project }}\n"
    )
    alone: dict[str, str | bytes] = {**PY, ".github/workflows/release.yml": reusable}
    assert _severities(audit, alone, "GHA001") == [Severity.WARNING]
    # reduced from setuptools-scm: called by the repository's own release workflow
    called: dict[str, str | bytes] = {
        **alone,
        ".github/workflows/ci.yml": "on: push\njobs:\n  release:\n"
        "    uses: ./.github/workflows/release.yml\n    with:\n      project: setuptools-scm\n",
    }
    assert _severities(audit, called, "GHA001") == [Severity.INFO]


def test_a_repository_name_holds_no_shell_syntax(audit: Audit) -> None:
    # reduced from paperless-ngx's docker build: a fork's owner/name is letters, digits, -_.
    script = run('test "${{ github.event.pull_request.head.repo.full_name }}" = x')
    assert _severities(audit, workflow(script, "pull_request"), "GHA001") == []


WF = ".github/workflows/ci.yml"
CHECKOUT_V7 = "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1"  # v7, v7.0.1
CHECKOUT_V6 = "actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd"  # v6.0.2
SETUP_PYTHON_V620 = "actions/setup-python@a309ff8b426b58ec0e2a45f0f869d46889d02405"  # v6.2.0

# GHA004 ------------------------------------------------------------------------------------
# reduced from sentry-python: test jobs inherit write grants that one reporting job needs
SHARED_WRITES = """\
on: push
permissions:
  contents: read
  checks: write
  pull-requests: write
jobs:
  common:
    runs-on: ubuntu-latest
    steps:
      - run: tox
  report:
    runs-on: ubuntu-latest
    steps:
      - uses: some/reporter@v1
"""
# reduced from hydra's update-backlog-atlas.yml: both jobs push to a branch with the token
BOTH_PUSH = """\
on: schedule
permissions:
  contents: write
jobs:
  ensure-branch:
    runs-on: ubuntu-latest
    steps:
      - run: git push "$remote_url" HEAD:"$BRANCH"
  process:
    runs-on: ubuntu-latest
    steps:
      - run: git pull --rebase origin "$BRANCH" && git push origin HEAD:"$BRANCH"
"""
# reduced from peft: a job that runs zizmor without uploading SARIF keeps security-events: write
UNUSED_JOB_WRITE = """\
on: push
permissions: {}
jobs:
  zizmor:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      security-events: write
    steps:
      - uses: actions/checkout@v6
        with:
          persist-credentials: false
      - run: cargo install --locked zizmor
      - run: zizmor .github/workflows
"""
# reduced from pytest: the packaging job attests through hynek's action (not a read-only one)
ATTESTING_JOB = """\
on: push
permissions: {}
jobs:
  package:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
      attestations: write
    steps:
      - uses: actions/checkout@v6
      - uses: hynek/build-and-inspect-python-package@v2
        with:
          attest-build-provenance-github: 'true'
"""
# reduced from accelerate: the stale bot's script gets the token from the job's env
STALE_BOT_ENV = """\
on: schedule
jobs:
  close_stale_issues:
    runs-on: ubuntu-latest
    permissions:
      issues: write
      pull-requests: write
    env:
      GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}
    steps:
      - uses: actions/checkout@v6
      - uses: actions/setup-python@v6
      - run: python utils/stale.py
"""
# a docs job that pushes with mike: contents: write is used
PUSHING_JOB = """\
on: push
permissions:
  contents: read
jobs:
  docs:
    runs-on: ubuntu-latest
    permissions:
      contents: write
    steps:
      - uses: actions/checkout@v6
      - run: mike deploy --push dev
"""
# one job: the top-level grant is the job's (and it calls an action that may use it)
SINGLE_JOB = """\
on: push
permissions:
  contents: write
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: softprops/action-gh-release@v2
"""
# reduced from boto3: Scorecard's template, one job under a top-level read-all
SCORECARD_READ_ALL = """\
on: push
permissions: read-all
jobs:
  analysis:
    runs-on: ubuntu-latest
    permissions:
      security-events: write
      id-token: write
    steps:
      - uses: ossf/scorecard-action@v2
"""
# a reusable workflow's top-level grants are bounded by its caller
REUSABLE = SHARED_WRITES.replace("on: push", "on: workflow_call")

# GHA005 ------------------------------------------------------------------------------------
# reduced from accelerate
INHERIT = """\
on: push
permissions:
  contents: read
jobs:
  build-docker-containers:
    uses: ./.github/workflows/build_docker_images.yml
    secrets: inherit
  named:
    uses: org/workflows/.github/workflows/release.yml@v1
    secrets:
      token: ${{ secrets.PYPI_TOKEN }}
"""

# GHA006 ------------------------------------------------------------------------------------
# reduced from databases: a publishing job reads the PyPI token without an environment
PUBLISHING_JOB = """\
on:
  release:
    types: [published]
permissions:
  contents: read
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v6
      - run: python -m build && twine upload dist/*
        env:
          TWINE_USERNAME: __token__
          TWINE_PASSWORD: ${{ secrets.PYPI_TOKEN }}
      - run: echo ${{ secrets['SLACK_HOOK'] }}
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: codecov/codecov-action@v5
        with:
          token: ${{ secrets.CODECOV_TOKEN }}
      - run: gh pr list
        env:
          GH_TOKEN: ${{ secrets.GITHUB_TOKEN }}
"""
# a Docker secret is named for what it does, in a job that only logs in
DOCKER_LOGIN = """\
on: push
permissions:
  contents: read
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo "${{ secrets.DOCKERHUB_TOKEN }}" | docker login -u me --password-stdin
"""
IN_ENVIRONMENT = PUBLISHING_JOB.replace(
    "  publish:\n    runs-on: ubuntu-latest\n",
    "  publish:\n    runs-on: ubuntu-latest\n    environment: pypi\n",
)

# GHA007 ------------------------------------------------------------------------------------
# reduced from twine: the commit is checkout's v7.0.1, the comment says v5.0.1
STALE_COMMENT = f"""\
on: push
permissions:
  contents: read
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: {CHECKOUT_V7} # v5.0.1
      - uses: {SETUP_PYTHON_V620}  # tag=v6.1.0
"""
GOOD_COMMENTS = f"""\
on: push
permissions:
  contents: read
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: {CHECKOUT_V7} # v7.0.1
      - uses: {CHECKOUT_V7}  # v7 # zizmor: ignore[artipacked]
      - uses: {CHECKOUT_V6}  # v6
      - uses: {SETUP_PYTHON_V620}  # pinned for the cache fix
      - uses: {CHECKOUT_V6}
      - uses: some/unknown@{"a" * 40}  # v1.0.0
      - uses: actions/checkout@{"b" * 40}  # v6.0.2
"""

PERMISSION_CASES = [
    Case("shared-top-level-writes", "GHA004", {WF: SHARED_WRITES}, 2, says="checks: write"),
    Case("job-write-no-step-uses", "GHA004", {WF: UNUSED_JOB_WRITE}, 1, line=8),
    Case("every-inheriting-job-pushes", "GHA004", {WF: BOTH_PUSH}, 0),
    Case(
        "one-inheriting-job-pushes",
        "GHA004",
        {WF: BOTH_PUSH.replace('git pull --rebase origin "$BRANCH" && git push', "pytest; echo")},
        1,
        says="contents: write is granted at the top",
    ),
    Case(
        "job-read-all",
        "GHA004",
        {
            WF: UNUSED_JOB_WRITE.replace(
                "    permissions:\n      contents: read\n      security-events: write\n",
                "    permissions: read-all\n",
            )
        },
        1,
        says="read-all",
    ),
    Case("attesting-action", "GHA004", {WF: ATTESTING_JOB}, 0),
    Case("token-in-job-env", "GHA004", {WF: STALE_BOT_ENV}, 0),
    Case("pushing-job", "GHA004", {WF: PUSHING_JOB}, 0),
    Case("single-job", "GHA004", {WF: SINGLE_JOB}, 0),
    Case("scorecard-read-all", "GHA004", {WF: SCORECARD_READ_ALL}, 0),
    Case("reusable", "GHA004", {WF: REUSABLE}, 0),
    Case("inherit", "GHA005", {WF: INHERIT}, 1, says="build_docker_images.yml", line=7),
    Case("named-secrets", "GHA005", {WF: SHARED_WRITES}, 0),
    Case("publishing-job", "GHA006", {WF: PUBLISHING_JOB}, 1, says="PYPI_TOKEN, SLACK_HOOK"),
    Case("docker-secret", "GHA006", {WF: DOCKER_LOGIN}, 1, says="DOCKERHUB_TOKEN"),
    Case("in-an-environment", "GHA006", {WF: IN_ENVIRONMENT}, 0),
    Case(
        "reusable-workflow",
        "GHA006",
        {WF: PUBLISHING_JOB.replace("  release:\n    types: [published]\n", "  workflow_call:\n")},
        0,
    ),
    Case("stale-comments", "GHA007", {WF: STALE_COMMENT}, 2, says="commit of v7.0.1", line=8),
    Case("good-comments", "GHA007", {WF: GOOD_COMMENTS}, 0),
]


@pytest.mark.parametrize("case", PERMISSION_CASES, ids=ids(PERMISSION_CASES))
def test_gha_permission_rules(audit: Audit, case: Case) -> None:
    run_case(audit, case)
