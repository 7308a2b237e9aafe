"""Aliases and customer pins over HTTP (SQLite and PostgreSQL): which version answers whom
(the pin, else the champion), admin-only writes, and a refused write changing nothing."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from stalwart.lifecycle import ModelRegistry
from stalwart.service import ServiceSettings, create_app

from .conftest import ADMIN, INGEST, READ, TOKENS

BASE = "/api/v1/models/churn"


@pytest.fixture
def c(store_url):
    with TestClient(create_app(ServiceSettings(store_url=store_url), tokens=TOKENS)) as client:
        for version in ("v1", "v2", "v3"):
            client.app.state.store.register_version("churn", version)
        yield client


def _served(c, customer: str) -> tuple[int, dict]:
    r = c.get(f"{BASE}/version-for/{customer}", headers=READ)
    return r.status_code, r.json()


def test_aliases_pins_and_the_version_that_serves_each_customer(c):
    status, body = _served(c, "acme")
    assert status == 404 and "champion" in body["detail"]  # no pin, no champion
    r = c.put(f"{BASE}/aliases/champion", json={"version": "v1"}, headers=ADMIN)
    assert r.status_code == 200, r.text
    assert r.json()["version"] == "v1" and r.json()["updated_by"].startswith("token:")
    c.put(f"{BASE}/aliases/challenger", json={"version": "v2"}, headers=ADMIN)
    aliases = c.get(f"{BASE}/aliases", headers=READ).json()["aliases"]
    assert [(a["alias"], a["version"]) for a in aliases] == [("challenger", "v2"),
                                                              ("champion", "v1")]
    pin = c.put(f"{BASE}/pins/acme", json={"version": "v2", "note": "validated on v2"},
                headers=ADMIN).json()
    assert (pin["customer"], pin["version"], pin["note"]) == ("acme", "v2", "validated on v2")
    assert c.get(f"{BASE}/pins/acme", headers=READ).json() == pin
    assert _served(c, "acme") == (200, {"model": "churn", "customer": "acme", "version": "v2",
                                        "source": "pin"})
    assert _served(c, "globex")[1]["version"] == "v1"
    assert _served(c, "globex")[1]["source"] == "champion"
    # the champion moves; the pinned customer stays
    c.put(f"{BASE}/aliases/champion", json={"version": "v3"}, headers=ADMIN)
    assert _served(c, "acme")[1]["version"] == "v2"
    assert _served(c, "globex")[1]["version"] == "v3"
    c.put(f"{BASE}/pins/initech", json={"version": "v1"}, headers=ADMIN)
    pins = c.get(f"{BASE}/pins", headers=READ).json()["pins"]
    assert [(p["customer"], p["version"]) for p in pins] == [("acme", "v2"), ("initech", "v1")]
    only = c.get(f"{BASE}/pins", params={"version": "v1"}, headers=READ).json()["pins"]
    assert [p["customer"] for p in only] == ["initech"]
    # the HTTP answers equal the library's routing on the same store
    registry = ModelRegistry(c.app.state.store, "churn")
    assert registry.versions_for(["acme", "globex", "initech"]) == {
        x: _served(c, x)[1]["version"] for x in ("acme", "globex", "initech")}
    # unpinned, acme follows the champion again; a second unpin is a 404
    assert c.delete(f"{BASE}/pins/acme", headers=ADMIN).json() == {"model": "churn",
                                                                   "unpinned": "acme"}
    assert c.delete(f"{BASE}/pins/acme", headers=ADMIN).status_code == 404
    assert c.get(f"{BASE}/pins/acme", headers=READ).status_code == 404
    assert _served(c, "acme")[1] == {"model": "churn", "customer": "acme", "version": "v3",
                                     "source": "champion"}


def test_an_unregistered_version_is_a_400_and_changes_nothing(c):
    c.put(f"{BASE}/aliases/champion", json={"version": "v1"}, headers=ADMIN)
    c.put(f"{BASE}/pins/acme", json={"version": "v1"}, headers=ADMIN)
    before = (c.get(f"{BASE}/aliases", headers=READ).json(),
              c.get(f"{BASE}/pins", headers=READ).json())
    for path in (f"{BASE}/aliases/champion", f"{BASE}/pins/acme", f"{BASE}/pins/globex"):
        r = c.put(path, json={"version": "v9"}, headers=ADMIN)
        assert r.status_code == 400, r.text
        assert "registered version" in r.json()["detail"] and "'v1'" in r.json()["detail"]
    assert c.put(f"{BASE}/aliases/champion", json={"version": ""},
                 headers=ADMIN).status_code == 422
    after = (c.get(f"{BASE}/aliases", headers=READ).json(),
             c.get(f"{BASE}/pins", headers=READ).json())
    assert after == before


def test_writes_need_admin_and_reads_need_read(c):
    for method, path, body in (("PUT", f"{BASE}/aliases/champion", {"version": "v1"}),
                               ("PUT", f"{BASE}/pins/acme", {"version": "v1"}),
                               ("DELETE", f"{BASE}/pins/acme", None)):
        for headers, status in ((INGEST, 403), (READ, 403), ({}, 401)):
            r = c.request(method, path, json=body, headers=headers)
            assert r.status_code == status, (method, path, r.text)
    for path in (f"{BASE}/aliases", f"{BASE}/pins", f"{BASE}/version-for/acme"):
        assert c.get(path, headers=INGEST).status_code == 403
    assert c.get(f"{BASE}/aliases", headers=READ).json()["aliases"] == []
    assert c.get(f"{BASE}/pins", headers=READ).json()["pins"] == []
