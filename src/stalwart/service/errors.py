"""Error responses: every refusal is JSON ``{"detail": ...}`` with a message a client can act on.

- :class:`~stalwart.exceptions.InputError` raised by the store (a bad time, an unknown
  choice) is the client's mistake: 400 with the error's expected / got / fix text.
- :class:`~fastapi.exceptions.RequestValidationError` is FastAPI's 422, made JSON-safe (the
  echoed input may hold inf or NaN, which the default response cannot encode).
- A value the database cannot hold is the client's too: SQLAlchemy's ``DataError`` (a NUL
  character or a lone surrogate in a text PostgreSQL stores, a number out of the column's
  range) and ``OverflowError`` (an integer or a date beyond what the driver converts) are 400
  with the driver's first line, not the SQL. A batch refused this way is refused whole; the
  Python client then splits it until the bad record is alone in its dead-letter file.
- ``RecursionError`` while reading or encoding a request body means a value nested too
  deeply (thousands of levels): 400.
- Anything else is a bug of the server: 500 with the error's type and a reference that is
  logged (the ASGI server logs the traceback right after), never the exception text (it may
  hold SQL or data).

>>> from fastapi import FastAPI
>>> app = install_error_handlers(FastAPI())
>>> [k in app.exception_handlers for k in (InputError, RequestValidationError, Exception)]
[True, True, True]
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from sqlalchemy import exc as sa_exc
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from .._json import jsonable
from ..exceptions import InputError

__all__ = ["install_error_handlers", "input_error", "server_error", "too_deep",
           "unstorable_value", "validation_error"]

log = logging.getLogger("stalwart.service")


def input_error(request: Request, exc: Exception) -> JSONResponse:
    """400 for an :class:`InputError`: the request was understood but its values are wrong."""
    return JSONResponse({"detail": str(exc), "error": type(exc).__name__}, status_code=400)


def validation_error(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's 422 body without the echoed ``input`` and ``ctx`` (not always JSON-safe)."""
    errors = [{k: v for k, v in err.items() if k not in {"input", "ctx"}}
              for err in getattr(exc, "errors", list)()]
    return JSONResponse({"detail": jsonable(errors)}, status_code=422)


def unstorable_value(request: Request, exc: Exception) -> JSONResponse:
    """400 for a value the database (or its driver) cannot hold; the SQL is not echoed."""
    cause = getattr(exc, "orig", None) or exc
    first = (str(cause).splitlines() or [""])[0][:300]
    detail = (f"a value in the request cannot be stored ({type(cause).__name__}: {first}). "
              "Fix: remove NUL characters and unpaired surrogates from strings, and keep "
              "numbers and dates within 64-bit and year 1-9999 ranges")
    return JSONResponse({"detail": detail, "error": type(cause).__name__}, status_code=400)


def too_deep(request: Request, exc: Exception) -> JSONResponse:
    """400 for a body nested deeper than the parser or the store's encoder can follow."""
    return JSONResponse({"detail": "a value in the request is nested too deeply to read or "
                                   "store. Fix: send flatter objects (a few levels)",
                         "error": "RecursionError"}, status_code=400)


def server_error(request: Request, exc: Exception) -> JSONResponse:
    """500 as JSON with a reference to the logged traceback (the message is not echoed)."""
    ref = uuid.uuid4().hex[:12]
    log.error("unhandled %s on %s %s (ref %s)", type(exc).__name__, request.method,
              request.url.path, ref)
    detail = (f"internal server error ({type(exc).__name__}, ref {ref}). Fix: this is a bug "
              "of the server; report it with the ref, the server log has the traceback")
    return JSONResponse({"detail": detail, "error": type(exc).__name__, "ref": ref},
                        status_code=500)


def install_error_handlers(app: FastAPI) -> Any:
    """Register the handlers above on ``app`` and return it."""
    app.add_exception_handler(InputError, input_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(sa_exc.DataError, unstorable_value)
    app.add_exception_handler(OverflowError, unstorable_value)
    app.add_exception_handler(RecursionError, too_deep)
    app.add_exception_handler(Exception, server_error)
    return app
