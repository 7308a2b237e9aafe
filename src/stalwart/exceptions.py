"""One error tree for everything stalwart raises on purpose.

::

    StalwartError
    ├── InputError (ValueError)          bad input from the user: CLI exit code 2
    │   ├── DataError                    unreadable, empty or malformed data
    │   ├── SchemaError                  a column, role or type that does not fit
    │   ├── ParameterError               an option outside its allowed values
    │   ├── ModelError                   a model that cannot do what was asked
    │   └── UnsafeModelError             a pickle/joblib file loaded without trust
    ├── StageError (RuntimeError)        steps called out of order (predict before fit)
    └── MissingExtraError (ImportError)  an optional dependency is not installed

Every :class:`InputError` says what was expected, what was received and how to fix
it, so that a message is useful without a traceback.
"""

from __future__ import annotations

__all__ = [
    "DataError",
    "InputError",
    "MissingExtraError",
    "ModelError",
    "ParameterError",
    "SchemaError",
    "StageError",
    "StalwartError",
    "UnsafeModelError",
]


class StalwartError(Exception):
    """Base class of every error stalwart raises on purpose."""


class InputError(StalwartError, ValueError):
    """Bad input: says what was expected, what was received and how to fix it.

    >>> err = InputError("target column", expected="a column of the data",
    ...                  got="'label'", fix="pass --target with one of: a, b")
    >>> print(err)
    target column: expected a column of the data; got 'label'. Fix: pass --target with one of: a, b
    """

    def __init__(self, what: str, *, expected: str, got: str, fix: str) -> None:
        self.what = what
        self.expected = expected
        self.got = got
        self.fix = fix
        super().__init__(f"{what}: expected {expected}; got {got}. Fix: {fix}")

    def to_dict(self) -> dict[str, str]:
        return {
            "type": type(self).__name__,
            "what": self.what,
            "expected": self.expected,
            "got": self.got,
            "fix": self.fix,
        }


class DataError(InputError):
    """Data that cannot be read or used: empty, unreadable, malformed."""


class SchemaError(InputError):
    """A column, role or type that does not fit the data."""


class ParameterError(InputError):
    """An option outside its allowed values."""


class ModelError(InputError):
    """A model that cannot do what was asked of it (no ``predict``, wrong task...)."""


class UnsafeModelError(InputError):
    """Refusal to load a pickle/joblib file without an explicit opt-in."""


class StageError(StalwartError, RuntimeError):
    """Steps called out of order, such as ``detect`` before ``fit``."""


class MissingExtraError(StalwartError, ImportError):
    """An optional dependency is missing; the message names the extra to install."""

    def __init__(self, module: str, *, extra: str, purpose: str = "") -> None:
        self.module = module
        self.extra = extra
        why = f" for {purpose}" if purpose else ""
        super().__init__(
            f"the optional dependency {module!r} is needed{why} but is not installed. "
            f"Fix: pip install 'stalwart[{extra}]'"
        )
