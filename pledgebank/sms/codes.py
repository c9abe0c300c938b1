"""Six-digit codes that prove a person holds a phone: texted to it, kept only as a digest, for 30 minutes
and five tries."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from pledgebank.sms.models import SmsPhone

LIFETIME = timedelta(minutes=30)
TRIES = 5


def _digest(phone: SmsPhone, code: str) -> str:
    return hashlib.sha256(f"{phone.phone_number}:{code}".encode()).hexdigest()


def issue(
    phone: SmsPhone,
    *,
    now: datetime,
    pledge_id: int | None = None,
    user_id: int | None = None,
    amount: int | None = None,
) -> str:
    """A new code for the phone, confirming a texted pledge or the adding of the number to an account."""
    code = f"{secrets.randbelow(1_000_000):06d}"
    phone.code_digest = _digest(phone, code)
    phone.code_expires_at = now + LIFETIME
    phone.code_attempts = 0
    phone.pending_pledge_id, phone.pending_user_id, phone.pending_amount = pledge_id, user_id, amount
    return code


def check(phone: SmsPhone, code: str, *, now: datetime) -> bool:
    """Whether the code is the phone's live one; a wrong try counts, and five end the code."""
    if phone.code_digest is None or phone.code_expires_at is None or phone.code_expires_at <= now:
        return False
    if phone.code_attempts >= TRIES:
        return False
    if hmac.compare_digest(phone.code_digest, _digest(phone, code.strip())):
        return True
    phone.code_attempts += 1
    return False


def clear(phone: SmsPhone) -> None:
    """The code is used: forget it and what it was for."""
    phone.code_digest = phone.code_expires_at = None
    phone.code_attempts = 0
    phone.pending_pledge_id = phone.pending_user_id = phone.pending_amount = None
