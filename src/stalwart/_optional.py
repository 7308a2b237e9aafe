"""Lazy imports of optional dependencies, with an error that names the extra."""

from __future__ import annotations

import importlib
from types import ModuleType

from .exceptions import MissingExtraError

__all__ = ["require"]


def require(module: str, *, extra: str, purpose: str = "") -> ModuleType:
    """Import ``module`` or raise :class:`MissingExtraError` naming ``extra``.

    >>> require("json", extra="core").__name__
    'json'
    >>> require("no_such_module_xyz", extra="spark")
    Traceback (most recent call last):
    ...
    stalwart.exceptions.MissingExtraError: the optional dependency 'no_such_module_xyz' is needed but is not installed. Fix: pip install 'stalwart[spark]'
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(module, extra=extra, purpose=purpose) from exc
