"""Channels against real local receivers: log, webhook (http.server), e-mail (aiosmtpd)."""

from __future__ import annotations

import email
import logging
import time
from pathlib import Path

import pytest

from stalwart.exceptions import ParameterError
from stalwart.monitoring.alerts import (CHANNELS, AlertEngine, EmailChannel, LogChannel, Rule,
                                        WebhookChannel, channel_from_dict, dispatch)

from .receivers import Receiver, free_port

pytest.importorskip("httpx")


@pytest.fixture
def note():
    engine = AlertEngine([Rule("drift_share", "gt", 0.3, severity="critical", name="drift"),
                          Rule("latency_p95", "gt", 250, severity="warning")])
    _, ev = engine.evaluate({"monitor": "churn", "window_start": "2026-01-01T00:00:00",
                             "window_end": "2026-01-02T00:00:00",
                             "metrics": {"drift_share": 0.45, "latency_p95": 300.0}})
    return ev.notification()


def test_registry_and_config():
    assert CHANNELS.names() == ["email", "log", "webhook"]
    ch = channel_from_dict({"type": "webhook", "url": "http://127.0.0.1:1/x", "retries": 1,
                            "headers": {"Authorization": "Bearer s3cret"}})
    assert isinstance(ch, WebhookChannel) and ch.retries == 1
    assert "s3cret" not in str(ch.to_dict())
    with pytest.raises(ParameterError, match="alert channel 'pager'"):
        channel_from_dict({"type": "pager"})
    with pytest.raises(ParameterError, match="options of channel 'log'"):
        channel_from_dict({"type": "log", "colour": "red"})
    with pytest.raises(ParameterError, match="webhook url"):
        WebhookChannel("ftp://x")
    with pytest.raises(ParameterError, match="email recipients"):
        EmailChannel("127.0.0.1", 25, sender="a@x", recipients="b@x")


def test_log_channel_logs_at_the_severity_level(note, caplog):
    with caplog.at_level(logging.INFO, logger="stalwart.alerts"):
        res = LogChannel().send(note)
    assert res.ok and res.attempts == 1
    [record] = caplog.records
    assert record.levelno == logging.CRITICAL
    assert "[stalwart] CRITICAL churn: 2 alerts fired" in record.getMessage()


def test_webhook_posts_the_notification_json(note):
    with Receiver([200]) as rx:
        res = WebhookChannel(rx.url, headers={"X-Token": "t"}).send(note)
    assert (res.ok, res.attempts, res.status, res.error) == (True, 1, 200, None)
    [req] = rx.requests
    assert req["json"] == note.to_dict()
    assert req["headers"]["X-Token"] == "t"
    assert [a["rule"] for a in req["json"]["fired"]] == ["drift", "latency_p95 > 250"]


def test_webhook_retries_5xx_with_backoff_then_succeeds(note):
    with Receiver([503, 500, 200]) as rx:
        t0 = time.perf_counter()
        res = WebhookChannel(rx.url, retries=3, backoff=0.05).send(note)
        elapsed = time.perf_counter() - t0
    assert (res.ok, res.attempts, res.status) == (True, 3, 200)
    assert len(rx.requests) == 3
    assert all(r["json"] == note.to_dict() for r in rx.requests)
    assert elapsed >= 0.05 + 0.10  # exponential: 0.05 then 0.10


def test_webhook_gives_up_after_retries_on_5xx(note):
    with Receiver([502]) as rx:
        res = WebhookChannel(rx.url, retries=2, backoff=0.0).send(note)
    assert (res.ok, res.attempts, res.status) == (False, 3, 502)
    assert res.error.startswith("HTTP 502") and len(rx.requests) == 3


def test_webhook_does_not_retry_4xx(note):
    with Receiver([400, 200]) as rx:
        res = WebhookChannel(rx.url, retries=3, backoff=0.0).send(note)
    assert (res.ok, res.attempts, res.status) == (False, 1, 400)
    assert len(rx.requests) == 1


def test_webhook_retries_connection_errors(note):
    url = f"http://127.0.0.1:{free_port()}/hook"  # nothing listens there
    res = WebhookChannel(url, retries=2, backoff=0.0, timeout=2).send(note)
    assert (res.ok, res.attempts, res.status) == (False, 3, None)
    assert "ConnectError" in res.error


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    controller_mod = pytest.importorskip("aiosmtpd.controller")
    inbox = _Inbox()
    ctl = controller_mod.Controller(inbox, hostname="127.0.0.1", port=free_port())
    ctl.start()
    try:
        yield inbox, ctl.port
    finally:
        ctl.stop()


def test_email_channel_delivers_subject_and_body(note, smtp_server):
    inbox, port = smtp_server
    ch = EmailChannel("127.0.0.1", port, sender="stalwart@example.com",
                      recipients=["ops@example.com", "ml@example.com"])
    res = ch.send(note)
    assert res.ok and res.error is None, res
    [(sender, rcpts, raw)] = inbox.messages
    assert sender == "stalwart@example.com"
    assert rcpts == ["ops@example.com", "ml@example.com"]
    msg = email.message_from_bytes(raw)
    assert msg["Subject"] == "[stalwart] CRITICAL churn: 2 alerts fired, 0 resolved"
    body = msg.get_payload(decode=True).decode()
    assert "FIRED [critical] drift: drift_share=0.45; fires when > 0.3" in body
    assert "FIRED [warning] latency_p95 > 250: latency_p95=300; fires when > 250" in body
    assert '"monitor": "churn"' in body


def test_email_to_a_closed_port_reports_failure(note):
    ch = EmailChannel("127.0.0.1", free_port(), sender="a@example.com",
                      recipients=["b@example.com"], timeout=2)
    res = ch.send(note)
    assert not res.ok and "ConnectionRefusedError" in res.error


def test_dispatch_sends_everywhere_and_survives_a_broken_channel(note):
    class Broken:
        name = "broken"

        def send(self, notification):
            raise RuntimeError("boom")

    with Receiver([200]) as rx:
        results = dispatch(note, [Broken(), WebhookChannel(rx.url), LogChannel()])
    assert [(r.channel, r.ok) for r in results] == [("broken", False), ("webhook", True),
                                                    ("log", True)]
    assert results[0].error == "RuntimeError: boom"
    assert dispatch(None, [LogChannel()]) == ()


def _self_signed(tmp_path: Path):
    x509 = pytest.importorskip("cryptography.x509")
    import datetime as dt
    import ssl

    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1)
            .not_valid_before(now - dt.timedelta(minutes=1))
            .not_valid_after(now + dt.timedelta(hours=1)).sign(key, hashes.SHA256()))
    (tmp_path / "c.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "k.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(tmp_path / "c.pem", tmp_path / "k.pem")
    return ctx


@pytest.mark.parametrize("password,ok", [("right", True), ("wrong", False)])
def test_email_starttls_and_login(note, tmp_path: Path, password, ok):
    controller_mod = pytest.importorskip("aiosmtpd.controller")
    from aiosmtpd.smtp import AuthResult

    def authenticator(server, session, envelope, mechanism, auth_data):
        good = (auth_data.login, auth_data.password) == (b"bot", b"right")
        return AuthResult(success=good, handled=False)  # not handled: the server sends 535

    inbox = _Inbox()
    ctl = controller_mod.Controller(inbox, hostname="127.0.0.1", port=free_port(),
                                    tls_context=_self_signed(tmp_path), require_starttls=True,
                                    auth_required=True, authenticator=authenticator)
    ctl.start()
    try:
        res = EmailChannel("127.0.0.1", ctl.port, sender="a@example.com",
                           recipients=["b@example.com"], username="bot", password=password,
                           starttls=True, timeout=5).send(note)
    finally:
        ctl.stop()
    assert res.ok is ok
    assert len(inbox.messages) == (1 if ok else 0)
    if not ok:
        assert res.status == 535 and "SMTPAuthenticationError" in res.error
