"""The dashboard over HTTP (no browser): shipped files found by importlib.resources, public
static routes with a strict CSP, and the read routes it draws from (scoped, one library call
each, numbers equal to the library's)."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from stalwart.monitoring import feature_distribution, models_overview, review_queue
from stalwart.service.dashboard import ASSETS, CONTENT_SECURITY_POLICY


def test_static_files_ship_in_the_package():
    folder = resources.files("stalwart.service.dashboard").joinpath("static")
    names = sorted(p.name for p in folder.iterdir() if p.is_file())
    assert names == sorted(ASSETS)
    assert {"index.html", "style.css", "app.js", "charts.js"} <= set(names)
    html = folder.joinpath("index.html").read_text(encoding="utf-8")
    js = "".join(folder.joinpath(n).read_text(encoding="utf-8") for n in names
                 if n.endswith(".js"))
    css = folder.joinpath("style.css").read_text(encoding="utf-8")
    # every module app.js imports (directly or not) ships, and nothing else is imported
    imported = set(re.findall(r'from "\./([\w.]+)"', js))
    assert imported == {n for n in names if n.endswith(".js")} - {"app.js"}
    # no inline script, handler or style attribute (the CSP would block them anyway)
    assert re.findall(r"<script[^>]*>", html) == ['<script type="module" src="static/app.js">']
    assert not re.search(r"\son\w+=|\sstyle=", html)
    # nothing from another origin: the only URL is the SVG namespace name
    urls = re.findall(r"https?://[^\s\"'`)]+", html + js + css)
    assert urls == ["http://www.w3.org/2000/svg"]
    assert ".innerHTML" not in js and "insertAdjacentHTML" not in js and "eval(" not in js
    assert "@import" not in css and "url(" not in css


def test_static_routes_are_public_with_a_strict_csp(shared_client):
    page = shared_client.get("/dashboard/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert csp == CONTENT_SECURITY_POLICY
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    js = shared_client.get("/dashboard/static/app.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert js.content == resources.files("stalwart.service.dashboard").joinpath(
        "static", "app.js").read_bytes()
    assert shared_client.get("/dashboard/static/style.css").headers[
        "content-type"].startswith("text/css")
    for name in ASSETS:  # modules need a JavaScript type, or the browser refuses them
        if name.endswith(".js"):
            assert shared_client.get(f"/dashboard/static/{name}").headers[
                "content-type"] == "text/javascript; charset=utf-8"
    for bad in ("nope.js", "..%2Fapp.js", "index.html"):
        assert shared_client.get(f"/dashboard/static/{bad}").status_code == 404
    moved = shared_client.get("/dashboard", follow_redirects=False)
    assert moved.status_code == 307 and moved.headers["location"] == "/dashboard/"
    paths = shared_client.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if p.startswith("/dashboard")]
    assert {"/api/v1/overview", "/api/v1/models/{model}/distribution",
            "/api/v1/models/{model}/features", "/api/v1/review/queue"} <= set(paths)


@pytest.mark.parametrize("path", ["overview", "models/churn/features",
                                  "models/churn/distribution?feature=x", "review/queue"])
def test_data_routes_need_a_read_token(shared_client, h, path):
    assert shared_client.get(f"/api/v1/{path}").status_code == 401
    assert shared_client.get(f"/api/v1/{path}", headers=h.INGEST).status_code == 403


def _fill(client, h):
    events = [h.event(i, timestamp=f"2026-01-0{1 + i // 40}T{i % 24:02d}:00:00Z",
                      features={"x": float(i % 40) + (30.0 if i >= 40 else 0.0),
                                "c": "red" if i % 3 else "blue"}) for i in range(80)]
    assert client.post("/api/v1/events", json={"events": events},
                       headers=h.INGEST).json()["accepted"] == 80
    store = client.app.state.store
    store.save_monitor("churn-daily", "churn", {"name": "churn-daily", "model": "churn"})
    store.upsert_alert("churn-daily", "drift_share > 0.3", severity="critical")
    store.enqueue_review("e41", "low confidence")
    return store


def test_data_routes_return_the_library_results(client, h):
    store = _fill(client, h)
    overview = client.get("/api/v1/overview", headers=h.READ).json()
    assert overview == models_overview(store).to_dict()
    assert overview["models"][0]["n_events"] == 80
    assert overview["models"][0]["open_alerts"] == {"critical": 1}
    features = client.get("/api/v1/models/churn/features", headers=h.READ).json()
    assert features == {"model": "churn", "features": ["c", "x"]}
    query = {"feature": "x", "start": "2026-01-02", "end": "2026-01-03",
             "reference_start": "2026-01-01", "reference_end": "2026-01-02"}
    dist = client.get("/api/v1/models/churn/distribution", params=query, headers=h.READ)
    assert dist.status_code == 200
    expected = feature_distribution(store, "churn", **query).to_dict()
    assert dist.json() == expected and expected["drifted"] and expected["n_current"] == 40
    queue = client.get("/api/v1/review/queue", headers=h.READ).json()["items"]
    assert queue == [i.to_dict() for i in review_queue(store)]
    assert queue[0]["features"] == {"x": 31.0, "c": "red"}
    assert client.get("/api/v1/review/queue?status=bad", headers=h.READ).status_code == 400


def test_distribution_without_a_reference_says_how_to_fix(client, h):
    _fill(client, h)
    resp = client.get("/api/v1/models/churn/distribution", params={"feature": "x"},
                      headers=h.READ)
    assert resp.status_code == 400
    assert "reference_start" in resp.json()["detail"]
    resp = client.get("/api/v1/models/churn/distribution",
                      params={"feature": "nope", "reference_start": "2026-01-01"},
                      headers=h.READ)
    assert resp.status_code == 400 and "pick from: c, x" in resp.json()["detail"]
