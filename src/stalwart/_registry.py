"""A small registry: each pluggable family (checks, adapters, ...) keeps one.

Members declare capabilities as plain data; built-ins register exactly like plugins.

>>> reg = Registry("colour")
>>> _ = reg.register("red", object(), warm=True)
>>> reg.names()
['red']
>>> reg.capabilities("red")
{'warm': True}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Generic, TypeVar

from .exceptions import ParameterError

__all__ = ["Registry"]

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, family: str) -> None:
        self.family = family
        self._members: dict[str, T] = {}
        self._caps: dict[str, dict[str, Any]] = {}

    def register(self, name: str, member: T, **capabilities: Any) -> T:
        if name in self._members and self._members[name] is not member:
            raise ParameterError(f"{self.family} name", expected="a name not yet registered",
                                 got=repr(name), fix="choose another name")
        self._members[name] = member
        self._caps[name] = dict(capabilities)
        return member

    def get(self, name: str) -> T:
        try:
            return self._members[name]
        except KeyError:
            raise ParameterError(f"{self.family} {name!r}", expected=f"one of {self.names()}",
                                 got=repr(name), fix=f"pick a registered {self.family}") from None

    def capabilities(self, name: str) -> dict[str, Any]:
        self.get(name)
        return dict(self._caps[name])

    def names(self) -> list[str]:
        return sorted(self._members)

    def __contains__(self, name: object) -> bool:
        return name in self._members

    def __iter__(self) -> Iterator[tuple[str, T]]:
        return iter(sorted(self._members.items()))

    def __len__(self) -> int:
        return len(self._members)
