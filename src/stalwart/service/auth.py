"""Bearer tokens with scopes ``ingest``, ``read`` and ``admin`` (admin implies the others).

Tokens come from a JSON file ``{"<token>": ["ingest"], ...}``, a mapping passed in code, or the
environment variable ``STALWART_TOKENS`` holding the same JSON. Every lookup compares the
presented token against every known token with :func:`hmac.compare_digest`, so the time taken
does not tell how much of a token was right. There are no anonymous writes: a request without
a valid token gets 401, a valid token without the scope gets 403.

>>> tokens = TokenSet({"s3cret": ["read"], "root": ["admin"]})
>>> tokens.scopes("s3cret"), tokens.allows("root", "ingest"), tokens.allows("s3cret", "ingest")
(frozenset({'read'}), True, False)
>>> tokens.scopes("nope") is None
True
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..exceptions import ParameterError

__all__ = ["ENV_VAR", "SCOPES", "TokenSet", "load_tokens"]

SCOPES = ("ingest", "read", "admin")
ENV_VAR = "STALWART_TOKENS"
MIN_TOKEN_LENGTH = 4


class TokenSet:
    """Known tokens and their scopes; ``scopes(token)`` is None for an unknown token."""

    def __init__(self, tokens: Mapping[str, Any] | None = None) -> None:
        self._tokens: list[tuple[bytes, frozenset[str]]] = []
        for token, scopes in (tokens or {}).items():
            if not isinstance(token, str) or len(token) < MIN_TOKEN_LENGTH:
                raise ParameterError("token", expected=f"a string of at least "
                                     f"{MIN_TOKEN_LENGTH} characters", got=_shape(token),
                                     fix="use a long random token (secrets.token_urlsafe())")
            if isinstance(scopes, str):
                scopes = [scopes]
            bad = [s for s in scopes if s not in SCOPES] if isinstance(scopes, list) else scopes
            if not isinstance(scopes, list) or bad or not scopes:
                raise ParameterError("token scopes", expected="a non-empty list of "
                                     + ", ".join(SCOPES), got=repr(scopes),
                                     fix='write e.g. {"<token>": ["ingest", "read"]}')
            self._tokens.append((token.encode(), frozenset(scopes)))

    def __len__(self) -> int:
        return len(self._tokens)

    def scopes(self, token: str | None) -> frozenset[str] | None:
        """The scopes of ``token``, comparing against every known token in constant time."""
        if not token:
            return None
        given = token.encode()
        found: frozenset[str] | None = None
        for known, scopes in self._tokens:
            if hmac.compare_digest(known, given):  # no early exit: same work for any token
                found = scopes
        return found

    def allows(self, token: str | None, scope: str) -> bool:
        scopes = self.scopes(token)
        return scopes is not None and (scope in scopes or "admin" in scopes)

    @staticmethod
    def principal(token: str) -> str:
        """A name for logs and review resolutions that does not reveal the token."""
        return "token:" + hashlib.sha256(token.encode()).hexdigest()[:12]


def _shape(token: Any) -> str:
    """What was wrong with a token, without echoing it."""
    if isinstance(token, str):
        return f"a string of {len(token)} characters"
    return type(token).__name__


def load_tokens(path: str | Path | None = None, *,
                environ: Mapping[str, str] | None = None) -> TokenSet:
    """Tokens from the JSON file ``path``, else from ``$STALWART_TOKENS``, else none."""
    if path is not None:
        try:
            raw = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ParameterError("token file", expected="a readable JSON file", got=str(path),
                                 fix=f"check the path ({exc.strerror})") from None
        source = str(path)
    else:
        raw = (os.environ if environ is None else environ).get(ENV_VAR)
        if raw is None:
            return TokenSet()
        source = ENV_VAR
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ParameterError(f"tokens in {source}", expected='JSON {"<token>": ["ingest"]}',
                             got=f"invalid JSON ({exc.msg})", fix="fix the JSON") from None
    if not isinstance(data, dict):
        raise ParameterError(f"tokens in {source}", expected='a JSON object {"<token>": [...]}',
                             got=type(data).__name__, fix="map each token to its scopes")
    return TokenSet(data)
