"""Everything the source rules need from one Python file, computed in one pass and cacheable.

Facts depend only on the file's bytes and on a small context (the oldest Python the project
supports, and whether the file holds tests), so a cache keyed by the content hash and that context
can skip unchanged files. Text patterns find candidates in every file; a syntax tree is built
only for the few files where a pattern says one is needed.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prodready.project.paths import in_benchmarks, is_test_module
from prodready.source import pydantic_api, quality, testquality, versions
from prodready.source.consumers import may_evaluate
from prodready.source.decode import Undecodable, decode_source
from prodready.source.imports import scan_imports
from prodready.source.records import (
    AnnotationSyntax,
    Context,
    FileFacts,
    Helper,
    Import,
    LonelyTest,
    Newer,
    Problem,
    RuntimeName,
    Spot,
)
from prodready.source.secrets import secrets_in
from prodready.source.suppressions import suppressions_in
from prodready.source.text import SourceText

if TYPE_CHECKING:
    import ast

    from prodready.source import annotations as ann

SETTINGS_MODULE = re.compile(r"(settings|config|conf|secrets?|credentials|constants|env)[^/]*\.py$")
# Annotation syntax newer than a project's oldest Python: `list[int]` (3.9) and `X | Y` (3.10).
# A cheap pattern (led by `:` or `->`) finds candidate lines; a line counts only when the syntax
# stands where an annotation can: after `->`, after a parameter name, or after the target of an
# annotated assignment that opens the line.
ANNOTATION_PLACE = r"(?:->[^\n#]*|(?:^[ \t]*[\w.]+|[(,][ \t]*\**\w+)[ \t]*:[^=\n#]*?)"
NEWER_SYNTAX = {
    8: r"(?:\||\b(?:list|dict|set|frozenset|tuple|type)\[)",
    9: r"\|",
}
ANNOTATION_SYNTAX = {
    minor: (re.compile(r"(?::|->)[^=\n#]*?" + syntax), re.compile(ANNOTATION_PLACE + syntax, re.M))
    for minor, syntax in NEWER_SYNTAX.items()
}
FUTURE_ANNOTATIONS = re.compile(r"^from[ \t]+__future__[ \t]+import[^\n]*\bannotations\b", re.M)


def analyse(data: bytes, context: Context, path: str = "") -> FileFacts:
    """The facts of one file, given the project's oldest Python and whether it holds tests.

    Code nested deeper than the analysis can follow (a valid file of a thousand chained calls)
    gives no facts: it is valid Python, so not a CODE009 problem, and never an error of every
    rule that reads it."""
    try:
        return _analyse(data, context, path)
    except RecursionError:
        return _empty(problem=None)


def _analyse(data: bytes, context: Context, path: str) -> FileFacts:
    min_python, is_test = context.min_python, context.in_tests
    try:
        text = decode_source(data)
    except Undecodable as exc:
        return _empty(problem=Problem(str(exc), exc.line))
    source = SourceText(text)
    imports = scan_imports(source)
    features = versions.syntax_features(source, min_python)
    problem, runtime_names, annotation_syntax, tree = _tree_facts(
        source, min_python, imports, features
    )
    return FileFacts(
        imports=imports,
        problem=problem,
        type_checking_runtime=runtime_names,
        annotation_syntax=annotation_syntax,
        syntax=_confirmed_syntax(features, tree),
        stdlib=versions.stdlib_features(imports, source),
        user_paths=quality.user_paths(source) if not is_test else [],
        generic_raises=quality.generic_raises(source) if not is_test and "raise" in text else [],
        logging_setup=quality.logging_setup(source)
        if "logging" in text or "addHandler" in text
        else [],
        swallowing=quality.swallowing_handlers(source) if "except" in text else [],
        pydantic_settings_v1=pydantic_api.v1_settings_imports(imports),
        pydantic_v1=pydantic_api.v1_api(source, imports) if "pydantic" in text else [],
        tests_without_asserts=(
            lonely := testquality.tests_without_asserts(source)
            if is_test and _collected(path)
            else []
        ),
        helper_calls=_helpers(source, lonely, text) if is_test else [],
        markers=testquality.markers_used(source) if is_test and "mark." in text else [],
        test_functions=text.count("def test_"),
        has_arrows="->" in text,
        registers_markers="addinivalue_line" in text,
        hardware_skips=testquality.hardware_skips(source) if is_test and "skip" in text else [],
        sys_path=testquality.sys_path_edits(source) if is_test and "sys.path" in text else [],
        secrets=[
            Spot(line, what)
            for line, what in secrets_in(
                text, settings_like=not path or SETTINGS_MODULE.search(path) is not None
            )
            if not (what.startswith("a literal") and line in source.string_lines)
        ],
        suppressions=suppressions_in(text, source.in_code),
    )


def _collected(path: str) -> bool:
    """True for a module pytest collects tests from by default (`test_*.py`, `*_test.py`), and
    for a file analysed without a path; benchmarks measure, they have nothing to assert."""
    return not path or (is_test_module(path) and not in_benchmarks(path))


def _helpers(source: SourceText, lonely: list[LonelyTest], text: str) -> list[Helper]:
    """Helper facts: every function of a support module (conftest, helpers) and of a test module
    that has tests without an assertion (their helpers may also serve other modules' tests)."""
    if "def test" in text and not lonely:
        return []
    return testquality.helper_calls(source)


def _empty(problem: Problem | None) -> FileFacts:
    empty: dict[str, Any] = {name: [] for name in FileFacts._fields}
    flags = {"test_functions": 0, "has_arrows": False, "registers_markers": False}
    return FileFacts(**{**empty, **flags, "problem": problem})


def _wants_tree(source: SourceText, min_python: tuple[int, int] | None) -> tuple[bool, bool]:
    """(needs the CODE001 analysis, needs the CODE010 analysis)."""
    text = source.text
    candidate = _annotation_candidate(text, min_python)
    # With the future import, only a framework evaluates annotations.
    future = candidate and FUTURE_ANNOTATIONS.search(text) is not None
    consumer = ("TYPE_CHECKING" in text or future) and may_evaluate(source)
    return "TYPE_CHECKING" in text and consumer, candidate and (not future or consumer)


def _annotation_candidate(text: str, min_python: tuple[int, int] | None) -> bool:
    """True when some line may hold an annotation in syntax newer than the oldest Python."""
    patterns = ANNOTATION_SYNTAX.get(max(min_python[1], 8)) if min_python else None
    if patterns is None:
        return False
    candidate, placed = patterns
    for match in candidate.finditer(text):
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        if placed.search(text, start, len(text) if end < 0 else end):
            return True
    return False


def _type_only_names_annotate(text: str, imports: list[Import]) -> bool:
    """True when a name imported only for type checking appears after a `:` or `->` on some line:
    without that, no annotation can use it and the file need not be parsed for CODE001."""
    names = {name for i in imports if i.type_only for name in (i.names or (i.top,))}
    if not names:
        return False
    alternatives = "|".join(re.escape(name.split(" as ")[-1]) for name in names if name != "*")
    return (
        bool(alternatives)
        and re.search(rf"(?::|->)[^=\n]*\b(?:{alternatives})\b", text) is not None
    )


def _tree_facts(
    source: SourceText,
    min_python: tuple[int, int] | None,
    imports: list[Import],
    features: list[Newer],
) -> tuple[
    Problem | None,
    list[RuntimeName],
    list[AnnotationSyntax],
    ast.Module | None,
]:
    import ast

    from prodready.source import annotations as ann

    type_checking, syntax = _wants_tree(source, min_python)
    type_checking = type_checking and _type_only_names_annotate(source.text, imports)
    match_check = any(f.what == "match statement" for f in features)
    if not (type_checking or syntax or match_check):
        return None, [], [], None
    try:
        tree = ast.parse(source.text)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        if min_python is not None and min_python > sys.version_info[:2]:
            return None, [], [], None  # newer syntax than this interpreter reads: not ours to judge
        line = getattr(exc, "lineno", None) or 1
        problem = Problem(f"does not parse: {getattr(exc, 'msg', None) or exc}", line)
        return problem, [], [], None
    guarded = ann.type_checking_names(tree) if type_checking else {}
    if not (guarded or syntax):
        return None, [], [], tree
    model = ann.RuntimeAnnotations(tree, source.text)
    runtime = _type_checking_runtime(guarded, model) if guarded else []
    newer = _annotation_syntax(model) if syntax else []
    return None, runtime, newer, tree


def _type_checking_runtime(
    guarded: dict[str, int], model: ann.RuntimeAnnotations
) -> list[RuntimeName]:
    from prodready.source.annotations import names_in

    found: list[RuntimeName] = []
    for annotation, consumer in model.evaluated():
        for name, node in names_in(annotation):
            if name in guarded:
                found.append(RuntimeName(node.lineno, name, consumer))
    return sorted(set(found))


def _annotation_syntax(model: ann.RuntimeAnnotations) -> list[AnnotationSyntax]:
    from prodready.source.annotations import new_syntax

    found: list[AnnotationSyntax] = []
    for annotation, consumer in model.evaluated():
        found.extend(
            AnnotationSyntax(annotation.lineno, feature, minor, consumer)
            for feature, minor in new_syntax(annotation)
        )
    for annotation in model.signature_annotations():
        found.extend(
            AnnotationSyntax(annotation.lineno, feature, minor, "")
            for feature, minor in new_syntax(annotation)
        )
    return sorted(set(found))


def _confirmed_syntax(found: list[Newer], tree: ast.Module | None) -> list[Newer]:
    """Syntax-feature candidates, less a `match` line the syntax tree shows is not a statement."""
    if tree is None or not any(f.what == "match statement" for f in found):
        return found
    import ast

    if any(isinstance(node, ast.Match) for node in ast.walk(tree)):
        return found
    return [feature for feature in found if feature.what != "match statement"]


SETTINGS_SUFFIXES = (
    ".py",
    ".ini",
    ".cfg",
    ".toml",
    ".yaml",
    ".yml",
    ".json",
    ".conf",
    ".properties",
    ".env",
)


DOCUMENT_SUFFIXES = (".md", ".rst", ".txt", ".html", ".htm", ".ipynb", ".adoc", ".tex")


def analyse_text(data: bytes, settings_like: bool, document: bool = False) -> FileFacts:
    """Facts of a file that is not Python: secrets, and suppression comments unless the file is
    documentation (where a suppression is an example, not an instruction)."""
    if b"\0" in data[:8192]:
        return _empty(None)
    text = data.decode("utf-8", "replace")
    suppressions = [] if document else suppressions_in(text)
    return _empty(None)._replace(secrets=secrets_in(text, settings_like), suppressions=suppressions)


def analyse_path(
    root: str, path: str, context: Context, hashed: bool = True
) -> tuple[str, FileFacts] | None:
    """Read and analyse one file; what a worker process returns (content hash, facts data), or
    None when the file cannot be read (a link out of the repository, not a regular file, too
    large, gone). The hash is the cache key: without a cache (`hashed=False`) it is left empty."""
    from prodready.safeio import MAX_BYTES, Unreadable, read_bytes
    from prodready.source.cache import digest

    try:
        data = read_bytes(Path(root), path, MAX_BYTES)
    except Unreadable:
        return None
    facts = (
        analyse(data, context, path)
        if path.endswith(".py")
        else analyse_text(
            data,
            path.endswith(SETTINGS_SUFFIXES) or "/.env" in f"/{path}",
            path.lower().endswith(DOCUMENT_SUFFIXES),
        )
    )
    return digest(data) if hashed else "", facts
