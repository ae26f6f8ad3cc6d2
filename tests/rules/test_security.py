"""SEC rules (configuration side): audits, static analysis, no committed secrets, safe CI."""

from __future__ import annotations

import pytest

from tests.conftest import Audit
from tests.rules.cases import Case, ids, run_case


def workflow(
    body: str, head: str = "on: push\npermissions:\n  contents: read\n"
) -> dict[str, str | bytes]:
    """A GitHub workflow file whose jobs section is `body`."""
    return {".github/workflows/ci.yml": head + "jobs:\n" + body}


JOB = "  test:\n    runs-on: ubuntu-latest\n    steps:\n"
CASES = [
    Case(
        "none",
        "SEC001",
        {"pyproject.toml": "[project]\nname = 'x'\ndependencies = ['requests>=2']\n"},
        1,
    ),
    # Renovate raises OSV's advisories as pull requests
    Case(
        "renovate-osv-alerts",
        "SEC001",
        {
            "pyproject.toml": "[project]\nname = 'x'\ndependencies = ['requests>=2']\n",
            ".github/renovate.json5": "{\n  extends: ['config:recommended'],\n"
            "  osvVulnerabilityAlerts: true,\n}\n",
        },
        0,
    ),
    Case(
        "renovate-without-osv-alerts",
        "SEC001",
        {
            "pyproject.toml": "[project]\nname = 'x'\ndependencies = ['requests>=2']\n",
            "renovate.json": '{"extends": ["config:recommended"]}\n',
        },
        1,
    ),
    # reduced from cleo and micrograd: nothing is installed beside the package itself
    Case(
        "no-dependencies",
        "SEC001",
        {"pyproject.toml": "[project]\nname = 'x'\nversion = '1'\ndependencies = []\n"},
        0,
    ),
    # reduced from pydub and sh: a literal setup() and a poetry table that require nothing
    Case(
        "setup-py-without-requirements",
        "SEC001",
        {
            "setup.py": "from setuptools import setup\nsetup(name='x', version='1', py_modules=['x'])\n"
        },
        0,
    ),
    Case(
        "poetry-without-requirements",
        "SEC001",
        {
            "pyproject.toml": "[tool.poetry]\nname = 'x'\nversion = '1'\n"
            "[tool.poetry.dependencies]\npython = '^3.9'\n"
            "[build-system]\nrequires = ['poetry-core']\nbuild-backend = 'poetry.core.masonry.api'\n"
        },
        0,
    ),
    Case(
        "setup-py-computing-its-requirements",
        "SEC001",
        {
            "setup.py": "from setuptools import setup\nsetup(name='x', install_requires=open('r.txt').read().split())\n"
        },
        1,
    ),
    # reduced from tenacity: its extras are for its own developers; a feature extra counts
    Case(
        "only-development-extras",
        "SEC001",
        {
            "pyproject.toml": "[project]\nname = 'x'\nversion = '1'\ndependencies = []\n"
            "[project.optional-dependencies]\ndoc = ['sphinx']\ntest = ['pytest']\n"
        },
        0,
    ),
    Case(
        "a-feature-extra",
        "SEC001",
        {
            "pyproject.toml": "[project]\nname = 'x'\nversion = '1'\ndependencies = []\n"
            "[project.optional-dependencies]\ntornado = ['tornado>=6']\ntest = ['pytest']\n"
        },
        1,
    ),
    # reduced from ansible-lint: Renovate builds on the organisation's preset, which sets
    # osvVulnerabilityAlerts in another repository
    Case(
        "renovate-preset-of-another-repository",
        "SEC001",
        {
            "pyproject.toml": "[project]\nname = 'x'\ndependencies = ['requests>=2']\n",
            "renovate.json": '{"extends": ["github>org/actions//config/renovate.json"]}\n',
        },
        0,
    ),
    # reduced from pyflakes: setup(**extra) where `extra` only ever holds scripts or a test suite
    Case(
        "setup-py-keywords-from-a-dictionary-without-requirements",
        "SEC001",
        {
            "setup.py": "try:\n    from setuptools import setup\nexcept ImportError:\n"
            "    from distutils.core import setup\n    extra = {'scripts': ['bin/x']}\nelse:\n"
            "    extra = {'entry_points': {'console_scripts': ['x = x:main']}}\n"
            "setup(name='x', packages=['x'], **extra)\n"
        },
        0,
    ),
    # reduced from simplejson: the only setup() call sits in run_setup(), its keywords from
    # `dict(...)` calls without requirements
    Case(
        "setup-in-a-function-keywords-from-dict-calls",
        "SEC001",
        {
            "setup.py": "from setuptools import setup\n\ndef run_setup(with_binary):\n"
            "    cmdclass = dict(test=object)\n    if with_binary:\n"
            "        kw = dict(ext_modules=[], cmdclass=cmdclass)\n    else:\n"
            "        kw = dict(cmdclass=cmdclass)\n"
            "    setup(name='x', packages=['x'], **kw)\n\nrun_setup(True)\n"
        },
        0,
    ),
    Case(
        "setup-in-a-function-keywords-with-requirements",
        "SEC001",
        {
            "setup.py": "from setuptools import setup\n\ndef run_setup():\n"
            "    kw = dict(install_requires=['requests'])\n"
            "    setup(name='x', packages=['x'], **kw)\n\nrun_setup()\n"
        },
        1,
    ),
    Case(
        "setup-py-keywords-from-a-dictionary-with-requirements",
        "SEC001",
        {
            "setup.py": "from setuptools import setup\nextra = {'scripts': ['bin/x']}\n"
            "extra['install_requires'] = ['requests']\nsetup(name='x', **extra)\n"
        },
        1,
    ),
    # reduced from nicegui, openai-python and aiohttp: Dependabot's alerts watch the
    # dependencies (floors raised for its alerts, security updates said to be on, the
    # vendored dependency submitted to the dependency graph)
    Case(
        "floors-raised-for-dependabot-alerts",
        "SEC001",
        {
            "pyproject.toml": "[project]\nname = 'x'\ndependencies = [\n"
            "  'starlette>=1.3.1',  # https://github.com/org/x/security/dependabot/317\n]\n"
        },
        0,
    ),
    Case(
        "dependabot-security-updates-said-to-be-on",
        "SEC001",
        {
            "pyproject.toml": "[project]\nname = 'x'\ndependencies = ['requests>=2']\n",
            ".github/dependabot.yml": "version: 2\nupdates:\n  - package-ecosystem: uv\n"
            "    directory: /\n    # Version updates wait; Dependabot security updates are exempt.\n"
            "    cooldown:\n      default-days: 7\n",
        },
        0,
    ),
    Case(
        "dependency-submitted-to-the-graph",
        "SEC001",
        {
            "pyproject.toml": "[project]\nname = 'x'\ndependencies = ['requests>=2']\n",
            **workflow(
                JOB + "      - uses: actions/github-script@v9\n        with:\n          script: |\n"
                "            await github.request('POST /repos/{owner}/{repo}/dependency-graph/snapshots')\n"
            ),
        },
        0,
    ),
    # Dependabot's version updates alone, linked to their documentation, are no audit
    Case(
        "dependabot-version-updates",
        "SEC001",
        {
            "pyproject.toml": "[project]\nname = 'x'\ndependencies = ['requests>=2']\n",
            ".github/dependabot.yml": "# https://docs.github.com/en/code-security/dependabot/"
            "dependabot-version-updates\nversion: 2\nupdates:\n  - package-ecosystem: pip\n"
            "    directory: /\n",
        },
        1,
    ),
    Case("pip-audit-in-ci", "SEC001", workflow(JOB + "      - run: pip-audit --strict\n"), 0),
    Case(
        "osv-hook",
        "SEC001",
        {
            ".pre-commit-config.yaml": "repos:\n  - repo: https://github.com/google/osv-scanner\n    rev: v1\n    hooks:\n      - id: osv-scanner\n"
        },
        0,
    ),
    Case(
        "none",
        "SEC002",
        {"pyproject.toml": '[project]\nname = "x"\n[tool.ruff.lint]\nselect = ["E", "F"]\n'},
        1,
    ),
    Case(
        "ruff-s",
        "SEC002",
        {"pyproject.toml": '[project]\nname = "x"\n[tool.ruff.lint]\nselect = ["E", "S"]\n'},
        0,
    ),
    Case(
        "ruff-all-minus-s",
        "SEC002",
        {
            "pyproject.toml": '[project]\nname = "x"\n[tool.ruff.lint]\nselect = ["ALL"]\nignore = ["S"]\n'
        },
        1,
    ),
    Case(
        "ruff-s-with-assert-ignored-and-sim-is-not-s",
        "SEC002",
        {
            "pyproject.toml": '[project]\nname = "x"\n[tool.ruff.lint]\nselect = ["E", "S"]\n'
            'ignore = ["S101"]\n',
            "sub/pyproject.toml": '[project]\nname = "y"\n[tool.ruff.lint]\nselect = ["SIM"]\n',
        },
        0,
    ),
    Case(
        "ruff-sim-alone-is-not-security",
        "SEC002",
        {"pyproject.toml": '[project]\nname = "x"\n[tool.ruff.lint]\nselect = ["SIM", "E"]\n'},
        1,
    ),
    Case(
        "ruff-extends-a-shared-configuration",
        "SEC002",
        {
            "pyproject.toml": '[project]\nname = "x"\n',
            "ruff.toml": 'extend = "ruff_defaults.toml"\n[lint]\nextend-ignore = ["S101"]\n',
            "ruff_defaults.toml": '[lint]\nselect = ["E", "F", "S102", "S103"]\n',
        },
        0,
    ),
    Case("codeql", "SEC002", workflow(JOB + "      - uses: github/codeql-action/analyze@v3\n"), 0),
    # reduced from diffusers: CodeQL through an organisation's reusable workflow
    Case(
        "codeql-reusable-workflow",
        "SEC002",
        workflow(
            "  codeql:\n    uses: org/security-workflows/.github/workflows/codeql-reusable.yml@main\n"
        ),
        0,
    ),
    # reduced from mealie: Trivy scans the image the lock file installs
    Case(
        "trivy-scan",
        "SEC001",
        workflow(
            JOB
            + "      - uses: aquasecurity/trivy-action@0.28.0\n        with:\n          image-ref: app:ci\n"
        ),
        0,
    ),
    # reduced from opentelemetry-python's ossf-scorecard.yml: Scorecard's Vulnerabilities check
    Case(
        "scorecard-scan",
        "SEC001",
        workflow(
            JOB
            + "      - uses: ossf/scorecard-action@v2.4.0\n        with:\n          results_format: sarif\n"
        ),
        0,
    ),
    Case(
        "env-tracked",
        "SEC004",
        {".env": "DATABASE_URL=postgres://u:p@h/db\n"},
        1,
        use_git=True,
        says="tracked",
    ),
    Case("env-not-ignored", "SEC004", {".env": "API_KEY=abc\n"}, 1, says="not ignored"),
    Case(
        "env-ignored", "SEC004", {".env": "API_KEY=abc\n", ".gitignore": ".env\n"}, 0, use_git=True
    ),
    Case("env-example", "SEC004", {".env.example": "API_KEY=\n"}, 0, use_git=True),
    # reduced from FastAPI-template: a template's `.env`, rendered into each generated project
    Case(
        "env-in-template",
        "SEC004",
        {"template/{{cookiecutter.project_name}}/.env": "USERS_SECRET=abc\n"},
        0,
        use_git=True,
    ),
    Case("env-plain-settings", "SEC004", {".env": "TERMINAL_WIDTH=3000\n"}, 0, use_git=True),
    Case(
        "or-true",
        "SEC005",
        workflow(JOB + "      - run: pip-audit --skip-editable || true\n"),
        1,
        line=8,
    ),
    Case(
        "continue-on-error",
        "SEC005",
        workflow(JOB + "      - run: pip-audit\n        continue-on-error: true\n"),
        1,
    ),
    Case("strict", "SEC005", workflow(JOB + "      - run: pip-audit --ignore-vuln GHSA-1234\n"), 0),
    Case(
        "no-permissions",
        "SEC006",
        workflow(JOB + "      - run: pytest\n", head="on: push\n"),
        1,
        line=1,
    ),
    Case(
        "write-all",
        "SEC006",
        workflow(JOB + "      - run: pytest\n", head="on: push\npermissions: write-all\n"),
        1,
        says="write-all",
    ),
    # reduced from isort: the build job calls a workflow of the repository that limits the
    # token itself; the other jobs set their own (and a call to an unlimited one is reported)
    Case(
        "per-job-and-a-limited-reusable-workflow",
        "SEC006",
        {
            ".github/workflows/release.yml": "on: release\njobs:\n"
            "  build:\n    uses: ./.github/workflows/build.yml\n"
            "  publish:\n    runs-on: ubuntu-latest\n    permissions:\n      id-token: write\n"
            "    steps:\n      - run: echo\n",
            ".github/workflows/build.yml": "on: workflow_call\npermissions:\n  contents: read\n"
            "jobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n",
            ".github/workflows/docs.yml": "on: push\njobs:\n"
            "  docs:\n    uses: ./.github/workflows/pages.yml\n",
            ".github/workflows/pages.yml": "on: workflow_call\njobs:\n"
            "  p:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n",
        },
        1,
        says="no top-level permissions",
    ),
    # from ansible-lint: every job calls a workflow of another repository; its permissions
    # cannot be read offline, and a caller's `permissions` bound it either way
    Case(
        "calls-of-another-repositorys-workflows",
        "SEC006",
        {
            ".github/workflows/tox.yml": "on: push\njobs:\n"
            "  tox:\n    uses: ansible/team-devtools/.github/workflows/tox.yml@main\n",
        },
        1,
    ),
    Case(
        "per-job",
        "SEC006",
        workflow(
            JOB.replace("    steps:", "    permissions:\n      contents: read\n    steps:")
            + "      - run: pytest\n",
            head="on: push\n",
        ),
        0,
    ),
    Case(
        "reusable", "SEC006", workflow(JOB + "      - run: pytest\n", head="on: workflow_call\n"), 0
    ),
    Case("read", "SEC006", workflow(JOB + "      - run: pytest\n"), 0),
    Case(
        "tag",
        "SEC007",
        workflow(JOB + "      - uses: pypa/gh-action-pypi-publish@release/v1\n"),
        1,
        line=8,
    ),
    Case(
        "sha",
        "SEC007",
        workflow(
            JOB
            + "      - uses: pypa/gh-action-pypi-publish@76f52bc884231f62b9a034ebfe128415bbaabdfc\n"
        ),
        0,
    ),
    Case(
        "first-party",
        "SEC007",
        workflow(JOB + "      - uses: actions/checkout@v4\n      - uses: ./local-action\n"),
        0,
    ),
    Case(
        "prt-head",
        "SEC008",
        workflow(
            JOB
            + "      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n"
            + "      - run: pip install . && pytest\n",
            head="on: pull_request_target\npermissions: {}\n",
        ),
        1,
    ),
    # reduced from pydantic-ai's review bot: the head is only read; the one script run comes
    # from the base repository through the API, from /tmp, and `.sh`/`uv.lock` are no commands
    Case(
        "prt-head-read-by-a-script-from-outside",
        "SEC008",
        workflow(
            JOB
            + "      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n"
            + "          path: pr-head\n"
            + "      - run: |\n          # diffs without uv.lock\n"
            + "          gh api repos/x/contents/gather.sh --jq .content | base64 -d > /tmp/gather.sh\n"
            + "          bash /tmp/gather.sh 1\n",
            head="on: pull_request_target\npermissions: {}\n",
        ),
        0,
    ),
    # reduced from haystack-core-integrations' docstring labeller: the script was copied into
    # the runner's temporary folder from the base before the head's checkout
    Case(
        "prt-head-read-by-a-script-in-runner-temp",
        "SEC008",
        workflow(
            JOB
            + "      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.ref }}\n"
            + '      - run: python "${{ runner.temp }}/checksum.py" --root "${{ github.workspace }}"\n'
            + '      - run: python "$RUNNER_TEMP/checksum.py"\n',
            head="on: pull_request_target\npermissions: {}\n",
        ),
        0,
    ),
    Case(
        "prt-head-then-a-script-of-the-workspace",
        "SEC008",
        workflow(
            JOB
            + "      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.ref }}\n"
            + '      - run: python "${{ github.workspace }}/checksum.py"\n',
            head="on: pull_request_target\npermissions: {}\n",
        ),
        1,
    ),
    Case(
        "prt-head-then-a-local-action",
        "SEC008",
        workflow(
            JOB
            + "      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.head_ref }}\n"
            + "      - uses: ./.github/actions/build\n",
            head="on: pull_request_target\npermissions: {}\n",
        ),
        1,
    ),
    # reduced from strawberry: the pull request's release notes are read as data, nothing runs
    Case(
        "prt-head-read-as-data-only",
        "SEC008",
        workflow(
            JOB
            + "      - uses: actions/checkout@v4\n        with:\n          ref: refs/pull/${{ github.event.number }}/merge\n"
            + "          sparse-checkout: RELEASE.md\n"
            + "      - uses: autopub/autopub-action@v1\n        with:\n          command: check\n",
            head="on: pull_request_target\npermissions: {}\n",
        ),
        0,
    ),
    Case(
        "prt-head-for-same-repository-pull-requests-only",
        "SEC008",
        workflow(
            JOB.replace(
                "    runs-on:",
                "    if: >\n      ${{ github.event.pull_request.head.repo.full_name ==\n"
                "          github.event.pull_request.base.repo.full_name }}\n    runs-on:",
            )
            + "      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n"
            + "      - run: make test\n",
            head="on: pull_request_target\npermissions: {}\n",
        ),
        0,
    ),
    Case(
        "prt-base",
        "SEC008",
        workflow(
            JOB + "      - uses: actions/checkout@v4\n",
            head="on: pull_request_target\npermissions: {}\n",
        ),
        0,
    ),
    Case(
        "pr-head",
        "SEC008",
        workflow(
            JOB
            + "      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n",
            head="on: [pull_request]\npermissions: {}\n",
        ),
        0,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_security_rules(audit: Audit, case: Case) -> None:
    run_case(audit, case)
