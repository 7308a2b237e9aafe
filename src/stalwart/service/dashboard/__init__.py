"""The monitoring dashboard: static HTML, CSS and vanilla JavaScript shipped as package data.

The page computes nothing: it draws (as inline SVG) what the ``/api/v1`` routes return, with
the bearer token the user gives it. :func:`asset` reads a shipped file; only the names in
:data:`ASSETS` are served, each with its media type.

>>> sorted(ASSETS)
['app.js', 'index.html', 'style.css']
>>> b"app.js" in asset("index.html") and b"<script>" not in asset("index.html")
True
"""

from __future__ import annotations

from importlib import resources

__all__ = ["ASSETS", "CONTENT_SECURITY_POLICY", "asset"]

#: file name -> media type of everything the dashboard serves
ASSETS = {"index.html": "text/html; charset=utf-8",
          "app.js": "text/javascript; charset=utf-8",
          "style.css": "text/css; charset=utf-8"}

#: no inline script or style, nothing from another origin, no framing
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; "
                           "img-src 'self' data:; connect-src 'self'; object-src 'none'; "
                           "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


def asset(name: str) -> bytes:
    """The bytes of the shipped file ``name`` (a key of :data:`ASSETS`)."""
    if name not in ASSETS:
        raise KeyError(name)
    return resources.files(__name__).joinpath("static", name).read_bytes()
