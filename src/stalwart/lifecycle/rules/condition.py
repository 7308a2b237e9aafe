"""The condition language of hot-fix rules: a small, safe expression language.

A condition is parsed with Python's :mod:`ast` and every node is checked against a
whitelist; it is then evaluated column-wise on pandas Series (one vectorised operation per
node). User text is never passed to ``eval``: a name is only ever a key looked up in the
table, so ``__import__``, attribute access, subscripts, calls and comprehensions are refused
when the rule is parsed, before any data is touched.

What a condition may say:

- names: input columns, and the model's outputs ``prediction``, ``proba`` (the top class
  probability) and ``proba_<class>``; a name that is not an identifier goes in backticks
  (`` `loan amount` > 10 ``);
- literals: strings, integers, floats, ``True``/``False``; tuples or lists of literals
  after ``in`` / ``not in``;
- comparisons ``== != < <= > >=`` (chains such as ``0 < x <= 5`` too), ``in``, ``not in``,
  ``is missing``, ``is not missing``; ``and``, ``or``, ``not``;
- arithmetic ``+ - * / // %`` and unary minus on columns and literals (no ``**``: a
  literal power can be made to exhaust memory).

A comparison with a missing value is false (``x != 1`` is false where ``x`` is missing);
test missing values with ``is missing``.

>>> import pandas as pd
>>> c = RuleCondition.parse('country == "DE" and amount * 1.1 > 10000 or email is missing')
>>> sorted(c.names)
['amount', 'country', 'email']
>>> frame = pd.DataFrame({"country": ["DE", "DE", "FR"], "amount": [20000, 5, 1],
...                       "email": ["a@b", "c@d", None]})
>>> c.evaluate(frame).tolist()
[True, False, True]
>>> RuleCondition.parse("__import__('os').system('true')")
Traceback (most recent call last):
...
stalwart.exceptions.ParameterError: rule condition "__import__('os').system('true')": ...
got a function call (__import__('os').system('true')); function calls are not allowed. ...
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ...exceptions import DataError, ParameterError, SchemaError

__all__ = ["MAX_CONDITION_LENGTH", "MAX_DEPTH", "RuleCondition", "column_kinds", "series_kind"]

MAX_CONDITION_LENGTH = 2000
MAX_DEPTH = 64  # nesting levels; the evaluator recurses once per level
MISSING = "missing"
_EXPECTED = ("comparisons, and/or/not, in, is missing and arithmetic on columns and literals")

_COMPARE = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt,
            ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge}
_ARITH = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
          ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod}
_SYMBOL = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">",
           ast.GtE: ">=", ast.In: "in", ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not"}
# what refused constructs are called in the error message
_REFUSED = {ast.Call: "a function call", ast.Attribute: "attribute access",
            ast.Subscript: "a subscript", ast.Lambda: "a lambda", ast.Pow: "a power (**)",
            ast.ListComp: "a comprehension", ast.SetComp: "a comprehension",
            ast.DictComp: "a comprehension", ast.GeneratorExp: "a comprehension",
            ast.NamedExpr: "an assignment (:=)", ast.IfExp: "an if-expression",
            ast.Dict: "a dict", ast.Starred: "a starred expression",
            ast.JoinedStr: "an f-string", ast.Await: "await", ast.Yield: "yield",
            ast.BitAnd: "a bitwise operator (&)", ast.BitOr: "a bitwise operator (|)",
            ast.BitXor: "a bitwise operator (^)", ast.LShift: "a shift", ast.RShift: "a shift",
            ast.Invert: "a bitwise operator (~)", ast.MatMult: "a matrix product (@)"}


def column_kinds(frame: pd.DataFrame) -> dict[str, str]:
    """The kind of each column, as the type check of conditions sees it: ``number``,
    ``text``, ``bool``, ``datetime`` or ``other``.

    >>> column_kinds(pd.DataFrame({"a": [1.5], "b": ["x"], "c": [True]}))
    {'a': 'number', 'b': 'text', 'c': 'bool'}
    """
    return {str(name): series_kind(frame[name]) for name in frame.columns}


def series_kind(series: pd.Series) -> str:
    """The kind of one column (see :func:`column_kinds`)."""
    kind = series.dtype.kind
    if kind == "b":
        return "bool"
    if kind in "iuf":
        return "number"
    if kind == "M":
        return "datetime"
    inferred = pd.api.types.infer_dtype(series, skipna=True)
    return {"string": "text", "boolean": "bool", "integer": "number", "floating": "number",
            "mixed-integer-float": "number", "decimal": "number", "empty": "other",
            "datetime": "datetime", "datetime64": "datetime"}.get(inferred, "other")


def _literal_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    return "number" if isinstance(value, (int, float)) else "text"


@dataclass(frozen=True)
class RuleCondition:
    """A parsed, whitelisted condition (see the module docstring). Build it with
    :meth:`parse`; ``names`` are the column and output names it reads."""

    text: str
    names: frozenset[str]
    tree: ast.Expression = field(repr=False, compare=False)
    quoted: Mapping[str, str] = field(repr=False, compare=False, default_factory=dict)

    @classmethod
    def parse(cls, text: str) -> RuleCondition:
        if not isinstance(text, str) or not text.strip():
            raise ParameterError("rule condition", expected="a non-empty expression such as "
                                 "'country == \"DE\" and amount > 10000'", got=repr(text),
                                 fix="write the condition as text")
        if len(text) > MAX_CONDITION_LENGTH:
            raise ParameterError("rule condition", expected=f"at most {MAX_CONDITION_LENGTH} "
                                 "characters", got=f"{len(text)} characters",
                                 fix="split it into several rules")
        source, quoted = _unquote(text)
        try:
            tree = ast.parse(source.strip(), mode="eval")
        except SyntaxError as exc:
            raise ParameterError(f"rule condition {text!r}", expected="a valid expression",
                                 got=f"a syntax error ({exc.msg}, column {exc.offset})",
                                 fix="check quotes, parentheses and operators") from None
        except (RecursionError, MemoryError, ValueError):
            raise ParameterError(f"rule condition {text!r}", expected="a shallow expression",
                                 got="an expression too deeply nested to parse",
                                 fix="simplify the condition") from None
        if _depth(tree.body) > MAX_DEPTH:
            raise ParameterError(f"rule condition {text[:60]!r}...", expected=f"at most "
                                 f"{MAX_DEPTH} levels of nesting", got="a deeper expression",
                                 fix="simplify the condition or split it into several rules")
        names: set[str] = set()
        _Whitelist(text, quoted, names).check_boolean(tree.body)
        return cls(text, frozenset(names), tree, quoted)

    # -- validation -----------------------------------------------------------------
    def check(self, kinds: Mapping[str, str], *, where: str = "rule condition") -> None:
        """Refuse names that are not in ``kinds`` (name -> kind, see :func:`column_kinds`)
        and comparisons or arithmetic between kinds that cannot meet (a number column
        against a text literal)."""
        unknown = sorted(self.names - set(kinds))
        if unknown:
            raise SchemaError(f"{where} {self.text!r}", expected="names of columns or "
                              f"outputs among {sorted(kinds)[:30]}",
                              got=f"unknown name(s) {unknown}",
                              fix="fix the spelling, or add the column to the data")
        _Kinds(self.text, where, kinds, self.quoted).kind(self.tree.body)

    # -- evaluation -----------------------------------------------------------------
    def evaluate(self, table: Mapping[str, Any] | pd.DataFrame, *, n_rows: int | None = None
                 ) -> np.ndarray:
        """A boolean array, one entry per row of ``table`` (a DataFrame or a mapping of
        name -> Series/array; ``n_rows`` is needed when no name is read)."""
        n = len(table) if isinstance(table, pd.DataFrame) else n_rows
        if n is None:
            n = len(next(iter(table.values()))) if len(table) else 0
        try:
            return _Evaluator(table, n, self.quoted).truth(self.tree.body)
        except (TypeError, ValueError, ArithmeticError) as exc:
            raise DataError(f"rule condition {self.text!r}", expected="values its operators "
                            "can compare or compute", got=f"{type(exc).__name__}: {exc}",
                            fix="check the column types the condition reads") from None


def _depth(root: ast.AST) -> int:
    """Nesting depth, measured without recursion (the tree may be deep)."""
    deepest, stack = 0, [(root, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth <= MAX_DEPTH:
            stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def _unquote(text: str) -> tuple[str, dict[str, str]]:
    """Replace `` `name` `` by placeholders (outside string literals)."""
    if "`" in text and ("'''" in text or '"""' in text):
        # the scan below knows one-character quotes only: a backtick inside a triple-quoted
        # string would be taken for a column name and silently change the string
        raise ParameterError(f"rule condition {text!r}", expected="string literals in single "
                             "or double quotes", got="a triple-quoted string beside a backtick",
                             fix="write the text as 'text' or \"text\"")
    out, quoted, i, quote = [], {}, 0, None
    while i < len(text):
        ch = text[i]
        if quote:
            out.append(ch)
            if ch == "\\" and i + 1 < len(text):
                out.append(text[i + 1])
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        elif ch == "`":
            end = text.find("`", i + 1)
            if end < 0 or end == i + 1:
                raise ParameterError(f"rule condition {text!r}", expected="a name closed by a "
                                     "second backtick", got="an unclosed or empty backtick",
                                     fix="write `column name` with both backticks")
            key = f"__q{len(quoted)}"
            quoted[key] = text[i + 1:end]
            out.append(f" {key} ")
            i = end
        else:
            out.append(ch)
        i += 1
    return "".join(out), quoted


class _Whitelist:
    """Walks the tree once, refusing every construct outside the language."""

    def __init__(self, text: str, quoted: Mapping[str, str], names: set[str]) -> None:
        self.text, self.quoted, self.names = text, quoted, names

    def refuse(self, node: ast.AST, why: str = "") -> None:
        what = _REFUSED.get(type(node)) or _REFUSED.get(type(getattr(node, "op", None)))
        what = what or f"a {type(node).__name__} node"
        shown = ast.unparse(node) if isinstance(node, ast.expr) else ""
        detail = f" ({shown[:40]}{'...' if len(shown) > 40 else ''})" if shown else ""
        raise ParameterError(f"rule condition {self.text!r}", expected=_EXPECTED,
                             got=f"{what}{detail}; {why or _plural(what)} not allowed",
                             fix="rewrite the condition without it")

    def check_boolean(self, node: ast.AST) -> None:
        if isinstance(node, ast.BoolOp):
            for value in node.values:
                self.check_boolean(value)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            self.check_boolean(node.operand)
        elif isinstance(node, ast.Compare):
            self.check_compare(node)
        elif isinstance(node, ast.Name) or (isinstance(node, ast.Constant)
                                            and isinstance(node.value, bool)):
            self.check_value(node)
        elif type(node) in _REFUSED or type(getattr(node, "op", None)) in _REFUSED:
            self.refuse(node)
        else:
            self.refuse(node, "a condition must be true or false: a comparison, a boolean "
                        "column, or and/or/not of them; a bare value is")

    def check_compare(self, node: ast.Compare) -> None:
        self.check_value(node.left)
        for op, right in zip(node.ops, node.comparators):
            if isinstance(op, (ast.Is, ast.IsNot)):
                if not (isinstance(right, ast.Name) and right.id == MISSING):
                    self.refuse(node, "'is' only tests 'is missing' / 'is not missing'; "
                                "other uses are")
            elif isinstance(op, (ast.In, ast.NotIn)):
                if not isinstance(right, (ast.Tuple, ast.List, ast.Set)):
                    self.refuse(node, "'in' needs a tuple of literals such as ('a', 'b'); "
                                "other right-hand sides are")
                for element in right.elts:
                    if not _is_literal(element):
                        self.refuse(element, "the members after 'in' must be literals; others"
                                    " are")
            elif type(op) in _COMPARE:
                self.check_value(right)
            else:  # pragma: no cover - Python has no other comparison operators
                self.refuse(node)

    def check_value(self, node: ast.AST) -> None:
        if isinstance(node, ast.Name):
            if node.id == MISSING:
                self.refuse(node, "'missing' is only valid after 'is' / 'is not'; elsewhere "
                            "it is")
            if node.id.startswith("__") and node.id not in self.quoted:
                self.refuse(node, f"the name {node.id!r} starts with '__'; such names are")
            self.names.add(self.quoted.get(node.id, node.id))
        elif isinstance(node, ast.Constant):
            if not _is_literal(node):
                self.refuse(node, f"the literal {node.value!r} is not a string, number or "
                            "boolean; such literals are")
        elif isinstance(node, ast.BinOp) and type(node.op) in _ARITH:
            self.check_value(node.left)
            self.check_value(node.right)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            self.check_value(node.operand)
        else:
            self.refuse(node)


def _plural(what: str) -> str:
    return f"{what.removeprefix('a ').removeprefix('an ')}s are"


def _is_literal(node: ast.AST) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
        return isinstance(node, ast.Constant) and _number(node.value)
    return isinstance(node, ast.Constant) and (isinstance(node.value, str)
                                               or _number(node.value)
                                               or isinstance(node.value, bool))


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _literal(node: ast.AST) -> Any:
    if isinstance(node, ast.UnaryOp):
        return -node.operand.value  # type: ignore[attr-defined]
    return node.value  # type: ignore[attr-defined]


class _Kinds:
    """Static type check of a whitelisted tree against column kinds."""

    _COMPATIBLE = {("number", "number"), ("text", "text"), ("bool", "bool"),
                   ("datetime", "datetime"), ("datetime", "text"), ("text", "datetime"),
                   ("number", "bool"), ("bool", "number")}

    def __init__(self, text: str, where: str, kinds: Mapping[str, str],
                 quoted: Mapping[str, str]) -> None:
        self.text, self.where, self.kinds, self.quoted = text, where, kinds, quoted

    def fail(self, got: str) -> None:
        raise SchemaError(f"{self.where} {self.text!r}", expected="operands of kinds that "
                          "can be compared or computed", got=got,
                          fix="compare a column with a literal of its own type (numbers "
                          "unquoted, text quoted)")

    def kind(self, node: ast.AST) -> str:
        if isinstance(node, ast.BoolOp) or (isinstance(node, ast.UnaryOp)
                                            and isinstance(node.op, ast.Not)):
            for child in getattr(node, "values", None) or [node.operand]:  # type: ignore
                k = self.kind(child)
                if k not in ("bool", "other"):
                    self.fail(f"a {k} value used as true/false ({ast.unparse(child)})")
            return "bool"
        if isinstance(node, ast.Compare):
            left = self.kind(node.left)
            for op, right in zip(node.ops, node.comparators):
                if isinstance(op, (ast.In, ast.NotIn)):
                    for element in right.elts:  # type: ignore[attr-defined]
                        self.meet(left, _literal_kind(_literal(element)), node)
                elif not isinstance(op, (ast.Is, ast.IsNot)):
                    k = self.kind(right)
                    self.meet(left, k, node)
                    left = k
            return "bool"
        if isinstance(node, ast.Name):
            return self.kinds.get(self.quoted.get(node.id, node.id), "other")
        if isinstance(node, ast.Constant) or _is_literal(node):
            return _literal_kind(_literal(node))
        if isinstance(node, ast.UnaryOp):
            k = self.kind(node.operand)
            if k not in ("number", "bool", "other"):
                self.fail(f"a minus sign on a {k} value ({ast.unparse(node)})")
            return "number" if k != "other" else k
        assert isinstance(node, ast.BinOp)
        left, right = self.kind(node.left), self.kind(node.right)
        if "other" in (left, right):
            return "other"
        if isinstance(node.op, ast.Add) and left == right == "text":
            return "text"
        if left in ("number", "bool") and right in ("number", "bool"):
            return "number"
        self.fail(f"arithmetic between a {left} and a {right} value ({ast.unparse(node)})")
        return "other"  # pragma: no cover

    def meet(self, left: str, right: str, node: ast.AST) -> None:
        if "other" in (left, right) or (left, right) in self._COMPATIBLE:
            return
        self.fail(f"a {left} value compared with a {right} value ({ast.unparse(node)})")


class _Evaluator:
    """Vectorised evaluation: every node becomes a Series (or a scalar literal)."""

    def __init__(self, table: Any, n: int, quoted: Mapping[str, str]) -> None:
        self.table, self.n, self.quoted = table, n, quoted

    def truth(self, node: ast.AST) -> np.ndarray:
        if isinstance(node, ast.BoolOp):
            parts = [self.truth(v) for v in node.values]
            combine = np.logical_and if isinstance(node.op, ast.And) else np.logical_or
            out = parts[0]
            for part in parts[1:]:
                out = combine(out, part)
            return out
        if isinstance(node, ast.UnaryOp):  # not
            return ~self.truth(node.operand)
        if isinstance(node, ast.Compare):
            return self.compare(node)
        value = self.value(node)
        if not isinstance(value, pd.Series):
            return np.full(self.n, bool(value))
        if value.dtype.kind == "b" or str(value.dtype) == "boolean":
            return value.fillna(False).to_numpy(dtype=bool)  # missing is false
        missing = value.isna().to_numpy()
        present = value[~missing]
        if not all(isinstance(v, (bool, np.bool_)) for v in present):
            raise TypeError(f"{ast.unparse(node)} is used as true/false but holds "
                            "values other than booleans")
        return np.where(missing, False, value.fillna(False).to_numpy()).astype(bool)

    def compare(self, node: ast.Compare) -> np.ndarray:
        out = np.ones(self.n, dtype=bool)
        left = self.value(node.left)
        for op, right_node in zip(node.ops, node.comparators):
            if isinstance(op, (ast.Is, ast.IsNot)):
                missing = _missing(left, self.n)
                out &= missing if isinstance(op, ast.Is) else ~missing
                continue
            if isinstance(op, (ast.In, ast.NotIn)):
                members = [_literal(e) for e in right_node.elts]  # type: ignore[attr-defined]
                series = _series(left, self.n)
                hit = series.isin(members).to_numpy(dtype=bool)
                present = ~series.isna().to_numpy()
                out &= (hit if isinstance(op, ast.In) else ~hit) & present
                continue
            right = self.value(right_node)
            out &= _compare(_COMPARE[type(op)], left, right, self.n)
            left = right
        return out

    def value(self, node: ast.AST) -> Any:
        if isinstance(node, ast.Name):
            name = self.quoted.get(node.id, node.id)
            column = self.table[name]
            if isinstance(column, pd.Series):
                return column.reset_index(drop=True)
            return pd.Series(np.asarray(column))
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.UnaryOp):
            operand = self.value(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        assert isinstance(node, ast.BinOp)
        left, right = self.value(node.left), self.value(node.right)
        if not isinstance(node.op, ast.Add) or _numeric(left) or _numeric(right):
            # arithmetic is on numbers: a text value must never reach `*` (pandas repeats
            # the text, "xy" * 10**9 is a gigabyte), it counts as missing instead
            left, right = _as_numbers(left), _as_numbers(right)
        with np.errstate(divide="ignore", invalid="ignore"):
            return _ARITH[type(node.op)](left, right)


def _numeric(value: Any) -> bool:
    if isinstance(value, pd.Series):
        return value.dtype.kind in "biuf"
    return isinstance(value, (int, float, np.number)) and not isinstance(value, bool)


def _as_numbers(value: Any) -> Any:
    """Numbers stay; text (a constant or a value of an object column) becomes missing."""
    if isinstance(value, pd.Series):
        return value if value.dtype.kind in "biuf" else pd.to_numeric(value, errors="coerce")
    if isinstance(value, str):
        return np.nan
    return value


def _series(value: Any, n: int) -> pd.Series:
    return value if isinstance(value, pd.Series) else pd.Series([value] * n, dtype=object)


def _missing(value: Any, n: int) -> np.ndarray:
    if isinstance(value, pd.Series):
        return value.isna().to_numpy(dtype=bool)
    return np.full(n, pd.isna(value))


def _compare(op: Any, left: Any, right: Any, n: int) -> np.ndarray:
    """``op`` where both sides are present; False where either is missing."""
    present = ~(_missing(left, n) | _missing(right, n))
    out = np.zeros(n, dtype=bool)
    if not present.any():
        return out
    lhs = left[present] if isinstance(left, pd.Series) else left
    rhs = right[present] if isinstance(right, pd.Series) else right
    result = op(lhs, rhs)
    out[present] = np.asarray(result, dtype=bool)
    return out
