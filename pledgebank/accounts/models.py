"""Users, their ended sign-ins and their personal API tokens."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pledgebank.db import Base, BigId, UTCDateTime


class TokenScope(StrEnum):
    """What an API token may do."""

    READ = "read"
    READ_WRITE = "read-write"


class User(Base):
    """A person with a login; email is stored lower-cased and unique."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(Text)
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Part of every session id; raising it ends all of the user's sessions and remember-me cookies.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    # When the owner was last told that someone tried to register with their address (at most hourly).
    registration_notice_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when the person closed their account and their personal data was erased (see accounts.erasure).
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The language the person chose for pages and emails ("en", "cy"); empty until they choose.
    language: Mapped[str] = mapped_column(String(8), default="", server_default="")

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", order_by="ApiToken.id")

    @property
    def is_verified(self) -> bool:
        """True once the user has followed their verification link."""
        return self.email_verified_at is not None


class SignedOutSession(Base):
    """A sign-in that was ended by signing out: its session and remember-me cookies no longer work.

    Only a SHA-256 digest of the session's random key is kept.
    """

    __tablename__ = "signed_out_sessions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    signed_out_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ApiToken(Base):
    """A personal API token; only a SHA-256 digest of the secret is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="tokens")

    @property
    def is_active(self) -> bool:
        """True until revoked."""
        return self.revoked_at is None
