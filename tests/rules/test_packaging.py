"""PKG rules: each fires on a broken repository and stays quiet on a sound one."""

from __future__ import annotations

import pytest

from tests.conftest import Audit
from tests.rules.cases import Case, ids, run_case

GOOD = """
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "example"
version = "1.0.0"
description = "An example."
readme = "README.md"
license = "MIT"
requires-python = ">=3.10"
authors = [{ name = "Example Team" }]
classifiers = ["Programming Language :: Python :: 3"]
urls = { Source = "https://example.org" }
"""
PKG = {"src/example/__init__.py": '"""Example."""\n', "README.md": "# example\n"}

CASES = [
    Case(
        "setup-py-only",
        "PKG001",
        {"setup.py": "from setuptools import setup\nsetup()\n"},
        1,
        says="setup.py",
    ),
    Case("nothing", "PKG001", {"main.py": "print(1)\n"}, 1),
    Case("has-pyproject", "PKG001", {"pyproject.toml": GOOD}, 0),
    # reduced from nanochat: uv treats a project without [build-system] as virtual
    Case(
        "uv-virtual-project",
        "PKG002",
        {
            "pyproject.toml": '[project]\nname = "chat"\nversion = "1"\ndependencies = ["torch>=2"]\n',
            "uv.lock": "version = 1\n",
        },
        0,
    ),
    # reduced from redash: an application whose dependencies uv installs, never built itself
    Case(
        "never-built",
        "PKG002",
        {"pyproject.toml": '[project]\nname = "app"\nversion = "1"\n[tool.uv]\npackage = false\n'},
        0,
    ),
    Case(
        "no-build-system",
        "PKG002",
        {"pyproject.toml": '[project]\nname = "x"\nversion = "1"\n'},
        1,
        says="[build-system]",
    ),
    Case(
        "no-backend",
        "PKG002",
        {"pyproject.toml": '[build-system]\nrequires = ["hatchling"]\n\n[project]\nname = "x"\n'},
        1,
        says="build-backend",
        line=1,
    ),
    Case("tool-config-only", "PKG002", {"pyproject.toml": "[tool.ruff]\nline-length = 100\n"}, 0),
    # reduced from TheAlgorithms/Python and cookiecutter-django: classifiers, but uv never
    # builds a project without a backend and there is no package named for it; cookiecutter
    # (a package of its name, published) still needs one
    Case(
        "virtual-uv-collection",
        "PKG002",
        {
            "pyproject.toml": '[project]\nname = "thealgorithms"\nversion = "0.0.1"\n'
            'classifiers = ["Programming Language :: Python :: 3"]\n',
            "uv.lock": "version = 1\n",
            "sorts/bubble_sort.py": "def bubble(x):\n    return sorted(x)\n",
        },
        0,
    ),
    Case(
        "named-package-without-backend",
        "PKG002",
        {
            "pyproject.toml": '[project]\nname = "cutter"\nversion = "1"\n'
            'classifiers = ["Programming Language :: Python :: 3"]\n',
            "uv.lock": "version = 1\n",
            "cutter/__init__.py": "",
        },
        1,
    ),
    Case("complete", "PKG002", {"pyproject.toml": GOOD}, 0),
    Case("no-name-no-version", "PKG003", {"pyproject.toml": "[project]\ndescription = 'x'\n"}, 2),
    Case(
        "dynamic-version",
        "PKG003",
        {"pyproject.toml": '[project]\nname = "x"\ndynamic = ["version"]\n'},
        0,
    ),
    Case(
        "missing",
        "PKG004",
        {"pyproject.toml": '[build-system]\nrequires = []\n\n[project]\nname = "x"\n'},
        1,
        line=4,
    ),
    Case("present", "PKG004", {"pyproject.toml": GOOD}, 0),
    Case(
        "bare",
        "PKG005",
        {"pyproject.toml": '[project]\nname = "x"\nversion = "1"\n'},
        1,
        says="description, readme, license, authors, urls, classifiers",
    ),
    Case(
        "license-classifier-counts",
        "PKG005",
        {
            "pyproject.toml": GOOD.replace(
                'license = "MIT"', 'classifiers = ["License :: OSI Approved :: MIT License"]'
            ).replace('classifiers = ["Programming Language :: Python :: 3"]\n', "")
        },
        0,
    ),
    Case(
        "application-exempt",
        "PKG005",
        {"pyproject.toml": '[project]\nname = "x"\nversion = "1"\n'},
        0,
        kind="application",
    ),
    Case("complete", "PKG005", {"pyproject.toml": GOOD}, 0),
    Case("readme-missing", "PKG006", {"pyproject.toml": GOOD}, 1, says="does not exist"),
    Case(
        "readme-unknown-type",
        "PKG006",
        {"pyproject.toml": GOOD.replace("README.md", "README"), "README": "x"},
        1,
        says="content type",
    ),
    Case(
        "readme-table-typed",
        "PKG006",
        {
            "pyproject.toml": GOOD.replace(
                '"README.md"', '{ file = "README", content-type = "text/markdown" }'
            ),
            "README": "x",
        },
        0,
    ),
    Case("readme-ok", "PKG006", {"pyproject.toml": GOOD, "README.md": "# x"}, 0),
    Case("flat", "PKG007", {"pyproject.toml": GOOD, "example/__init__.py": ""}, 1),
    Case("src", "PKG007", {"pyproject.toml": GOOD, **PKG}, 0),
    Case(
        "flat-app", "PKG007", {"pyproject.toml": GOOD, "example/__init__.py": ""}, 0, kind="service"
    ),
]

HATCH_SRC = GOOD + '\n[tool.hatch.build.targets.wheel]\npackages = ["src"]\n'
CASES += [
    # reduced from beets: beetsplug is a namespace package (modules, no __init__) on purpose
    Case(
        "namespace-package-listed",
        "PKG008",
        {
            "pyproject.toml": '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
            '[project]\nname = "beets"\nversion = "1"\n[tool.hatch.build.targets.wheel]\n'
            'packages = ["beets", "beetsplug"]\n',
            "beets/__init__.py": "",
            "beetsplug/edit.py": "",
            "beetsplug/_utils/__init__.py": "",
        },
        0,
    ),
    # reduced from haystack-core-integrations' docling: a namespace package with modules only in
    # its folders is listed beside a compatibility package; its imports count
    Case(
        "namespace-package-listed-beside-another",
        "DEP008",
        {
            "pyproject.toml": '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
            '[project]\nname = "docling-haystack"\nversion = "1"\ndependencies = ["haystack-ai>=2", "sh>=2"]\n'
            '[tool.hatch.build.targets.wheel]\npackages = ["src/haystack_integrations", "src/docling_haystack"]\n',
            "src/haystack_integrations/converters/docling/converter.py": "from haystack import Document\n",
            "src/docling_haystack/__init__.py": "import warnings\n",
        },
        1,
        says="`sh`",
    ),
    # reduced from gitlint: a meta-package whose name hatchling finds one folder down
    # (`gitlint-core/gitlint/__init__.py`), shipped empty on purpose
    Case(
        "hatch-namespace-heuristic",
        "PKG008",
        {
            "pyproject.toml": '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
            '[project]\nname = "gitlint"\nversion = "1"\n[tool.hatch.build]\nexclude = ["*"]\n',
            "gitlint-core/gitlint/__init__.py": "",
            "qa/__init__.py": "",
        },
        0,
    ),
    # reduced from opentelemetry-api: `src/opentelemetry` holds only subpackages (a PEP 420
    # namespace package) and the code inside it imports `opentelemetry.…`: the name is intended
    Case(
        "hatch-namespace-imported-by-name",
        "PKG008",
        {
            "pyproject.toml": GOOD
            + '\n[tool.hatch.build.targets.wheel]\npackages = ["src/opentelemetry"]\n',
            "src/opentelemetry/trace/__init__.py": "from opentelemetry.context import Context\n",
            "src/opentelemetry/context/__init__.py": "Context = dict\n",
        },
        0,
    ),
    Case(
        "hatch-src-folder",
        "PKG008",
        {"pyproject.toml": HATCH_SRC, **PKG},
        1,
        says="folder of packages",
        line=17,
    ),
    Case(
        "hatch-missing-path",
        "PKG008",
        {"pyproject.toml": HATCH_SRC.replace('"src"', '"src/other"'), **PKG},
        1,
        says="does not exist",
    ),
    Case(
        "hatch-right",
        "PKG008",
        {"pyproject.toml": HATCH_SRC.replace('"src"', '"src/example"'), **PKG},
        0,
    ),
    Case(
        "hatch-auto-mismatch",
        "PKG008",
        {"pyproject.toml": GOOD, "src/other/__init__.py": ""},
        1,
        says="finds no package named `example`",
    ),
    Case("hatch-auto-ok", "PKG008", {"pyproject.toml": GOOD, **PKG}, 0),
    Case(
        "setuptools-find-nothing",
        "PKG008",
        {
            "pyproject.toml": GOOD.replace("hatchling.build", "setuptools.build_meta")
            + '\n[tool.setuptools.packages.find]\nwhere = ["lib"]\n',
            **PKG,
        },
        1,
        says="finds no package",
    ),
    Case(
        "setuptools-find-src",
        "PKG008",
        {
            "pyproject.toml": GOOD.replace("hatchling.build", "setuptools.build_meta")
            + '\n[tool.setuptools.packages.find]\nwhere = ["src"]\n',
            **PKG,
        },
        0,
    ),
    Case(
        "setuptools-list-missing",
        "PKG008",
        {
            "pyproject.toml": GOOD.replace("hatchling.build", "setuptools.build_meta")
            + '\n[tool.setuptools]\npackages = ["example", "gone"]\npackage-dir = {"" = "src"}\n',
            **PKG,
        },
        1,
        says="gone",
    ),
]

CASES += [
    Case(
        "versions-disagree",
        "PKG009",
        {"pyproject.toml": GOOD, "src/example/__init__.py": '__version__ = "0.9.0"\n'},
        1,
        says="disagrees",
    ),
    Case(
        "versions-agree",
        "PKG009",
        {"pyproject.toml": GOOD, "src/example/__init__.py": '__version__ = "1.0.0"\n'},
        0,
    ),
    Case(
        "hatch-path-missing",
        "PKG009",
        {
            "pyproject.toml": GOOD.replace('version = "1.0.0"', 'dynamic = ["version"]')
            + '\n[tool.hatch.version]\npath = "src/example/_v.py"\n',
            **PKG,
        },
        1,
        says="does not exist",
    ),
    # reduced from netbox: a custom metadata hook computes the version
    Case(
        "hatch-metadata-hook-sets-the-version",
        "PKG009",
        {
            "pyproject.toml": GOOD.replace('version = "1.0.0"', 'dynamic = ["version"]')
            + '\n[tool.hatch.metadata.hooks.custom]\npath = "scripts/hatch_metadata.py"\n',
            **PKG,
        },
        0,
    ),
    Case(
        "hatch-no-source",
        "PKG009",
        {"pyproject.toml": GOOD.replace('version = "1.0.0"', 'dynamic = ["version"]'), **PKG},
        1,
        says="no source",
    ),
    Case(
        "hatch-vcs",
        "PKG009",
        {
            "pyproject.toml": GOOD.replace('version = "1.0.0"', 'dynamic = ["version"]')
            + '\n[tool.hatch.version]\nsource = "vcs"\n',
            **PKG,
        },
        0,
    ),
    Case(
        "setuptools-attr-missing",
        "PKG009",
        {
            "pyproject.toml": GOOD.replace('version = "1.0.0"', 'dynamic = ["version"]').replace(
                "hatchling.build", "setuptools.build_meta"
            )
            + '\n[tool.setuptools.dynamic]\nversion = {attr = "example.about.__version__"}\n',
            **PKG,
        },
        1,
    ),
]

SCRIPTS = GOOD + '\n[project.scripts]\nexample = "example.cli:main"\n'
CASES += [
    Case(
        "module-missing",
        "PKG010",
        {"pyproject.toml": SCRIPTS, **PKG},
        1,
        says="module `example.cli` does not exist",
    ),
    Case(
        "function-missing",
        "PKG010",
        {"pyproject.toml": SCRIPTS, **PKG, "src/example/cli.py": "def run():\n    pass\n"},
        1,
        says="does not define `main`",
    ),
    Case(
        "function-present",
        "PKG010",
        {"pyproject.toml": SCRIPTS, **PKG, "src/example/cli.py": "def main():\n    pass\n"},
        0,
    ),
    Case(
        "imported-name",
        "PKG010",
        {"pyproject.toml": SCRIPTS, **PKG, "src/example/cli.py": "from example.app import main\n"},
        0,
    ),
    Case(
        "third-party-target",
        "PKG010",
        {
            "pyproject.toml": GOOD + '\n[project.entry-points.pytest11]\nx = "othertool.plugin"\n',
            **PKG,
        },
        0,
    ),
    # reduced from opentelemetry-exporter-otlp: a meta-package whose entry points name modules
    # that a dependency installs into the shared namespace package `opentelemetry`
    Case(
        "entry-point-into-a-namespace",
        "PKG010",
        {
            "pyproject.toml": GOOD.replace('"example"', '"otel-exporter"')
            + '\n[tool.hatch.build.targets.wheel]\npackages = ["src/otel"]\n'
            + "\n[project.entry-points.otel_traces_exporter]\n"
            + 'otlp = "otel.exporter.grpc.trace_exporter:Exporter"\n',
            "src/otel/exporter/version/__init__.py": "__version__ = '1'\n",
        },
        0,
    ),
    Case(
        "entry-point-module-missing",
        "PKG010",
        {
            "pyproject.toml": GOOD + '\n[project.entry-points.pytest11]\nx = "example.plugin"\n',
            **PKG,
        },
        1,
    ),
    Case(
        "setup-py-metadata",
        "PKG011",
        {
            "pyproject.toml": GOOD.replace('["hatchling"]', '["setuptools>=61"]').replace(
                "hatchling.build", "setuptools.build_meta"
            ),
            "setup.py": "from setuptools import setup\nsetup(name='example', version='1')\n",
        },
        1,
        says="setup.py passes name, version",
    ),
    # reduced from lerobot: a docstring shows `version = "1.2.3"` and a function sets a local
    # `version`; setup() passes no metadata
    Case(
        "setup-py-metadata-named-in-a-docstring",
        "PKG011",
        {
            "pyproject.toml": GOOD.replace('["hatchling"]', '["setuptools>=61"]').replace(
                "hatchling.build", "setuptools.build_meta"
            ),
            "setup.py": 'from setuptools import setup\n\n\ndef get_version():\n    """Read the version.\n\n    A line such as ``version = "1.2.3"`` in pyproject.toml.\n    """\n    version = None\n    return version\n\n\nsetup(long_description="x")\n',
        },
        0,
    ),
    # reduced from mkdocs: hatchling builds it, and the stub exits before its setup() call
    Case(
        "setup-py-another-backend-never-runs",
        "PKG011",
        {
            "pyproject.toml": GOOD,
            "setup.py": "from setuptools import setup\nsetup(name='example', version='1')\n",
        },
        0,
    ),
    Case(
        "setup-py-stub-that-exits-first",
        "PKG011",
        {
            "pyproject.toml": GOOD.replace('["hatchling"]', '["setuptools>=61"]').replace(
                "hatchling.build", "setuptools.build_meta"
            ),
            "setup.py": "import sys\nfrom setuptools import setup\nsys.exit(__doc__)\nsetup(name='example')\n",
        },
        0,
    ),
    Case(
        "setup-py-extensions-only",
        "PKG011",
        {
            "pyproject.toml": GOOD,
            "setup.py": "from setuptools import Extension, setup\nsetup(ext_modules=[Extension('x', ['x.c'])])\n",
        },
        0,
    ),
    Case(
        "ci-calls-setup-py",
        "PKG011",
        {
            ".github/workflows/release.yml": "on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - run: python setup.py sdist bdist_wheel\n"
        },
        1,
        line=6,
    ),
    # reduced from ipykernel: a shell comment quotes the command the next lines run
    Case(
        "command-quoted-in-a-comment",
        "PKG011",
        {
            "CONTRIBUTING.md": "```bash\n# note the extra `python2 setup.py bdist_wheel` below\n"
            "python3 -m build\npython2 setup.py bdist_wheel  # the 4.x branch\n```\n"
        },
        1,
        line=4,
    ),
    # reduced from celery: `#` is root's prompt, not a comment
    Case(
        "command-at-roots-prompt",
        "PKG011",
        {"README.rst": "::\n\n    $ python -m build\n    # python setup.py install\n"},
        1,
        line=4,
    ),
    Case(
        "ci-uses-build",
        "PKG011",
        {
            ".github/workflows/release.yml": "on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - run: python -m build\n"
        },
        0,
    ),
    Case(
        "typed-no-marker",
        "PKG012",
        {
            "pyproject.toml": GOOD + "\n[tool.mypy]\nstrict = true\n",
            "src/example/__init__.py": "def f() -> int:\n    return 1\n",
        },
        1,
    ),
    Case(
        "typed-with-marker",
        "PKG012",
        {
            "pyproject.toml": GOOD + "\n[tool.mypy]\nstrict = true\n",
            "src/example/__init__.py": "def f() -> int:\n    return 1\n",
            "src/example/py.typed": "",
        },
        0,
    ),
    Case(
        "untyped",
        "PKG012",
        {
            "pyproject.toml": GOOD + "\n[tool.mypy]\nstrict = true\n",
            "src/example/__init__.py": "def f():\n    return 1\n",
        },
        0,
    ),
    Case(
        "model-committed", "PKG013", {"models/net.onnx": b"\1" * (1024 * 1024 + 1)}, 1, use_git=True
    ),
    Case(
        "model-in-lfs",
        "PKG013",
        {
            "models/net.onnx": b"\1" * (1024 * 1024 + 1),
            ".gitattributes": "*.onnx filter=lfs diff=lfs merge=lfs -text\n",
        },
        0,
        use_git=True,
    ),
    Case("small-model", "PKG013", {"models/net.onnx": b"\1" * 1000}, 0, use_git=True),
    Case(
        "not-toml",
        "PKG014",
        {"pyproject.toml": "[project\nname = 1\n"},
        1,
        says="not valid TOML",
        line=1,
    ),
    Case(
        "wrong-types",
        "PKG014",
        {
            "pyproject.toml": '[project]\nname = "x"\nauthors = "me"\nrequire-python = ">=3.10"\ndependencies = ["ok>=1", "bad req!"]\n'
        },
        3,
    ),
    # reduced from isort: hatchling builds the package and drops the keys (PKG015, a
    # warning); setuptools refuses the file (PKG014, an error)
    Case(
        "unknown-field-hatchling",
        "PKG014",
        {
            "pyproject.toml": '[project]\nname = "x"\nversion = "1"\nhomepage = "https://x.org"\n'
            '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
        },
        0,
    ),
    Case(
        "unknown-field-dropped",
        "PKG015",
        {
            "pyproject.toml": '[project]\nname = "x"\nversion = "1"\nhomepage = "https://x.org"\n'
            '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
        },
        1,
        says="hatchling.build leaves it out",
        line=4,
    ),
    Case(
        "unknown-field-setuptools",
        "PKG014",
        {
            "pyproject.toml": '[project]\nname = "x"\nversion = "1"\nhomepage = "https://x.org"\n'
            '[build-system]\nrequires = ["setuptools>=70"]\nbuild-backend = "setuptools.build_meta"\n'
        },
        1,
        says="no field `homepage`",
    ),
    Case(
        "unknown-field-refused-not-dropped",
        "PKG015",
        {"pyproject.toml": '[project]\nname = "x"\nversion = "1"\nhomepage = "https://x.org"\n'},
        0,
    ),
    Case(
        "bad-requires-python",
        "PKG014",
        {"pyproject.toml": '[project]\nname = "x"\nrequires-python = "3.10+"\n'},
        1,
        says="requires-python",
    ),
    Case(
        "bad-dynamic",
        "PKG014",
        {"pyproject.toml": '[project]\nname = "x"\nversion = "1"\ndynamic = ["version", "name"]\n'},
        2,
    ),
    Case(
        "valid",
        "PKG014",
        {
            "pyproject.toml": GOOD
            + '\n[dependency-groups]\ndev = ["pytest>=8", {include-group = "lint"}]\nlint = ["ruff"]\n'
        },
        0,
    ),
    Case(
        "unknown-include-group",
        "PKG014",
        {"pyproject.toml": GOOD + '\n[dependency-groups]\ndev = [{include-group = "lnt"}]\n'},
        1,
        says="unknown group",
    ),
]

CASES += [
    Case(
        "multi-line-import",
        "PKG010",
        {
            "pyproject.toml": SCRIPTS,
            **PKG,
            "src/example/cli.py": "from example.app import (\n    run,\n    main,\n)\n",
        },
        0,
    ),
    Case(
        "conditional-definition",
        "PKG010",
        {
            "pyproject.toml": SCRIPTS,
            **PKG,
            "src/example/cli.py": "import sys\nif sys.platform == 'win32':\n    def main():\n        pass\nelse:\n    main = None\n",
        },
        0,
    ),
    Case(
        "name-only-in-comment",
        "PKG010",
        {
            "pyproject.toml": SCRIPTS,
            **PKG,
            "src/example/cli.py": "# main is gone\ndef run():\n    pass\n",
        },
        1,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_packaging_rules(audit: Audit, case: Case) -> None:
    run_case(audit, case)
