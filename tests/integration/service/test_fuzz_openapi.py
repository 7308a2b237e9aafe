"""Fuzzing every operation of the OpenAPI spec with schemathesis, in process (ASGI), as admin.

Each operation gets schema-valid requests (positive mode: no 5xx, and the responses the spec
declares conform to it) and schema-violating ones (negative mode: no 5xx); operations with
path parameters are fuzzed again with the ids and names of rows that exist, so bodies reach
the store instead of stopping at a 404. Hypothesis is derandomized with a bounded number of
examples, so the run is the same every time and the module stays under a minute; on SQLite
and on PostgreSQL (which refuses text SQLite keeps, such as NUL characters).
"""

from __future__ import annotations

import os

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import (  # noqa: E402
    not_a_server_error,
    response_schema_conformance,
)

from .conftest import ADMIN, TOKENS, event  # noqa: E402


def _frames():
    """Bodies for the binary frames route: real frames, mutated ones and random bytes."""
    import numpy as np
    from hypothesis import strategies as st

    from stalwart.store.frames import encode_frame
    frame = encode_frame([{"model": "churn", "model_version": "1", "id_prefix": "fz",
                           "timestamp": "2026-01-01T00:00:00Z", "latency_ms": 1.0,
                           "features": {"age": np.array([30.0, 41.5])},
                           "outputs": {"prediction": np.array([0, 1])}}])
    mutated = st.tuples(st.integers(0, len(frame) - 1), st.integers(0, 255)).map(
        lambda m: frame[:m[0]] + bytes([m[1]]) + frame[m[0] + 1:])
    return st.one_of(st.just(frame), mutated, st.binary(max_size=200),
                     st.integers(0, len(frame)).map(lambda n: frame[:n]))


def _register_frames() -> None:
    from stalwart.store.frames import FRAME_MEDIA_TYPE
    schemathesis.openapi.media_type(FRAME_MEDIA_TYPE, _frames())


_register_frames()

pytestmark = pytest.mark.slow

EXAMPLES = 12
# rows the seeded store holds, for the second pass over operations with path parameters
EXISTING = {"model": "churn", "name": "m1", "alert_id": 1, "item_id": 1, "escalation_id": 1,
            "alias": "champion", "customer": "acme"}


def _operations() -> list[str]:
    """'METHOD /path' of every operation, from a throwaway app's spec."""
    from stalwart.service import ServiceSettings, create_app
    app = create_app(ServiceSettings(store_url="sqlite://"), tokens={})
    try:
        paths = app.openapi()["paths"]
    finally:
        app.state.store.close()
    return [f"{m.upper()} {p}" for p, ops in sorted(paths.items()) for m in sorted(ops)]


OPERATIONS = _operations()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store_url(request, tmp_path_factory):
    """A module-wide store: a SQLite file, or PostgreSQL in a fresh schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'stalwart.db'}"
        return
    from ..conftest import _pg_reason, pg_schema_url
    reason = _pg_reason()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    with pg_schema_url() as url:
        yield url


@pytest.fixture(scope="module")
def schema(store_url):
    import datetime as dt

    import pandas as pd
    from fastapi.testclient import TestClient

    from stalwart.service import ServiceSettings, create_app
    from stalwart.stats.profile import profile
    app = create_app(ServiceSettings(store_url=store_url), tokens=TOKENS)
    store = app.state.store
    store.ingest_events([event(i) for i in range(40)])
    store.add_labels([{"event_id": f"e{i}", "label": i % 2} for i in range(10)])
    store.save_monitor("m1", "churn", {})
    store.upsert_alert("m1", "accuracy below 0.8")
    for i in range(20, 40):
        store.enqueue_review(f"e{i}", "low confidence")
    store.save_reference("churn", profile(pd.DataFrame({"x": [1.0, 2.0, 3.0]})), name="r")
    store.add_escalation("churn", event_id="e1", severity="high", due_at=dt.timedelta(hours=24))
    store.register_version("churn", "1")
    store.set_alias("churn", "champion", "1")
    store.pin_customer("churn", "acme", "1")
    store.save_rule_set("churn", {"rules": [{"id": "r1", "condition": "x > 5",
                                             "action": "review", "owner": "o", "reason": "r"}]})
    with TestClient(app):  # runs the lifespan; the schema calls the app in process
        yield schemathesis.openapi.from_asgi("/openapi.json", app)


def _run(operation, mode: GenerationMode, **fixed) -> None:
    checks = [not_a_server_error]
    if mode is GenerationMode.POSITIVE:
        checks.append(response_schema_conformance)

    @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate],
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                     HealthCheck.function_scoped_fixture])
    @given(case=operation.as_strategy(generation_mode=mode, **fixed))
    def fuzz(case) -> None:
        response = case.call(headers=ADMIN)
        assert response.status_code < 500, (case.path_parameters, case.query,
                                            repr(case.body)[:500], response.text[:500])
        case.validate_response(response, checks=checks)

    fuzz()


@pytest.mark.parametrize("label", OPERATIONS)
def test_no_operation_answers_5xx_to_fuzzed_requests(schema, label):
    operation = schema.find_operation_by_label(label)
    _run(operation, GenerationMode.POSITIVE)
    if len(operation.path_parameters) + len(operation.query) + len(operation.body):
        _run(operation, GenerationMode.NEGATIVE)  # nothing to break without parameters
    names = [p.name for p in operation.path_parameters]
    if names:
        _run(operation, GenerationMode.POSITIVE,
             path_parameters={n: EXISTING[n] for n in names})


def test_the_spec_covers_every_api_route():
    assert len(OPERATIONS) >= 20
    assert "POST /api/v1/events" in OPERATIONS and "GET /healthz" in OPERATIONS
