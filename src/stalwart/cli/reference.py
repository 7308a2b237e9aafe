"""The CLI reference in Markdown, made from the commands' own ``--help``.

``python -m stalwart.cli.reference > docs/cli.md`` regenerates the page; a test keeps the
page equal to this output, so the docs cannot drift from the code.
"""

from __future__ import annotations

import click

from .main import cli


def _help(command: click.Command, name: str) -> str:
    ctx = click.Context(command, info_name=name, terminal_width=88, max_content_width=88)
    return command.get_help(ctx)


def render_reference() -> str:
    parts = ["# CLI reference", "",
             "Generated from `--help` by `python -m stalwart.cli.reference`; a test keeps this "
             "page equal to the commands.", "", "## stalwart", "", "```text",
             _help(cli, "stalwart"), "```", ""]
    for name in sorted(cli.commands):
        parts += [f"## stalwart {name}", "", "```text",
                  _help(cli.commands[name], f"stalwart {name}"), "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    print(render_reference(), end="")
