"""The dashboard in a real browser: a live server on a seeded SQLite store (three weeks of
events with a drift fault, a monitor run, alerts, review items, a feature named like markup),
driven by headless Chromium over the DevTools protocol on a pipe (``--remote-debugging-pipe``:
no websocket library, no playwright).

Asserted: the charts render (DOM: points and bars match the API; screenshot: the chart area
holds pixels of the series colours), the tables list the stored rows, the hostile name is
text and no script or dialog ran, every request stayed on 127.0.0.1 (other hosts do not
resolve), the token leaves the address bar, a read token's write gets the 403 message and an
admin token's writes reach the store.

Skipped when Chromium is missing, except on CI (``CI`` set), where that is a failure.
"""

from __future__ import annotations

import base64
import fcntl
import importlib.util
import json
import os
import subprocess
import time
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pytest

pytestmark = pytest.mark.browser

HERE = Path(__file__).parent
ADMIN, READ = "tok-admin-0123", "tok-read-012345"
WIDTH, HEIGHT = 1280, 2600
SERIES = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b"]
REF, CUR = "#1f77b4", "#ff7f0e"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_seed = _load("_dashboard_seed", HERE / "_dashboard_seed.py")
HOSTILE = _seed.HOSTILE


class DevTools:
    """Chromium with the DevTools protocol on fds 3 (commands in) and 4 (replies out):
    JSON messages separated by NUL bytes, one flattened session on one page."""

    def __init__(self, chromium, tmp: Path) -> None:
        cmd_r, self._cmd_w = os.pipe()
        self._out_r, out_w = os.pipe()
        # the child's ends move above fd 10, and bash (no preexec_fn, which is unsafe with
        # the server thread running) puts them at 3 and 4 before exec'ing Chromium
        ends = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (cmd_r, out_w)]
        for fd in (cmd_r, out_w):
            os.close(fd)
        args = chromium.argv("--remote-debugging-pipe", f"--user-data-dir={tmp}",
                             "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                             f"--window-size={WIDTH},{HEIGHT}", "--hide-scrollbars",
                             "about:blank")
        script = f'exec "$@" 3<&{ends[0]} 4>&{ends[1]} {ends[0]}<&- {ends[1]}>&-'
        self.proc = subprocess.Popen(["bash", "-c", script, "bash", *args], pass_fds=ends,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for fd in ends:
            os.close(fd)
        self._buf = b""
        self._next = 0
        self.events: list[dict] = []
        try:
            target = self.call("Target.createTarget", url="about:blank")["targetId"]
            self.session = self.call("Target.attachToTarget", targetId=target,
                                     flatten=True)["sessionId"]
            for domain in ("Page", "Runtime", "Network"):
                self.call(f"{domain}.enable", session=True)
            self.call("Emulation.setDeviceMetricsOverride", session=True, width=WIDTH,
                      height=HEIGHT, deviceScaleFactor=1, mobile=False)
        except BaseException:
            self.close()
            raise

    def _read(self) -> dict:
        while b"\0" not in self._buf:
            chunk = os.read(self._out_r, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, *, session: bool = False, **params) -> dict:
        self._next += 1
        msg = {"id": self._next, "method": method, "params": params}
        if session:
            msg["sessionId"] = self.session
        os.write(self._cmd_w, json.dumps(msg).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def js(self, expression: str):
        out = self.call("Runtime.evaluate", session=True, expression=expression,
                        returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in out:
            raise AssertionError(out["exceptionDetails"])
        return out["result"].get("value")

    def wait_for(self, expression: str, limit: float = 60.0):
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            value = self.js(expression)
            if value:
                return value
            time.sleep(0.05)
        raise AssertionError(f"still false after {limit}s: {expression}")

    def open(self, url: str) -> None:
        self.call("Page.navigate", session=True, url=url)
        self.wait_for("document.readyState === 'complete' && "
                      "document.body.getAttribute('aria-busy') === 'false'")

    def screenshot(self, path: Path) -> Path:
        data = self.call("Page.captureScreenshot", session=True, format="png")["data"]
        path.write_bytes(base64.b64decode(data))
        return path

    def requested(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events
                if e.get("method") == "Network.requestWillBeSent"]

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except (RuntimeError, OSError):
            pass
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
        # each end closed once (a second close could hit a number reused by someone else)
        for name in ("_cmd_w", "_out_r"):
            fd = getattr(self, name, None)
            if fd is not None:
                setattr(self, name, None)
                os.close(fd)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from stalwart.service import ServiceSettings, create_app
    from stalwart.store import open_store

    live = _load("_service_conftest", HERE.parent / "service" / "conftest.py")
    url = f"sqlite:///{tmp_path_factory.mktemp('dash') / 'stalwart.db'}"
    store = open_store(url)
    seeded = _seed.seed(store)
    app = create_app(ServiceSettings(store_url=url), store=store,
                     tokens={ADMIN: ["admin"], READ: ["read"]})
    with live.LiveServer(app) as srv:
        srv.store, srv.seeded = store, seeded
        yield srv
    store.close()


@pytest.fixture
def browser(chromium, tmp_path):
    tools = DevTools(chromium, tmp_path / "profile")
    yield tools
    tools.close()
    # whatever the test did, the page threw nothing uncaught (errors are shown, not thrown)
    thrown = [e["params"]["exceptionDetails"] for e in tools.events
              if e.get("method") == "Runtime.exceptionThrown"]
    assert thrown == []


def _api(server, path: str) -> dict:
    import httpx
    resp = httpx.get(f"{server.url}/api/v1/{path}", headers={"Authorization": f"Bearer {READ}"})
    resp.raise_for_status()
    return resp.json()


def _js_number(value: float) -> str:
    """The page's number format: 4 significant digits, as JavaScript prints them."""
    short = float(f"{value:.4g}")
    return str(int(short)) if short.is_integer() else repr(short)


def _hex(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def _pixels(png: Path) -> np.ndarray:
    decoder = _load("_report_browser", HERE / "test_report_browser.py")
    width, height, rgb = decoder._png_rows(png, HEIGHT)
    assert (width, height) == (WIDTH, HEIGHT)
    return rgb


def _count(rgb: np.ndarray, box: dict, colour: str) -> int:
    x0, y0 = max(0, int(box["x"])), max(0, int(box["y"]))
    area = rgb[y0:int(box["y"] + box["height"]), x0:int(box["x"] + box["width"])]
    return int(np.all(area == np.array(_hex(colour)), axis=-1).sum())


VIEW = "monitor=churn-daily&metrics=drift_share,accuracy,latency_p99&model=churn&feature=x" \
       "&start=2026-03-15&end=2026-03-22"
BOX = "(() => { const r = document.querySelector(%r).getBoundingClientRect(); " \
      "return {x: r.x, y: r.y + window.scrollY, width: r.width, height: r.height}; })()"


def test_charts_render_with_the_api_numbers(server, browser, tmp_path):
    browser.open(f"{server.url}/dashboard/?{VIEW}#token={READ}")
    assert "token" not in browser.js("location.href")
    assert browser.js("sessionStorage.getItem('stalwart.dashboard.token')") == READ
    windows = _api(server, "monitors/churn-daily/windows")["windows"]
    assert len(windows) == server.seeded["n_windows"] == 14
    charts = browser.js("[...document.querySelectorAll('#windows-charts svg')].map(s => "
                        "[s.getAttribute('data-metric'), s.querySelectorAll('circle.point')"
                        ".length, s.querySelectorAll('.legend text').length, "
                        "s.querySelectorAll('.axis').length])")
    expected = [[m, sum(w["metrics"].get(m) is not None for w in windows), 1, 2]
                for m in ("drift_share", "accuracy", "latency_p99")]
    assert charts == expected and expected[0][1] == 14
    # the drift fault shows: drift_share is 0 before the drift day and high after it
    ys = browser.js("[...document.querySelectorAll('#windows-charts svg')][0]"
                    ".querySelectorAll('circle.point').length")
    assert ys == 14
    dist = _api(server, "models/churn/distribution?feature=x&start=2026-03-15&end=2026-03-22")
    bars = browser.js("[document.querySelectorAll('#dist-chart rect.bar.ref').length, "
                      "document.querySelectorAll('#dist-chart rect.bar.cur').length]")
    assert bars == [len(dist["reference"]["counts"])] * 2 and bars[0] >= 10
    assert dist["drifted"] and dist["reference_source"] == "profile:default"
    stat = browser.js("document.getElementById('dist-stat').textContent")
    assert "DRIFTED" in stat and "method ks" in stat and "profile:default" in stat
    # the screenshot: series colours inside each chart's box, none on the page background
    rgb = _pixels(browser.screenshot(tmp_path / "dashboard.png"))
    for i, colour in enumerate(SERIES[:3]):
        box = browser.js(BOX % f"#windows-charts figure:nth-child({i + 1}) svg")
        assert _count(rgb, box, colour) > 100, colour
    box = browser.js(BOX % "#dist-chart svg")
    assert _count(rgb, box, REF) > 2000 and _count(rgb, box, CUR) > 2000
    assert tuple(rgb[5, 5]) == (0x14, 0x21, 0x3D)  # the masthead


def test_tables_list_the_stored_rows(server, browser):
    browser.open(f"{server.url}/dashboard/?{VIEW}#token={READ}")
    models = browser.js("[...document.querySelectorAll('#models-table tbody tr')].map(r => "
                        "[...r.cells].map(c => c.textContent))")
    assert [row[:3] for row in models] == [["churn", "1, 2", "1260"], ["fraud", "a", "10"]]
    assert models[0][4] == "churn-daily" and "critical 1" in models[0][5]
    alerts = browser.js("[...document.querySelectorAll('#alerts-table tbody tr')].map(r => "
                        "[r.dataset.alert, r.cells[1].textContent, r.cells[2].textContent, "
                        "r.cells[3].textContent, r.cells[7].textContent])")
    stored = server.store.alerts()
    assert alerts == [[str(a.id), a.severity, a.status, a.rule, str(a.count)] for a in stored]
    assert {a[3] for a in alerts} == {"drift_share > 0.3", "latency_p99 > 60"}
    review = browser.js("[...document.querySelectorAll('#review-table tbody tr')].map(r => "
                        "[r.cells[1].textContent, r.cells[3].textContent])")
    assert review == [[i.event_id, i.reason] for i in server.store.review_items("open")]
    assert len(review) == 3


def test_hostile_feature_name_is_text_and_nothing_leaves_localhost(server, browser):
    view = VIEW.replace("feature=x", "feature=" + quote(HOSTILE, safe=""))
    browser.open(f"{server.url}/dashboard/?{view}#token={READ}")
    assert browser.js("document.getElementById('dist-feature').value") == HOSTILE
    caption = browser.js("document.querySelector('#dist-chart figcaption').textContent")
    assert caption == f"{HOSTILE}: reference vs current"
    assert browser.js("document.querySelectorAll('img').length") == 0
    names = browser.js("[...document.querySelectorAll('#review-table dt')].map(d => "
                       "d.textContent)")
    assert names.count(HOSTILE) == 3
    # the page runs under its CSP: an injected inline script is refused, not run
    refused = browser.js("new Promise(done => { document.addEventListener("
                         "'securitypolicyviolation', e => done(e.effectiveDirective)); "
                         "const s = document.createElement('script'); "
                         "s.textContent = 'window.injected = 1'; document.body.append(s); })")
    assert refused == "script-src-elem" and browser.js("window.injected === undefined")
    events = [e.get("method") for e in browser.events]
    assert "Page.javascriptDialogOpening" not in events
    assert "Runtime.exceptionThrown" not in events
    urls = browser.requested()
    assert any(u.endswith("/dashboard/static/app.js") for u in urls)
    assert any("/api/v1/models/churn/distribution" in u for u in urls)
    assert all(u.startswith(server.url + "/") for u in urls), urls


def test_offline_other_hosts_are_unreachable(server, browser):
    """The browser cannot reach anything but 127.0.0.1, and the page still renders."""
    browser.open(f"{server.url}/dashboard/?{VIEW}#token={READ}")
    failed = browser.js("fetch('http://example.com/').then(() => 'reached', () => 'blocked')")
    assert failed == "blocked"
    assert browser.js("document.querySelectorAll('#windows-charts circle.point').length") > 30


def test_without_token_or_with_a_bad_one_the_form_asks(server, browser):
    browser.open(f"{server.url}/dashboard/")
    assert browser.js("[document.getElementById('token-form').hidden, "
                      "document.getElementById('main').hidden]") == [False, True]
    # a token in a new fragment of the same page is taken too (no reload happens)
    browser.open(f"{server.url}/dashboard/#token=wrong-token")
    message = browser.wait_for("document.getElementById('token-error').textContent")
    assert "token" not in browser.js("location.hash")
    assert "refused the token" in message and "invalid bearer token" in message
    browser.js(f"document.getElementById('token-input').value = {READ!r}; "
               "document.querySelector('#token-form button').click()")
    browser.wait_for("!document.getElementById('main').hidden && "
                     "document.body.getAttribute('aria-busy') === 'false'")
    assert browser.js("document.querySelectorAll('#models-table tbody tr').length") == 2


def test_read_token_writes_get_a_clear_403(server, browser):
    browser.open(f"{server.url}/dashboard/?{VIEW}#token={READ}")
    before = [(a.id, a.status) for a in server.store.alerts()]
    browser.js("document.querySelector('#alerts-table button[data-action=acknowledge]')"
               ".click()")
    message = browser.wait_for("document.getElementById('alerts-message').textContent")
    assert "admin scope" in message and "lacks the 'admin' scope" in message
    assert [(a.id, a.status) for a in server.store.alerts()] == before


def test_admin_token_acknowledges_and_resolves(server, browser):
    browser.open(f"{server.url}/dashboard/?{VIEW}#token={ADMIN}")
    target = server.store.review_items("open")[0]
    alert = browser.js("document.querySelector('#alerts-table tbody tr').dataset.alert")
    browser.js("document.querySelector('#alerts-table button[data-action=acknowledge]')"
               ".click()")
    browser.wait_for(f"document.querySelector('tr[data-alert=\"{alert}\"] .status')"
                     ".textContent === 'acknowledged'")
    assert {a.id: a.status for a in server.store.alerts()}[int(alert)] == "acknowledged"
    browser.js(f"const row = document.querySelector('tr[data-review=\"{target.id}\"]'); "
               "row.querySelector('input').value = '1'; row.querySelector('button').click()")
    browser.wait_for(f"!document.querySelector('tr[data-review=\"{target.id}\"]')")
    done = {i.id: i for i in server.store.review_items(None)}[target.id]
    assert (done.status, done.resolution) == ("resolved", 1)
    labels = server.store.events("churn", start="2026-03-01", end="2026-03-22")
    assert labels.set_index("event_id").loc[target.event_id, "label"] == 1


def test_empty_states_are_readable(server, browser):
    browser.open(f"{server.url}/dashboard/?monitor=fraud-daily#token={READ}")
    assert browser.js("document.getElementById('monitor-select').value") == "fraud-daily"
    texts = browser.js("[...document.querySelectorAll('#windows-charts svg')].map(s => "
                       "s.textContent)")
    assert texts == ["no windows yet"]
    assert browser.js("document.querySelectorAll('#windows-charts circle').length") == 0
    browser.js("const s = document.getElementById('monitor-select'); s.value = 'churn-daily';"
               " s.dispatchEvent(new Event('change'))")
    browser.wait_for("document.querySelectorAll('#windows-charts svg').length > 1")
    browser.js("document.querySelectorAll('#metric-picker input:checked')"
               ".forEach(i => i.click())")
    texts = browser.js("[...document.querySelectorAll('#windows-charts svg')].map(s => "
                       "s.textContent)")
    assert texts == ["no metric chosen: tick one above"]
    assert "metrics" not in browser.js("location.search")


def test_categorical_feature_against_a_reference_period(server, browser):
    browser.open(f"{server.url}/dashboard/?{VIEW.replace('feature=x', 'feature=plan')}"
                 f"#token={READ}")
    browser.js("document.getElementById('dist-ref-start').value = '2026-03-01'; "
               "document.getElementById('dist-ref-end').value = '2026-03-08'; "
               "document.querySelector('#dist-form button[type=submit]').click()")
    browser.wait_for("document.getElementById('dist-stat').textContent.includes('events')")
    dist = _api(server, "models/churn/distribution?feature=plan&start=2026-03-15"
                        "&end=2026-03-22&reference_start=2026-03-01&reference_end=2026-03-08")
    assert dist["kind"] == "categorical" and dist["reference_source"] == "events"
    labels = browser.js("[...document.querySelectorAll('#dist-chart text.category')]"
                        ".map(t => t.textContent)")
    assert labels == dist["reference"]["categories"] and sorted(labels) == ["basic", "pro",
                                                                            "team"]
    bars = browser.js("[...document.querySelectorAll('#dist-chart rect.bar.cur')]"
                      ".map(r => r.querySelector('title').textContent)")
    assert bars == [f"{c}: {n} rows ({_js_number(s)})" for c, n, s in zip(
        labels, dist["current"]["counts"], dist["current"]["shares"])]
    assert "reference_start=2026-03-01" in browser.js("location.search")
    stat = browser.js("document.getElementById('dist-stat').textContent")
    assert "method chi_square" in stat and "DRIFTED" in stat
