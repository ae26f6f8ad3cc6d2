"""GitHub Actions expressions (`${{ ... }}`): where they are in a text, and which contexts flow
into their value.

A context flows into an expression's value when the text it holds can come out of it:
`github.event.issue.title` does in `${{ github.event.issue.title }}`, `${{ format('{0}', x) }}`
or `${{ a || x }}`, but not in `${{ contains(x, 'bug') }}` or `${{ x == 'main' }}`, whose
values are booleans. Contexts are returned as lower-case dotted patterns, an index written
`.*` unless it is a literal name (`matrix['py']` is `matrix.py`, `a[0]` and `a[x]` are `a.*`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

FENCED = re.compile(r"\$\{\{(.*?)\}\}", re.S)
TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<number>-?(?:0x[0-9a-fA-F]+|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?))"
    r"|(?P<name>[A-Za-z_][\w-]*)|(?P<op>==|!=|<=|>=|&&|\|\||[!<>()\[\],.*]))"
)
# Calls whose value is a boolean or a hash: nothing of their arguments comes out.
OPAQUE_CALLS = frozenset(
    {"contains", "startswith", "endswith", "hashfiles", "success", "failure", "always", "cancelled"}
)
LITERALS = frozenset({"true", "false", "null"})


def fenced(text: str) -> Iterator[tuple[int, str]]:
    """(offset of `${{`, the expression inside) for every expression in a text."""
    for match in FENCED.finditer(text):
        yield match.start(), match.group(1)


def flowing_contexts(expression: str) -> list[str] | None:
    """The contexts whose text can reach the value of an expression, or None when it does not
    parse (the caller decides what an unreadable expression means)."""
    tokens = _tokens(expression)
    if tokens is None:
        return None
    parser = _Parser(tokens)
    try:
        flows = parser.expression()
    except _Unreadable:
        return None
    if parser.position != len(tokens):
        return None
    return flows


class _Unreadable(Exception):
    pass


def _tokens(expression: str) -> list[tuple[str, str]] | None:
    tokens: list[tuple[str, str]] = []
    position = 0
    text = expression.rstrip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if match is None or match.end() == position:
            return None
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


class _Parser:
    """Recursive descent over the grammar of GitHub expressions, returning for each part the
    contexts that flow into its value."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.position = 0

    def _peek(self) -> tuple[str, str]:
        return self.tokens[self.position] if self.position < len(self.tokens) else ("", "")

    def _take(self, value: str | None = None) -> tuple[str, str]:
        token = self._peek()
        if not token[0] or (value is not None and token[1] != value):
            raise _Unreadable
        self.position += 1
        return token

    def expression(self) -> list[str]:
        flows = self._and()
        while self._peek() == ("op", "||"):
            self._take()
            flows = flows + self._and()
        return flows

    def _and(self) -> list[str]:
        flows = self._comparison()
        while self._peek() == ("op", "&&"):
            self._take()
            flows = self._comparison()  # only the last operand's text can come out
        return flows

    def _comparison(self) -> list[str]:
        flows = self._unary()
        while self._peek()[1] in ("==", "!=", "<", "<=", ">", ">="):
            self._take()
            self._unary()
            flows = []  # a boolean
        return flows

    def _unary(self) -> list[str]:
        if self._peek() == ("op", "!"):
            self._take()
            self._unary()
            return []
        return self._postfix()

    def _postfix(self) -> list[str]:
        flows, path = self._primary()
        while self._peek()[1] in (".", "["):
            name = self._member()
            if path is not None:
                path.append(name)
        return [".".join(path)] if path is not None else flows

    def _primary(self) -> tuple[list[str], list[str] | None]:
        """(what flows from a literal, a parenthesis or a call; the path of a context)."""
        kind, value = self._take()
        if kind in ("string", "number"):
            return [], None
        if value == "(":
            flows = self.expression()
            self._take(")")
            return flows, None
        if kind != "name":
            raise _Unreadable
        if self._peek() == ("op", "("):
            self._take()
            arguments: list[str] = []
            while self._peek() != ("op", ")"):
                arguments += self.expression()
                if self._peek() == ("op", ","):
                    self._take()
                elif self._peek() != ("op", ")"):
                    raise _Unreadable
            self._take(")")
            return ([] if value.lower() in OPAQUE_CALLS else arguments), None
        return [], (None if value.lower() in LITERALS else [value.lower()])

    def _member(self) -> str:
        """`.name`, `.*`, `['name']` or `[index]`: the part of the path it names."""
        if self._take()[1] == ".":
            part = self._take()[1]
            return "*" if part == "*" else part.lower()
        index_kind, index_value = self._peek()
        following = self.tokens[self.position + 1 : self.position + 2]
        if index_kind == "string" and following == [("op", "]")]:
            self._take()
            name = index_value[1:-1].replace("''", "'").lower()
        elif index_value == "*":
            self._take()
            name = "*"
        else:
            self.expression()  # a computed index: its own text does not come out
            name = "*"
        self._take("]")
        return name
