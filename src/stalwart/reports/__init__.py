"""Renderers: draw a :class:`~stalwart.checks.result.SuiteResult` as text, JSON, HTML or JUnit.

Renderers compute nothing: every number they show was computed by a check and stored in
the result (DESIGN.md, "compute and render apart").
"""

from .html import render_html
from .json import render_json
from .junit import render_junit
from .text import render_text
from .writing import FORMATS, write_report

__all__ = ["FORMATS", "render_html", "render_json", "render_junit", "render_text",
           "write_report"]
