"""Signed, expiring links (email verification, password reset) and personal API token secrets."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer

VERIFY_PURPOSE = "verify-email"
RESET_PURPOSE = "reset-password"
API_TOKEN_PREFIX = "pbk_"  # noqa: S105 - a label, not a secret


class LinkSigner:
    """Signs small payloads for emailed links; expiry is checked against the injected clock."""

    def __init__(self, secret_key: str) -> None:
        self._secret_key = secret_key

    def sign(self, purpose: str, payload: dict[str, Any], now: datetime) -> str:
        """Return a URL-safe token for payload, stamped with now."""
        return URLSafeSerializer(self._secret_key, salt=purpose).dumps(
            {**payload, "iat": int(now.timestamp())}
        )

    def read(self, purpose: str, token: str, *, max_age: int, now: datetime) -> dict[str, Any] | None:
        """Return the payload if the token is genuine, for this purpose, and younger than max_age seconds."""
        try:
            payload = URLSafeSerializer(self._secret_key, salt=purpose).loads(token)
        except BadSignature:
            return None
        if not isinstance(payload, dict) or not isinstance(payload.get("iat"), int):
            return None
        age = now.timestamp() - payload["iat"]
        if age < -60 or age > max_age:
            return None
        return payload


def password_fingerprint(password_hash: str) -> str:
    """A short digest of the stored hash: a reset link dies once the password changes."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def new_api_token() -> str:
    """A fresh API token secret, shown to the user once."""
    return API_TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_api_token(secret: str) -> str:
    """The digest stored for an API token (the secret has 256 bits of entropy, so no salt is needed)."""
    return hashlib.sha256(secret.encode()).hexdigest()
