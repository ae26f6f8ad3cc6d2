"""The local mirror: one bare clone per repository, fetched incrementally, from which one
commit's tree is exported into a temporary folder for an audit.

git never runs in an audited tree and never reads the audited repository's configuration: it
runs with no system or global configuration (`GIT_CONFIG_NOSYSTEM`, `GIT_CONFIG_GLOBAL`), hooks
pointed at nothing, no prompt for credentials, remote helpers (`ext::`) refused, and a timeout.
The tree is exported with `git archive` and unpacked in Python with tarfile's `data` filter (no
links out of the folder, no devices, no special permissions), never by a checkout that would run
filters. The mirror's own `info/attributes` turns off what would make the archive differ from a
checkout (`export-ignore`, `export-subst`) or run a program (`filter`). An index for the tree is
written with `git read-tree`, so the audit sees which files git tracks, as in a checkout.

A private repository on a code host is fetched with the host's token (`Credential`): read from
the environment by the process that fetches, and handed to git as an HTTP `Authorization` header
through git's configuration in the environment (`GIT_CONFIG_COUNT`, `GIT_CONFIG_KEY_n`,
`GIT_CONFIG_VALUE_n`: `http.<prefix>.extraHeader`, scoped to the host's URL prefix), so it is
never on a command line (which other users of the machine can read) nor in the mirror's stored
configuration. Only a URL on that host gets it, over HTTPS (or HTTP to this machine's loopback
address); and git follows no redirect for such a fetch, since after one it would send the header
to wherever it was redirected.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import os
import re
import subprocess
import tarfile
import threading
import urllib.parse
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from prodready.errors import UsageError
from prodready.fleet.hosts import origin

if TYPE_CHECKING:
    from prodready.fleet.hosts import Host

SHA = re.compile(r"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")
HEAD_REF = "refs/prodready/HEAD"
ATTRIBUTES = "* -export-ignore -export-subst -filter\n"
# What one export may hold: far above any real repository's tree, far below a full disk.
MAX_BYTES = 4 << 30
MAX_MEMBERS = 500_000
FETCH_SPECS = ("+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*")


class MirrorError(Exception):
    """A git step failed: the repository cannot be fetched, or the ref or commit is not there."""


class Credential(NamedTuple):
    """A code host's token for fetches from it: the URL prefix it is scoped to
    (`https://host[:port]/`), the environment variable holding it (read where git runs, so it
    never travels with a task) and the user name the host expects beside a token."""

    prefix: str
    variable: str
    user: str

    @classmethod
    def for_host(cls, address: str, variable: str, user: str) -> Credential | None:
        """The credential of a host given as `host[:port]` (HTTPS) or an `https://` (or
        loopback `http://`) origin; None for an address a token must not be sent to in clear."""
        if "://" not in address:
            address = "https://" + address
        parts = urllib.parse.urlsplit(address)
        scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
        if not host or scheme not in ("https", "http") or (scheme == "http" and not loopback(host)):
            return None
        netloc = parts.netloc.rpartition("@")[2].lower()
        return cls(f"{scheme}://{netloc}/", variable, user)

    def covers(self, url: str) -> bool:
        """True when git fetching `url` should send this credential: same scheme, host and
        port as the prefix."""
        return origin(url) == origin(self.prefix)

    def config(self) -> dict[str, str]:
        """git's configuration in the environment that sends the token, read now from the
        environment, to the prefix only, with redirects off; empty without a token."""
        token = os.environ.get(self.variable, "")
        if not token:
            return {}
        secret = base64.b64encode(f"{self.user}:{token}".encode()).decode("ascii")
        pairs = [
            (f"http.{self.prefix}.extraHeader", f"Authorization: Basic {secret}"),
            (f"http.{self.prefix}.followRedirects", "false"),
        ]
        env = {"GIT_CONFIG_COUNT": str(len(pairs))}
        for index, (key, value) in enumerate(pairs):
            env[f"GIT_CONFIG_KEY_{index}"] = key
            env[f"GIT_CONFIG_VALUE_{index}"] = value
        return env


def credentials(hosts: Mapping[str, Host], named: Sequence[str] = ()) -> tuple[Credential, ...]:
    """The tokens a scan's fetches may send: each code host's for the host its repositories are
    cloned from (the address of its API's web site, as `github:ORG` lists them), and for each
    `NAME=HOST` of `named` (`--token-host`), host NAME's token for HOST too."""
    found: dict[str, Credential] = {}
    for host in hosts.values():
        scheme = urllib.parse.urlsplit(host.api_url).scheme
        credential = Credential.for_host(
            f"{scheme}://{host.web_host}", host.token_variable, host.git_user
        )
        if credential is not None:
            found.setdefault(credential.prefix, credential)
    for item in named:
        name, equals, address = item.partition("=")
        if not equals or name not in hosts:
            raise UsageError(
                f"--token-host {item!r}: give NAME=HOST, NAME one of {', '.join(sorted(hosts))}"
            )
        host = hosts[name]
        credential = Credential.for_host(address.strip(), host.token_variable, host.git_user)
        if credential is None:
            raise UsageError(
                f"--token-host {item!r}: a token is sent only over https:// (or http:// to "
                "this machine)"
            )
        found[credential.prefix] = credential
    return tuple(found.values())


def loopback(host: str) -> bool:
    """True for `localhost` and loopback addresses: traffic that does not leave the machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def default_mirrors() -> Path:
    """`<prodready cache>/fleet/mirrors`."""
    from prodready.source.cache import cache_dir

    return cache_dir() / "fleet" / "mirrors"


def is_local(url: str) -> bool:
    """A `file://` address or a path: git's `file` protocol, allowed for these only."""
    return url.startswith("file://") or (
        "://" not in url and not re.match(r"^[\w.-]+@?[\w.-]*:", url)
    )


class Mirror:
    """The bare clone of one repository under `cache`."""

    def __init__(
        self,
        cache: Path,
        name: str,
        url: str,
        timeout: float = 600,
        credentials: Sequence[Credential] = (),
    ) -> None:
        self.url = url
        self.timeout = timeout
        self.credential = next((c for c in credentials if c.covers(url)), None)
        self.hidden = frozenset(c.variable for c in credentials)
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
        slug = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")[:60] or "repository"
        self.path = cache / f"{slug}-{digest}.git"

    def git(self, *args: str, timeout: float | None = None) -> str:
        """Run git on the mirror; its output, or MirrorError with git's last words."""
        return self.git_bytes(*args, timeout=timeout).decode("utf-8", "replace")

    def fetch_from_remote(self, *args: str) -> None:
        """`git fetch ARGS` from the mirror's URL, with the host's token when it has one."""
        env = self.credential.config() if self.credential is not None else {}
        self.git_bytes("fetch", "--quiet", "--no-tags", *args, env=env)

    def git_bytes(
        self, *args: str, timeout: float | None = None, env: dict[str, str] | None = None
    ) -> bytes:
        """Run git on the mirror (with `env` added to its environment); its output as bytes,
        or MirrorError with git's last words."""
        command = ["git", *self._config(), f"--git-dir={self.path}", *args]
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                env={**self._environment(), **(env or {})},
                timeout=timeout or self.timeout,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            raise MirrorError(
                f"git {args[0]} took longer than {timeout or self.timeout:g} s"
            ) from None
        except OSError as exc:
            raise MirrorError(f"git could not run: {exc}") from None
        if done.returncode:
            raise MirrorError(_last_words(done.stderr) or f"git {args[0]} failed")
        return done.stdout

    def _environment(self) -> dict[str, str]:
        """git's environment (`git_environment`) without the hosts' token variables: git needs
        none of them (the one a fetch sends is in its configuration)."""
        return {k: v for k, v in git_environment().items() if k not in self.hidden}

    def _config(self) -> list[str]:
        options = ["-c", "core.hooksPath=/dev/null", "-c", "protocol.ext.allow=never"]
        if is_local(self.url):
            options += ["-c", "protocol.file.allow=always"]
        return options

    def fetch(self) -> None:
        """Create the bare clone when missing, then fetch its branches, tags and HEAD."""
        if not (self.path / "HEAD").is_file():
            self.path.mkdir(parents=True, exist_ok=True)
            self.git("init", "--bare", "--quiet")
        info = self.path / "info"
        info.mkdir(exist_ok=True)
        (info / "attributes").write_text(ATTRIBUTES, encoding="utf-8")
        self.fetch_from_remote(
            "--prune", "--no-recurse-submodules", "--", self.url, *FETCH_SPECS, f"+HEAD:{HEAD_REF}"
        )

    def resolve(self, ref: str) -> str:
        """The commit `ref` names ("" for the remote's HEAD); a commit id missing from the
        branches is fetched by itself (servers that allow it)."""
        name = ref or HEAD_REF
        try:
            return self._commit(name)
        except MirrorError:
            if not SHA.match(ref):
                raise MirrorError(f"no branch, tag or commit {ref!r}") from None
        self.fetch_from_remote("--", self.url, ref)
        return self._commit(ref)

    def _commit(self, name: str) -> str:
        out = self.git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{name}^{{commit}}")
        commit = out.strip()
        if not SHA.match(commit):
            raise MirrorError(f"{name!r} does not name a commit")
        return commit

    def read_file(self, commit: str, path: str, limit: int) -> bytes:
        """The bytes of the regular file `path` (from the repository's root) at `commit`; a
        missing path, a folder, a link, a submodule or a file larger than `limit` bytes is a
        MirrorError."""
        if not SHA.match(commit):
            raise MirrorError(f"{commit!r} is not a commit id")
        listed = self.git_bytes("ls-tree", "-z", "-l", "--full-tree", commit, "--", path)
        entry = listed.split(b"\0", 1)[0].decode("utf-8", "replace")
        meta, _, name = entry.partition("\t")
        fields = meta.split()
        if name != path or len(fields) != 4:
            raise MirrorError(f"no file {path!r} at {commit[:12]}")
        mode, kind, blob, size = fields
        if kind != "blob" or mode not in ("100644", "100755"):
            raise MirrorError(f"{path!r} at {commit[:12]} is not a regular file")
        if not size.isdigit() or int(size) > limit:
            raise MirrorError(f"{path!r} at {commit[:12]} is larger than {limit} bytes")
        return self.git_bytes("cat-file", "blob", blob)

    def export(self, commit: str, target: Path) -> int:
        """Unpack the tree of `commit` into the new folder `target` with an index and HEAD, as
        a checkout would have them; returns how many archive members were skipped as unsafe."""
        if not SHA.match(commit):
            raise MirrorError(f"{commit!r} is not a commit id")
        target.mkdir(parents=True)
        skipped = _unpack(self._archive_command(commit), target, self.timeout, self._environment())
        dot_git = target / ".git"
        dot_git.mkdir()
        (dot_git / "HEAD").write_text(commit + "\n", encoding="ascii")
        env = {**self._environment(), "GIT_INDEX_FILE": str(dot_git / "index")}
        try:
            done = subprocess.run(
                ["git", *self._config(), f"--git-dir={self.path}", "read-tree", commit],
                capture_output=True, env=env, timeout=self.timeout, check=False,
                stdin=subprocess.DEVNULL,
            )  # fmt: skip
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise MirrorError(f"git read-tree: {exc}") from None
        if done.returncode:
            raise MirrorError(_last_words(done.stderr) or "git read-tree failed")
        return skipped

    def _archive_command(self, commit: str) -> list[str]:
        return ["git", *self._config(), f"--git-dir={self.path}", "archive", "--format=tar", commit]


def _unpack(command: list[str], target: Path, timeout: float, env: dict[str, str]) -> int:
    """Stream `git archive`'s tar into `target`, member by member through the `data` filter;
    a member it refuses (a link out, a device, a path in `.git`) is skipped, not fatal. A tree
    larger than `MAX_BYTES` or with more than `MAX_MEMBERS` entries is refused: a repository
    must not fill the disk."""
    skipped = 0
    total = [0, 0]  # bytes, members

    def safe(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo | None:
        nonlocal skipped
        total[0] += max(member.size, 0)
        total[1] += 1
        if total[0] > MAX_BYTES or total[1] > MAX_MEMBERS:
            raise MirrorError(
                f"the tree is larger than {MAX_BYTES >> 20} MiB or {MAX_MEMBERS:,} files"
            )
        first = member.name.lstrip("./").split("/", 1)[0]
        if first.lower() == ".git":
            skipped += 1
            return None
        try:
            return tarfile.data_filter(member, path)
        except tarfile.FilterError:
            skipped += 1
            return None

    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=env,
    ) as process:
        if process.stdout is None or process.stderr is None:  # pragma: no cover - both piped
            raise MirrorError("git archive: no output")
        timer = threading.Timer(timeout, process.kill)  # the whole export, not one read
        timer.start()
        try:
            with tarfile.open(fileobj=process.stdout, mode="r|") as archive:
                archive.extractall(target, filter=safe)  # noqa: S202 - each member filtered
            error = process.stderr.read()
            code = process.wait()
        except tarfile.TarError as exc:
            process.kill()
            raise MirrorError(f"git archive: {exc}") from None
        except MirrorError:
            process.kill()
            raise
        finally:
            timer.cancel()
    if code == -9:
        raise MirrorError(f"git archive took longer than {timeout:g} s")
    if code:
        raise MirrorError(_last_words(error) or "git archive failed")
    return skipped


def git_environment() -> dict[str, str]:
    """This process's environment without the user's or the system's git configuration, and
    without a way for git to ask for a password."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_TERMINAL_PROMPT="0",
        GIT_ASKPASS="/bin/false" if os.path.exists("/bin/false") else "",
        SSH_ASKPASS="",
        GIT_SSH_COMMAND="ssh -o BatchMode=yes",
        LC_ALL="C",
    )
    return env


def _last_words(stderr: bytes) -> str:
    """What git said went wrong, on one bounded line: its first `fatal:` line without the
    prefix (the lines after it are advice: "Please make sure you have the correct access
    rights..."), else its first `error:` line, else its last non-empty line."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines()]
    lines = [line for line in lines if line]
    fatal = [line for line in lines if line.startswith("fatal: ")]
    errors = [line for line in lines if line.startswith("error: ")]
    said = (fatal or errors or lines[-1:] or [""])[0]
    return said.removeprefix("fatal: ").removeprefix("error: ")[:300]
