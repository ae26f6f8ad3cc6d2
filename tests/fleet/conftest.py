"""A local HTTP server that plays a code host's REST API and records every request."""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from tests.conftest import commit_all, git, write_tree


class Call(NamedTuple):
    """One request as the server received it."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # names in lower case
    body: Any


Reply = tuple[int, dict[str, str], Any]
Route = Callable[[Call], Reply]


class FakeApi:
    """Routes `(method, path)` to a function of the call; anything else is a 404."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Route] = {}
        self.calls: list[Call] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def route(self, method: str, path: str, reply: Route | Reply) -> None:
        self.routes[(method, path)] = reply if callable(reply) else (lambda _call: reply)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                parts = urllib.parse.urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                call = Call(
                    self.command,
                    parts.path,
                    dict(urllib.parse.parse_qsl(parts.query)),
                    {k.lower(): v for k, v in self.headers.items()},
                    json.loads(raw) if raw else None,
                )
                api.calls.append(call)
                route = api.routes.get((call.method, call.path))
                status, headers, body = (
                    route(call) if route else (404, {}, {"message": "Not Found"})
                )
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = do_PUT = _serve

        return Handler

    def __enter__(self) -> FakeApi:
        threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_api() -> Iterator[FakeApi]:
    with FakeApi() as api:
        yield api


@pytest.fixture
def other_api() -> Iterator[FakeApi]:
    """A second server: another origin."""
    with FakeApi() as api:
        yield api


pytest.importorskip("pyarrow")
pytest.importorskip("duckdb")

LIBRARY = {
    "pyproject.toml": """
        [project]
        name = "{name}"
        version = "0.1.0"
        requires-python = ">=3.11"
        """,
    "src/{module}/__init__.py": '"""{name}."""\n',
    "README.md": "# {name}\n",
}


class Remote:
    """A work tree and the bare remote it pushes to."""

    def __init__(self, work: Path, bare: Path) -> None:
        self.work = work
        self.bare = bare

    @property
    def url(self) -> str:
        return self.bare.as_uri()

    def commit(self, files: Mapping[str, str], message: str = "change") -> None:
        """Add a commit and push it."""
        write_tree(self.work, files)
        git(self.work, "add", "-A")
        git(self.work, "commit", "-q", "-m", message)
        git(self.work, "push", "-q", str(self.bare), "HEAD:main")


MakeRemote = Callable[..., Remote]


@pytest.fixture
def make_remote(tmp_path: Path) -> MakeRemote:
    """`make_remote(name, extra_files)`: a small library, committed and pushed to a bare remote."""

    def make(name: str, extra: Mapping[str, str] | None = None) -> Remote:
        module = name.replace("-", "_")
        files = {
            path.format(module=module): text.format(name=name, module=module)
            for path, text in LIBRARY.items()
        }
        work = write_tree(tmp_path / "work" / name, {**files, **(extra or {})})
        commit_all(work)
        bare = tmp_path / "remotes" / f"{name}.git"
        bare.parent.mkdir(parents=True, exist_ok=True)
        git(tmp_path, "init", "-q", "--bare", str(bare))
        git(work, "push", "-q", str(bare), "HEAD:main")
        git(bare, "symbolic-ref", "HEAD", "refs/heads/main")
        return Remote(work, bare)

    return make


def last_run(results: Path) -> list[dict[str, Any]]:
    """The rows of the latest `fleet fix` / `fleet update` run in the results' changes table."""
    from prodready.fleet.results import read_table

    rows = read_table(results, "changes").to_pylist()
    latest = max(rows, key=lambda r: r["recorded_at"])["run_id"]
    return [r for r in rows if r["run_id"] == latest]


def url_list(path: Path, lines: list[str]) -> Path:
    path.write_text("# the fleet\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path
