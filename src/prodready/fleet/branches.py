"""A change rolled out to many repositories on a branch: in a temporary clone of each one, apply
the change, commit it on the branch, and (with `push`) push the branch and open or update its
pull (merge) request; the outcome of each repository is recorded. `fleet fix` (prodready's
fixes) and `fleet update` (the templates of `prodready new`) are two `Change`s run by
`change_all`: they differ only in what they do to the working tree and the message they write.

Nothing from the repositories runs: git is called with the hooks switched off and without the
system's or the user's configuration (so no filter, credential helper or fsmonitor of theirs),
never prompts, and every call has a timeout. The branch is rebuilt from the base each run and
pushed with a lease on what the previous run left, so a second run updates the branch (and its
pull request) instead of opening another; a branch that already holds the same change is left
alone. What each repository's run did is recorded by `fleet/changes.py`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple, Protocol

from prodready.errors import ProdreadyError, UsageError
from prodready.fleet.hosts import Host
from prodready.fleet.sources import Source, url_path

CLONE_TIMEOUT = 900.0
GIT_TIMEOUT = 120.0
TOKEN_VARIABLE = "PRODREADY_FLEET_GIT_TOKEN"  # noqa: S105 - a variable's name
# git's variables kept from the caller's environment (ssh and the identity); the others (GIT_DIR,
# GIT_CONFIG_*, GIT_INDEX_FILE ...) would point git at another repository or configuration.
KEPT_GIT_VARIABLES = frozenset(
    {
        "GIT_SSH",
        "GIT_SSH_COMMAND",
        "GIT_SSH_VARIANT",
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
    }
)


class Options(NamedTuple):
    """Where a change goes: the branch, whether to push it and open pull requests (as drafts),
    and after how many repositories with changes to stop."""

    branch: str
    push: bool = False
    draft: bool = False
    limit: int | None = None


class Applied(NamedTuple):
    """What a change did to one working tree. `message` is the commit message (a title line, a
    blank line, the body the pull request shows); `label` sums the change up for the summary
    line; `notes` are what could not be done or what a person should know; `draft` asks for a
    draft pull request whatever the options say (conflicts to resolve)."""

    message: str
    label: str = ""
    fixed: tuple[str, ...] = ()
    remaining: int = 0
    conflicts: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    draft: bool = False


class Skipped(ProdreadyError):
    """The change does not apply to this repository; the message says why."""


class Change(Protocol):
    """A change to a repository's working tree."""

    @property
    def name(self) -> str:
        """The command's word for it ("fix", "update")."""
        ...

    def apply(self, root: Path) -> Applied:
        """Change the working tree at `root`; `Skipped` when it does not apply."""
        ...


class Outcome(NamedTuple):
    """What happened to one repository. `status` is one of: "would change" (a dry run),
    "clean" (nothing to change), "skipped" (the change does not apply: `reason` says why),
    "pushed" (a new branch), "updated" (the branch moved), "unchanged" (the branch already held
    this change), "failed" (`reason` says why). `pull_request` and `number` name the pull
    (merge) request, and `proposal` says what this run did to it ("opened", "reopened",
    "updated"; "" for none)."""

    repository: str
    url: str
    branch: str
    base: str = ""
    commit: str = ""
    status: str = "failed"
    reason: str = ""
    fixed: tuple[str, ...] = ()
    remaining: int = 0
    pull_request: str = ""
    diff: str = ""
    title: str = ""
    change: str = ""
    label: str = ""
    files: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()
    number: int = 0
    proposal: str = ""


class GitFailure(ProdreadyError):
    """A git command failed; the message is its first line of error output."""


# --- git ------------------------------------------------------------------------------------


def git_environment(token: str | None = None) -> dict[str, str]:
    """This process's environment without git's own variables (but ssh's and the identity),
    git's system and user configuration ignored, and no prompt."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("GIT_") or k in KEPT_GIT_VARIABLES
    }
    env.pop(TOKEN_VARIABLE, None)
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_TERMINAL_PROMPT="0",
        GIT_ASKPASS="",
        SSH_ASKPASS="",
        LC_ALL="C",
    )
    if token:
        env[TOKEN_VARIABLE] = token
    return env


class Git:
    """git for one target: hooks off, the repository's own settings unable to run anything,
    and for an HTTPS URL on a configured host a credential helper that gives that host, and no
    other, the host's token."""

    def __init__(self, url: str, host: Host | None) -> None:
        self.config = [
            "-c", "core.hooksPath=" + os.devnull,
            "-c", "core.fsmonitor=false",
            "-c", "core.autocrlf=false",
            "-c", "commit.gpgsign=false",
            "-c", "user.name=prodready",
            "-c", "user.email=prodready@localhost",
            "-c", "credential.helper=",
        ]  # fmt: skip
        if url.startswith("file://"):
            self.config += ["-c", "protocol.file.allow=always"]
        token = None
        netloc, _ = url_path(url)
        if (
            host is not None
            and host.token
            and url.startswith("https://")
            and netloc == host.web_host
        ):
            helper = (
                f'!f() {{ test "$1" = get && echo username={host.git_user} && '
                f'echo "password=${TOKEN_VARIABLE}"; }}; f'
            )
            self.config += ["-c", f"credential.https://{netloc}.helper={helper}"]
            token = host.token
        self.env = git_environment(token)

    def __call__(
        self,
        *args: str,
        cwd: Path | None = None,
        stdin: bytes | None = None,
        timeout: float = GIT_TIMEOUT,
        check: bool = True,
    ) -> str:
        """Run git; its output, or a `GitFailure` naming what failed (with `check`)."""
        from prodready.process import run

        where = ["-C", str(cwd)] if cwd else []
        done = run(["git", *self.config, *where, *args], stdin=stdin, timeout=timeout, env=self.env)
        if done is None:
            raise GitFailure(
                f"git {args[0]}: did not finish within {timeout:g} s (or git is missing)"
            )
        if check and done.returncode:
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise GitFailure(f"git {args[0]}: {said[-1] if said else f'exit {done.returncode}'}")
        return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else ""


def valid_branch(name: str) -> None:
    """A usage error unless `name` is a branch name git accepts."""
    from prodready.process import run

    done = run(["git", "check-ref-format", "--branch", name], env=git_environment())
    if done is None or done.returncode or name.startswith("-"):
        raise UsageError(f"--branch {name!r} is not a valid branch name")


# --- one repository -------------------------------------------------------------------------


def change_one(
    target: Source, change: Change, options: Options, host: Host | None, known: int = 0
) -> Outcome:
    """Apply `change` to one repository in a temporary clone; never raises for the
    repository's sake. `known` is the number of the pull request an earlier run recorded."""
    outcome = Outcome(target.name, target.url, options.branch, change=change.name)
    try:
        with tempfile.TemporaryDirectory(prefix=f"prodready-fleet-{change.name}-") as tmp:
            work = Path(tmp) / "repo"
            return _change_in(work, target, change, options, host, outcome, known=known)
    except Skipped as exc:
        return outcome._replace(status="skipped", reason=str(exc))
    except ProdreadyError as exc:
        return outcome._replace(
            status="failed", reason=str(exc).splitlines()[0] if str(exc) else ""
        )
    except OSError as exc:
        return outcome._replace(status="failed", reason=f"{exc.strerror or exc}")


def _change_in(  # noqa: PLR0917 - one repository's whole run
    work: Path,
    target: Source,
    change: Change,
    options: Options,
    host: Host | None,
    outcome: Outcome,
    *,
    known: int,
) -> Outcome:
    git = Git(target.url, host)
    git("clone", "--quiet", "--no-checkout", "--", target.url, str(work), timeout=CLONE_TIMEOUT)
    base, base_commit = _base(git, work, target)
    outcome = outcome._replace(base=base)
    if options.branch == base:
        raise UsageError(f"the branch {options.branch!r} is the base branch")
    git("checkout", "--quiet", "--force", "-B", options.branch, base_commit, cwd=work)
    applied = change.apply(work)
    outcome = outcome._replace(
        fixed=applied.fixed,
        remaining=applied.remaining,
        label=applied.label,
        conflicts=applied.conflicts,
        reason="; ".join(applied.notes),
    )
    git("add", "--all", cwd=work)
    if not git("status", "--porcelain", cwd=work).strip():
        return outcome._replace(status="clean")
    diff = git("diff", "--cached", "--no-color", "--no-ext-diff", "--no-textconv", cwd=work)
    files = git("diff", "--cached", "--name-only", "-z", "--no-renames", cwd=work)
    title = applied.message.partition("\n")[0]
    outcome = outcome._replace(diff=diff, title=title, files=tuple(filter(None, files.split("\0"))))
    if not options.push:
        return outcome._replace(status="would change")
    git("commit", "--quiet", "--no-verify", "-F", "-", cwd=work, stdin=applied.message.encode())
    commit = git("rev-parse", "HEAD", cwd=work).strip()
    previous = git(
        "rev-parse", "--verify", "-q", f"refs/remotes/origin/{options.branch}", cwd=work,
        check=False,
    ).strip()  # fmt: skip
    if previous and _same_change(git, work, previous, commit, base_commit):
        outcome = outcome._replace(status="unchanged", commit=previous)
    else:
        git(
            "push",
            "--quiet",
            f"--force-with-lease=refs/heads/{options.branch}:{previous}",
            "origin",
            f"HEAD:refs/heads/{options.branch}",
            cwd=work,
            timeout=CLONE_TIMEOUT,
        )
        outcome = outcome._replace(status="updated" if previous else "pushed", commit=commit)
    if host is not None and target.project:
        try:
            proposal = host.propose(
                target.project,
                branch=options.branch,
                base=base,
                title=title,
                body=applied.message.partition("\n")[2].strip() + "\n",
                draft=options.draft or applied.draft,
                known=known,
            )
        except UsageError as exc:
            return outcome._replace(status="failed", reason=f"branch pushed, but {exc}")
        outcome = outcome._replace(
            pull_request=proposal.url, number=proposal.number, proposal=proposal.action
        )
    return outcome


def _base(git: Git, work: Path, target: Source) -> tuple[str, str]:
    """The branch a pull request goes into and the commit the change starts from: the source's
    ref (a branch, tag or commit) or the default branch."""
    default = git(
        "symbolic-ref", "--short", "-q", "refs/remotes/origin/HEAD", cwd=work, check=False
    )
    default = default.strip().removeprefix("origin/") or target.default_branch
    ref = target.ref or default
    base_commit = ""
    for candidate in (f"refs/remotes/origin/{ref}", f"refs/tags/{ref}", ref):
        base_commit = git(
            "rev-parse", "--verify", "-q", f"{candidate}^{{commit}}", cwd=work, check=False
        ).strip()
        if base_commit:
            break
    if not base_commit:
        raise GitFailure(f"no ref {ref!r} in the repository")
    is_branch = bool(
        git("rev-parse", "--verify", "-q", f"refs/remotes/origin/{ref}", cwd=work, check=False)
    )
    return (ref if is_branch else default), base_commit


def _same_change(git: Git, work: Path, previous: str, commit: str, base_commit: str) -> bool:
    """True when the branch already holds this change: the same tree, on the same base."""
    trees = git("rev-parse", f"{previous}^{{tree}}", f"{commit}^{{tree}}", cwd=work).split()
    parent = git("rev-parse", "--verify", "-q", f"{previous}^", cwd=work, check=False).strip()
    return len(trees) == 2 and trees[0] == trees[1] and parent == base_commit


def change_all(
    targets: Sequence[Source],
    change: Change,
    options: Options,
    hosts: Mapping[str, Host],
    known: Mapping[tuple[str, str], int] | None = None,
) -> Iterator[Outcome]:
    """Change each repository in turn; after `limit` repositories with changes, stop. `known`
    maps (repository, branch) to the pull request number an earlier run recorded
    (`changes.recorded`)."""
    changed = 0
    for target in targets:
        if options.limit is not None and changed >= options.limit:
            return
        host = hosts.get(target.host) if target.host else None
        number = (known or {}).get((target.name, options.branch), 0)
        outcome = change_one(target, change, options, host, number)
        if outcome.diff or outcome.commit:
            changed += 1
        yield outcome


# --- the summary ----------------------------------------------------------------------------


def describe(outcome: Outcome) -> str:
    """One summary line for a repository."""
    head = f"{outcome.repository}: {outcome.status}"
    if outcome.status in ("failed", "skipped"):
        return f"{head}: {outcome.reason}"
    if outcome.label:
        head += f" ({outcome.label})"
    if outcome.commit:
        head += f"; branch {outcome.branch} at {outcome.commit[:12]}"
    if outcome.pull_request:
        head += f"; {outcome.pull_request}"
    if outcome.reason:
        head += f"; {outcome.reason}"
    return head
