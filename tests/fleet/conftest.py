"""Local servers for the fleet's tests: one that plays a code host's REST API and records every
request, and a smart-HTTP git server (`git http-backend` as CGI) that may ask for a token."""

from __future__ import annotations

import base64
import json
import os
import subprocess
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


class GitServer:
    """git's smart HTTP protocol over the bare repositories under `root`, served by `git
    http-backend` run as a CGI program. With `token`, a request without the header `Authorization:
    Basic base64(user:token)` is refused (401, as a host refuses a private repository); with
    `redirect`, every request is sent on to that server instead. Every request's path and
    headers are recorded."""

    def __init__(
        self, root: Path, token: tuple[str, str] | None = None, redirect: str | None = None
    ) -> None:
        self.root = root
        self.expected = (
            "Basic " + base64.b64encode(f"{token[0]}:{token[1]}".encode()).decode()
            if token
            else None
        )
        self.redirect = redirect
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        served = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _reply(self, status: int, headers: dict[str, str], body: bytes = b"") -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _body(self) -> bytes:
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    data = b""
                    while size := int(self.rfile.readline().strip() or b"0", 16):
                        data += self.rfile.read(size)
                        self.rfile.readline()
                    self.rfile.readline()
                    return data
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length) if length else b""

            def _serve(self) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                served.requests.append((self.path, headers))
                body = self._body()
                if served.redirect:
                    self._reply(301, {"Location": served.redirect + self.path})
                    return
                if served.expected and headers.get("authorization") != served.expected:
                    self._reply(401, {"WWW-Authenticate": 'Basic realm="git"'})
                    return
                parts = urllib.parse.urlsplit(self.path)
                env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
                env.update(
                    GIT_PROJECT_ROOT=str(served.root),
                    GIT_HTTP_EXPORT_ALL="1",
                    REQUEST_METHOD=self.command,
                    PATH_INFO=urllib.parse.unquote(parts.path),
                    QUERY_STRING=parts.query,
                    CONTENT_TYPE=headers.get("content-type", ""),
                    CONTENT_LENGTH=str(len(body)),
                    HTTP_CONTENT_ENCODING=headers.get("content-encoding", ""),
                    HTTP_GIT_PROTOCOL=headers.get("git-protocol", ""),
                    REMOTE_ADDR="127.0.0.1",
                )
                done = subprocess.run(
                    ["git", "http-backend"], input=body, capture_output=True, env=env, check=False
                )
                head, _, content = done.stdout.partition(b"\r\n\r\n")
                if not _:
                    head, _, content = done.stdout.partition(b"\n\n")
                status, reply = 200, {}
                for line in head.decode("latin-1").splitlines():
                    name, _, value = line.partition(":")
                    if name.lower() == "status":
                        status = int(value.split()[0])
                    elif name:
                        reply[name.strip()] = value.strip()
                self._reply(status, reply, content)

            do_GET = do_POST = _serve

        return Handler

    def __enter__(self) -> GitServer:
        threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


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
