"""The CLI reference in Markdown, made from the commands' own ``--help``.

``python -m stalwart.cli.reference > docs/cli.md`` regenerates the page; a test keeps the
page equal to this output, so the docs cannot drift from the code.
"""

from __future__ import annotations

import click

from .main import cli


def _context(command: click.Command, name: str,
             parent: click.Context | None = None) -> click.Context:
    return click.Context(command, info_name=name, parent=parent, terminal_width=88,
                         max_content_width=88, **({} if parent else cli.context_settings))


def _help(command: click.Command, name: str) -> str:
    root = _context(cli, "stalwart")
    if command is cli:
        return cli.get_help(root)
    return command.get_help(_context(command, name, root))


def render_reference() -> str:
    parts = ["# CLI reference", "",
             "Generated from `--help` by `python -m stalwart.cli.reference`; a test keeps this "
             "page equal to the commands.", "", "## stalwart", "", "```text",
             _help(cli, "stalwart"), "```", ""]
    for name in sorted(cli.commands):
        parts += [f"## stalwart {name}", "", "```text",
                  _help(cli.commands[name], name), "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    print(render_reference(), end="")
