"""GHA rules: GitHub Actions workflow security, on workflows reduced from real projects."""

from __future__ import annotations

import pytest

from tests.conftest import Audit
from tests.rules.cases import Case, ids, run_case

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

CASES = [
    Case("shared-top-level-writes", "GHA004", {WF: SHARED_WRITES}, 2, says="checks: write"),
    Case("job-write-no-step-uses", "GHA004", {WF: UNUSED_JOB_WRITE}, 1, line=8),
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


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_gha_rules(audit: Audit, case: Case) -> None:
    run_case(audit, case)
