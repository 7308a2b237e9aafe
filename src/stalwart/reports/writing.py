"""Write a report to a file atomically: readers see the old file or the new one, never half.

The report is rendered in memory first, then written to a temporary file in the target
folder and moved over the target with :func:`os.replace` (atomic on POSIX and Windows when
both are on one file system). If anything fails, the temporary file is removed.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path

from ..checks.result import SuiteResult
from ..exceptions import ParameterError
from .html import render_html
from .json import render_json
from .junit import render_junit
from .text import render_text

__all__ = ["FORMATS", "write_report", "write_text_atomic"]

_RENDERERS: dict[str, Callable[[SuiteResult], str]] = {
    "text": render_text, "json": render_json, "html": render_html, "junit": render_junit,
}
#: the report formats, in the order the CLI lists them
FORMATS: tuple[str, ...] = tuple(_RENDERERS)


def write_report(result: SuiteResult, path: str | os.PathLike[str], *, format: str) -> Path:
    """Render ``result`` as ``format`` (one of :data:`FORMATS`) and write it to ``path``.

    Parent folders are created. Returns the path written.

    >>> import tempfile
    >>> from stalwart.checks.result import Status, SuiteResult
    >>> folder = tempfile.mkdtemp()
    >>> out = write_report(SuiteResult("demo", Status.PASS, (), {}), f"{folder}/a/r.json",
    ...                    format="json")
    >>> SuiteResult.from_json(out.read_text()).suite
    'demo'
    >>> import shutil; shutil.rmtree(folder)
    """
    renderer = _RENDERERS.get(format)
    if renderer is None:
        raise ParameterError("report format", expected=f"one of {list(FORMATS)}",
                             got=repr(format), fix=f"pass format= one of {', '.join(FORMATS)}")
    return write_text_atomic(path, renderer(result))


def write_text_atomic(path: str | os.PathLike[str], content: str) -> Path:
    """Write ``content`` (ending it with a newline) to ``path`` atomically; return the path."""
    if not content.endswith("\n"):
        content += "\n"
    target = Path(path)
    if target.is_dir():
        raise ParameterError("report path", expected="a file path", got=f"the folder {target}",
                             fix="add a file name, e.g. report.html")
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    # os.open with mode 0o666 honours the umask, as a plain open() would
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return target
