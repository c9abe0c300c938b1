"""Registering, verifying, signing in, resetting and changing passwords.

Messages never reveal whether an email address is registered: callers show the same words either way.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from pledgebank.accounts.models import User
from pledgebank.accounts.sessions import forget_signed_out_sessions
from pledgebank.accounts.tokens import RESET_PURPOSE, VERIFY_PURPOSE, LinkSigner, password_fingerprint
from pledgebank.errors import InvalidInput, NotFound
from pledgebank.outbox import Email, send_after_commit
from pledgebank.text import _t

MIN_PASSWORD = 10
MAX_PASSWORD = 128
# The owner of an address hears of registration attempts with it at most this often, so repeated tries
# cannot flood their inbox.
REGISTRATION_NOTICE_INTERVAL = timedelta(hours=1)

_hasher = PasswordHasher()
# Compared against when no user matches, so a missing account takes as long as a wrong password. Made on
# first use: hashing at import would cost every process (CLI, workers) Argon2's memory and time up front.
_dummy_hash: str | None = None


def configure_password_hashing(*, time_cost: int, memory_kib: int) -> None:
    """Set Argon2id's cost (the defaults are Argon2's recommended ones; the test suite lowers them)."""
    global _hasher, _dummy_hash
    if (_hasher.time_cost, _hasher.memory_cost) == (time_cost, memory_kib):
        return
    _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)
    _dummy_hash = None


def _dummy() -> str:
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("not-a-real-password-at-all")
    return _dummy_hash


def normalise_email(raw: str) -> str:
    """Return the address in the form we store (lower-case), or raise InvalidInput on the email field."""
    try:
        return validate_email((raw or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise InvalidInput.field("email", _t("Enter an email address like name@example.com.")) from exc


def check_password_rules(password: str, *, field: str = "password") -> None:
    """Raise InvalidInput unless the password is long enough and not absurdly long."""
    if len(password or "") < MIN_PASSWORD:
        raise InvalidInput.field(field, _t("Use at least %(count)d characters.", count=MIN_PASSWORD))
    if len(password) > MAX_PASSWORD:
        raise InvalidInput.field(field, _t("Use at most %(count)d characters.", count=MAX_PASSWORD))


def _clean_name(raw: str) -> str:
    name = " ".join((raw or "").split())
    if not name:
        raise InvalidInput.field("display_name", _t("Enter the name neighbours will see."))
    if len(name) > 80:
        raise InvalidInput.field("display_name", _t("Use at most %(count)d characters.", count=80))
    return name


def find_user_by_email(session: Session, email: str) -> User | None:
    """Return the user with this (normalised) email, if any."""
    return session.scalar(select(User).where(func.lower(User.email) == email.lower()))


def register(
    session: Session, *, email: str, display_name: str, password: str, now: datetime, signer: LinkSigner
) -> User | None:
    """Create an unverified user and email them a verification link.

    If the address is taken, email its owner instead (at most hourly) and return None; the caller says the
    same either way. Both ways hash the password, so the time taken does not tell them apart either.
    """
    address = normalise_email(email)
    name = _clean_name(display_name)
    check_password_rules(password)
    password_hash = _hasher.hash(password)
    existing = find_user_by_email(session, address)
    if existing is not None:
        if _claim_registration_notice(session, existing.id, now=now):
            send_after_commit(
                session,
                Email(
                    existing.email,
                    _t("Someone tried to register with your address"),
                    "accounts/already_registered",
                ),
            )
        return None
    user = _add_user(session, email=address, display_name=name, password_hash=password_hash, now=now)
    send_verification(session, user, now=now, signer=signer)
    return user


def _claim_registration_notice(session: Session, user_id: int, *, now: datetime) -> bool:
    """Record a notice and return True if the owner may hear of this try now (racing tries send one)."""
    claimed: CursorResult[Any] = session.execute(  # type: ignore[assignment]  # DML answers with a cursor
        update(User)
        .where(
            User.id == user_id,
            or_(
                User.registration_notice_at.is_(None),
                User.registration_notice_at <= now - REGISTRATION_NOTICE_INTERVAL,
            ),
        )
        .values(registration_notice_at=now)
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1


def create_user(
    session: Session, *, email: str, display_name: str, password: str, now: datetime, verified: bool = False
) -> User:
    """Create a user without sending anything (demo data and operators use this)."""
    address = normalise_email(email)
    name = _clean_name(display_name)
    check_password_rules(password)
    return _add_user(
        session,
        email=address,
        display_name=name,
        password_hash=_hasher.hash(password),
        now=now,
        verified=verified,
    )


def _add_user(
    session: Session,
    *,
    email: str,
    display_name: str,
    password_hash: str,
    now: datetime,
    verified: bool = False,
) -> User:
    user = User(
        email=email,
        display_name=display_name,
        password_hash=password_hash,
        created_at=now,
        email_verified_at=now if verified else None,
    )
    session.add(user)
    session.flush()  # an id for links and memberships; also trips the unique email on a race
    return user


def send_verification(session: Session, user: User, *, now: datetime, signer: LinkSigner) -> None:
    """Email a fresh verification link (does nothing for an already verified user)."""
    if user.is_verified:
        return
    token = signer.sign(VERIFY_PURPOSE, {"u": user.id, "e": user.email}, now)
    send_after_commit(
        session,
        Email(
            user.email,
            _t("Confirm your email address"),
            "accounts/verify",
            {"token": token, "name": user.display_name},
        ),
    )


def verify_email(session: Session, *, token: str, now: datetime, signer: LinkSigner, max_age: int) -> User:
    """Mark the user in a genuine, unexpired link as verified; raise NotFound otherwise."""
    payload = signer.read(VERIFY_PURPOSE, token, max_age=max_age, now=now)
    user = session.get(User, payload["u"]) if payload and isinstance(payload.get("u"), int) else None
    if payload is None or user is None or user.email != payload.get("e"):
        raise NotFound(_t("That link is not valid or has expired. Sign in to ask for a new one."))
    if user.email_verified_at is None:
        user.email_verified_at = now
    return user


def authenticate(session: Session, *, email: str, password: str, now: datetime) -> User | None:
    """Return the active user whose email and password match, or None; rehash old-parameter hashes."""
    try:
        address = normalise_email(email)
    except InvalidInput:
        address = ""
    user = find_user_by_email(session, address) if address else None
    if user is None or not user.is_active:
        _verify(_dummy(), password)
        return None
    if not _verify(user.password_hash, password):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login_at = now
    return user


def password_matches(user: User, password: str) -> bool:
    """True if the password is the user's (closing an account asks for it again)."""
    return _verify(user.password_hash, password)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


def request_password_reset(session: Session, *, email: str, now: datetime, signer: LinkSigner) -> None:
    """Email a reset link if the address belongs to an active user; silently do nothing otherwise."""
    try:
        address = normalise_email(email)
    except InvalidInput:
        return
    user = find_user_by_email(session, address)
    if user is None or not user.is_active:
        return
    token = signer.sign(RESET_PURPOSE, {"u": user.id, "p": password_fingerprint(user.password_hash)}, now)
    send_after_commit(
        session,
        Email(
            user.email,
            _t("Reset your password"),
            "accounts/reset",
            {"token": token, "name": user.display_name},
        ),
    )


def user_for_reset_token(
    session: Session, *, token: str, now: datetime, signer: LinkSigner, max_age: int
) -> User:
    """Return the user a reset link belongs to; raise NotFound if it is forged, used or expired."""
    payload = signer.read(RESET_PURPOSE, token, max_age=max_age, now=now)
    user = session.get(User, payload["u"]) if payload and isinstance(payload.get("u"), int) else None
    if (
        payload is None
        or user is None
        or not user.is_active
        or payload.get("p") != password_fingerprint(user.password_hash)
    ):
        raise NotFound(_t("That reset link is not valid, has been used, or has expired. Ask for a new one."))
    return user


def reset_password(
    session: Session, *, token: str, new_password: str, now: datetime, signer: LinkSigner, max_age: int
) -> User:
    """Set a new password from a reset link; following the link also proves the email address."""
    user = user_for_reset_token(session, token=token, now=now, signer=signer, max_age=max_age)
    check_password_rules(new_password)
    user.password_hash = _hasher.hash(new_password)
    if user.email_verified_at is None:
        user.email_verified_at = now
    forget_signed_out_sessions(session, user_id=user.id)  # the new password ends every old session
    send_after_commit(
        session, Email(user.email, _t("Your password was changed"), "accounts/password_changed")
    )
    return user


def change_password(session: Session, *, user_id: int, current_password: str, new_password: str) -> User:
    """Change a signed-in user's password after checking the current one."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound()
    if not _verify(user.password_hash, current_password):
        raise InvalidInput.field("current_password", _t("That is not your current password."))
    check_password_rules(new_password, field="new_password")
    user.password_hash = _hasher.hash(new_password)
    forget_signed_out_sessions(session, user_id=user.id)  # the new password ends every old session
    send_after_commit(
        session, Email(user.email, _t("Your password was changed"), "accounts/password_changed")
    )
    return user


def _tell_password_changed(session: Session, user: User) -> None:
    send_after_commit(
        session, Email(user.email, _t("Your password was changed"), "accounts/password_changed")
    )
