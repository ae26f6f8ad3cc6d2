"""Annotations that a framework evaluates at run time, read from the syntax tree (CODE001, CODE010).

pydantic models and settings, SQLAlchemy `Mapped` columns and msgspec structs read their class
annotations when the class is created; typer, FastAPI, `validate_call`, beartype and typeguard
read the signatures of the functions they wrap. A name those annotations use must exist at run
time: importing it only under `if TYPE_CHECKING:` breaks the program, and `from __future__
import annotations` does not help, because the framework evaluates the string.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from prodready.source.consumers import (
    MODEL_BASES,
    ROUTE_METHODS,
    TYPER_METHODS,
    VALIDATING_DECORATORS,
    uses_fastapi,
    uses_typer,
)

BUILTIN_GENERICS = frozenset({"list", "dict", "set", "frozenset", "tuple", "type"})

Annotation = tuple[ast.expr, str]


def _name(node: ast.expr) -> str:
    """The last name of `a.b.C` or `C` (or of the called function for decorators with arguments)."""
    if isinstance(node, ast.Call):
        return _name(node.func)
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def _owner(node: ast.expr) -> str:
    """`app` for `app.command()` / `app.get(...)`."""
    target = node.func if isinstance(node, ast.Call) else node
    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
        return target.value.id
    return ""


def _dotted(node: ast.expr) -> str:
    """`pydantic.dataclasses.dataclass` for an attribute chain (or a call of one)."""
    if isinstance(node, ast.Call):
        return _dotted(node.func)
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else ""


MAPPED = frozenset({"Mapped", "WriteOnlyMapped", "DynamicMapped"})
# Attributes whose target class the ORM looks up by name in its class registry when the mappers
# are configured (SQLAlchemy's `relationship`, SQLModel's `Relationship`, association proxies):
# their annotation names a mapped class, which may stay under `TYPE_CHECKING`.
REGISTRY_RESOLVED = frozenset(
    {"relationship", "Relationship", "association_proxy", "dynamic_loader", "backref"}
)


def _is_mapped(annotation: ast.expr) -> bool:
    """`Mapped[...]` (SQLAlchemy), written plainly or as a string."""
    if isinstance(annotation, ast.Subscript):
        return _name(annotation.value) in MAPPED
    return (
        isinstance(annotation, ast.Constant)
        and isinstance(annotation.value, str)
        and annotation.value.split("[", 1)[0].rsplit(".", 1)[-1] in MAPPED
    )


def _evaluated_field(statement: ast.AnnAssign, mapped_class: bool) -> bool:
    """True when a model evaluates this class attribute's annotation: not for a relationship (the
    ORM resolves its target through its class registry), and in a SQLAlchemy class only for
    `Mapped[...]` attributes (SQLAlchemy reads no other annotation)."""
    value = statement.value
    if isinstance(value, ast.Call) and _name(value.func) in REGISTRY_RESOLVED:
        return False
    target = statement.target
    if isinstance(target, ast.Name) and target.id.startswith("_") and not mapped_class:
        return False  # a pydantic private attribute: no field, nothing validated
    if _name(statement.annotation) == "ClassVar" or (
        isinstance(statement.annotation, ast.Subscript)
        and _name(statement.annotation.value) == "ClassVar"
    ):
        return False  # a class variable, not a field
    return _is_mapped(statement.annotation) or not mapped_class


# `if TYPE_CHECKING:` (and the `MYPY = TYPE_CHECKING` alias older code uses): never true at run time
CHECKER_FLAGS = frozenset({"TYPE_CHECKING", "MYPY"})


class RuntimeAnnotations:
    """The annotations of one module that something evaluates at run time, with who does."""

    def __init__(self, tree: ast.Module, text: str) -> None:
        self.tree = tree
        self.uses_typer = uses_typer(text)
        self.uses_fastapi = uses_fastapi(text)
        self.pydantic_dataclasses = _pydantic_dataclass_names(tree) if "pydantic" in text else set()
        self.future_annotations = any(
            isinstance(n, ast.ImportFrom)
            and n.module == "__future__"
            and any(a.name == "annotations" for a in n.names)
            for n in tree.body
        )
        self.classes: list[ast.ClassDef] = []
        self.functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
        self.calls: list[ast.Call] = []
        self._collect(tree.body)
        self.models = self._model_classes()

    def _collect(self, statements: list[ast.stmt]) -> None:
        """Classes, functions and registering calls, without descending into function bodies,
        which hold no annotation a framework reads (and most of a module's syntax tree)."""
        for statement in statements:
            if isinstance(statement, ast.ClassDef):
                self.classes.append(statement)
                self._collect(statement.body)
            elif isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
                self.functions.append(statement)
                for default in (*statement.args.defaults, *statement.args.kw_defaults):
                    if default is not None:
                        self._calls(default)
            elif isinstance(statement, ast.If) and _name(statement.test) in CHECKER_FLAGS:
                self._collect(statement.orelse)  # the body runs only under a type checker
            elif isinstance(statement, ast.If | ast.Try | ast.With):
                children = [
                    *statement.body,
                    *getattr(statement, "orelse", []),
                    *getattr(statement, "finalbody", []),
                ]
                for handler in getattr(statement, "handlers", []):
                    children.extend(handler.body)
                self._collect(children)
            else:
                self._calls(statement)

    def _calls(self, node: ast.AST) -> None:
        for inner in ast.walk(node):
            if isinstance(inner, ast.Call) and (
                isinstance(inner.func, ast.Call)
                or _name(inner.func) in ("run", "Depends", "Security")
            ):
                self.calls.append(inner)

    def _model_classes(self) -> set[str]:
        models: set[str] = set()
        changed = True
        while changed:
            changed = False
            for cls in self.classes:
                if cls.name in models:
                    continue
                bases = {_name(b) for b in cls.bases} | {
                    _name(b.value) for b in cls.bases if isinstance(b, ast.Subscript)
                }
                pydantic_dataclass = any(
                    _dotted(d) in self.pydantic_dataclasses for d in cls.decorator_list
                )
                mapped = any(
                    isinstance(s, ast.AnnAssign) and _is_mapped(s.annotation) for s in cls.body
                )
                if bases & (MODEL_BASES | models) or pydantic_dataclass or mapped:
                    models.add(cls.name)
                    changed = True
        return models

    def evaluated(self) -> Iterator[Annotation]:
        """(annotation, consumer) for every annotation a framework evaluates."""
        for cls in self.classes:
            if cls.name in self.models:
                fields = [s for s in cls.body if isinstance(s, ast.AnnAssign)]
                mapped_class = any(_is_mapped(s.annotation) for s in fields)
                for statement in fields:
                    if _evaluated_field(statement, mapped_class):
                        yield statement.annotation, f"the model {cls.name}"
        for function in self.functions:
            consumer = self._consumer(function)
            if consumer:
                yield from (
                    (a, consumer) for a in _signature(function, with_return=consumer != "typer")
                )
        for call in self.calls:
            yield from self._registered(call)

    def _consumer(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
        frameworks = (
            ("typer", self.uses_typer, TYPER_METHODS),
            ("FastAPI", self.uses_fastapi, ROUTE_METHODS),
        )
        for decorator in function.decorator_list:
            name = _name(decorator)
            if name in VALIDATING_DECORATORS:
                return name
            for framework, used, methods in frameworks:
                if (
                    used
                    and name in methods
                    and isinstance(decorator, ast.Call)
                    and _owner(decorator)
                ):
                    return framework
        return ""

    def _registered(self, call: ast.Call) -> Iterator[Annotation]:
        """Functions handed over by call: `app.command()(main)`, `typer.run(main)`, `Depends(dep)`."""
        target = ""
        if (
            isinstance(call.func, ast.Call)
            and self.uses_typer
            and _name(call.func) in TYPER_METHODS
        ) or (self.uses_typer and _name(call.func) == "run" and _owner(call.func) == "typer"):
            target = "typer"
        elif self.uses_fastapi and _name(call.func) in ("Depends", "Security"):
            target = "FastAPI"
        if not target or not call.args or not isinstance(call.args[0], ast.Name):
            return
        wanted = call.args[0].id
        for node in self.tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == wanted:
                yield from ((a, target) for a in _signature(node, with_return=False))

    def signature_annotations(self) -> Iterator[ast.expr]:
        """Every annotation Python itself evaluates at definition time (none with the future import)."""
        if self.future_annotations:
            return
        for function in self.functions:
            yield from _signature(function, with_return=True)
        for statement in [*self.tree.body, *(s for c in self.classes for s in c.body)]:
            if isinstance(statement, ast.AnnAssign):
                yield statement.annotation


def _pydantic_dataclass_names(tree: ast.Module) -> set[str]:
    """How this module spells pydantic's `dataclass` decorator: `pydantic.dataclasses.dataclass`,
    or the names its imports give it (`dataclass` from `pydantic.dataclasses`, `dataclasses.dataclass`
    after `from pydantic import dataclasses`)."""
    names = {"pydantic.dataclasses.dataclass"}
    for node in _module_level(tree.body):
        if isinstance(node, ast.ImportFrom) and node.module in ("pydantic", "pydantic.dataclasses"):
            wanted = "dataclass" if node.module == "pydantic.dataclasses" else "dataclasses"
            for alias in node.names:
                if alias.name == wanted:
                    local = alias.asname or alias.name
                    names.add(local if wanted == "dataclass" else f"{local}.dataclass")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "pydantic.dataclasses" and alias.asname:
                    names.add(f"{alias.asname}.dataclass")
    return names


def _module_level(statements: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements that run when the module is imported: its top level and the blocks of
    its `if`, `try` and `with` statements there (not function bodies: a decorator's name is
    bound where the class is defined)."""
    for statement in statements:
        yield statement
        if isinstance(statement, ast.If | ast.Try | ast.With):
            children = [*statement.body, *getattr(statement, "orelse", [])]
            children += getattr(statement, "finalbody", [])
            for handler in getattr(statement, "handlers", []):
                children.extend(handler.body)
            yield from _module_level(children)


def _signature(
    function: ast.FunctionDef | ast.AsyncFunctionDef, *, with_return: bool
) -> Iterator[ast.expr]:
    args = function.args
    for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg):
        if arg is not None and arg.annotation is not None:
            yield arg.annotation
    if with_return and function.returns is not None:
        yield function.returns


def names_in(annotation: ast.expr) -> Iterator[tuple[str, ast.expr]]:
    """Root names an annotation uses, including those inside string annotations."""
    for node in ast.walk(annotation):
        if isinstance(node, ast.Name):
            yield node.id, node
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                inner = ast.parse(node.value, mode="eval").body
            except SyntaxError:
                continue
            for name, _ in names_in(inner):
                yield name, node


def new_syntax(annotation: ast.expr, strings: bool = True) -> Iterator[tuple[str, int]]:
    """`X | Y` (3.10) and `list[int]`-style builtin generics (3.9) in an annotation; inside its
    string parts too when `strings` (a framework evaluates them; Python itself leaves a quoted
    annotation a string)."""
    for node in _evaluated_parts(annotation):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            yield "`X | Y` union", 10
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id in BUILTIN_GENERICS
        ):
            yield f"`{node.value.id}[...]` generic", 9
        elif strings and isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                inner = ast.parse(node.value, mode="eval").body
            except SyntaxError:
                continue
            yield from new_syntax(inner)


def _evaluated_parts(annotation: ast.expr) -> Iterator[ast.AST]:
    """The nodes of an annotation that evaluating it reaches: of `int or tuple[int, ...]`, only
    `int` (a type is true, so `or` stops there, while `and` evaluates every operand)."""
    todo: list[ast.AST] = [annotation]
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
            todo.append(node.values[0])
        else:
            todo.extend(ast.iter_child_nodes(node))


def type_checking_names(tree: ast.Module) -> dict[str, int]:
    """Names bound only under a module-level `if TYPE_CHECKING:` (name -> line)."""
    guarded: dict[str, int] = {}
    runtime: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and _name(node.test) in CHECKER_FLAGS:
            for statement in node.body:
                for name in _bound(statement):
                    guarded.setdefault(name, statement.lineno)
            for statement in node.orelse:
                runtime.update(_bound(statement))
        else:
            runtime.update(_bound_at_module_level(node))
    return {name: line for name, line in guarded.items() if name not in runtime}


def _bound_at_module_level(statement: ast.stmt) -> set[str]:
    """Names a module-level statement binds, looking into if/try/with blocks but not functions."""
    names = set(_bound(statement))
    if isinstance(statement, ast.If | ast.Try | ast.With | ast.For | ast.While):
        children = [
            *statement.body,
            *getattr(statement, "orelse", []),
            *getattr(statement, "finalbody", []),
        ]
        for handler in getattr(statement, "handlers", []):
            children.extend(handler.body)
        for child in children:
            names |= _bound_at_module_level(child)
    return names


def _bound(statement: ast.stmt) -> list[str]:
    if isinstance(statement, ast.Import | ast.ImportFrom):
        return [(a.asname or a.name).split(".")[0] for a in statement.names]
    if isinstance(statement, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
        return [statement.name]
    if isinstance(statement, ast.Assign):
        return [t.id for t in statement.targets if isinstance(t, ast.Name)]
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return [statement.target.id]
    return []
