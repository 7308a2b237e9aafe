"""The JSON report: exactly ``SuiteResult.to_dict()``, the one format every face shares."""

from __future__ import annotations

from ..checks.result import SuiteResult

__all__ = ["render_json"]


def render_json(result: SuiteResult, *, indent: int | None = 2) -> str:
    """``result`` as JSON text; NaN and infinities are written as ``null``, never ``NaN``.

    ``SuiteResult.from_json`` reads the text back into an equal result.

    >>> from stalwart.checks.result import Status, SuiteResult
    >>> text = render_json(SuiteResult("demo", Status.PASS, (), {"name": "d"}), indent=None)
    >>> text[:48]
    '{"schema_version": "1.0", "suite": "demo", "stat'
    """
    return result.to_json(indent=indent)
