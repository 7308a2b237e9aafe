"""A small reduced ordered binary decision diagram (BDD) for monotone fault-tree functions.

Written by hand because the few operations a fault tree needs (if-then-else, exact
probability, Birnbaum derivatives, minimal solutions) fit in one page, while BDD libraries
(``dd``, ``pyeda``) are compiled extras we do not want in the core dependencies.

Nodes are integers: 0 and 1 are the terminals; node ``u`` tests variable ``var[u]`` and
continues to ``high[u]`` when it is true and ``low[u]`` when false. A node is created only
after both of its children, so ascending ids are a topological order (children first): the
probability of every node is one loop, no recursion. Shared basic events become one
variable, which is why the probability is exact where multiplying gate by gate is not.

>>> bdd = Bdd(3)
>>> a, b, c = (bdd.variable(i) for i in range(3))
>>> top = bdd.or_(bdd.and_(a, b), bdd.and_(a, c))     # a is shared by both branches
>>> round(bdd.probabilities([0.5, 0.5, 0.5])[top], 6)  # P(a) * P(b or c) = 0.5 * 0.75
0.375
>>> sorted(sorted(s) for s in bdd.minimal_solutions(top))
[[0, 1], [0, 2]]
"""

from __future__ import annotations

from collections.abc import Sequence

from ..exceptions import ParameterError

__all__ = ["Bdd"]

FALSE, TRUE = 0, 1


class Bdd:
    """A BDD manager over ``n_vars`` variables, ordered 0 < 1 < ... < n_vars - 1.

    ``max_nodes`` bounds the work: a BDD can grow exponentially with the number of shared
    events (many events each under many gates), and a clear error beats a hung analysis.
    """

    def __init__(self, n_vars: int, *, max_nodes: int | None = None) -> None:
        self.n_vars = n_vars
        self.max_nodes = max_nodes
        # terminals sit below every variable (their level is n_vars)
        self.var: list[int] = [n_vars, n_vars]
        self.low: list[int] = [FALSE, TRUE]
        self.high: list[int] = [FALSE, TRUE]
        self._unique: dict[tuple[int, int, int], int] = {}
        self._ite: dict[tuple[int, int, int], int] = {}

    def __len__(self) -> int:
        return len(self.var)

    def node(self, var: int, low: int, high: int) -> int:
        if low == high:  # the test is redundant
            return low
        key = (var, low, high)
        found = self._unique.get(key)
        if found is None:
            found = len(self.var)
            if self.max_nodes is not None and found >= self.max_nodes:
                raise ParameterError(
                    "fault tree size", expected=f"at most {self.max_nodes:,} BDD nodes",
                    got="more (the events are shared across many gates)",
                    fix="raise max_bdd_nodes, or split the tree into independent subtrees and "
                        "analyse each")
            self.var.append(var)
            self.low.append(low)
            self.high.append(high)
            self._unique[key] = found
        return found

    def variable(self, index: int) -> int:
        return self.node(index, FALSE, TRUE)

    def ite(self, f: int, g: int, h: int) -> int:
        """If ``f`` then ``g`` else ``h`` (Brace, Rudell and Bryant's operator)."""
        if f == TRUE:
            return g
        if f == FALSE:
            return h
        if g == h:
            return g
        if g == TRUE and h == FALSE:
            return f
        key = (f, g, h)
        found = self._ite.get(key)
        if found is not None:
            return found
        top = min(self.var[f], self.var[g], self.var[h])
        f0, f1 = self._cofactors(f, top)
        g0, g1 = self._cofactors(g, top)
        h0, h1 = self._cofactors(h, top)
        result = self.node(top, self.ite(f0, g0, h0), self.ite(f1, g1, h1))
        self._ite[key] = result
        return result

    def _cofactors(self, u: int, var: int) -> tuple[int, int]:
        if self.var[u] != var:
            return u, u
        return self.low[u], self.high[u]

    def and_(self, f: int, g: int) -> int:
        return self.ite(f, g, FALSE)

    def or_(self, f: int, g: int) -> int:
        return self.ite(f, TRUE, g)

    def all_(self, children: Sequence[int]) -> int:
        return self._balanced(self.and_, list(children), TRUE)

    def any_(self, children: Sequence[int]) -> int:
        return self._balanced(self.or_, list(children), FALSE)

    @staticmethod
    def _balanced(op, items: list[int], empty: int) -> int:  # noqa: ANN001
        # pairwise, as a balanced tree: fewer large intermediate diagrams than a left fold
        if not items:
            return empty
        while len(items) > 1:
            items = [op(items[i], items[i + 1]) if i + 1 < len(items) else items[i]
                     for i in range(0, len(items), 2)]
        return items[0]

    def at_least(self, k: int, children: Sequence[int]) -> int:
        """True when at least ``k`` of ``children`` are: the k-of-n (VOTE) gate.

        Built by the recurrence ``atleast(i, k) = ite(c_i, atleast(i+1, k-1), atleast(i+1, k))``
        over the children, memoised on ``(i, k)``: O(n * k) if-then-else calls.
        """
        n = len(children)
        # row[j] = atleast over children[i:], needing j more; filled from the last child up
        row = [TRUE] + [FALSE] * k
        for i in range(n - 1, -1, -1):
            row = [TRUE] + [self.ite(children[i], row[j - 1], row[j]) for j in range(1, k + 1)]
        return row[k]

    # --- measures ------------------------------------------------------------------------
    def probabilities(self, p: Sequence[float]) -> list[float]:
        """P(node is true) for every node, the variables independent with P(x_i) = p[i]."""
        out = [0.0, 1.0]
        var, low, high = self.var, self.low, self.high
        for u in range(2, len(var)):
            pv = p[var[u]]
            out.append(pv * out[high[u]] + (1.0 - pv) * out[low[u]])
        return out

    def reachable(self, root: int) -> list[int]:
        """Ids of the nodes under ``root`` (itself included), ascending."""
        seen, stack = {root}, [root]
        while stack:
            u = stack.pop()
            if u > TRUE:
                for child in (self.low[u], self.high[u]):
                    if child not in seen:
                        seen.add(child)
                        stack.append(child)
        return sorted(seen)

    def birnbaum(self, root: int, p: Sequence[float], prob: Sequence[float]) -> list[float]:
        """dP(root)/dp_i for every variable i (``prob`` from :meth:`probabilities`).

        The probability is linear in each p_i and, the diagram being ordered, a path meets
        variable i at most once, so the derivative is the sum over nodes testing i of
        P(reach the node) * (P(high) - P(low)): one top-down pass.
        """
        nodes = self.reachable(root)
        reach = dict.fromkeys(nodes, 0.0)
        reach[root] = 1.0
        out = [0.0] * self.n_vars
        for u in reversed(nodes):  # parents have larger ids than their children
            if u <= TRUE:
                continue
            r, pv = reach[u], p[self.var[u]]
            reach[self.high[u]] += r * pv
            reach[self.low[u]] += r * (1.0 - pv)
            out[self.var[u]] += r * (prob[self.high[u]] - prob[self.low[u]])
        return out

    def minimal_solutions(self, root: int) -> set[frozenset[int]]:
        """The minimal sets of true variables that make the (monotone) function true.

        For ``u = ite(x, f1, f0)``: minimal solutions without x are those of f0; with x,
        ``{x} | c`` for each minimal solution c of f1 that is not a solution of f0 (else c
        alone would already suffice). Rauzy's recurrence, here on plain sets of sets.
        """
        sols: dict[int, set[frozenset[int]]] = {FALSE: set(), TRUE: {frozenset()}}
        for u in self.reachable(root):
            if u <= TRUE:
                continue
            without = sols[self.low[u]]
            x = self.var[u]
            with_x = {c | {x} for c in sols[self.high[u]]
                      if not any(d <= c for d in without)}
            sols[u] = without | with_x
        return sols[root]
