"""Sign-in sessions that the server can end: one browser at a time, or all of a user's at once.

A session id names the user, a fingerprint of their password hash, their session generation and a random key
for this sign-in. It lives in the session cookie and in the remember-me cookie alike, so whatever ends the id
ends both cookies, wherever they were copied:

- changing the password changes the fingerprint (every session of the user ends);
- "sign out everywhere" raises the generation (every session of the user ends);
- signing out records this sign-in's key as signed out (this browser's session ends, others go on).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, exists, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from pledgebank.accounts.models import SignedOutSession, User
from pledgebank.accounts.tokens import password_fingerprint
from pledgebank.inputs import parse_id


@dataclass(frozen=True, slots=True)
class SessionId:
    """The parts of a session id."""

    user_id: int
    fingerprint: str
    generation: int
    key: str

    def __str__(self) -> str:
        """The form stored in cookies."""
        return f"{self.user_id}:{self.fingerprint}:{self.generation}:{self.key}"


def new_session_id(user: User) -> SessionId:
    """A fresh id for a new sign-in of user."""
    return SessionId(
        user.id, password_fingerprint(user.password_hash), user.session_generation, secrets.token_urlsafe(16)
    )


def parse_session_id(raw: str) -> SessionId | None:
    """The parts of a stored id, or None if it is malformed (ids from before generations included)."""
    parts = (raw or "").split(":")
    if len(parts) != 4 or not parts[3]:
        return None
    user_id, generation = parse_id(parts[0]), parts[2]
    if user_id is None or not (generation.isascii() and generation.isdigit() and len(generation) <= 18):
        return None
    return SessionId(user_id, parts[1], int(parts[2]), parts[3])


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def user_for_session(session: Session, session_id: SessionId) -> User | None:
    """The active user a live session id belongs to, or None once the session has been ended."""
    user = session.get(User, session_id.user_id)
    if (
        user is None
        or not user.is_active
        or session_id.generation != user.session_generation
        or not secrets.compare_digest(session_id.fingerprint, password_fingerprint(user.password_hash))
    ):
        return None
    ended = session.scalar(select(exists().where(SignedOutSession.key_hash == _key_hash(session_id.key))))
    return None if ended else user


def sign_out(session: Session, session_id: SessionId, *, now: datetime) -> None:
    """End one sign-in: its session and remember-me cookies stop working, here and wherever copied."""
    # Two requests carrying the same cookie may sign it out at once: the second insert does nothing.
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(SignedOutSession)
        .values(user_id=session_id.user_id, key_hash=_key_hash(session_id.key), signed_out_at=now)
        .on_conflict_do_nothing(index_elements=["key_hash"])
    )


def sign_out_everywhere(session: Session, *, user_id: int) -> None:
    """End every session and remember-me cookie of the user, on every device."""
    # One UPDATE, so two requests at once both raise it rather than one overwriting the other.
    session.execute(
        update(User)
        .where(User.id == user_id)
        .values(session_generation=User.session_generation + 1)
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    forget_signed_out_sessions(session, user_id=user_id)


def forget_signed_out_sessions(session: Session, *, user_id: int) -> None:
    """Drop the user's sign-out records once a new generation or password makes their old ids dead anyway.

    This keeps the records from growing without end (remember-me cookies carry no expiry the server checks).
    """
    session.execute(
        delete(SignedOutSession)
        .where(SignedOutSession.user_id == user_id)
        .execution_options(synchronize_session=False)
    )


def forget_old_sign_outs(session: Session, *, before: datetime) -> int:
    """Drop sign-out records older than `before`; return how many went.

    A sign-out record is what keeps a signed-out id dead, so its owner's session generation is raised first:
    every id the dropped records covered (and the owner's other sign-ins) ends for good, and the owner's
    remaining records are dropped with them, being no longer needed.
    """
    owners = select(SignedOutSession.user_id).where(SignedOutSession.signed_out_at < before).distinct()
    user_ids = list(session.scalars(owners))
    if not user_ids:
        return 0
    session.execute(
        update(User)
        .where(User.id.in_(user_ids))
        .values(session_generation=User.session_generation + 1)
        .execution_options(synchronize_session=False)
    )
    dropped: CursorResult[Any] = session.execute(  # type: ignore[assignment]  # DML answers with a cursor
        delete(SignedOutSession)
        .where(SignedOutSession.user_id.in_(user_ids))
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    return dropped.rowcount
