"""DEP007-DEP009: imports against declared dependencies, read from the source."""

from __future__ import annotations

import pytest

from tests.conftest import Audit
from tests.rules.cases import Case, ids, run_case


def project(deps: str, extra: str = "", **files: str) -> dict[str, str | bytes]:
    meta = f'[project]\nname = "pkg"\nversion = "1"\ndependencies = [{deps}]\n{extra}'
    return {
        "pyproject.toml": meta,
        "src/pkg/__init__.py": "",
        **{k.replace("_SLASH_", "/").replace("_DOT_", "."): v for k, v in files.items()},
    }


MOD = "src_SLASH_pkg_SLASH_core_DOT_py"
TEST = "tests_SLASH_test_core_DOT_py"
CASES = [
    # reduced from dvc and python-lsp-server: a PyInstaller hook and a module registered in
    # another library's entry-point group are loaded by their hosts; `pylsp_jsonrpc` is the
    # module of python-lsp-jsonrpc
    Case(
        "host-loaded-modules-and-py-prefix",
        "DEP007",
        project(
            '"requests>=2", "python-lsp-jsonrpc>=1"',
            '[project.entry-points."universal_pathlib.implementations"]\n'
            'pkg = "pkg.fs_path:PkgPath"\n',
            **{
                MOD: "import requests\nimport pylsp_jsonrpc\n",
                "src_SLASH_pkg_SLASH___pyinstaller_SLASH_hook-celery_DOT_py": "from PyInstaller.utils.hooks import x\n",
                "src_SLASH_pkg_SLASH_fs_path_DOT_py": "from upath import UPath\n",
            },
        ),
        0,
    ),
    # reduced from peewee: an integration module named for its library without the version
    # digit, which nothing in the package imports
    Case(
        "integration-named-without-version",
        "DEP007",
        project(
            '"requests>=2"',
            **{
                MOD: "import requests\n",
                "src_SLASH_pkg_SLASH_sqlcipher_ext_DOT_py": "from sqlcipher3 import dbapi2\n",
            },
        ),
        0,
    ),
    Case(
        "undeclared",
        "DEP007",
        project('"requests>=2"', **{MOD: "import requests\nimport yaml\n"}),
        1,
        says="`yaml`",
        line=2,
    ),
    # reduced from haystack-core-integrations (opensearch, agent_pack): haystack's LazyImport
    # context manager swallows the ImportError, and `boto3_import.check()` raises it where the
    # feature is used; a context manager merely named for an import (beets' ImportState)
    # guards nothing
    Case(
        "imported-under-a-lazy-import-context-manager",
        "DEP007",
        project(
            '"haystack-ai>=2"',
            **{
                MOD: "from haystack.lazy_imports import LazyImport\n\n"
                "with LazyImport(\"Run 'pip install boto3'\") as boto3_import:\n"
                "    import boto3\n    from botocore.exceptions import BotoCoreError\n\n"
                "with ImportState() as state:\n    import arrow\n",
            },
        ),
        1,
        says="`arrow`",
    ),
    # reduced from pgcli: an IPython extension (`%load_ext pgcli.magic` calls its
    # `load_ipython_extension`) nothing in the package imports; a module nothing imports
    # without such a hook is reported
    Case(
        "ipython-extension-loaded-by-its-host",
        "DEP007",
        project(
            '"requests>=2"',
            **{
                MOD: "import requests\n",
                "src_SLASH_pkg_SLASH_magic_DOT_py": "import sql.parse\n\n\n"
                "def load_ipython_extension(ipython):\n    ipython.register_magic_function(f)\n",
                "src_SLASH_pkg_SLASH_report_DOT_py": "import yaml\n\n\ndef load(ipython):\n"
                "    pass\n",
            },
        ),
        1,
        says="`yaml`",
    ),
    # reduced from uvicorn: gunicorn loads `-k uvicorn.workers.UvicornWorker` itself
    Case(
        "host-loaded-worker",
        "DEP007",
        project(
            '"click>=8"',
            src_SLASH_pkg_SLASH_workers_DOT_py="from gunicorn.workers.base import Worker\n",
        ),
        0,
    ),
    # reduced from uvicorn: wsproto_impl is imported in the `else:` of `try: import wsproto`
    # and, for types only, under TYPE_CHECKING elsewhere: only the guarded import loads it
    Case(
        "type-checking-import-loads-nothing",
        "DEP007",
        project(
            '"click>=8"',
            src_SLASH_pkg_SLASH___init___DOT_py="try:\n    import wsproto\nexcept ImportError:\n    pass\nelse:\n    from pkg import wsproto_impl\n",
            src_SLASH_pkg_SLASH_server_DOT_py="from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.wsproto_impl import Protocol\n",
            src_SLASH_pkg_SLASH_wsproto_impl_DOT_py="import wsproto\n",
        ),
        0,
    ),
    # reduced from lm-evaluation-harness: a generator script inside the package, run by hand
    Case(
        "script-nothing-imports",
        "DEP007",
        project(
            '"requests>=2"',
            src_SLASH_pkg_SLASH_tasks_SLASH_make_yamls_DOT_py="import langcodes\n\n"
            "def main():\n    print(langcodes.Language.get('eu'))\n\n"
            "if __name__ == '__main__':\n    main()\n",
        ),
        0,
    ),
    Case(
        "script-the-package-imports",
        "DEP007",
        project(
            '"requests>=2"',
            src_SLASH_pkg_SLASH___init___DOT_py="from pkg import tool\n",
            src_SLASH_pkg_SLASH_tool_DOT_py="import langcodes\n\nif __name__ == '__main__':\n    pass\n",
        ),
        1,
    ),
    # reduced from sentence-transformers: `__init__` checks, a method imports lazily
    Case(
        "lazy-import-checked-elsewhere",
        "DEP007",
        project(
            '"requests>=2"',
            **{
                MOD: "from pkg.util import is_nltk_available\n\nclass Noise:\n"
                "    def __init__(self):\n        if not is_nltk_available():\n"
                "            raise ImportError('pip install nltk')\n\n"
                "    def delete(self, text):\n        from nltk import word_tokenize\n"
                "        return word_tokenize(text)\n"
            },
        ),
        0,
    ),
    Case(
        "module-level-import-beside-a-check",
        "DEP007",
        project(
            '"requests>=2"',
            **{MOD: "import nltk\n\nHAS_NLTK = True\n"},
        ),
        1,
    ),
    # reduced from trl: transformers' `is_sagemaker_mp_enabled()` checks the module is there
    Case(
        "enabled-helper-guard",
        "DEP007",
        project(
            '"transformers>=4.40"',
            **{
                MOD: "from transformers.utils import is_sagemaker_mp_enabled\n\n"
                "if is_sagemaker_mp_enabled():\n    import smdistributed.modelparallel.torch as smp\n"
            },
        ),
        0,
    ),
    # reduced from logfire: encoders registered only where the import succeeds
    Case(
        "suppressed-import-error",
        "DEP007",
        project(
            '"requests>=2"',
            **{
                MOD: "import contextlib\n\nwith contextlib.suppress(ModuleNotFoundError):\n"
                "    import pandas\n    ENCODERS[pandas.DataFrame] = str\n"
            },
        ),
        0,
    ),
    # reduced from logfire: `instrument_aiohttp_client()` loads the integration, which imports
    # the user's aiohttp and what aiohttp brings (yarl, multidict)
    Case(
        "integration-loaded-by-a-feature",
        "DEP007",
        project(
            '"requests>=2"',
            src_SLASH_pkg_SLASH___init___DOT_py="from pkg.main import Client\n",
            src_SLASH_pkg_SLASH_main_DOT_py="class Client:\n    def instrument_aiohttp(self):\n"
            "        from pkg.integrations.aiohttp_client import instrument\n        instrument()\n",
            src_SLASH_pkg_SLASH_integrations_SLASH___init___DOT_py="",
            src_SLASH_pkg_SLASH_integrations_SLASH_aiohttp_client_DOT_py="import aiohttp\nimport yarl\n"
            "from multidict import CIMultiDict\n",
        ),
        0,
    ),
    Case(
        "integration-the-package-loads-at-import",
        "DEP007",
        project(
            '"requests>=2"',
            src_SLASH_pkg_SLASH___init___DOT_py="from pkg.integrations.aiohttp_client import instrument\n",
            src_SLASH_pkg_SLASH_integrations_SLASH___init___DOT_py="",
            src_SLASH_pkg_SLASH_integrations_SLASH_aiohttp_client_DOT_py="import aiohttp\n",
        ),
        1,
    ),
    # reduced from nicegui: poetry ships the package named for the project, not the website
    # beside it, whose imports its own dependency group declares
    Case(
        "site-beside-the-package",
        "DEP007",
        {
            "pyproject.toml": '[build-system]\nrequires = ["poetry-core"]\nbuild-backend = "poetry.core.masonry.api"\n'
            '[project]\nname = "nicegui"\nversion = "1"\ndependencies = ["fastapi>=0.110"]\n',
            "nicegui/__init__.py": "import fastapi\n",
            "website/__init__.py": "import pandas\n",
        },
        0,
    ),
    # reduced from redash: a flag set from find_spec guards the imports
    Case(
        "find-spec-flag",
        "DEP007",
        project(
            '"requests>=2"',
            **{
                MOD: "from importlib.util import find_spec\n\n"
                "pandas_installed = find_spec('pandas') and find_spec('numpy')\n\n"
                "if pandas_installed:\n    import numpy as np\n    import pandas as pd\n"
            },
        ),
        0,
    ),
    # reduced from redash: an application is installed with its dependency groups
    Case(
        "application-group",
        "DEP007",
        {
            **project(
                '"flask>=3"',
                '[dependency-groups]\ndev = ["ptpython>=3"]\n',
                **{MOD: "def shell():\n    import ptpython\n"},
            ),
            "uv.lock": "version = 1\n",
        },
        0,
        kind="application",
    ),
    Case(
        "library-group",
        "DEP007",
        project(
            '"requests>=2"',
            '[dependency-groups]\ndev = ["ptpython>=3"]\n',
            **{MOD: "import ptpython\n"},
        ),
        1,
    ),
    # reduced from optuna: the package's own test helpers import what the test group declares
    Case(
        "package-test-helpers",
        "DEP007",
        project(
            '"requests>=2"',
            '[dependency-groups]\ntest = ["pytest>=8", "fakeredis"]\n',
            src_SLASH_pkg_SLASH_testing_SLASH_storages_DOT_py="import fakeredis\nimport pytest\n",
        ),
        0,
    ),
    # reduced from redash: maxminddb-geolite2 provides geolite2
    Case(
        "import-named-within-the-distribution",
        "DEP007",
        project('"maxminddb-geolite2>=2018.703"', **{MOD: "from geolite2 import geolite2\n"}),
        0,
    ),
    Case(
        "known-alias",
        "DEP007",
        project(
            '"pyyaml>=6", "opencv-python>=4", "pillow>=10", "scikit-learn>=1", "python-dateutil"',
            **{
                MOD: "import yaml\nimport cv2\nfrom PIL import Image\nfrom sklearn import svm\nfrom dateutil import parser\n"
            },
        ),
        0,
    ),
    Case(
        "guarded",
        "DEP007",
        project(
            '"requests>=2"',
            **{MOD: "try:\n    import ujson as json\nexcept ImportError:\n    import json\n"},
        ),
        0,
    ),
    Case(
        "names-read-from-wheels",
        "DEP007",
        project(
            '"rpds-py>=0.25", "proto-plus>=1", "pyzmq>=25"',
            **{MOD: "import rpds\nimport proto\nimport zmq\n"},
        ),
        0,
    ),
    Case(
        "always-installed-by-a-declared-dependency",
        "DEP007",
        project('"starlette>=0.40"', **{MOD: "import anyio\n"}),
        0,
    ),
    Case(
        "availability-checks-guard",
        "DEP007",
        project(
            '"requests>=2"',
            **{
                MOD: "from importlib.util import find_spec\n"
                "if is_torch_available():\n    import torch\n"
                'if find_spec("rich"):\n    import rich\n'
                "if _HAS_WANDB:\n    import wandb\n"
                'if __name__ == "__main__":\n    import uvloop\n'
                "def url():\n    if not is_trackio_available():\n        return None\n"
                "    from trackio import context\n    return context\n"
                'aesara = import_module("aesara")\nif aesara:\n    from aesara import tensor\n'
            },
        ),
        0,
    ),
    Case(
        "a-plug-in-its-host-loads-or-a-module-loaded-optionally",
        "DEP007",
        project(
            '"requests>=2"',
            src_SLASH_pkg_SLASH__hypothesis_plugin_DOT_py="import hypothesis\n",
            src_SLASH_pkg_SLASH_worker_DOT_py="import gunicorn.workers\n",
            src_SLASH_pkg_SLASH___init___DOT_py="try:\n    from .worker import Worker\n"
            "except ImportError:\n    Worker = None\n",
        ),
        0,
    ),
    Case(
        "an-unrelated-if-does-not-guard",
        "DEP007",
        project('"requests>=2"', **{MOD: "if DEBUG:\n    import yaml\n"}),
        1,
    ),
    Case(
        "type-checking",
        "DEP007",
        project(
            '"requests>=2"',
            **{MOD: "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pandas\n"},
        ),
        0,
    ),
    Case(
        "in-extra",
        "DEP007",
        project(
            '"requests>=2"',
            '[project.optional-dependencies]\nfast = ["orjson>=3"]\n',
            **{MOD: "def dumps(x):\n    import orjson\n    return orjson.dumps(x)\n"},
        ),
        0,
    ),
    Case(
        "first-party-and-stdlib",
        "DEP007",
        project(
            '"requests>=2"',
            **{
                MOD: "import os, json\nfrom pkg import core\nfrom . import helpers\nimport requests\n"
            },
        ),
        0,
    ),
    # reduced from jupyter_client's localinterfaces.py: each optional import sits in a helper
    # whose call the caller guards with `except ImportError` (then falls back)
    Case(
        "import-in-a-helper-whose-call-is-guarded",
        "DEP007",
        project(
            '"requests>=2"',
            **{
                MOD: "def _load_ips_psutil():\n    import psutil\n    return psutil.net_if_addrs()\n\n"
                "def _load_ips_netifaces():\n    import netifaces\n    return netifaces.interfaces()\n\n"
                "def _load_ips():\n    try:\n        return _load_ips_psutil()\n"
                "    except ImportError:\n        pass\n"
                "    try:\n        return _load_ips_netifaces()\n    except ImportError:\n        return []\n"
            },
        ),
        0,
    ),
    Case(
        "import-in-a-helper-whose-call-is-not-guarded",
        "DEP007",
        project(
            '"requests>=2"',
            **{
                MOD: "def _load_ips_psutil():\n    import psutil\n    return psutil.net_if_addrs()\n\n"
                "def _load_ips():\n    return _load_ips_psutil()\n"
            },
        ),
        1,
        says="`psutil`",
    ),
    Case(
        "namespace-dist",
        "DEP007",
        project('"google-cloud-storage>=2"', **{MOD: "from google.cloud import storage\n"}),
        0,
    ),
    Case(
        "unused",
        "DEP008",
        project('"requests>=2", "rich>=13"', **{MOD: "import requests\n"}),
        1,
        says="`rich`",
    ),
    # reduced from dspy: the line's comment names the declared dependency it is there for
    Case(
        "comment-names-the-dependency-it-serves",
        "DEP008",
        {
            "pyproject.toml": '[project]\nname = "pkg"\nversion = "1"\ndependencies = [\n'
            '    "requests>=2",\n'
            '    "tenacity>=8.2.3",  # undeclared runtime dep of requests, for retries\n'
            '    "rich>=13",  # nice output\n]\n',
            "src/pkg/__init__.py": "",
            "src/pkg/core.py": "import requests\n",
        },
        1,
        says="`rich`",
    ),
    # reduced from jupyter_server: the comment lines above the requirement name the declared
    # dependency it is there for (terminado falls back without a working pywinpty); a
    # heading over the next requirement names nothing declared
    Case(
        "comment-above-names-the-dependency-it-serves",
        "DEP008",
        {
            "pyproject.toml": '[project]\nname = "pkg"\nversion = "1"\ndependencies = [\n'
            '    "requests>=2",\n'
            "    # pywinpty 3.0.4 ships broken Windows wheels: import winpty raises\n"
            "    # ImportError -> requests falls back to `object`.\n"
            "    \"pywinpty>=2.0.1,!=3.0.4;os_name=='nt'\",\n"
            "    # Output\n"
            '    "rich>=13",\n]\n',
            "src/pkg/__init__.py": "",
            "src/pkg/core.py": "import requests\n",
        },
        1,
        says="`rich`",
    ),
    # reduced from thinc: its Cython extensions cimport preshed and murmurhash (and import
    # srsly), in .pyx and .pxd files; nothing cimports rich
    Case(
        "imported-by-cython-sources",
        "DEP008",
        project(
            '"requests>=2", "preshed>=3.0.2", "murmurhash>=1.0.2", "srsly>=2.4", "rich>=13"',
            **{
                MOD: "import requests\n",
                "src_SLASH_pkg_SLASH_ops_DOT_pyx": "# cython: binding=True\ncimport cython\n"
                "from preshed.maps cimport PreshMap\nimport srsly\nfrom .ops import Ops\n",
                "src_SLASH_pkg_SLASH_hash_DOT_pxd": "from murmurhash.mrmr cimport hash64\n",
            },
        ),
        1,
        says="`rich`",
    ),
    # reduced from wger: the package's wsgi.py names the settings module `settings.main`, a
    # package at the repository root whose modules list apps, middleware and back ends by
    # their dotted names; rich is named nowhere
    Case(
        "named-in-the-django-settings-the-package-loads",
        "DEP008",
        project(
            '"django>=5", "django-cors-headers>=4", "django-redis>=5", "rich>=13"',
            src_SLASH_pkg_SLASH_wsgi_DOT_py="import os\nfrom django.core.wsgi import "
            "get_wsgi_application\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', "
            "'settings.main')\napplication = get_wsgi_application()\n",
            settings_SLASH___init___DOT_py="",
            settings_SLASH_main_DOT_py="from .settings_global import *  # noqa\n",
            settings_SLASH_settings_global_DOT_py="INSTALLED_APPS = ['corsheaders']\n"
            "MIDDLEWARE = ['corsheaders.middleware.CorsMiddleware']\n",
            settings_SLASH_local_dev_DOT_py="CACHES = {'default': {'BACKEND': "
            "'django_redis.cache.RedisCache'}}\n",
        ),
        1,
        says="`rich`",
    ),
    # reduced from django-helpdesk: a demo project's settings (named by its own manage.py, not
    # by the package) are not the package's
    Case(
        "named-only-in-a-demo-projects-settings",
        "DEP008",
        project(
            '"django>=5", "django-cors-headers>=4"',
            **{
                MOD: "import django\n",
                "demo_SLASH_manage_DOT_py": "import os\nos.environ.setdefault("
                '"DJANGO_SETTINGS_MODULE", "demo.settings")\n',
                "demo_SLASH___init___DOT_py": "",
                "demo_SLASH_settings_DOT_py": "INSTALLED_APPS = ['corsheaders']\n",
            },
        ),
        1,
        says="`django-cors-headers`",
    ),
    # reduced from django-helpdesk: its installation page tells users to add the app to
    # their INSTALLED_APPS by its dotted name; a mention in prose names no module
    Case(
        "named-by-the-installation-page",
        "DEP008",
        project(
            '"django>=5", "django-cleanup>=8", "django-model-utils>=4"',
            **{
                MOD: "import django\n",
                "docs_SLASH_install_DOT_rst": "Add these to ``INSTALLED_APPS``::\n\n"
                "    INSTALLED_APPS = (\n        'django_cleanup.apps.CleanupConfig',\n"
                "        'helpdesk',\n    )\n\nThe model utils come with django-model-utils.\n",
            },
        ),
        1,
        says="`django-model-utils`",
    ),
    # reduced from langgraph: langgraph-prebuilt installs `langgraph.prebuilt`, bundled with it
    Case(
        "portion-of-the-own-namespace",
        "DEP008",
        project('"requests>=2", "pkg-prebuilt>=1.1"', **{MOD: "import requests\n"}),
        0,
    ),
    # reduced from django-oscar: `oscar.test.factories` ships with the package for its users'
    # tests and imports factory-boy's `factory`
    Case(
        "imported-by-shipped-test-helpers",
        "DEP008",
        {
            **project('"requests>=2", "factory-boy>=3", "rich>=13"', **{MOD: "import requests\n"}),
            "src/pkg/test/__init__.py": "",
            "src/pkg/test/factories/__init__.py": "import factory\n",
            "src/pkg/test/test_self.py": "import rich\n",
        },
        1,
        says="`rich`",
    ),
    # reduced from opentelemetry-exporter-otlp: a meta-package (its module holds a version)
    Case(
        "meta-package",
        "DEP008",
        project(
            '"otel-exporter-grpc==1.4", "otel-exporter-http==1.4"',
            **{MOD: '__version__ = "1.4"\n'},
        ),
        0,
    ),
    # and an entry point loading from a dependency's module in a shared namespace
    Case(
        "loaded-by-an-entry-point",
        "DEP008",
        project(
            '"requests>=2", "otel-exporter-grpc==1.4", "rich>=13"',
            "[project.entry-points.otel_traces_exporter]\n"
            'otlp = "otel.exporter.grpc.trace_exporter:Exporter"\n',
            **{MOD: "import requests\n"},
        ),
        1,
        says="`rich`",
    ),
    Case(
        "plugin-and-server",
        "DEP008",
        project(
            '"uvicorn[standard]>=0.30", "types-requests", "psycopg2-binary", "requests", '
            '"adbc-driver-snowflake>=1"',
            **{MOD: "import requests\n"},
        ),
        0,
    ),
    # reduced from djangoproject.com: the Makefile runs libsass's compiler as a module
    Case(
        "run-as-a-module-by-the-makefile",
        "DEP008",
        {
            **project('"requests>=2", "sasstool>=0.2"', **{MOD: "import requests\n"}),
            "Makefile": "css:\n\tpython -m sasstool static/scss static/css\n",
        },
        0,
    ),
    # nicegui and scrapy: what an extra of a declared dependency installs is no unused floor
    Case(
        "installed-by-an-extra-of-another",
        "DEP008",
        project(
            '"requests>=2", "twisted[http2]>=21", "h2>=4"',
            **{MOD: "import requests\nimport twisted\n"},
        ),
        0,
    ),
    # reduced from cookiecutter-django: a project that is never built; its dependencies are the
    # tools its tests and scripts run (`sh.djlint(...)`), a tox plug-in, and the test imports
    Case(
        "never-built-environment",
        "DEP008",
        {
            "pyproject.toml": '[project]\nname = "tmpl"\nversion = "1"\n'
            'dependencies = ["djlint==1.36", "tox==4", "tox-uv==1", "sh==2", "gitpython==3", "rich==13"]\n'
            "[tool.uv]\npackage = false\n",
            "tests/test_gen.py": "import sh\n\ndef test_lint():\n    sh.djlint('x')\n",
            "scripts/changelog.py": "import git\n",
            "hooks/__init__.py": "",
            "hooks/post_gen.py": "import os\n",
        },
        1,
        says="`rich`",
    ),
    Case(
        "never-built-dev-tools",
        "DEP006",
        {
            "pyproject.toml": '[project]\nname = "tmpl"\nversion = "1"\n'
            'dependencies = ["pytest==8", "ruff==0.6"]\n[tool.uv]\npackage = false\n',
        },
        0,
    ),
    Case(
        "used-by-name-or-as-a-floor",
        "DEP008",
        project(
            '"pytest>=8", "pluggy>=1.2", "virtualenv>=20", "repo-review>=0.10", "rich>=13"',
            '[project.scripts]\nsp-repo-review = "repo_review.__main__:main"\n',
            **{
                MOD: "import subprocess, sys\nimport pytest\n"
                'def make():\n    subprocess.run([sys.executable, "-m", "virtualenv", "v"])\n'
                '"""Output is pretty with rich."""\n'
            },
        ),
        1,
        says="`rich`",
    ),
    # reduced from dispatch and redash: a package named under a prefix, and what gunicorn loads
    Case(
        "named-within-and-loaded-by-the-server",
        "DEP008",
        project(
            '"atlassian-python-api>=3", "gevent>=24", "uvloop>=0.19", "python-dotenv>=1", "emails"',
            **{MOD: "from atlassian import Confluence\n"},
        ),
        1,
        says="`emails`",
    ),
    # reduced from pythondotorg: Django apps named in INSTALLED_APPS and template loaders, and
    # a plug-in imported under its name without the `django-` prefix
    Case(
        "django-apps-by-name",
        "DEP008",
        project(
            '"django>=5", "django-widget-tweaks>=1", "django-apptemplates>=1", "django-import-export>=4"',
            src_SLASH_pkg_SLASH_settings_DOT_py="INSTALLED_APPS = ['django.contrib.admin', 'widget_tweaks']\n"
            "TEMPLATES = [{'OPTIONS': {'loaders': ['apptemplates.Loader']}}]\n",
            src_SLASH_pkg_SLASH_admin_DOT_py="import django\nfrom import_export.admin import ExportMixin\n",
        ),
        0,
    ),
    Case(
        "django-plugin-imported-without-its-prefix",
        "DEP007",
        project(
            '"django>=5", "django-ordered-model>=3"',
            **{MOD: "from ordered_model.admin import OrderedModelAdmin\n"},
        ),
        0,
    ),
    # reduced from microblog-api: the application's entry script beside its package
    Case(
        "application-script-beside-the-package",
        "DEP008",
        {
            **project('"flask>=3", "alembic>=1.13"', **{MOD: "import flask\n"}),
            "microblog.py": "from alembic.config import main\n",
        },
        0,
        kind="application",
    ),
    Case(
        "imported-in-function",
        "DEP008",
        project('"rich>=13"', **{MOD: "def show():\n    from rich import print\n"}),
        0,
    ),
    # reduced from tablib and lerobot (`odf` of odfpy, `scservo_sdk` of feetech-servo-sdk): a
    # declared distribution prodready never read may provide a module no read one provides
    # reduced from lm-evaluation-harness: the declared vllm does not bring ray; vllm-tpu,
    # which also provides `vllm`, does, and is not what the project installs
    Case(
        "integration-imports-what-another-build-of-its-library-brings",
        "DEP007",
        project(
            '"requests>=2"',
            '[project.optional-dependencies]\nvllm = ["vllm>=0.18"]\n',
            **{
                MOD: "import requests\n",
                "src_SLASH_pkg_SLASH_vllm_models_DOT_py": "import ray\nfrom vllm import LLM\n",
            },
        ),
        1,
        says="`ray`",
    ),
    # reduced from drf-spectacular: an extension module named for the distribution it serves
    Case(
        "integration-named-for-the-distribution",
        "DEP007",
        project(
            '"requests>=2"',
            **{
                MOD: "import requests\n",
                "src_SLASH_pkg_SLASH_contrib_SLASH_django_oauth_toolkit_DOT_py": "class Ext:\n"
                "    def get(self):\n        from oauth2_provider.models import Token\n",
            },
        ),
        0,
    ),
    Case(
        "integration-named-for-another-distribution",
        "DEP007",
        project(
            '"requests>=2"',
            **{
                MOD: "import requests\n",
                "src_SLASH_pkg_SLASH_contrib_SLASH___init___DOT_py": "",
                "src_SLASH_pkg_SLASH_contrib_SLASH_django_allauth_DOT_py": "class Ext:\n"
                "    def get(self):\n        from oauth2_provider.models import Token\n",
            },
        ),
        1,
        says="`oauth2_provider.models`",
    ),
    # reduced from dateparser: the maintainers' data scripts declare their own requirements
    Case(
        "a-folder-with-its-own-requirements",
        "DEP007",
        project(
            '"requests>=2"',
            **{
                MOD: "import requests\n",
                "src_SLASH_pkg_SLASH_scripts_SLASH___init___DOT_py": "",
                "src_SLASH_pkg_SLASH_scripts_SLASH_order_DOT_py": "import parsel\nimport yaml\n",
                "src_SLASH_pkg_SLASH_scripts_SLASH_requirements_DOT_txt": "parsel\n",
            },
        ),
        1,
        says="`yaml`",
    ),
    # reduced from ansible-lint: in-file tests defined only when pytest is already running
    Case(
        "import-under-a-sys-modules-test",
        "DEP007",
        project(
            '"requests>=2"',
            **{
                MOD: "import sys\nimport requests\n\nif 'pytest' in sys.modules:\n    import pytest\n"
            },
        ),
        0,
    ),
    # reduced from litestar: the built-in `ExceptionGroup` on 3.11, the backport before it
    Case(
        "import-in-a-name-error-fallback",
        "DEP007",
        project(
            '"requests>=2"',
            **{
                MOD: "import requests\n\ndef group():\n    try:\n        return ExceptionGroup\n"
                "    except NameError:\n        from exceptiongroup import ExceptionGroup\n"
                "        return ExceptionGroup\n"
            },
        ),
        0,
    ),
    Case(
        "import-in-a-value-error-handler",
        "DEP007",
        project(
            '"requests>=2"',
            **{
                MOD: "import requests\ntry:\n    x = int('a')\nexcept ValueError:\n    import yaml\n"
            },
        ),
        1,
        says="`yaml`",
    ),
    # reduced from streamlink: the build writes the version into `_version.py`; in a checkout
    # it asks versioningit, which the build requires
    Case(
        "version-module-imports-the-build-tool",
        "DEP007",
        project(
            '"requests>=2"',
            '[build-system]\nrequires = ["setuptools", "versioningit>=2"]\n',
            src_SLASH_pkg_SLASH__version_DOT_py="import requests\nfrom versioningit import get_version\n",
        ),
        0,
    ),
    Case(
        "other-module-imports-the-build-tool",
        "DEP007",
        project(
            '"requests>=2"',
            '[build-system]\nrequires = ["setuptools", "versioningit>=2"]\n',
            **{MOD: "import requests\nfrom versioningit import get_version\n"},
        ),
        1,
        says="`versioningit`",
    ),
    Case(
        "unknown-distribution-may-provide",
        "DEP007",
        project(
            '"requests>=2", "acme-internal-servo-kit>=1"',
            **{MOD: "import requests\nimport acmeservo\n"},
        ),
        0,
    ),
    Case(
        "unknown-module-every-distribution-known",
        "DEP007",
        project('"requests>=2"', **{MOD: "import requests\nimport acmeservo\n"}),
        1,
        says="`acmeservo`",
    ),
    Case(
        "unknown-distribution-known-module",
        "DEP007",
        project('"acme-internal-servo-kit>=1"', **{MOD: "import acmeservo\nimport yaml\n"}),
        1,
        says="`yaml`",
    ),
    Case(
        "unknown-distribution-with-unknown-import",
        "DEP008",
        project('"acme-internal-servo-kit>=1"', **{MOD: "import acmeservo\n"}),
        0,
    ),
    Case(
        "unknown-distribution-every-import-known",
        "DEP008",
        project('"acme-internal-servo-kit>=1", "requests>=2"', **{MOD: "import requests\n"}),
        1,
        says="acme-internal-servo-kit",
    ),
    # reduced from browser-use: pyobjc is a meta-package (its wheel installs no module); the
    # package imports `AppKit`, of pyobjc-framework-cocoa, which pyobjc installs
    Case(
        "meta-package-used-through-what-it-installs",
        "DEP008",
        project(
            '"requests>=2", "pyobjc>=11.0; platform_system == \'darwin\'"',
            **{
                MOD: "import requests\n\ndef screen_size():\n    try:\n"
                "        from AppKit import NSScreen\n    except ImportError:\n"
                "        return None\n    return NSScreen.mainScreen().frame()\n"
            },
        ),
        0,
    ),
    Case(
        "meta-package-nothing-of-it-imported",
        "DEP008",
        project('"requests>=2", "pyobjc>=11.0"', **{MOD: "import requests\n"}),
        1,
        says="`pyobjc`",
    ),
    # a distribution that installs modules of its own is not used through what it requires:
    # importing urllib3 does not use requests
    Case(
        "not-used-through-its-requirements",
        "DEP008",
        project('"requests>=2", "urllib3>=2"', **{MOD: "import urllib3\n"}),
        1,
        says="`requests`",
    ),
    # reduced from CTFd: six is pinned because flask-marshmallow 0.10.1 requires it, as the
    # lock records (the newest release, which the data read, no longer does)
    Case(
        "required-by-a-pinned-release-in-the-lock",
        "DEP008",
        {
            **project(
                '"flask-marshmallow==0.10.1", "six==1.17.0"',
                **{MOD: "from flask_marshmallow import Marshmallow\n"},
            ),
            "uv.lock": 'version = 1\n\n[[package]]\nname = "flask-marshmallow"\n'
            'version = "0.10.1"\nsource = { registry = "https://pypi.org/simple" }\n'
            'dependencies = [\n    { name = "flask" },\n    { name = "marshmallow" },\n'
            '    { name = "six" },\n]\n\n[[package]]\nname = "six"\nversion = "1.17.0"\n',
        },
        0,
    ),
    Case(
        "required-by-no-release-the-lock-pins",
        "DEP008",
        {
            **project(
                '"flask-marshmallow==0.10.1", "six==1.17.0"',
                **{MOD: "from flask_marshmallow import Marshmallow\n"},
            ),
            # under a marker: not every install requires it
            "uv.lock": 'version = 1\n\n[[package]]\nname = "flask-marshmallow"\n'
            'version = "0.10.1"\ndependencies = [\n    { name = "flask" },\n'
            '    { name = "six", marker = "python_full_version < \'3\'" },\n]\n',
        },
        1,
        says="`six`",
    ),
    # reduced from umap: django-agnocomplete (read from its wheel) requires six, which the
    # package imports without declaring it
    Case(
        "imported-and-installed-by-a-dependency",
        "DEP007",
        project('"django-agnocomplete==2.2.0"', **{MOD: "import six\nimport agnocomplete\n"}),
        0,
    ),
    # reduced from tortoise-orm: pypika-tortoise 0.3 provided `pypika` (0.6, the release the
    # data read, provides `pypika_tortoise`); the project pins the old release
    Case(
        "module-of-an-older-release-pinned",
        "DEP007",
        project('"pypika-tortoise==0.3.2"', **{MOD: "from pypika.terms import Function\n"}),
        0,
    ),
    Case(
        "module-of-an-older-release-not-installed",
        "DEP007",
        project('"pypika-tortoise>=0.6"', **{MOD: "from pypika.terms import Function\n"}),
        1,
        says="`pypika.terms`",
    ),
    # reduced from pyramid: the cap's comment says the releases it admits provide the module
    Case(
        "module-a-capped-requirement-comment-names",
        "DEP007",
        {
            "pyproject.toml": '[project]\nname = "pkg"\nversion = "1"\ndependencies = [\n'
            '    "setuptools < 82",  # require pkg_resources\n    "webob >= 1.8",\n]\n',
            "src/pkg/__init__.py": "",
            "src/pkg/asset.py": "import pkg_resources\nimport webob\nimport zope.interface\n",
        },
        1,
        says="`zope.interface`",
    ),
    # an old release of flask-marshmallow provided no `flask`: flask is the declared flask's
    Case(
        "older-release-not-used-through-another-declared-name",
        "DEP008",
        project('"flask>=2", "flask-marshmallow==0.10.1"', **{MOD: "import flask\n"}),
        1,
        says="`flask-marshmallow`",
    ),
    Case(
        "test-import-of-an-older-release-locked",
        "DEP009",
        {
            "pyproject.toml": '[tool.poetry]\nname = "pkg"\nversion = "1"\n\n'
            '[tool.poetry.dependencies]\npython = "^3.9"\npypika-tortoise = "^0.3.2"\n\n'
            '[tool.poetry.group.test.dependencies]\npytest = "*"\n',
            "src/pkg/__init__.py": "",
            "tests/test_core.py": "import pytest\nfrom pypika.terms import Function\n",
            "poetry.lock": '[[package]]\nname = "pypika-tortoise"\nversion = "0.3.2"\n'
            'description = "Forked from pypika"\noptional = false\n',
        },
        0,
    ),
    Case(
        "test-import-of-unknown-distribution",
        "DEP009",
        project(
            '"requests>=2"',
            '[dependency-groups]\ntest = ["pytest>=8", "acme-internal-servo-kit>=1"]\n',
            **{TEST: "import pytest\nimport acmeservo\n"},
        ),
        0,
    ),
    # reduced from pyramid: a tutorial's tests under docs/, outside `testpaths`, are the
    # tutorial project's; pytest run from the root never imports them
    Case(
        "test-import-outside-testpaths",
        "DEP009",
        project(
            '"requests>=2"',
            '[dependency-groups]\ntest = ["pytest>=8"]\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
            **{
                TEST: "import pytest\nimport respx\n",
                "docs/tutorials/wiki/src/tests/tests/test_views.py": (
                    "import pytest\nimport sqlalchemy\n"
                ),
            },
        ),
        1,
        says="`respx`",
    ),
    Case(
        "test-undeclared",
        "DEP009",
        project(
            '"requests>=2"',
            '[dependency-groups]\ntest = ["pytest>=8"]\n',
            **{TEST: "import pytest\nimport respx\nimport requests\nfrom pkg import core\n"},
        ),
        1,
        says="`respx`",
    ),
    # reduced from isort: imports inside a test's triple-quoted input, after a one-line string
    # that holds triple quotes of the other kind; and pydantic-ai's `with try_import():`
    Case(
        "imports-in-strings-and-try-import",
        "DEP009",
        project(
            '"requests>=2"',
            '[dependency-groups]\ntest = ["pytest>=8"]\n',
            **{
                TEST: "import pytest\n\ndef test_a():\n"
                "    text = \"import os\\n'''\\nimport junk\\n\"\n"
                '    doc = """quoted with \'\'\' inside"""\n\n'
                'def test_b():\n    test_input = """\nimport numpy\nimport pandas as pd\n"""\n\n'
                "with try_import() as available:\n    import mistralai\n"
            },
        ),
        0,
    ),
    # reduced from litserve: setup.py builds its extras from the files of `_requirements/`
    # reduced from browser-use: uv's `[tool.uv] dev-dependencies`, the table before PEP 735
    Case(
        "declared-in-uv-dev-dependencies",
        "DEP009",
        project(
            '"requests>=2"',
            '[tool.uv]\ndev-dependencies = ["pytest>=8", "pytest-httpserver==1.1.3"]\n',
            **{TEST: "import pytest\nimport pytest_httpserver\n"},
        ),
        0,
    ),
    # reduced from opentelemetry-python: a member's `test-requirements.in`, compiled per version
    Case(
        "declared-in-test-requirements-in",
        "DEP009",
        {
            **project('"requests>=2"', **{TEST: "import pytest\nimport mocket\n"}),
            "test-requirements.in": "pytest\nmocket==3.14.1\n",
        },
        0,
    ),
    Case(
        "declared-in-a-requirements-folder",
        "DEP009",
        {
            **project('"requests>=2"', **{TEST: "import pytest\nimport asgi_lifespan\n"}),
            "_requirements/test.txt": "pytest>=8\nasgi-lifespan>=2\n",
        },
        0,
    ),
    Case(
        "files-pytest-never-imports",
        "DEP009",
        project(
            '"requests>=2"',
            '[dependency-groups]\ntest = ["pytest>=8"]\n',
            **{
                TEST: "import pytest\nfrom tests.helpers import make\n",
                "tests_SLASH_helpers_DOT_py": "import respx\n",
                "tests_SLASH_stress_DOT_py": "import gevent\n",
                "tests_SLASH_typing_checks_DOT_py": "from typing_extensions import assert_type\n",
            },
        ),
        1,
        says="`respx`",
    ),
    Case(
        "test-declared-in-a-hatch-environment",
        "DEP009",
        {
            **project('"requests>=2"', **{TEST: "import pytest\nimport filelock\n"}),
            "hatch.toml": '[envs.hatch-test]\nextra-dependencies = ["filelock"]\n',
        },
        0,
    ),
    Case(
        "test-declared-in-requirements",
        "DEP009",
        {
            **project('"requests>=2"', **{TEST: "import pytest\nimport respx\n"}),
            "requirements-dev.txt": "pytest\nrespx\n",
        },
        0,
    ),
    Case(
        "test-local-helper",
        "DEP009",
        project(
            '"requests>=2"',
            '[dependency-groups]\ntest = ["pytest>=8"]\n',
            **{
                TEST: "import pytest\nfrom helpers import make\n",
                "tests_SLASH_helpers_DOT_py": "def make():\n    return 1\n",
            },
        ),
        0,
    ),
    # reduced from flask-wtf: i18n.py is imported only behind `try/except ImportError`, and
    # its test module skips itself unless it imports
    Case(
        "imported-behind-a-guard-and-by-a-test-that-skips-without-it",
        "DEP007",
        project(
            '"flask>=3"',
            **{
                MOD: "import flask\ntry:\n    from .i18n import translations\nexcept ImportError:\n"
                "    translations = None\n",
                "src_SLASH_pkg_SLASH_i18n_DOT_py": "from flask_babel import get_locale\n",
                TEST: 'import pytest\npytest.importorskip("pkg.i18n")\n\ndef test_i18n():\n'
                "    from pkg.i18n import translations\n",
            },
        ),
        0,
    ),
    Case(
        "imported-behind-a-guard-and-by-a-test-unguarded",
        "DEP007",
        project(
            '"flask>=3"',
            **{
                MOD: "import flask\ntry:\n    from .i18n import translations\nexcept ImportError:\n"
                "    translations = None\n",
                "src_SLASH_pkg_SLASH_i18n_DOT_py": "from flask_babel import get_locale\n",
                TEST: "def test_i18n():\n    from pkg.i18n import translations\n",
            },
        ),
        1,
        says="`flask_babel`",
    ),
    # reduced from stamina: `init_structlog()` imports structlog lazily; the hooks module
    # installs it only after `try: import structlog except ImportError`
    Case(
        "lazy-import-of-what-the-package-guards-elsewhere",
        "DEP007",
        project(
            '"tenacity>=8"',
            src_SLASH_pkg_SLASH___init___DOT_py="from ._structlog import init_structlog\n",
            src_SLASH_pkg_SLASH__structlog_DOT_py="def init_structlog():\n    import structlog\n",
            src_SLASH_pkg_SLASH__hooks_DOT_py="import tenacity\n\ndef hooks():\n    try:\n"
            "        import structlog\n    except ImportError:\n        return []\n",
        ),
        0,
    ),
    Case(
        "lazy-import-the-package-never-guards",
        "DEP007",
        project(
            '"tenacity>=8"',
            src_SLASH_pkg_SLASH___init___DOT_py="from ._structlog import init_structlog\n",
            src_SLASH_pkg_SLASH__structlog_DOT_py="def init_structlog():\n    import structlog\n",
            src_SLASH_pkg_SLASH__hooks_DOT_py="import tenacity\n",
        ),
        1,
        says="`structlog`",
    ),
    # reduced from setuptools-scm: a private test helper of the package's pytest plug-in
    Case(
        "private-test-helper-module",
        "DEP007",
        project(
            '"packaging>=24"',
            '[dependency-groups]\ntest = ["pytest>=8"]\n',
            src_SLASH_pkg_SLASH___init___DOT_py="import packaging\n",
            src_SLASH_pkg_SLASH__test_utils_DOT_py="import pytest\n",
        ),
        0,
    ),
    # reduced from lm-evaluation-harness: a task folder (no `__init__.py`) whose configurations
    # load modules by file; essays.py is named by none of them
    Case(
        "dead-module-of-a-task-folder",
        "DEP007",
        project(
            '"requests>=2"',
            src_SLASH_pkg_SLASH_tasks_SLASH___init___DOT_py="import requests\n",
            src_SLASH_pkg_SLASH_tasks_SLASH_ruler_SLASH_essays_DOT_py="import html2text\n",
            src_SLASH_pkg_SLASH_tasks_SLASH_ruler_SLASH_niah_DOT_yaml="process: !function utils.process\n",
            src_SLASH_pkg_SLASH_tasks_SLASH_ruler_SLASH_utils_DOT_py="import requests\n",
        ),
        0,
    ),
    Case(
        "task-module-a-configuration-names",
        "DEP007",
        project(
            '"requests>=2"',
            src_SLASH_pkg_SLASH_tasks_SLASH___init___DOT_py="import requests\n",
            src_SLASH_pkg_SLASH_tasks_SLASH_ruler_SLASH_essays_DOT_py="import html2text\n",
            src_SLASH_pkg_SLASH_tasks_SLASH_ruler_SLASH_niah_DOT_yaml="process: !function essays.load\n",
        ),
        1,
        says="`html2text`",
    ),
    # reduced from redash: pyasynchat gives back `asynchat` (removed in 3.12) to supervisor,
    # which imports it; the import reads as the standard library's
    Case(
        "backport-of-a-removed-standard-module",
        "DEP008",
        project(
            '"requests>=2", "pyasynchat>=1.0", "supervisor==4.1.0"', **{MOD: "import requests\n"}
        ),
        0,
    ),
    # reduced from detectron2: torch.utils.tensorboard is tensorboard's front end in torch,
    # which does not install it; a standard-library name (`os.path`) is no such front end
    Case(
        "used-through-another-library-module",
        "DEP008",
        project(
            '"torch>=2", "tensorboard>=2", "path>=16"',
            **{MOD: "from torch.utils.tensorboard import SummaryWriter\nfrom os import path\n"},
        ),
        1,
        says="`path`",
    ),
    # reduced from kinto: the configuration `kinto init` writes serves through waitress,
    # which PasteDeploy loads by its distribution's name
    Case(
        "loaded-by-paste-deploy",
        "DEP008",
        project(
            '"requests>=2", "waitress>=3", "rich>=13"',
            **{
                MOD: "import requests\n",
                "src_SLASH_pkg_SLASH_config_SLASH_pkg_DOT_tpl": "[server:main]\nuse = egg:waitress#main\n",
            },
        ),
        1,
        says="`rich`",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_import_rules(audit: Audit, case: Case) -> None:
    run_case(audit, case)


def test_import_in_function_with_multiline_signature_is_not_module_level(audit: Audit) -> None:
    test = "import pytest\n\ndef test_ns(\n    monkeypatch,\n) -> None:\n    import made_at_runtime\n    assert made_at_runtime\n"
    files = project('"requests>=2"', '[dependency-groups]\ntest = ["pytest>=8"]\n', **{TEST: test})
    assert audit(files, "DEP009") == []
