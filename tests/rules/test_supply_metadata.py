"""PKG016, PKG017, SEC009 and GIT003: licence metadata the backend refuses, a capped Python, the
security policy and committed binaries. Each backend behaviour below was checked by building
with the release named."""

from __future__ import annotations

import pytest

from tests.conftest import Audit
from tests.rules.cases import Case, ids, run_case

PKG = {"src/example/__init__.py": '"""Example."""\n', "README.md": "# example\n"}


def pyproject(backend: str, requires: str, project: str) -> str:
    return (
        f'[build-system]\nrequires = ["{requires}"]\nbuild-backend = "{backend}"\n\n'
        f'[project]\nname = "example"\nversion = "1.0.0"\n{project}'
    )


def setuptools(project: str, requires: str = "setuptools>=77") -> str:
    return pyproject("setuptools.build_meta", requires, project)


def hatchling(project: str, requires: str = "hatchling") -> str:
    return pyproject("hatchling.build", requires, project)


JRNL = 'requires-python = ">=3.11.0,<3.15"\n[project.scripts]\nexample = "example.main:run"\n'
TABLE_AND_FILES = 'license = { text = "MIT" }\nlicense-files = ["LICENSE"]\n'
CLASSIFIER = 'license = "MIT"\nclassifiers = ["License :: OSI Approved :: MIT License"]\n'

CASES = [
    # setuptools 77+: "configuration error: `project.license` must be string"
    Case(
        "table-with-files-setuptools",
        "PKG016",
        {"pyproject.toml": setuptools(TABLE_AND_FILES), **PKG},
        1,
        says="refuses `license-files` beside a `license` table",
        line=8,
    ),
    # hatchling 1.26 and later build it (the table's text goes to `License:`)
    Case("table-with-files-hatchling", "PKG016", {"pyproject.toml": hatchling(TABLE_AND_FILES)}, 0),
    # poetry-core refuses it from 2.2 on; 2.1 ignored license-files
    Case(
        "table-with-files-poetry-core-2.1",
        "PKG016",
        {
            "pyproject.toml": pyproject(
                "poetry.core.masonry.api", "poetry-core>=2,<2.2", TABLE_AND_FILES
            )
        },
        0,
    ),
    Case(
        "table-with-files-poetry-core",
        "PKG016",
        {"pyproject.toml": pyproject("poetry.core.masonry.api", "poetry-core>=2", TABLE_AND_FILES)},
        1,
    ),
    # the table alone is deprecated by setuptools, not refused
    Case(
        "table-alone",
        "PKG016",
        {"pyproject.toml": setuptools('license = { file = "LICENSE" }\n')},
        0,
    ),
    # setuptools 77+: "InvalidConfigError: License classifiers have been superseded by license
    # expressions"; without [build-system] pip builds with the newest setuptools
    Case(
        "classifier-beside-spdx-setuptools",
        "PKG016",
        {"pyproject.toml": setuptools(CLASSIFIER)},
        1,
        says="drop 'License :: OSI Approved :: MIT License'",
        line=9,
    ),
    Case(
        "classifier-beside-spdx-no-build-system",
        "PKG016",
        {"pyproject.toml": f'[project]\nname = "example"\nversion = "1"\n{CLASSIFIER}'},
        1,
    ),
    Case(
        "classifier-beside-spdx-flit",
        "PKG016",
        {"pyproject.toml": pyproject("flit_core.buildapi", "flit_core>=3.11,<4", CLASSIFIER)},
        1,
    ),
    # hatchling and poetry-core build it (sp-repo-review PP005 asks to drop the classifier)
    Case(
        "classifier-beside-spdx-hatchling", "PKG016", {"pyproject.toml": hatchling(CLASSIFIER)}, 0
    ),
    # a classifier beside the old table form is what PEP 639 keeps working
    Case(
        "classifier-beside-table",
        "PKG016",
        {
            "pyproject.toml": setuptools(
                'license = { text = "MIT" }\nclassifiers = ["License :: OSI Approved :: MIT License"]\n'
            )
        },
        0,
    ),
    Case(
        "invalid-spdx",
        "PKG016",
        {"pyproject.toml": hatchling('license = "Apache 2.0"\n')},
        1,
        says="not a valid SPDX",
    ),
    Case(
        "lower-case-spdx-hatchling", "PKG016", {"pyproject.toml": hatchling('license = "mit"\n')}, 0
    ),
    Case(
        "compound-spdx",
        "PKG016",
        {"pyproject.toml": setuptools('license = "MIT OR Apache-2.0"\n')},
        0,
    ),
    Case(
        "license-ref",
        "PKG016",
        {"pyproject.toml": setuptools('license = "LicenseRef-Proprietary"\n')},
        0,
    ),
    # pdm-backend writes an invalid expression as given
    Case(
        "invalid-spdx-pdm",
        "PKG016",
        {"pyproject.toml": pyproject("pdm.backend", "pdm-backend", 'license = "Apache 2.0"\n')},
        0,
    ),
    # uv_build reads the expression strictly
    Case(
        "uv-build-case",
        "PKG016",
        {"pyproject.toml": pyproject("uv_build", "uv_build>=0.8,<0.10", 'license = "mit"\n')},
        1,
        says="`MIT`",
    ),
    Case(
        "uv-build-deprecated",
        "PKG016",
        {"pyproject.toml": pyproject("uv_build", "uv_build>=0.8,<0.10", 'license = "GPL-3.0"\n')},
        1,
        says="deprecated",
    ),
    Case(
        "uv-build-or-lower-case",
        "PKG016",
        {"pyproject.toml": pyproject("uv_build", "uv_build", 'license = "MIT or Apache-2.0"\n')},
        0,
    ),
    # setuptools 76: "`project.license` must be valid exactly by one definition"
    Case(
        "spdx-with-old-setuptools",
        "PKG016",
        {"pyproject.toml": setuptools('license = "MIT"\n', "setuptools>=61,<77")},
        1,
        says="needs setuptools>=77",
    ),
    Case(
        "spdx-with-pinned-setuptools",
        "PKG016",
        {"pyproject.toml": setuptools('license = "MIT"\n', "setuptools==70.0.0")},
        1,
    ),
    # a pre-release in the specifier is evaluated by packaging
    Case(
        "spdx-with-pre-release-cap",
        "PKG016",
        {"pyproject.toml": setuptools('license = "MIT"\n', "setuptools>=61,<77.0.0rc1")},
        1,
    ),
    Case(
        "spdx-with-pre-release-floor",
        "PKG016",
        {"pyproject.toml": setuptools('license = "MIT"\n', "setuptools>=77.0.0rc1")},
        0,
    ),
    # an isolated build installs the newest release the floor allows
    Case(
        "spdx-with-low-floor",
        "PKG016",
        {"pyproject.toml": setuptools('license = "MIT"\n', "setuptools>=61")},
        0,
    ),
    Case(
        "spdx-excluding-one-release",
        "PKG016",
        {"pyproject.toml": setuptools('license = "MIT"\n', "setuptools>=61,!=77.0.0")},
        0,
    ),
    # hatchling 1.25: "Field `project.license-files` must be a table"
    Case(
        "license-files-old-hatchling",
        "PKG016",
        {
            "pyproject.toml": hatchling(
                'license = "MIT"\nlicense-files = ["LICENSE"]\n', "hatchling<1.26"
            )
        },
        1,
        says="hatchling>=1.26",
    ),
    Case(
        "license-files-hatchling-compatible-release",
        "PKG016",
        {"pyproject.toml": hatchling('license-files = ["LICENSE"]\n', "hatchling~=1.25")},
        0,
    ),
    # pdm-backend 2.3: the SPDX string is refused ("expecting a dictionary of strings")
    Case(
        "spdx-old-pdm-backend",
        "PKG016",
        {"pyproject.toml": pyproject("pdm.backend", "pdm-backend<2.4", 'license = "MIT"\n')},
        1,
    ),
    Case(
        "dynamic-license",
        "PKG016",
        {
            "pyproject.toml": setuptools(
                'dynamic = ["license"]\nclassifiers = ["License :: OSI Approved"]\n'
            )
        },
        0,
    ),
    # PKG017
    Case(
        "upper-cap",
        "PKG017",
        {"pyproject.toml": hatchling('requires-python = ">=3.10,<3.13"\n'), **PKG},
        1,
        says="`<3.13`",
        line=8,
    ),
    Case(
        "below-four", "PKG017", {"pyproject.toml": hatchling('requires-python = ">=3.9, <4"\n')}, 1
    ),
    Case(
        "compatible-release",
        "PKG017",
        {"pyproject.toml": hatchling('requires-python = "~=3.10"\n')},
        1,
    ),
    Case(
        "one-series", "PKG017", {"pyproject.toml": hatchling('requires-python = "==3.11.*"\n')}, 1
    ),
    Case("lower-bound", "PKG017", {"pyproject.toml": hatchling('requires-python = ">=3.10"\n')}, 0),
    Case(
        "one-release-left-out",
        "PKG017",
        {"pyproject.toml": hatchling('requires-python = ">=3.8,!=3.9.0"\n')},
        0,
    ),
    Case(
        "poetry-caret",
        "PKG017",
        {
            "pyproject.toml": '[tool.poetry]\nname = "example"\n\n[tool.poetry.dependencies]\npython = "^3.9"\n'
        },
        1,
        says="poetry's python",
        line=5,
    ),
    Case(
        "poetry-lower-bound",
        "PKG017",
        {"pyproject.toml": '[tool.poetry.dependencies]\npython = ">=3.9"\n'},
        0,
    ),
    # an application says where it runs; nothing resolves against it
    Case(
        "application-cap",
        "PKG017",
        {"pyproject.toml": hatchling('requires-python = ">=3.11,<3.13"\n')},
        0,
        kind="application",
    ),
    # reduced from jrnl: a program its documentation's installation page installs with pipx,
    # into an environment of its own, which nothing depends on
    Case(
        "installed-as-a-tool-by-its-docs",
        "PKG017",
        {
            "pyproject.toml": hatchling(JRNL),
            "docs/installation.md": "# Getting started\n\n``` sh\npipx install example\n```\n",
        },
        0,
        kind="library",
    ),
    # reduced from virtualenv and sqlite-utils: the page installs it with pip as well, into a
    # shared environment (a library too)
    Case(
        "docs-install-it-with-pip-too",
        "PKG017",
        {
            "pyproject.toml": hatchling(JRNL),
            "docs/installation.rst": "    pip install example\n\nOr as a tool:\n\n"
            "    pipx install example\n",
        },
        1,
        kind="library",
    ),
    # reduced from beets: the guide recommends `uv tool`, then pipx, and offers pip last
    Case(
        "docs-recommend-a-tool-install-first",
        "PKG017",
        {
            "pyproject.toml": hatchling(JRNL),
            "docs/guides/installation.rst": "We recommend ``uv tool``:\n\n    uv tool install example\n"
            "\nor pipx:\n\n    pipx install example\n\nor pip:\n\n    pip install example\n",
        },
        0,
        kind="library",
    ),
    # reduced from toolong: a poetry 1 program (`[tool.poetry.scripts]`), pipx first
    Case(
        "poetry-program-installed-as-a-tool",
        "PKG017",
        {
            "pyproject.toml": '[tool.poetry]\nname = "example"\n[tool.poetry.scripts]\ntl = "example.cli:run"\n'
            '[tool.poetry.dependencies]\npython = "^3.8"\n',
            "README.md": "Install with pipx:\n\n```\npipx install example\n```\n\nor `pip install example`.\n",
        },
        0,
        kind="library",
    ),
    # a tutorial that runs pipx is no installation page
    Case(
        "pipx-in-a-tutorial",
        "PKG017",
        {
            "pyproject.toml": hatchling(JRNL),
            "docs/tutorial/run.md": "pipx install example\n",
        },
        1,
        kind="library",
    ),
    # SEC009
    Case("no-policy", "SEC009", {"pyproject.toml": hatchling(""), **PKG}, 1, kind="library"),
    Case(
        "root-policy",
        "SEC009",
        {"pyproject.toml": hatchling(""), "SECURITY.md": "# Security\n"},
        0,
        kind="library",
    ),
    Case(
        "github-policy",
        "SEC009",
        {"pyproject.toml": hatchling(""), ".github/security.md": "x\n"},
        0,
        kind="library",
    ),
    Case(
        "docs-policy",
        "SEC009",
        {"pyproject.toml": hatchling(""), "docs/SECURITY.rst": "x\n"},
        0,
        kind="library",
    ),
    Case(
        "nested-policy-elsewhere",
        "SEC009",
        {"pyproject.toml": hatchling(""), "src/SECURITY.md": "x\n"},
        1,
        kind="library",
    ),
    Case("unpackaged-application", "SEC009", {"main.py": "print(1)\n"}, 0, kind="application"),
    Case("service", "SEC009", {"app.py": "print(1)\n"}, 1, kind="service"),
    Case(
        "private-classifier",
        "SEC009",
        {"pyproject.toml": hatchling('classifiers = ["Private :: Do Not Upload"]\n')},
        0,
        kind="library",
    ),
    # GIT003
    Case(
        "shared-object",
        "GIT003",
        {"src/example/_fast.so": b"\x7fELF\x02\x01\x01\x00" + bytes(64), **PKG},
        1,
        use_git=True,
        says="_fast.so",
    ),
    Case(
        "windows-dll",
        "GIT003",
        {"bin/tool.dll": b"MZ\x90\x00\x03\x00" + bytes(64)},
        1,
        use_git=True,
    ),
    Case(
        "vendored-wheel",
        "GIT003",
        {"wheels/dep-1.0-py3-none-any.whl": b"PK\x03\x04" + bytes(64)},
        1,
        use_git=True,
    ),
    # a Git LFS pointer is text, and so is a text file that ends in one of the suffixes
    Case(
        "lfs-pointer",
        "GIT003",
        {"lib/big.so": "version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 12\n"},
        0,
        use_git=True,
    ),
    Case(
        "linker-script",
        "GIT003",
        {"lib/libc.so": "/* GNU ld script */\nGROUP ( libc.so.6 )\n"},
        0,
        use_git=True,
    ),
    # byte code and dist/ are GIT002's
    Case("byte-code", "GIT003", {"pkg/mod.pyc": b"\x00\x00\x0d\x0a" + bytes(16)}, 0, use_git=True),
    Case(
        "dist-wheel",
        "GIT003",
        {"dist/x-1.0-py3-none-any.whl": b"PK\x03\x04" + bytes(16)},
        0,
        use_git=True,
    ),
    Case("untracked", "GIT003", {"build/x.so": b"\x7fELF" + bytes(16)}, 0),
    Case(
        "validated-gradle-wrapper",
        "GIT003",
        {
            "gradle/wrapper/gradle-wrapper.jar": b"PK\x03\x04" + bytes(16),
            ".github/workflows/ci.yml": "on: push\njobs:\n  v:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: gradle/actions/wrapper-validation@v4\n",
        },
        0,
        use_git=True,
    ),
    Case(
        "unvalidated-gradle-wrapper",
        "GIT003",
        {"gradle/wrapper/gradle-wrapper.jar": b"PK\x03\x04" + bytes(16)},
        1,
        use_git=True,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_supply_metadata_rules(audit: Audit, case: Case) -> None:
    run_case(audit, case)


# reduced from pdm and pip-tools: wheels an installer's tests install are their input; a
# library a test loads is code that runs
TEST_DATA = [
    Case(
        "fixture-wheel",
        "GIT003",
        {"tests/fixtures/artifacts/demo-0.0.1-py3-none-any.whl": b"PK\x03\x04" + bytes(16)},
        0,
        use_git=True,
    ),
    Case(
        "fixture-library",
        "GIT003",
        {"tests/data/libdemo.so": b"\x7fELF" + bytes(16)},
        1,
        use_git=True,
    ),
]


@pytest.mark.parametrize("case", TEST_DATA, ids=ids(TEST_DATA))
def test_binaries_in_tests(audit: Audit, case: Case) -> None:
    run_case(audit, case)
