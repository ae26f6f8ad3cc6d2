"""The automation read model: what builds, checks and releases the project (CI services, task
runners, scripts, Dockerfiles), read as text for the rules that look for a command."""

from __future__ import annotations

import re
from functools import cached_property

from prodready.project.paths import in_template, in_test_folder, names_example_folder
from prodready.project.precommit import PreCommit
from prodready.project.repository import Repository
from prodready.project.workflows import Workflows

CI_FILES = (
    ".gitlab-ci.yml",
    "cloudbuild.yaml",
    "cloudbuild.yml",
    ".kokoro/build.sh",
    "azure-pipelines.yml",
    ".circleci/config.yml",
    ".travis.yml",
    "Jenkinsfile",
    "bitbucket-pipelines.yml",
    ".cirrus.yml",
    "appveyor.yml",
    ".appveyor.yml",
    ".woodpecker.yml",
    ".drone.yml",
)
TASK_FILES = (
    "Makefile",
    "makefile",
    "justfile",
    "Justfile",
    "Taskfile.yml",
    "tox.ini",
    "noxfile.py",
    "tasks.py",
    "mise.toml",
    ".mise.toml",
)
# a comment after a command or a Makefile target (`clean-tests: ## remove pytest artifacts`)
TRAILING_COMMENT = re.compile(r"[ \t]#[^\n]*")
SCRIPT_TABLES = (("hatch", "envs"), ("pdm", "scripts"), ("poe", "tasks"), ("taskipy", "tasks"))


class Automation:
    """CI definitions, task runners and scripts of one repository."""

    def __init__(self, repo: Repository, precommit: PreCommit, workflows: Workflows) -> None:
        self._repo = repo
        self._precommit = precommit
        self._workflows = workflows

    @cached_property
    def ci_paths(self) -> list[str]:
        """Every CI definition: GitHub workflows and the other services' files."""
        return self._workflows.paths + [p for p in CI_FILES if self._repo.exists(p)]

    @cached_property
    def paths(self) -> list[str]:
        """Files that say how the project is built, checked and released."""
        scripts = [
            f
            for f in self._repo.glob(
                "scripts/*", "script/*", "bin/*", "ci/*", ".ci/*", "tools/*.sh"
            )
            if f.count("/") == 1
            and (f.endswith((".sh", ".bash")) or "." not in f.rsplit("/", 1)[1])
        ]
        found = [n for n in TASK_FILES if self._repo.exists(n)] + scripts + self.ci_paths
        if self._precommit.path:
            found.append(self._precommit.path)
        return found

    @cached_property
    def text(self) -> str:
        """What the automation files run, as one lower-case text without comment lines.

        Commands kept in pyproject.toml (hatch, pdm, poe and taskipy scripts) are included; the
        rest of pyproject.toml is not, since table names and comments there are not commands.
        The pre-commit configuration is read as hooks instead (`PreCommit.hook_ids`).
        """
        read = self._repo.read
        texts = [read(p) or "" for p in self.paths if p != self._precommit.path]
        pyproject = self._repo.pyproject
        texts += _pyproject_scripts(pyproject.data if pyproject else {})
        lines = (line for text in texts for line in text.splitlines())
        return "\n".join(
            TRAILING_COMMENT.sub("", line)
            for line in lines
            if not line.lstrip().startswith(("#", "//"))
        ).lower()

    @cached_property
    def dockerfiles(self) -> list[str]:
        """Dockerfiles of the project's own images: at the root or one folder down, not in
        tests, not the editor's development container or CI's own tooling (`.devcontainer/`,
        `.ci/`), and each image once (a link to another Dockerfile is that one)."""
        found = self._repo.glob(
            "Dockerfile", "Dockerfile.*", "*.Dockerfile", "*/Dockerfile", "*/Dockerfile.*"
        )
        own = set(self._repo.own_files)
        return [
            f
            for f in found
            if f.count("/") <= 1
            and not in_test_folder(f)
            and not f.startswith(TOOLING_FOLDERS)
            and f in own
            and self._repo.is_regular(f)
        ]

    @cached_property
    def images(self) -> list[str]:
        """Every Dockerfile of the project's own images at any depth (`extras/docker/production/
        Dockerfile`), those of examples, demos and documentation aside: where to look for the
        server the project is deployed as. The image rules keep to `dockerfiles`."""
        own = set(self._repo.own_files)
        return [
            f
            for f in self._repo.glob("*Dockerfile", "*Dockerfile.*", "*.Dockerfile")
            if f.rpartition("/")[2].startswith("Dockerfile") or f.endswith(".Dockerfile")
            if not in_test_folder(f)
            and not names_example_folder(f.rpartition("/")[0])
            and not _a_template(f)
            and not f.startswith(TOOLING_FOLDERS)
            and f in own
            and self._repo.is_regular(f)
        ]


TOOLING_FOLDERS = (".devcontainer/", ".ci/", "ci/", ".github/", ".circleci/")
TEMPLATE_SUFFIXES = (".jinja", ".jinja2", ".j2", ".tmpl", ".tpl", ".template", ".in")


def _a_template(path: str) -> bool:
    """True for a Dockerfile another project is rendered from (`templates/service/Dockerfile.jinja`,
    `{{cookiecutter.name}}/Dockerfile`): the image of a project a scaffold writes, not this one's."""
    parts = path.split("/")
    return (
        path.endswith(TEMPLATE_SUFFIXES)
        or in_template(path)
        or any(part in ("templates", "template") for part in parts[:-1])
    )


def _pyproject_scripts(data: dict[str, object]) -> list[str]:
    """Every string under the script tables of pyproject.toml's task runners."""
    found: list[str] = []
    tool = data.get("tool")
    for path in SCRIPT_TABLES:
        node: object = tool
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        _strings(node, found)
    return found


def _strings(node: object, found: list[str]) -> None:
    if isinstance(node, str):
        found.append(node)
    elif isinstance(node, dict):
        for value in node.values():
            _strings(value, found)
    elif isinstance(node, list):
        for value in node:
            _strings(value, found)
