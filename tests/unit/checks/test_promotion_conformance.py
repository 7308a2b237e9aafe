"""Conformance of the promotion checks: the Check contract of test_conformance.py, which
collects only the checks registered when it is imported, run over the promotion checks."""

from __future__ import annotations

import pytest

from stalwart.checks.promotion import PROMOTION_CHECKS, promotion_suite

from . import test_conformance as conformance

promotion_suite()  # registers every promotion check
NAMES = list(PROMOTION_CHECKS)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("test", [conformance.test_contract,
                                  conformance.test_odd_columns_never_crash,
                                  conformance.test_single_row_never_crashes])
def test_plain_contract(test, name):
    test(name)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("test", [conformance.test_clean_data_passes_without_findings,
                                  conformance.test_missing_needs_skip,
                                  conformance.test_deterministic_and_serialisable])
def test_contract_on_clean_data(test, name, clean_frame):
    test(name, clean_frame)
