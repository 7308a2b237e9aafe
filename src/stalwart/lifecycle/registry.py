"""The model registry: aliases (champion, challenger, shadow) and per-customer pinning.

:class:`ModelRegistry` is the lifecycle view of one model's versions in a store: a version
is registered (``register``), named by aliases (``set_alias``, ``promote``) and customers
may be pinned to one (``pin``) until they choose to move (``unpin`` or a new pin). The
version that answers a customer is its pin, else the champion (:meth:`version_for`).
Everything is stored (tables ``model_aliases`` and ``customer_pins``, store migration
0003), so every server worker and every process reading the store routes alike.

>>> from stalwart.store import open_store
>>> registry = ModelRegistry(open_store("sqlite://"), "churn")
>>> for version in ("v1", "v2"):
...     registry.register(version)
>>> registry.promote("v1")  # no champion before
>>> _ = registry.pin("acme", "v1", note="validated its integration on v1")
>>> registry.promote("v2")  # the previous champion
'v1'
>>> registry.version_for("acme"), registry.version_for("globex"), registry.version_for()
('v1', 'v2', 'v2')
>>> registry.versions_for(["acme", "globex"])
{'acme': 'v1', 'globex': 'v2'}
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..exceptions import DataError, ParameterError
from ..store.versions_registry import DOCUMENTED_ALIASES, AliasRecord, PinRecord

__all__ = ["CHAMPION", "DOCUMENTED_ALIASES", "ModelRegistry"]

CHAMPION = "champion"


class ModelRegistry:
    """Versions, aliases and customer pins of ``model`` in ``store`` (a
    :class:`stalwart.store.Store`). The constructor only stores its arguments."""

    def __init__(self, store: Any, model: str) -> None:
        self.store = store
        self.model = model

    # versions
    def register(self, version: str, *, metadata: dict[str, Any] | None = None) -> None:
        """Register ``version`` (again: its metadata is replaced)."""
        self.store.register_version(self.model, version, metadata=metadata)

    def versions(self) -> tuple[str, ...]:
        """The registered versions, in registration order."""
        return tuple(v.version for v in self.store.versions(self.model))

    # aliases
    def set_alias(self, alias: str, version: str, *, by: str | None = None) -> AliasRecord:
        """Point ``alias`` at ``version`` (a registered version; else a DataError and
        nothing changes)."""
        return self.store.set_alias(self.model, alias, version, by=by)

    def alias(self, alias: str) -> str:
        """The version ``alias`` names (a DataError listing the set aliases if unset)."""
        return self.store.alias(self.model, alias).version

    def aliases(self) -> dict[str, str]:
        """alias -> version, by alias name."""
        return {a.alias: a.version for a in self.store.aliases(self.model)}

    def remove_alias(self, alias: str) -> bool:
        """Drop ``alias``; True if it was set."""
        return self.store.delete_alias(self.model, alias)

    def promote(self, version: str, alias: str = CHAMPION, *, by: str | None = None,
                release: Iterable[str] = ("challenger", "shadow")) -> str | None:
        """Make ``version`` the ``alias`` (the champion by default) and drop the aliases in
        ``release`` that named it, in one transaction; returns the previous version of
        ``alias`` (None when it was unset). Pinned customers stay where they are.

        A promotion gate (``stalwart.checks`` promotion suite) belongs before this call:
        the registry records the decision, it does not judge it."""
        return self.store.promote_version(self.model, version, alias=alias, by=by,
                                          release=release)

    # customer pins
    def pin(self, customer: str, version: str, *, by: str | None = None,
            note: str | None = None) -> PinRecord:
        """Keep ``customer`` on ``version`` until unpinned or pinned elsewhere."""
        return self.store.pin_customer(self.model, customer, version, by=by, note=note)

    def unpin(self, customer: str) -> bool:
        """Let ``customer`` follow the champion again; True if it was pinned."""
        return self.store.unpin_customer(self.model, customer)

    def pins(self, *, version: str | None = None) -> dict[str, str]:
        """customer -> pinned version (optionally only the customers on ``version``)."""
        return {p.customer: p.version
                for p in self.store.customer_pins(self.model, version=version)}

    # routing
    def version_for(self, customer: str | None = None) -> str:
        """The version that answers ``customer``: its pin, else the champion."""
        if customer is not None:
            pin = self.store.customer_pin(self.model, _customer(customer))
            if pin is not None:
                return pin.version
        return self._champion([] if customer is None else [customer])

    def versions_for(self, customers: Iterable[Any]) -> dict[str, str]:
        """customer -> answering version for many customers in two queries (their pins,
        then the champion when one of them has no pin)."""
        wanted = sorted({_customer(c) for c in customers})
        out = {p.customer: p.version
               for p in self.store.customer_pins(self.model, customers=wanted)}
        unpinned = [c for c in wanted if c not in out]
        if unpinned:
            champion = self._champion(unpinned)
            out.update(dict.fromkeys(unpinned, champion))
        return out

    def _champion(self, unpinned: list[str]) -> str:
        found = {a.alias: a.version for a in self.store.aliases(self.model)}
        if CHAMPION in found:
            return found[CHAMPION]
        who = (f"customer(s) {', '.join(map(repr, unpinned[:5]))} without a pin"
               if unpinned else "a request without a customer")
        raise DataError(f"version of model {self.model!r} for {who}",
                        expected="a pin for the customer or a 'champion' alias",
                        got=f"neither (aliases set: {', '.join(found) or 'none'})",
                        fix=f"promote a version: ModelRegistry(store, {self.model!r})"
                            ".promote(version)")

    def __repr__(self) -> str:
        return f"ModelRegistry({self.store!r}, {self.model!r})"


def _customer(value: Any) -> str:
    if isinstance(value, str) and value:
        return value
    raise ParameterError("customer", expected="a non-empty string", got=repr(value)[:80],
                         fix="pass the customer's id as text, e.g. str(customer_id)")
