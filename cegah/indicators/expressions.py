"""Indicator expressions over data elements: `#{URINE_POSITIVE} / #{URINE_TESTED}`.

A small recursive-descent parser (no eval): numbers, `#{CODE}` references, + - * / and
the typographic − × ÷, unary minus and parentheses. Parsing returns a tree that is
evaluated against a mapping of code → aggregated value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _


class ExpressionError(ValueError):
    pass


_TOKEN = re.compile(
    r"\s*(?:(?P<ref>#\{(?P<code>[A-Za-z0-9_]+)\})|(?P<num>\d+(?:\.\d+)?)|(?P<op>[-+*/()−×÷]))"
)
_OPS = {"−": "-", "×": "*", "÷": "/"}


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Ref:
    code: str


@dataclass(frozen=True)
class Neg:
    operand: object


@dataclass(frozen=True)
class BinOp:
    op: str
    left: object
    right: object


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise ExpressionError(
                _("Unexpected text at position %(pos)s: %(text)s")
                % {"pos": pos + 1, "text": text[pos : pos + 12]}
            )
        if match["ref"]:
            tokens.append(("ref", match["code"].upper()))
        elif match["num"]:
            tokens.append(("num", match["num"]))
        else:
            tokens.append(("op", _OPS.get(match["op"], match["op"])))
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens):
        self.tokens, self.i = tokens, 0

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else (None, None)

    def take(self):
        token = self.peek()
        self.i += 1
        return token

    def expression(self):
        node = self.term()
        while self.peek() in (("op", "+"), ("op", "-")):
            node = BinOp(self.take()[1], node, self.term())
        return node

    def term(self):
        node = self.factor()
        while self.peek() in (("op", "*"), ("op", "/")):
            node = BinOp(self.take()[1], node, self.factor())
        return node

    def factor(self):
        kind, value = self.take()
        if kind == "num":
            return Num(float(value))
        if kind == "ref":
            return Ref(value)
        if (kind, value) == ("op", "-"):
            return Neg(self.factor())
        if (kind, value) == ("op", "+"):
            return self.factor()
        if (kind, value) == ("op", "("):
            node = self.expression()
            if self.take() != ("op", ")"):
                raise ExpressionError(_("A closing parenthesis is missing."))
            return node
        if kind is None:
            raise ExpressionError(_("The expression ends too early."))
        raise ExpressionError(_("Unexpected %(token)s.") % {"token": value})


def parse(text: str):
    """Parse an expression; raises ExpressionError with a readable message."""
    if not (text or "").strip():
        raise ExpressionError(_("The expression is empty."))
    parser = _Parser(_tokens(text))
    node = parser.expression()
    if parser.i != len(parser.tokens):
        raise ExpressionError(_("Unexpected %(token)s.") % {"token": parser.peek()[1]})
    return node


def references(node) -> set[str]:
    if isinstance(node, Ref):
        return {node.code}
    if isinstance(node, Neg):
        return references(node.operand)
    if isinstance(node, BinOp):
        return references(node.left) | references(node.right)
    return set()


def validate(text: str, known_codes) -> set[str]:
    """The data element codes the expression uses; ExpressionError if any is unknown."""
    codes = references(parse(text))
    unknown = sorted(codes - set(known_codes))
    if unknown:
        raise ExpressionError(_("Unknown data element: %(codes)s.") % {"codes": ", ".join(unknown)})
    return codes


def evaluate(node, values: dict[str, float | None]) -> float | None:
    """The value of the tree; a missing reference counts as 0 (DHIS2's default for sums),
    division by zero gives None (no value), never an error."""
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Ref):
        value = values.get(node.code)
        return 0.0 if value is None else float(value)
    if isinstance(node, Neg):
        inner = evaluate(node.operand, values)
        return None if inner is None else -inner
    left, right = evaluate(node.left, values), evaluate(node.right, values)
    if left is None or right is None:
        return None
    if node.op == "+":
        return left + right
    if node.op == "-":
        return left - right
    if node.op == "*":
        return left * right
    if right == 0:
        return None
    return left / right
