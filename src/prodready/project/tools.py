"""The tools read model: which linters, type checkers, test runners and hooks a project uses, and
their settings, read from the file each tool itself would read."""

from __future__ import annotations

import functools
import re
import shlex
from collections.abc import Callable
from functools import cached_property
from typing import Any, NamedTuple

from prodready.project.automation import Automation
from prodready.project.packaging import Packaging
from prodready.project.precommit import PreCommit
from prodready.project.repository import Repository
from prodready.project.tomldoc import as_table, dotted_get
from prodready.project.toolconfig import ToolConfig, ini_section, pytest_config


class ToolSigns(NamedTuple):
    """Where a tool shows that a project uses it."""

    tables: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    sections: tuple[tuple[str, str], ...] = ()
    hooks: tuple[str, ...] = ()
    words: str = ""
    packages: tuple[str, ...] = ()
    # the DeepSource transformer that runs the tool on every commit (`.deepsource.toml`)
    transformer: str = ""


TOOLS: dict[str, ToolSigns] = {
    "ruff": ToolSigns(
        ("ruff",),
        ("ruff.toml", ".ruff.toml"),
        (),
        ("ruff", "ruff-check", "ruff-format"),
        r"\bruff\b",
        ("ruff",),
    ),
    # `ruff format`, or its words in a list (`["ruff", "format"]`), on one line: not a task's
    # name (`format-ruff`), nor two names on lines of their own (a poe sequence of tasks)
    "ruff-format": ToolSigns(
        ("ruff.format",),
        (),
        (),
        ("ruff-format",),
        r"(?<![\w-])ruff(?:[ \t]+|[\"'],[ \t]*[\"'])format(?![\w-])",
        transformer="ruff",
    ),
    # black and its arguments (`-q`, `--check`, paths) on one line, not an option's value
    # (isort's `--profile black`)
    "black": ToolSigns(
        ("black",),
        (),
        (),
        ("black", "black-jupyter"),
        r"(?<![\w-])(?<!profile[ =])black[ \t]+(-|\.|[\w./]+)",
        ("black",),
        transformer="black",
    ),
    "yapf": ToolSigns(
        ("yapf",),
        (".style.yapf",),
        (("setup.cfg", "yapf"),),
        ("yapf",),
        r"\byapf\b",
        ("yapf",),
        transformer="yapf",
    ),
    "autopep8": ToolSigns(
        ("autopep8",), (), (), ("autopep8",), r"\bautopep8\b", ("autopep8",), "autopep8"
    ),
    "flake8": ToolSigns(
        (),
        (".flake8",),
        (("setup.cfg", "flake8"), ("tox.ini", "flake8")),
        ("flake8",),
        r"\bflake8\b",
        ("flake8",),
    ),
    "pylint": ToolSigns(
        ("pylint",),
        (".pylintrc", "pylintrc"),
        (("setup.cfg", "pylint"),),
        ("pylint",),
        r"\bpylint\b",
        ("pylint",),
    ),
    "pylama": ToolSigns(
        ("pylama",),
        ("pylama.ini",),
        (("setup.cfg", "pylama"), ("tox.ini", "pylama")),
        ("pylama",),
        r"\bpylama\b",
        ("pylama",),
    ),
    "pyflakes": ToolSigns((), (), (), ("pyflakes",), r"\bpyflakes\b", ("pyflakes",)),
    "pycodestyle": ToolSigns(
        (),
        (),
        (("setup.cfg", "pycodestyle"), ("tox.ini", "pycodestyle")),
        ("pycodestyle",),
        r"\bpycodestyle\b",
        ("pycodestyle",),
    ),
    "isort": ToolSigns(
        ("isort",),
        (".isort.cfg",),
        (("setup.cfg", "isort"), ("tox.ini", "isort")),
        ("isort",),
        r"\bisort\b",
        ("isort",),
        "isort",
    ),
    "pyupgrade": ToolSigns((), (), (), ("pyupgrade",), r"\bpyupgrade\b", ("pyupgrade",)),
    "autoflake": ToolSigns(
        ("autoflake",), (), (), ("autoflake",), r"\bautoflake\b", ("autoflake",)
    ),
    "pydocstyle": ToolSigns(
        ("pydocstyle",),
        (".pydocstyle",),
        (("setup.cfg", "pydocstyle"),),
        ("pydocstyle",),
        r"\bpydocstyle\b",
        ("pydocstyle",),
    ),
    "mypy": ToolSigns(
        ("mypy",),
        ("mypy.ini", ".mypy.ini"),
        (("setup.cfg", "mypy"),),
        ("mypy",),
        r"\bmypy\b",
        ("mypy",),
    ),
    "pyright": ToolSigns(
        ("pyright", "basedpyright"),
        ("pyrightconfig.json",),
        (),
        ("pyright", "basedpyright"),
        r"\b(based)?pyright\b",
        ("pyright", "basedpyright"),
    ),
    "pyre": ToolSigns((), (".pyre_configuration",), (), (), r"\bpyre\s+check\b", ("pyre-check",)),
    "pytype": ToolSigns(("pytype",), (), (), ("pytype",), r"\bpytype\b", ("pytype",)),
    "ty": ToolSigns(("ty",), ("ty.toml",), (), ("ty",), r"\bty\s+check\b", ("ty",)),
    "pytest": ToolSigns(
        ("pytest",),
        ("pytest.ini",),
        (("tox.ini", "pytest"), ("setup.cfg", "tool:pytest")),
        (),
        r"\bpytest\b",
        ("pytest",),
    ),
    "coverage": ToolSigns(
        ("coverage",),
        (".coveragerc",),
        (("setup.cfg", "coverage:run"), ("tox.ini", "coverage:run")),
        (),
        r"\bcoverage\s+(run|report|xml|html|combine)\b|--cov\b",
        ("coverage", "pytest-cov"),
    ),
    "bandit": ToolSigns(("bandit",), (".bandit",), (), ("bandit",), r"\bbandit\b", ("bandit",)),
    "pip-audit": ToolSigns((), (), (), ("pip-audit",), r"pip[-_]audit", ("pip-audit",)),
    "safety": ToolSigns(
        (),
        (".safety-policy.yml",),
        (),
        ("safety", "python-safety-dependencies-check"),
        r"\bsafety\W+(check|scan)\b|pyupio/safety",
        ("safety",),
    ),
    "osv-scanner": ToolSigns((), ("osv-scanner.toml",), (), ("osv-scanner",), r"osv-scanner"),
    "uv-audit": ToolSigns((), (), (), (), r"\buv\W+audit\b"),
    "dependency-review": ToolSigns((), (), (), (), r"dependency-review-action"),
    # trivy and grype find the known vulnerabilities of the Python packages in a tree or an image
    # (each pattern led by a literal, which the engine finds in C before trying the rest)
    "trivy": ToolSigns(
        (), ("trivy.yaml",), (), (), r"trivy(?:-action@|\s+(?:fs|image|repo|rootfs)\b)"
    ),
    "grype": ToolSigns((), (), (), (), r"(?:anchore/scan-action|grype\s)"),
    # OpenSSF Scorecard's Vulnerabilities check matches the dependencies against OSV
    "scorecard": ToolSigns((), (), (), (), r"ossf/scorecard-action"),
    "snyk": ToolSigns((), (".snyk",), (), (), r"snyk(?:/actions/python|\s+test\b)"),
    # CodeQL run directly, or through a reusable workflow (`org/security/.github/workflows/codeql.yml`)
    "codeql": ToolSigns((), (), (), (), r"codeql(?:-action|[\w.-]*\.ya?ml@)"),
    "semgrep": ToolSigns((), (".semgrep.yml",), (), ("semgrep",), r"\bsemgrep\b", ("semgrep",)),
}


class Tools:
    """What the repository says about its linters, type checkers, test runner and hooks."""

    def __init__(
        self,
        repo: Repository,
        packaging: Packaging,
        precommit: PreCommit,
        automation: Automation,
    ) -> None:
        self._repo = repo
        self._packaging = packaging
        self._precommit = precommit
        self._automation = automation

    @cached_property
    def _tool_answers(self) -> dict[tuple[str, str], bool]:
        return {}

    def uses(self, tool: str) -> bool:
        """True when any configuration, hook, dependency or CI step shows the tool in use."""
        key = ("uses", tool)
        if key not in self._tool_answers:
            self._tool_answers[key] = self._uses(tool)
        return self._tool_answers[key]

    def _uses(self, tool: str) -> bool:
        signs = TOOLS[tool]
        tool_table = self._repo.pyproject.table("tool") if self._repo.pyproject else {}
        if any(dotted_get(tool_table, t) is not None for t in signs.tables):
            return True
        if any(self._repo.exists(f) for f in signs.files):
            return True
        if any(self._has_section(path, section) for path, section in signs.sections):
            return True
        return self.runs(tool)

    def runs(self, tool: str) -> bool:
        """True when a hook, a declared dependency or a command runs the tool (settings alone
        do not count: `[tool.black]` may only configure blacken-docs)."""
        key = ("runs", tool)
        if key not in self._tool_answers:
            self._tool_answers[key] = self._runs(tool)
        return self._tool_answers[key]

    def _runs(self, tool: str) -> bool:
        signs = TOOLS[tool]
        if any(name in self._packaging.tooling_names for name in signs.packages):
            return True
        return self.invoked(tool)

    def invoked(self, tool: str) -> bool:
        """True when a hook, a command or a DeepSource transformer runs the tool (a declared
        dependency alone does not: black may be installed for another tool to call, as
        pytest-examples does)."""
        signs = TOOLS[tool]
        if signs.transformer and signs.transformer in self._transformers:
            return True
        words = _pattern(signs.words) if signs.words else None
        if words and words.search(self._precommit.entries):
            return True
        if any(h in signs.hooks for h in self._precommit.hook_ids):
            return True
        return words is not None and words.search(self._automation.text)

    @cached_property
    def _transformers(self) -> frozenset[str]:
        """The DeepSource transformers `.deepsource.toml` enables: DeepSource runs each on the
        code of every commit (https://docs.deepsource.com/docs/black)."""
        doc = self._repo.toml(".deepsource.toml")
        entries = doc.data.get("transformers") if doc is not None else None
        if not isinstance(entries, list):
            return frozenset()
        return frozenset(
            str(entry.get("name"))
            for entry in entries
            if isinstance(entry, dict) and entry.get("enabled", True) is not False
        )

    def _has_section(self, path: str, section: str) -> bool:
        text = self._repo.read(path) if self._repo.exists(path) else None
        return text is not None and f"[{section}]" in text

    @cached_property
    def ruff(self) -> ToolConfig | None:
        """ruff's settings: `.ruff.toml`, `ruff.toml`, then `[tool.ruff]`, as ruff looks; else
        the file the automation hands it (`ruff check --config config/ruff.toml`)."""
        for name in (".ruff.toml", "ruff.toml"):
            doc = self._repo.toml(name)
            if doc is not None:
                return ToolConfig(name, doc.data, doc)
        if self._repo.pyproject and isinstance(self._repo.pyproject.get("tool", "ruff"), dict):
            return ToolConfig(
                "pyproject.toml",
                self._repo.pyproject.table("tool", "ruff"),
                self._repo.pyproject,
                ("tool", "ruff"),
            )
        handed = self.explicit_configs.get("ruff")  # looked for only when ruff finds nothing
        doc = self._repo.toml(handed) if handed else None
        return ToolConfig(handed, doc.data, doc) if handed and doc is not None else None

    @cached_property
    def explicit_configs(self) -> dict[str, str]:
        """The configuration files the automation hands ruff or pytest by path, by tool
        (`config="config/ruff.toml"`, `config_file="config/pytest.ini"` in a duty, `ruff
        --config lint/ruff.toml`), when they exist: a template's tools kept under `config/`."""
        texts = [self._automation.text]
        texts += [(self._repo.read(f) or "").lower() for f in TASK_FILES if self._repo.exists(f)]
        return handed_configs(texts, self._repo.exists)

    @cached_property
    def ruff_rules(self) -> tuple[list[str], list[str]]:
        """ruff's selected and ignored rule selectors, from `lint` and the deprecated top level,
        following `extend` to the configuration it builds on (a `select` replaces the one it
        inherits; `extend-select` and `extend-ignore` add to it); ruff's default selection
        where the configuration selects nothing."""
        configured, ignored = self._ruff_configured
        return (configured if self._ruff_selects else self._ruff_default + configured), ignored

    @cached_property
    def _ruff_selects(self) -> bool:
        """True when the configuration (or one it extends) has a `select` of its own."""
        return any(
            isinstance(table.get("select"), list)
            for values in self._ruff_chain
            for table in (values, as_table(values.get("lint")))
        )

    @cached_property
    def _ruff_configured(self) -> tuple[list[str], list[str]]:
        """The selectors the configuration chain itself selects (its `select`, then what
        `extend-select` adds) and ignores."""
        selected: list[str] | None = None
        ignored: list[str] = []
        added: list[str] = []
        for values in reversed(self._ruff_chain):  # the base first, the repository's file last
            lint = as_table(values.get("lint"))
            for table in (values, lint):
                if isinstance(table.get("select"), list):
                    selected = ruff_codes(table["select"])
                if isinstance(table.get("ignore"), list):
                    ignored = ruff_codes(table["ignore"])
                for key, bucket in (("extend-select", added), ("extend-ignore", ignored)):
                    value = table.get(key)
                    if isinstance(value, list):
                        bucket.extend(ruff_codes(value))
        return [*(selected or []), *added], ignored

    @cached_property
    def _ruff_default(self) -> list[str]:
        """What ruff selects when the configuration selects nothing: since ruff 0.16 several
        hundred rules (`I001`, `F401`, `S110`…), before it `E4`, `E7`, `E9` and `F`; the newer
        unless the project runs an older ruff (by its hook's `rev`, lock or pin)."""
        from prodready.project.releases import major_minor, release_in

        table: dict[str, Any] = _ruff_tables()["default"]
        runs = release_in(
            self._repo, self._packaging, self._precommit, "ruff", "ruff-pre-commit", exact=True
        )
        since = major_minor(table["since"])
        older = runs is not None and since is not None and runs < since
        return list(table["before"] if older else table["select"])

    def ruff_ignored_in(self, path: str) -> list[str]:
        """The rule selectors ruff's `per-file-ignores` (and `extend-per-file-ignores`) turn off
        for one file: a pattern matches the path, or the file's name when it has no `/`."""
        import fnmatch

        name = path.rpartition("/")[2]
        found: list[str] = []
        for values in self._ruff_chain:
            for table in (values, as_table(values.get("lint"))):
                for key in ("per-file-ignores", "extend-per-file-ignores"):
                    for pattern, codes in as_table(table.get(key)).items():
                        glob = pattern.removeprefix("./")
                        matches = fnmatch.fnmatchcase(path, glob) or (
                            "/" not in glob and fnmatch.fnmatchcase(name, glob)
                        )
                        if matches and isinstance(codes, list):
                            found += ruff_codes(codes)
        return found

    @cached_property
    def _ruff_chain(self) -> list[dict[str, Any]]:
        """ruff's configuration and those it `extend`s, nearest first (at most five, inside the
        repository)."""
        import posixpath

        if self.ruff is None:
            return []
        chain = [self.ruff.values]
        where = self.ruff.path
        for _ in range(5):
            target = chain[-1].get("extend")
            if not isinstance(target, str):
                break
            where = posixpath.normpath(posixpath.join(posixpath.dirname(where), target))
            doc = self._repo.toml(where) if not where.startswith("..") else None
            if doc is None:
                break
            values = doc.data
            if where.endswith("pyproject.toml"):
                values = as_table(as_table(doc.data.get("tool")).get("ruff"))
            chain.append(values)
        return chain

    def ruff_enables_any(self, family: str, *, configured: bool = False) -> bool:
        """True when ruff's selection enables some rule of a family (`S`), though single rules
        of it may be ignored (`S101`); with `configured`, only a selection the configuration
        makes counts, not the few rules of the family in ruff's default."""
        selected, ignored = self._ruff_configured if configured else self.ruff_rules

        def within(selector: str) -> bool:  # `S`, `S1`, `S101`; not `SIM`
            return selector == family or (
                selector.startswith(family) and selector[len(family) :].isdigit()
            )

        if any(i in ("ALL", family) for i in ignored):
            return False
        return any(s == "ALL" or within(s) for s in selected)

    def ruff_enables(self, code: str) -> bool:
        """True when ruff's selection enables the rule `code` (or any rule of a prefix)."""
        selected, ignored = self.ruff_rules

        def best(selectors: list[str]) -> int:
            lengths = [len(s) if s != "ALL" else 0 for s in selectors if ruff_selects(s, code)]
            return max(lengths, default=-1)

        chosen = best(selected)
        return chosen >= 0 and chosen > best(ignored)

    @cached_property
    def mypy(self) -> ToolConfig | None:
        """mypy's settings, from the file mypy itself would read first."""
        for path in ("mypy.ini", ".mypy.ini"):
            found = ini_section(self._repo, path, "mypy")
            if found is not None:
                return found
        if self._repo.pyproject and isinstance(self._repo.pyproject.get("tool", "mypy"), dict):
            return ToolConfig(
                "pyproject.toml",
                self._repo.pyproject.table("tool", "mypy"),
                self._repo.pyproject,
                ("tool", "mypy"),
            )
        return ini_section(self._repo, "setup.cfg", "mypy")

    @cached_property
    def pyright(self) -> ToolConfig | None:
        """pyright's (or basedpyright's) settings from `[tool.pyright]`."""
        for name in ("pyright", "basedpyright"):
            if self._repo.pyproject and isinstance(self._repo.pyproject.get("tool", name), dict):
                return ToolConfig(
                    "pyproject.toml",
                    self._repo.pyproject.table("tool", name),
                    self._repo.pyproject,
                    ("tool", name),
                )
        return None

    @cached_property
    def pytest(self) -> ToolConfig | None:
        """pytest's settings, from the file pytest itself would choose."""
        return pytest_config(self._repo)

    def pytest_setting(self, name: str, default: tuple[str, ...]) -> tuple[str, ...]:
        """A pytest list setting (`python_classes`, `python_files`, `testpaths`) as pytest reads
        it: a TOML list, or whitespace-separated words in an INI file."""
        value = self.pytest.values.get(name) if self.pytest else None
        if isinstance(value, list):
            return tuple(str(v) for v in value)
        if isinstance(value, str):
            return tuple(value.split())
        return default

    def pytest_collects_class(self, owner: str) -> bool:
        """True when pytest collects tests from the class `owner` (`Name` or `Name(bases)`): one
        derived from a test case or test base (unittest's, or one a project plug-in collects)
        always, another when its name matches `python_classes` (a prefix, or a glob)."""
        import fnmatch

        name, _, bases = owner.partition("(")
        if "Test" in bases or "Case" in bases:  # a test case, or a base a plug-in collects
            return True
        patterns = self.pytest_setting("python_classes", ("Test",))
        return any(
            fnmatch.fnmatchcase(name, pattern)
            if any(c in pattern for c in "*?[")
            else name.startswith(pattern)
            for pattern in patterns
        )

    @cached_property
    def pytest_addopts(self) -> list[str]:
        """pytest's `addopts`, split into arguments."""
        value = self.pytest.values.get("addopts") if self.pytest else None
        if isinstance(value, list):
            return [str(v) for v in value]
        if isinstance(value, str):
            try:
                return shlex.split(value)
            except ValueError:
                return value.split()
        return []


# zero-width tests a pattern starts with (`\b`, `(?<![\w-])`): they keep `re` from jumping to
# the pattern's first literal, so a search over a long text tries every position
LEADING_ASSERTIONS = re.compile(r"^(?:\\b|\(\?<!(?:[^()\\]|\\.)*\))+")


class _Words(NamedTuple):
    """A command pattern, searched fast: the pattern without its leading zero-width tests finds
    the candidates (a superset of the matches), and the whole pattern is tried at each."""

    whole: re.Pattern[str]
    core: re.Pattern[str]

    def search(self, text: str) -> bool:
        position = 0
        while (found := self.core.search(text, position)) is not None:
            if self.whole.match(text, found.start()):
                return True
            position = found.start() + 1  # a rejected candidate may hide one that overlaps it
        return False


@functools.lru_cache(maxsize=128)
def _pattern(words: str) -> _Words:
    return _Words(re.compile(words), re.compile(LEADING_ASSERTIONS.sub("", words)))


def ruff_codes(selectors: list[Any]) -> list[str]:
    """Rule selectors under the names ruff resolves them to: an old code or prefix that ruff
    redirects (`TCH` to `TC`, `TCH003` to `TC003`) is read as its new one."""
    table: dict[str, str] = _ruff_tables()["redirects"]
    return [table.get(str(s), str(s)) for s in selectors]


def ruff_selects(selector: str, code: str) -> bool:
    """True when a ruff selector selects the rule `code` as ruff resolves it: `ALL`; a prefix
    within the code's own linter (`TC` and `TC0` select `TC001`, `T` alone does not: it is the
    old category of the linters named `T` and digits, `T10` and `T20`, as `C` is of `C4` and
    `C90`); the linter is the longest of ruff's linter prefixes the code starts with."""
    if selector == "ALL":
        return True
    linters: list[str] = _ruff_tables()["linters"]
    own = max((prefix for prefix in linters if code.startswith(prefix)), key=len, default="")
    if selector in linters or len(selector) > len(own):
        return bool(own) and selector.startswith(own) and code.startswith(selector)
    category = [p for p in linters if p.startswith(selector) and p[len(selector) :].isdigit()]
    return own in category


# task files written in Python that run the tools (duty's `duties.py`, invoke's `tasks.py`)
TASK_FILES = ("duties.py", "tasks.py")
# a path to a ruff or pytest configuration, quoted or after `=` or a space
EXPLICIT_CONFIG = re.compile(
    r"""(?<=["'=\s])((?:[\w.-]+/)*[\w.-]*(ruff|pytest)[\w.-]*\.(?:toml|ini))(?=["'\s,)]|$)""",
    re.M,
)


def handed_configs(texts: list[str], exists: Callable[[str], bool]) -> dict[str, str]:
    """The ruff and pytest configuration files the texts name by path, that exist, by tool;
    only lines naming a tool and a `.toml` or `.ini` file are searched."""
    found: dict[str, str] = {}
    for text in texts:
        for line in text.splitlines() if "ruff" in text or "pytest" in text else ():
            if ("ruff" in line or "pytest" in line) and (".toml" in line or ".ini" in line):
                for match in EXPLICIT_CONFIG.finditer(line):
                    if exists(match.group(1)):
                        found.setdefault(match.group(2), match.group(1))
    return found


@functools.cache
def _ruff_tables() -> dict[str, Any]:
    """ruff's redirect table and linter prefixes, `data/ruff_redirects.json`, generated from
    ruff's own source by `scripts/ruff_redirects.py`."""
    import json
    from importlib.resources import files

    text = files("prodready").joinpath("data/ruff_redirects.json").read_text("utf-8")
    tables: dict[str, Any] = json.loads(text)
    return tables
