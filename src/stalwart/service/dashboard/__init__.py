"""The monitoring dashboard: static HTML, CSS and vanilla JavaScript shipped as package data.

The page computes nothing: it draws (as inline SVG) what the ``/api/v1`` routes return, with
the bearer token the user gives it. The script is a set of ES modules (``app.js`` imports
the others), which a CSP of ``script-src 'self'`` allows. :func:`asset` reads a shipped file; only the names in
:data:`ASSETS` are served, each with its media type.

>>> sorted(ASSETS)[:3]
['actions.js', 'api.js', 'app.js']
>>> b'type="module" src="static/app.js"' in asset("index.html")
True
"""

from __future__ import annotations

from importlib import resources

__all__ = ["ASSETS", "CONTENT_SECURITY_POLICY", "asset"]

#: file name -> media type of everything the dashboard serves
_JS = "text/javascript; charset=utf-8"
ASSETS = {"index.html": "text/html; charset=utf-8", "style.css": "text/css; charset=utf-8",
          "app.js": _JS, "api.js": _JS, "dom.js": _JS, "charts.js": _JS, "windows.js": _JS,
          "distribution.js": _JS, "actions.js": _JS}

#: no inline script or style, nothing from another origin, no framing
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; "
                           "img-src 'self' data:; connect-src 'self'; object-src 'none'; "
                           "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


def asset(name: str) -> bytes:
    """The bytes of the shipped file ``name`` (a key of :data:`ASSETS`)."""
    if name not in ASSETS:
        raise KeyError(name)
    return resources.files(__name__).joinpath("static", name).read_bytes()
