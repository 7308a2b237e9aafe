"""Error responses: every refusal is JSON ``{"detail": ...}`` with a message a client can act on.

- :class:`~stalwart.exceptions.InputError` raised by the store (a bad time, an unknown
  choice) is the client's mistake: 400 with the error's expected / got / fix text.
- :class:`~fastapi.exceptions.RequestValidationError` is FastAPI's 422, made JSON-safe (the
  echoed input may hold inf or NaN, which the default response cannot encode).
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
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from .._json import jsonable
from ..exceptions import InputError

__all__ = ["install_error_handlers", "input_error", "server_error", "validation_error"]

log = logging.getLogger("stalwart.service")


def input_error(request: Request, exc: Exception) -> JSONResponse:
    """400 for an :class:`InputError`: the request was understood but its values are wrong."""
    return JSONResponse({"detail": str(exc), "error": type(exc).__name__}, status_code=400)


def validation_error(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's 422 body without the echoed ``input`` and ``ctx`` (not always JSON-safe)."""
    errors = [{k: v for k, v in err.items() if k not in {"input", "ctx"}}
              for err in getattr(exc, "errors", list)()]
    return JSONResponse({"detail": jsonable(errors)}, status_code=422)


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
    app.add_exception_handler(Exception, server_error)
    return app
