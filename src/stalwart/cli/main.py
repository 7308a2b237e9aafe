"""Entry point of the ``stalwart`` command."""

from __future__ import annotations

import click

from .._version import __version__
from .audit import audit_command
from .calibrate import calibrate_command
from .card import card_command
from .compare import compare_command
from .demo import demo_command
from .drift import drift_command, profile_command
from .escalate import escalate_command
from .evaluate import evaluate_command
from .explain import explain_command
from .fairness import fairness_command
from .faulttree import faulttree_command
from .inspect import checks_command, model_info_command, schema_command
from .monitor import monitor_command
from .privacy import privacy_command
from .rules import rules_command
from .serve import serve_command
from .stress import stress_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="stalwart")
def cli() -> None:
    """stalwart: test a model before it ships and watch it after.

    Exit codes: 0 passed, 1 a check failed, 2 usage or input error.
    """


for command in (audit_command, calibrate_command, card_command, checks_command, compare_command,
                demo_command, drift_command, escalate_command, evaluate_command, explain_command,
                fairness_command, faulttree_command, model_info_command, monitor_command,
                privacy_command, profile_command, rules_command, schema_command, serve_command,
                stress_command):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="stalwart")
