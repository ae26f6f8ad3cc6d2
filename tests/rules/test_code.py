"""CODE rules: each fires on broken source and stays quiet on the traps a real project sets."""

from __future__ import annotations

import pytest

from tests.conftest import Audit
from tests.rules.cases import Case, ids, run_case


def project(deps: str = "", python: str = ">=3.9", **modules: str) -> dict[str, str | bytes]:
    """A library whose package is `pkg`; each keyword is a module of it (`init` is `__init__`)."""
    meta = f'[project]\nname = "pkg"\nversion = "1"\nrequires-python = "{python}"\nclassifiers = ["x"]\ndependencies = [{deps}]\n'
    files: dict[str, str | bytes] = {"pyproject.toml": meta, "src/pkg/__init__.py": ""}
    files.update(
        {
            f"src/pkg/{'__init__' if name == 'init' else name}.py": text
            for name, text in modules.items()
        }
    )
    return files


PYDANTIC = '"pydantic>=2"'
TC_MODEL = """from __future__ import annotations
from typing import TYPE_CHECKING
from pydantic import BaseModel
if TYPE_CHECKING:
    from pathlib import Path

class Config(BaseModel):
    model_path: Path

    def resolve(self, base: Path) -> Path:
        return base
"""
TC_TYPER = """from typing import TYPE_CHECKING
import typer
if TYPE_CHECKING:
    from pathlib import Path
app = typer.Typer()

def detect(image: "Path") -> None:
    pass

app.command()(detect)
"""
TC_QUIET = """from __future__ import annotations
from typing import TYPE_CHECKING
from pydantic import BaseModel
if TYPE_CHECKING:
    from pathlib import Path

def plain(p: Path) -> Path:
    return p

class Model(BaseModel):
    name: str

    def method(self, p: Path) -> None:
        pass
"""
CASES = [
    Case(
        "model-field",
        "CODE001",
        project(PYDANTIC, config=TC_MODEL),
        1,
        says="the model Config",
        line=8,
    ),
    Case(
        "typer-registered-string",
        "CODE001",
        project('"typer>=0.12"', cli=TC_TYPER),
        1,
        says="typer",
    ),
    Case(
        "fastapi-route",
        "CODE001",
        project(
            '"fastapi>=0.110"',
            api="from typing import TYPE_CHECKING\nfrom fastapi import FastAPI\nif TYPE_CHECKING:\n    from uuid import UUID\napp = FastAPI()\n\n@app.get('/items/{item}')\ndef read(item: UUID) -> dict:\n    return {}\n",
        ),
        1,
        says="FastAPI",
    ),
    Case(
        "validate-call",
        "CODE001",
        project(
            PYDANTIC,
            v="from typing import TYPE_CHECKING\nfrom pydantic import validate_call\nif TYPE_CHECKING:\n    from decimal import Decimal\n\n@validate_call\ndef pay(amount: Decimal) -> None:\n    pass\n",
        ),
        1,
    ),
    Case(
        "sqlalchemy-mapped",
        "CODE001",
        project(
            '"sqlalchemy>=2"',
            db="from typing import TYPE_CHECKING\nfrom sqlalchemy.orm import DeclarativeBase, Mapped\nif TYPE_CHECKING:\n    from datetime import datetime\nclass Base(DeclarativeBase):\n    pass\nclass Row(Base):\n    created: Mapped[datetime]\n",
        ),
        1,
    ),
    # reduced from mealie: relationship targets are looked up in the ORM's class registry
    Case(
        "sqlalchemy-relationship-by-registry",
        "CODE001",
        project(
            '"sqlalchemy>=2"',
            db="from typing import TYPE_CHECKING\nimport sqlalchemy.orm as orm\n"
            "from sqlalchemy.orm import Mapped, mapped_column\n"
            "from sqlalchemy.ext.associationproxy import AssociationProxy, association_proxy\n"
            "if TYPE_CHECKING:\n    from .users import User, Household\n"
            "class Group(Base):\n    id: Mapped[int] = mapped_column(primary_key=True)\n"
            '    users: Mapped[list["User"]] = orm.relationship("User", back_populates="group")\n'
            '    owner: "Mapped[User]" = orm.relationship(back_populates="owned")\n'
            '    household: AssociationProxy["Household"] = association_proxy("user", "household")\n',
        ),
        0,
    ),
    Case(
        "sqlalchemy-column-type-beside-relationships",
        "CODE001",
        project(
            '"sqlalchemy>=2"',
            db="from __future__ import annotations\nfrom typing import TYPE_CHECKING\n"
            "from sqlalchemy.orm import Mapped, mapped_column, relationship\n"
            "if TYPE_CHECKING:\n    from datetime import datetime\n    from .users import User\n"
            "class Group(Base):\n    users: Mapped[list[User]] = relationship()\n"
            "    created: Mapped[datetime] = mapped_column()\n",
        ),
        1,
        says="datetime",
        line=9,
    ),
    Case(
        "sqlmodel-relationship",
        "CODE001",
        project(
            '"sqlmodel>=0.0.16"',
            db="from typing import TYPE_CHECKING, Optional\n"
            "from sqlmodel import Field, Relationship, SQLModel\n"
            "if TYPE_CHECKING:\n    from .team import Team\n"
            "class Hero(SQLModel, table=True):\n    id: int | None = Field(default=None)\n"
            '    team: Optional["Team"] = Relationship(back_populates="heroes")\n',
        ),
        0,
    ),
    Case(
        "pydantic-dataclass-imported-by-name",
        "CODE001",
        project(
            PYDANTIC,
            d="from __future__ import annotations\nfrom typing import TYPE_CHECKING\nfrom pydantic.dataclasses import dataclass\nif TYPE_CHECKING:\n    from pathlib import Path\n\n@dataclass\nclass Job:\n    out: Path\n",
        ),
        1,
        line=9,
    ),
    Case(
        "stdlib-dataclass-quiet",
        "CODE001",
        project(
            PYDANTIC,
            d="from __future__ import annotations\nfrom typing import TYPE_CHECKING\nfrom dataclasses import dataclass\nif TYPE_CHECKING:\n    from pathlib import Path\n\n@dataclass\nclass Job:\n    out: Path\n",
        ),
        0,
    ),
    Case(
        "model-bases-over-lines",
        "CODE001",
        project(
            PYDANTIC,
            m="from __future__ import annotations\nfrom typing import TYPE_CHECKING\nimport pydantic\nif TYPE_CHECKING:\n    from pathlib import Path\n\nclass Job(\n    pydantic.BaseModel,\n):\n    out: Path\n",
        ),
        1,
        line=10,
    ),
    # reduced from python-sdk: a private attribute and a class variable are no fields
    Case(
        "private-attribute-and-class-variable",
        "CODE001",
        project(
            PYDANTIC,
            m="from typing import TYPE_CHECKING, ClassVar\nfrom pydantic import BaseModel\n"
            "if TYPE_CHECKING:\n    from .server import Server, Registry\n"
            "class Context(BaseModel):\n    _server: 'Server | None' = None\n"
            "    registry: ClassVar['Registry']\n    name: str\n",
        ),
        0,
    ),
    Case("plain-functions-and-methods", "CODE001", project(PYDANTIC, q=TC_QUIET), 0),
    Case(
        "runtime-import-too",
        "CODE001",
        project(
            PYDANTIC,
            config=TC_MODEL.replace(
                "from pydantic import BaseModel",
                "from pydantic import BaseModel\nfrom pathlib import Path",
            ),
        ),
        0,
    ),
    Case(
        "basesettings-v2",
        "CODE002",
        project(PYDANTIC, settings="from pydantic import BaseSettings\n"),
        1,
        line=1,
    ),
    Case(
        "basesettings-v1",
        "CODE002",
        project('"pydantic>=1.10,<2"', settings="from pydantic import BaseSettings\n"),
        0,
    ),
    Case(
        "pydantic-settings",
        "CODE002",
        project('"pydantic-settings>=2"', settings="from pydantic_settings import BaseSettings\n"),
        0,
    ),
    Case(
        "v1-api",
        "CODE011",
        project(
            PYDANTIC,
            m="from pydantic import BaseModel, validator\nclass M(BaseModel):\n    class Config:\n        frozen = True\n    @validator('x')\n    def v(cls, x):\n        return x\nM.parse_obj({})\n",
        ),
        3,
    ),
    # reduced from sqlmodel: the pydantic 1 branch of a project that supports both
    Case(
        "v1-branch-of-a-version-test",
        "CODE011",
        project(
            PYDANTIC,
            m="from pydantic import BaseModel\nclass M(BaseModel):\n    if IS_PYDANTIC_V2:\n"
            "        model_config = {}\n    else:\n        class Config:\n            orm_mode = True\n",
        ),
        0,
    ),
    Case(
        "v1-namespace",
        "CODE011",
        project(
            PYDANTIC,
            m="from pydantic.v1 import BaseModel, validator\nclass M(BaseModel):\n    class Config:\n        frozen = True\n",
        ),
        0,
    ),
    Case("tomllib-on-39", "CODE003", project(c="import tomllib\n"), 1, says="3.11"),
    Case(
        "tomllib-guarded",
        "CODE003",
        project(
            c="import sys\nif sys.version_info >= (3, 11):\n    import tomllib\nelse:\n    import tomli as tomllib\n"
        ),
        0,
    ),
    Case(
        "tomllib-try",
        "CODE003",
        project(
            c="try:\n    import tomllib\nexcept ModuleNotFoundError:\n    import tomli as tomllib\n"
        ),
        0,
    ),
    Case(
        "match-on-39",
        "CODE003",
        project(c="def f(x):\n    match x:\n        case 1:\n            return 1\n"),
        1,
        says="match",
    ),
    Case("match-as-name", "CODE003", project(c="match = re.match(p, s)\nif match:\n    pass\n"), 0),
    Case(
        "match-on-310",
        "CODE003",
        project(
            python=">=3.10", c="def f(x):\n    match x:\n        case 1:\n            return 1\n"
        ),
        0,
    ),
    Case("typing-self", "CODE003", project(c="from typing import Self\n"), 1),
    Case(
        "typing-self-type-checking",
        "CODE003",
        project(
            c="from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from typing import Self\n"
        ),
        0,
    ),
    Case(
        "except-star",
        "CODE003",
        project(python=">=3.10", c="try:\n    pass\nexcept* ValueError:\n    pass\n"),
        1,
    ),
    # reduced from tqdm: a wrapper of itertools.batched imports fine on 3.8 and fails when called
    Case(
        "new-name-inside-a-function",
        "CODE003",
        project(
            python=">=3.8",
            c="import itertools\ndef batched(it, n):\n    return itertools.batched(it, n)\n"
            "def load(p):\n    import tomllib\n    return tomllib.load(p)\n",
        ),
        0,
    ),
    Case(
        "new-name-inside-a-function",
        "CODE012",
        project(
            python=">=3.8",
            c="import itertools\ndef batched(it, n):\n    return itertools.batched(it, n)\n"
            "def load(p):\n    import tomllib\n    return tomllib.load(p)\n",
        ),
        2,
        says="when this function runs",
    ),
    Case(
        "new-name-at-import-time",
        "CODE003",
        project(
            python=">=3.8",
            c="import datetime\ndef now():\n    return datetime.datetime.now(datetime.UTC)\n"
            "EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)\n",
        ),
        1,
        line=4,
    ),
    Case(
        "new-name-at-import-time",
        "CODE012",
        project(
            python=">=3.8",
            c="import datetime\ndef now():\n    return datetime.datetime.now(datetime.UTC)\n"
            "EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)\n",
        ),
        0,
    ),
    # reduced from pytest-asyncio: `asyncio.Runner` only annotates (annotations are never
    # evaluated under `from __future__ import annotations`); a call in the body runs
    Case(
        "new-name-in-a-postponed-annotation",
        "CODE012",
        project(
            python=">=3.10",
            c="from __future__ import annotations\n\nimport asyncio\n\n"
            "def _synchronize_coroutine(\n    func: Callable[..., Coroutine],\n"
            "    runner: asyncio.Runner,\n    context: contextvars.Context,\n"
            ") -> Optional[asyncio.Runner]:\n"
            "    current: asyncio.Runner | None = None\n    return func\n\n"
            "def make():\n    else_runner = 1\n    return asyncio.Runner()\n",
        ),
        1,
        line=15,
    ),
    # reduced from discord.py: the left of `and` is a version flag of the module
    Case(
        "new-name-after-a-version-flag-and",
        "CODE012",
        project(
            python=">=3.8",
            c="import sys\nimport typing\nPY_312 = sys.version_info >= (3, 12)\n"
            "def f(tp):\n    if PY_312 and tp is typing.TypeAliasType:\n        return 1\n"
            "    if sys.version_info >= (3, 12) and tp is typing.TypeAliasType:\n        return 2\n"
            "    if tp and tp is typing.TypeAliasType:\n        return 3\n",
        ),
        1,
        line=9,
    ),
    Case("pep701-fstring", "CODE003", project(python=">=3.11", c='x = f"{d["k"]}"\n'), 1),
    Case("old-fstring", "CODE003", project(python=">=3.11", c="x = f\"{d['k']}\"\n"), 0),
    Case("home-path", "CODE004", project(c='MODEL = "/home/kevin/models/net.onnx"\n'), 1, line=1),
    Case("path-in-comment", "CODE004", project(c="# copied from /home/kevin/models\nX = 1\n"), 0),
    # reduced from searxng and beets: a site's address and an API's endpoint, not a folder
    Case(
        "paths-of-addresses",
        "CODE004",
        project(
            c='DOCS = "https://www.ncbi.nlm.nih.gov/home/develop/api/"\n'
            "def auth(url):\n    return '{0}/Users/AuthenticateByName'.format(url)\n"
        ),
        0,
    ),
    Case("placeholder-user", "CODE004", project(c='EXAMPLE = "/home/user/project"\n'), 0),
    # reduced from openai-agents-python: the workspace inside a remote sandbox's container
    Case("platform-account", "CODE004", project(c='ROOT = "/home/daytona/workspace"\n'), 0),
    # reduced from wger's settings and beets' embyupdate plug-in
    Case(
        "setting-default",
        "CODE004",
        project(c="MEDIA_ROOT = env.str('DJANGO_MEDIA_ROOT', '/home/wger/media')\n"),
        0,
    ),
    Case(
        "getenv-default",
        "CODE004",
        project(c='DATA = os.getenv("DATA_DIR", default="/home/kevin/data")\n'),
        0,
    ),
    Case(
        "not-a-setting-name",
        "CODE004",
        project(c='DATA = open_path("data", "/home/kevin/data")\n'),
        1,
    ),
    Case(
        "api-endpoint",
        "CODE004",
        project(c='url = api_url(h, p, "/Users/AuthenticateByName")\n'),
        0,
    ),
    Case("shared-folder", "CODE004", project(c='url = "/Users/Public/Music"\n'), 0),
    Case("mac-home", "CODE004", project(c='ROOT = "/Users/kevin/Music"\n'), 1),
    # reduced from faker: the Read the Docs build account
    Case(
        "read-the-docs-account",
        "CODE004",
        project(c='ROOT = "/home/docs/checkouts/readthedocs.org/user_builds/faker"\n'),
        0,
    ),
    Case("windows-path", "CODE004", project(c='P = r"C:\\Users\\kevin\\data"\n'), 1),
    Case("raise-exception", "CODE005", project(c='def f():\n    raise Exception("boom")\n'), 1),
    # reduced from cibuildwheel: the project's ruff ignores TRY002, and the message is precise
    Case(
        "plain-exception-allowed-by-ruff",
        "CODE005",
        {
            **project(
                c='def f(p):\n    raise Exception(f"unknown platform {p!r}")\n'
                "def g():\n    raise Exception()\n"
            ),
            "ruff.toml": '[lint]\nselect = ["ALL"]\nignore = ["TRY002"]\n',
        },
        1,
        line=4,
    ),
    # reduced from PyMySQL: ruff's per-file-ignores allow TRY002 in one module, not the other
    Case(
        "plain-exception-allowed-for-the-file",
        "CODE005",
        {
            **project(
                c='def f(p):\n    raise Exception(f"unknown packet {p!r}")\n',
                d='"""Packets."""\n\n\ndef g(p):\n    raise Exception(f"unknown packet {p!r}")\n',
            ),
            "ruff.toml": '[lint.per-file-ignores]\n"src/pkg/c.py" = ["TRY002"]\n"d.py" = ["E501"]\n',
        },
        1,
        line=5,
    ),
    # reduced from lm-evaluation-harness: a write-only stream's `read` signals like io does
    Case(
        "io-protocol-stub",
        "CODE005",
        project(
            c="import io\nclass WriteOnly(io.StringIO):\n    def read(self, *a):\n        raise OSError\n"
            "    def readline(self, *a):\n        raise OSError\n"
            "def load():\n    raise OSError\n"
        ),
        1,
        line=8,
    ),
    # reduced from logfire: a bare raise only leaves the `with suppress(Exception)` block
    Case(
        "raise-to-leave-a-suppress-block",
        "CODE005",
        project(
            c="from contextlib import suppress\ndef on_end(span):\n    with suppress(Exception):\n"
            "        if not span.ok:\n            raise ValueError\n        export(span)\n"
        ),
        0,
    ),
    # reduced from poetry-core: lark, vendored under _vendor/, is not the project's code
    Case(
        "vendored-code",
        "CODE005",
        project(c="X = 1\n", **{"_vendor/lark/grammar": "def f():\n    raise ValueError()\n"}),
        0,
    ),
    Case("vague-message", "CODE005", project(c='def f():\n    raise RuntimeError("Failed")\n'), 1),
    Case(
        "informative",
        "CODE005",
        project(c='def f(path):\n    raise RuntimeError(f"cannot read {path}")\n'),
        0,
    ),
    Case(
        "domain-error",
        "CODE005",
        project(
            c="class LoadError(Exception):\n    pass\ndef f():\n    raise LoadError('model missing: set MODEL_PATH')\n"
        ),
        0,
    ),
    Case(
        "a-helper-signalling-its-caller",
        "CODE005",
        project(
            c="def _check_iter(value):\n    if isinstance(value, str):\n        raise TypeError\n"
            "def convert(value):\n    try:\n        _check_iter(value)\n"
            "    except TypeError:\n        raise BadParameter('Value must be an iterable.')\n"
        ),
        0,
    ),
    # reduced from fastcore: the helper comes after its caller, whose `try:` holds it on one line
    Case(
        "a-helper-signalling-a-one-line-try",
        "CODE005",
        project(
            c="def render(numbers):\n    try: fg = _color(numbers)\n    except ValueError: fg = None\n"
            "    return fg\n\ndef _color(numbers):\n    if numbers[0] < 0: raise ValueError()\n"
            "    return numbers[0]\n"
        ),
        0,
    ),
    # reduced from streamlink: the check logs its cause and raises; its caller suppresses it
    # to fall back to loading everything
    Case(
        "a-caller-that-suppresses-the-signal",
        "CODE005",
        project(
            c="from contextlib import suppress\nclass PluginsData:\n"
            "    def load(self):\n        with suppress(Exception):\n"
            "            self._validate(self.data)\n            return True\n        return False\n\n"
            "    def _validate(self, data):\n        if data.mode != 'sha256':\n"
            "            log.error('Unknown plugins data hash mode, falling back')\n"
            "            raise Exception\n"
        ),
        0,
    ),
    # reduced from litestar: the sentinel is handed to a worker thread inside the `try`
    Case(
        "a-signal-from-a-function-handed-on",
        "CODE005",
        project(
            c="class AsyncIteratorWrapper:\n    def _call_next(self):\n        try:\n"
            "            return next(self.iterator)\n        except StopIteration as e:\n"
            "            raise ValueError from e\n\n"
            "    async def _async_generator(self):\n        while True:\n            try:\n"
            "                yield await sync_to_thread(self._call_next)\n"
            "            except ValueError:\n                return\n"
        ),
        0,
    ),
    # reduced from discord.py: the sentinel leaves through the method that calls its raiser,
    # to the loop that catches it; a docstring that names the raiser calls nothing
    Case(
        "a-signal-caught-two-calls-away",
        "CODE005",
        project(
            c="class Command:\n    async def transform(self, ctx, param):\n"
            "        return await self._transform_greedy_var_pos(ctx, param)\n\n"
            "    async def _transform_greedy_var_pos(self, ctx, param):\n"
            "        if ctx.view.eof:\n            raise RuntimeError() from None  # break loop\n"
            "        return param\n\n"
            "    async def _parse_arguments(self, ctx):\n        while True:\n            try:\n"
            "                args.append(await self.transform(ctx, param))\n"
            "            except RuntimeError:\n                break\n\n"
            "def load(path):\n    if not path:\n        raise ValueError()\n\n"
            "def register(job):\n    '''Jobs come from `load()`.'''\n    try:\n        run(job)\n"
            "    except ValueError:\n        pass\n"
        ),
        1,
        line=19,
    ),
    # reduced from werkzeug and discord.py: a private helper's callers in other modules catch
    # its bare error; a public function's name says nothing of who calls it
    Case(
        "a-private-helper-caught-in-other-modules",
        "CODE005",
        project(
            internal="def _plain_int(value):\n    value = value.strip()\n"
            "    if not value.isdigit():\n        raise ValueError\n    return int(value)\n\n"
            "def parse(value):\n    if not value:\n        raise ValueError\n    return value\n",
            http="from pkg.internal import _plain_int, parse\n\ndef parse_age(value):\n"
            "    try:\n        seconds = _plain_int(value)\n    except ValueError:\n"
            "        return None\n    try:\n        return parse(value)\n"
            "    except ValueError:\n        return None\n",
        ),
        1,
        line=9,
    ),
    # reduced from redash: other modules' handlers of `Exception` catch everything, so they
    # prove nothing of a private helper's plain `Exception`
    Case(
        "a-plain-exception-caught-by-a-catch-all-elsewhere",
        "CODE005",
        project(
            couchbase="class Couchbase:\n    def _call_service(self, query):\n"
            "        if not ok(query):\n            raise Exception('Couchbase connection error')\n",
            tasks="def execute(runner, query):\n    try:\n        runner._call_service(query)\n"
            "    except Exception as e:\n        return str(e)\n",
        ),
        1,
    ),
    # reduced from TheAlgorithms: a script's usage text, raised where no caller exists; a vague
    # error there still says nothing
    Case(
        "a-scripts-own-exit",
        "CODE005",
        project(
            c="import sys\nusage_doc = 'Usage of script: script_name <size_of_canvas:int>'\n"
            "if __name__ == '__main__':\n    if len(sys.argv) != 2:\n"
            "        raise Exception(usage_doc)\n    if not sys.argv[1].isdigit():\n"
            "        raise ValueError('Invalid')\n"
        ),
        1,
        line=7,
    ),
    Case(
        "generated-code-is-not-the-projects",
        "CODE005",
        project(c="# Generated by ANTLR 4.11, DO NOT EDIT\ndef f():\n    raise Exception()\n"),
        0,
    ),
    Case(
        "swallowing-with-the-traceback-logged-or-in-del",
        "CODE008",
        project(
            c="import logging\nlog = logging.getLogger(__name__)\n"
            "def f():\n    try:\n        g()\n    except Exception:\n        log.exception('g failed')\n"
            "class R:\n    def __del__(self):\n        try:\n            self.close()\n"
            "        except Exception:\n            pass\n"
            "def h():\n    try:\n        g()\n    except Exception:  # noqa: BLE001\n        pass\n"
        ),
        0,
    ),
    Case(
        "basicconfig",
        "CODE006",
        project(c="import logging\nlogging.basicConfig(level=logging.DEBUG)\n"),
        1,
    ),
    Case(
        "in-main-guard",
        "CODE006",
        project(c="import logging\nif __name__ == '__main__':\n    logging.basicConfig()\n"),
        0,
    ),
    # reduced from lerobot: `eval_policy.py` is a script nothing imports, so its set-up runs
    # only as the application; `gym_manipulator.py` is a script that another module imports
    Case(
        "a-script-of-the-package",
        "CODE006",
        project(
            eval_policy="import logging\nlogging.basicConfig(level=logging.INFO)\n\n"
            "def main():\n    pass\n\nif __name__ == '__main__':\n    main()\n",
            gym_manipulator="import logging\nlogging.basicConfig(level=logging.INFO)\n\n"
            "def make_robot_env():\n    pass\n\nif __name__ == '__main__':\n    main()\n",
            actor="from pkg.gym_manipulator import make_robot_env\n",
        ),
        1,
    ),
    # reduced from TheAlgorithms: pytest imports every module for its doctests
    Case(
        "a-script-whose-doctests-pytest-imports",
        "CODE006",
        {
            **project(
                mfcc="import logging\nlogging.basicConfig(level=logging.INFO)\n\n"
                "if __name__ == '__main__':\n    import doctest\n    doctest.testmod()\n"
            ),
            "pytest.ini": "[pytest]\naddopts = --doctest-modules\n",
        },
        1,
    ),
    Case(
        "service-exempt",
        "CODE006",
        project('"fastapi>=0.110"', c="import logging\nlogging.basicConfig()\n"),
        0,
        kind="service",
    ),
    Case("torch-in-init", "CODE007", project(init="import torch\n"), 1),
    Case(
        "torch-lazy",
        "CODE007",
        project(init="def load():\n    import torch\n    return torch\n"),
        0,
    ),
    Case("torch-in-module", "CODE007", project(model="import torch\n"), 0),
    Case("torch-in-cli", "CODE007", project(cli="import torch\n"), 1),
    # reduced from lightning: the package's __init__ loads torch through its trainer anyway,
    # so the CLI module's own import of it costs nothing more
    Case(
        "torch-already-loaded-by-the-package",
        "CODE007",
        project(
            init="from pkg.trainer import Trainer\n",
            trainer="from pkg import core\n",
            core="import torch\n",
            cli="import torch\n",
        ),
        0,
    ),
    # reduced from open_clip: the training script imports the model code, which loads torch
    Case(
        "torch-loaded-by-what-the-cli-imports",
        "CODE007",
        project(
            cli="import torch\nimport numpy\nfrom pkg.model import Net\n",
            model="import torch\n",
        ),
        1,
        says="numpy",
    ),
    Case(
        "swallow",
        "CODE008",
        project(c="def f():\n    try:\n        g()\n    except Exception:\n        pass\n"),
        1,
        line=4,
    ),
    # reduced from litgpt: the handler prints the whole traceback before skipping the file
    Case(
        "prints-the-traceback",
        "CODE008",
        project(
            c="import traceback\ndef f():\n    try:\n        g()\n    except Exception:\n"
            "        print(traceback.format_exc())\n        return\n"
        ),
        0,
    ),
    # a log line tells someone: whether it should carry the traceback is the project's policy
    Case(
        "handler-that-logs",
        "CODE008",
        project(
            c="def f():\n    try:\n        g()\n    except Exception as exc:\n        logger.warning('failed %s', exc)\n"
            "def h():\n    try:\n        g()\n    except Exception:\n        logger.info('no state restored')\n"
        ),
        0,
    ),
    # reduced from attrs and tqdm: a loop of alternatives leaves on the first success
    Case(
        "next-alternative",
        "CODE008",
        project(
            c="def convert(value, types):\n    for typ in types:\n        try:\n            value = typ(value)\n"
            "        except Exception:\n            continue\n        else:\n            return value\n"
        ),
        0,
    ),
    # reduced from sqlalchemy: the failure is reported by the raise that follows
    Case(
        "raise-after-the-try",
        "CODE008",
        project(
            c="def unique(obj):\n    try:\n        return hash(obj)\n    except:\n        pass\n"
            "    raise InvalidRequestError('non-hashable values')\n"
        ),
        0,
    ),
    # reduced from open_clip and virtualenv: the first file that loads wins; ruff's own
    # suppression comment by rule name
    Case(
        "first-alternative-that-works-and-ruff-ignore",
        "CODE008",
        project(
            c="def load(paths):\n    for path in paths:\n        try:\n            return read(path)\n"
            "        except Exception:\n            continue\n    raise last\n"
            "def g():\n    try:\n        h()\n    except Exception:  # ruff: ignore[blind-except]\n        pass\n"
        ),
        0,
    ),
    # reduced from tqdm: bandit's `# nosec` says the handler is deliberate
    Case(
        "bandit-nosec",
        "CODE008",
        project(
            c="def f():\n    try:\n        g()\n    except Exception:  # nosec B110\n        pass\n"
        ),
        0,
    ),
    Case(
        "else-that-goes-on",
        "CODE008",
        project(
            c="def f():\n    try:\n        g()\n    except Exception:\n        pass\n    else:\n"
            "        log('ok')\n    h()\n"
        ),
        1,
    ),
    Case(
        "reraise",
        "CODE008",
        project(
            c="def f():\n    try:\n        g()\n    except Exception:\n        cleanup()\n        raise\n"
        ),
        0,
    ),
    Case(
        "narrow",
        "CODE008",
        project(c="def f():\n    try:\n        g()\n    except KeyError:\n        pass\n"),
        0,
    ),
    Case(
        "cli-layer",
        "CODE008",
        project(cli="def main():\n    try:\n        run()\n    except Exception:\n        pass\n"),
        0,
    ),
    Case(
        "pipe-union-typer-39",
        "CODE010",
        project(
            '"typer>=0.12"',
            cli="from __future__ import annotations\nimport typer\napp = typer.Typer()\n@app.command()\ndef main(name: str | None = None) -> None:\n    pass\n",
        ),
        1,
        says="typer",
    ),
    Case(
        "pipe-union-no-future",
        "CODE010",
        project(c="def f(x: int | None) -> None:\n    pass\n"),
        1,
        says="no `from __future__",
    ),
    # reduced from pytorch-image-models: `int or tuple[int, ...]` evaluates to `int`, and
    # the generic after `or` is never evaluated; after `and` it is
    Case(
        "generic-after-or-is-never-evaluated",
        "CODE010",
        project(python=">=3.8", c="def f(x: int or tuple[int, ...] = 1) -> None:\n    pass\n"),
        0,
    ),
    Case(
        "generic-after-and-is-evaluated",
        "CODE010",
        project(python=">=3.8", c="def f(x: int and tuple[int, ...] = 1) -> None:\n    pass\n"),
        1,
    ),
    Case(
        "pipe-union-future-plain",
        "CODE010",
        project(
            c="from __future__ import annotations\ndef f(x: int | None) -> list[int]:\n    return []\n"
        ),
        0,
    ),
    Case(
        "builtin-generic-38",
        "CODE010",
        project(python=">=3.8", c="def f(x: list[int]) -> None:\n    pass\n"),
        1,
        says="Python 3.9",
    ),
    # reduced from sentry-python (requires-python >=3.6): Python leaves a quoted annotation a
    # string; only a framework that resolves hints would evaluate it
    Case(
        "quoted-generic-no-future",
        "CODE010",
        project(
            python=">=3.6",
            c='def f(x: "int | None") -> "list[tuple[int, int]]":\n    return []\n'
            'class C:\n    y: "dict[str, int]"\n'
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    class D(TypedDict):\n        z: dict[str, int]\n",
        ),
        0,
    ),
    Case("builtin-generic-39", "CODE010", project(c="def f(x: list[int]) -> None:\n    pass\n"), 0),
    Case(
        "pipe-union-310",
        "CODE010",
        project(
            '"typer>=0.12"',
            python=">=3.10",
            cli="import typer\napp = typer.Typer()\n@app.command()\ndef main(name: str | None = None) -> None:\n    pass\n",
        ),
        0,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_code_rules(audit: Audit, case: Case) -> None:
    run_case(audit, case)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"\x00\x01\x02binary", "binary"),
        (b"# -*- coding: latin-1 -*-\nname = '\xe9'\n", None),
        (b"name = '\xe9'\n", "not valid utf-8"),
        (b"# coding: klingon\nx = 1\n", "unknown encoding"),
    ],
)
def test_code009_decoding(audit: Audit, content: bytes, says: str | None) -> None:
    files = {**project(), "src/pkg/m.py": content}
    messages = [f.message for f in audit(files, "CODE009")]
    assert messages == ([] if says is None else messages)
    if says is not None:
        assert len(messages) == 1
        assert says in messages[0]


def test_code009_syntax_error_in_a_parsed_file(audit: Audit) -> None:
    files = {
        **project(PYDANTIC),
        "src/pkg/m.py": "from typing import TYPE_CHECKING\nfrom pydantic import BaseModel\nclass M(BaseModel):\n    x: Path\n    y = (1,\nif TYPE_CHECKING:\n    from pathlib import Path\n",
    }
    findings = audit(files, "CODE009")
    assert len(findings) == 1
    assert findings[0].line == 5


def test_pathological_files_do_not_hang(audit: Audit) -> None:
    files = {
        **project(PYDANTIC),
        "src/pkg/long.py": "x = " + "1 + " * 1_250_000 + "1\n",
        "src/pkg/deep.py": "from typing import TYPE_CHECKING\nfrom pydantic import BaseModel\n"
        + "if TYPE_CHECKING:\n    from pathlib import Path\nclass M(BaseModel):\n    x: Path\nx = "
        + "[" * 5000
        + "]" * 5000
        + "\n",
    }
    findings = audit(files, "CODE")
    assert [f.path for f in findings if f.code == "CODE009"] == ["src/pkg/deep.py"]
