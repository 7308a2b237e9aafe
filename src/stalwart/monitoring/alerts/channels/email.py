"""E-mail channel: send the notification as a plain-text message over SMTP (stdlib).

>>> EmailChannel("127.0.0.1", 25, sender="a@x", recipients=["b@x"]).to_dict()["port"]
25
"""

from __future__ import annotations

import json
import smtplib
from collections.abc import Sequence
from email.message import EmailMessage
from typing import Any

from ....exceptions import ParameterError
from ..notification import Notification
from ..result import ChannelResult

__all__ = ["EmailChannel"]


class EmailChannel:
    name = "email"

    def __init__(self, host: str, port: int = 25, *, sender: str, recipients: Sequence[str],
                 username: str | None = None, password: str | None = None,
                 starttls: bool = False, timeout: float = 10.0) -> None:
        if isinstance(recipients, str) or not recipients or not all(
                isinstance(r, str) and "@" in r for r in recipients):
            raise ParameterError("email recipients", expected="a non-empty list of addresses",
                                 got=repr(recipients), fix="pass recipients=['ops@example.com']")
        if not isinstance(sender, str) or "@" not in sender:
            raise ParameterError("email sender", expected="an e-mail address", got=repr(sender),
                                 fix="pass sender='stalwart@example.com'")
        self.host = host
        self.port = int(port)
        self.sender = sender
        self.recipients = list(recipients)
        self.username = username
        self.password = password
        self.starttls = bool(starttls)
        self.timeout = float(timeout)

    def message(self, notification: Notification) -> EmailMessage:
        msg = EmailMessage()
        msg["Subject"] = notification.subject
        msg["From"] = self.sender
        msg["To"] = ", ".join(self.recipients)
        msg.set_content(notification.text + "\n"
                        + json.dumps(notification.to_dict(), indent=2, sort_keys=True) + "\n")
        return msg

    def send(self, notification: Notification) -> ChannelResult:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.username is not None:
                    smtp.login(self.username, self.password or "")
                refused = smtp.send_message(self.message(notification))
        except (smtplib.SMTPException, OSError) as exc:
            return ChannelResult(channel=self.name, ok=False, attempts=1,
                                 status=getattr(exc, "smtp_code", None),
                                 error=f"{type(exc).__name__}: {exc}",
                                 detail=f"smtp {self.host}:{self.port}")
        return ChannelResult(channel=self.name, ok=not refused, attempts=1,
                             error=f"refused: {sorted(refused)}" if refused else None,
                             detail=f"sent to {len(self.recipients) - len(refused)} recipients")

    def to_dict(self) -> dict[str, Any]:
        # the password is never exported
        return {"type": self.name, "host": self.host, "port": self.port, "sender": self.sender,
                "recipients": list(self.recipients), "username": self.username,
                "starttls": self.starttls, "timeout": self.timeout}
