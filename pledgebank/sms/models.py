"""A neighbourhood's text number, pledges' keywords, the phones that text us, and what they sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pledgebank.db import Base, BigId, UTCDateTime


class SmsNumber(Base):
    """The number a neighbourhood's residents text (in E.164 form): one per neighbourhood."""

    __tablename__ = "sms_numbers"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"), unique=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SmsKeyword(Base):
    """A pledge's keyword ("FENCE"), unique among the pledges of its neighbourhood (so of its number)."""

    __tablename__ = "sms_keywords"
    __table_args__ = (UniqueConstraint("neighbourhood_id", "keyword"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"), index=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledges.id"), unique=True)
    keyword: Mapped[str] = mapped_column(String(20))
    set_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SmsPhone(Base):
    """A phone number that has texted us or been added to an account.

    `user_id` is the person who pledges from it once it is verified: a web account that verified the
    number, or else a phone-only person made for it. A code waiting for its reply is kept only as a digest,
    with what it will confirm: a pledge (texted) or an account (added on the web).
    """

    __tablename__ = "sms_phones"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    phone_number: Mapped[str] = mapped_column(String(16), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opted_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    language: Mapped[str | None] = mapped_column(String(8))
    code_digest: Mapped[str | None] = mapped_column(String(64))
    code_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    code_attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    pending_pledge_id: Mapped[int | None] = mapped_column(ForeignKey("pledges.id"))
    # The amount texted with the pledge (PLEDGE FENCE 20), for a pledge with a minimum.
    pending_amount: Mapped[int | None] = mapped_column(BigInteger)
    pending_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Where the person last texted (the number replies come from).
    last_number_id: Mapped[int | None] = mapped_column(ForeignKey("sms_numbers.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SmsInbound(Base):
    """One text received: the provider's message id (unique, so a replayed webhook is handled once) and
    which phone sent it when; the words themselves are not kept."""

    __tablename__ = "sms_inbound"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    provider_message_id: Mapped[str] = mapped_column(String(64), unique=True)
    phone_id: Mapped[int] = mapped_column(ForeignKey("sms_phones.id"), index=True)
    number_id: Mapped[int] = mapped_column(ForeignKey("sms_numbers.id"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class SmsNotice(Base):
    """A text sent once to a pledge's text signers (the threshold reached), so it is never sent twice."""

    __tablename__ = "sms_notices"
    __table_args__ = (UniqueConstraint("pledge_id", "kind"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledges.id"))
    kind: Mapped[str] = mapped_column(String(20))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
