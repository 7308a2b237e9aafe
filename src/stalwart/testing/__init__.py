"""Helpers for users' own test suites: ``assert_passes`` and the pytest plugin.

The plugin (``stalwart.testing.pytest_plugin``) is registered with pytest through the
``pytest11`` entry point, so ``pip install stalwart`` makes the ``stalwart_gate`` fixture
and the ``--stalwart-report-dir`` option available in every project.
"""

from .assertions import assert_passes

__all__ = ["assert_passes"]
