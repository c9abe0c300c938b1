"""Neighbourhoods, their members and roles, and their funds."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pledgebank.accounts.models import User
from pledgebank.db import Base, BigId, UTCDateTime


class Role(StrEnum):
    """Roles a member can hold; every member is a resident, the others are granted by a chair.

    An examiner is not a member: the role comes from an accepted examiner's appointment (see
    `pledgebank.examiners`), read-only and for as long as the appointment lasts.
    """

    RESIDENT = "resident"
    COMMITTEE = "committee"
    TREASURER = "treasurer"
    CHAIR = "chair"
    EXAMINER = "examiner"


class Neighbourhood(Base):
    """A neighbourhood: the unit that owns funds, pledges, levies, grant rounds and a book."""

    __tablename__ = "neighbourhoods"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    postcode_district: Mapped[str] = mapped_column(String(8), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Settings for pledges: may residents pay cash; must the committee approve new pledges; how long the
    # collection window after activation lasts (inside a card hold's lifetime of about a week).
    allow_cash_pledges: Mapped[bool] = mapped_column(default=True)
    pledges_need_approval: Mapped[bool] = mapped_column(default=False)
    collection_window_hours: Mapped[int] = mapped_column(default=72)
    # The data controller for residents' personal data here (the neighbourhood group), named on its privacy
    # notice: who they are and how to reach them about data. Set by the chair; empty until then.
    controller_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    controller_contact: Mapped[str] = mapped_column(String(254), default="", server_default="")
    # Where residents may pay the treasurer by bank transfer; blank when the group takes no transfers.
    bank_details: Mapped[str] = mapped_column(String(300), default="", server_default="")
    # Where the grants made here benefit people, for published grants data: the ONS (GSS) code and name of
    # the area (a ward, say), and the group's own registered charity number; set by the chair, empty until.
    area_code: Mapped[str] = mapped_column(String(9), default="", server_default="")
    area_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    charity_number: Mapped[str] = mapped_column(String(8), default="", server_default="")
    # The language of the neighbourhood's pages for visitors who have chosen none, and of its emails to
    # people who have not chosen ("en", "cy"); empty means the visitor's browser decides, then English.
    default_language: Mapped[str] = mapped_column(String(8), default="", server_default="")

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="neighbourhood", order_by="Membership.id"
    )
    funds: Mapped[list[Fund]] = relationship(back_populates="neighbourhood", order_by="Fund.id")


class Membership(Base):
    """A user's membership of a neighbourhood, with the roles they hold there."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("neighbourhood_id", "user_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime)

    neighbourhood: Mapped[Neighbourhood] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()
    role_rows: Mapped[list[MembershipRole]] = relationship(
        back_populates="membership", cascade="all, delete-orphan", order_by="MembershipRole.role"
    )

    @property
    def roles(self) -> frozenset[Role]:
        """The roles held, always including resident."""
        return frozenset({Role.RESIDENT, *(Role(row.role) for row in self.role_rows)})


class MembershipRole(Base):
    """One role held by one membership (resident is implicit and never stored)."""

    __tablename__ = "membership_roles"

    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(16), primary_key=True)

    membership: Mapped[Membership] = relationship(back_populates="role_rows")


class FundType(StrEnum):
    """The kinds of fund of charity accounting (the Charities SORP).

    Unrestricted is the general fund, spent on anything within the group's aims. Designated money is
    unrestricted money the committee has set aside, and can set free again. Restricted money was given for a
    stated purpose and may be spent only on it. An endowment is capital to be kept, never spent.
    """

    UNRESTRICTED = "unrestricted"
    DESIGNATED = "designated"
    RESTRICTED = "restricted"
    ENDOWMENT = "endowment"


FUND_TYPE_VALUES = "', '".join(t.value for t in FundType)


class Fund(Base):
    """A pot of money inside a neighbourhood's book; every neighbourhood has a general fund.

    The database holds the fund-accounting rules that never bend: the general fund is unrestricted, a
    restricted fund states its purpose, and only a restricted fund carries the "may fund grants" flag (for
    the others it follows from the type).
    """

    __tablename__ = "funds"
    __table_args__ = (
        UniqueConstraint("neighbourhood_id", "slug"),
        CheckConstraint(
            f"fund_type IN ('{FUND_TYPE_VALUES}') AND (NOT is_general OR fund_type = 'unrestricted')",
            name="fund_type",
        ),
        CheckConstraint("fund_type <> 'restricted' OR purpose <> ''", name="purpose"),
        CheckConstraint("fund_type = 'restricted' OR NOT may_fund_grants", name="may_fund_grants"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"))
    slug: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text, default="")
    is_general: Mapped[bool] = mapped_column(default=False)
    fund_type: Mapped[str] = mapped_column(String(16), default=FundType.UNRESTRICTED.value)
    # What restricted money was given for; the donors' words, shown wherever the fund is offered.
    purpose: Mapped[str] = mapped_column(Text, default="")
    # A restricted fund whose purpose is itself to make grants (a small-grants pot given for that).
    may_fund_grants: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    neighbourhood: Mapped[Neighbourhood] = relationship(back_populates="funds")

    @property
    def type(self) -> FundType:
        """The fund's type."""
        return FundType(self.fund_type)

    @property
    def can_fund_grants(self) -> bool:
        """May grant rounds spend this fund? Never an endowment; restricted money only if given for grants."""
        if self.type is FundType.RESTRICTED:
            return bool(self.may_fund_grants)
        return self.type in (FundType.UNRESTRICTED, FundType.DESIGNATED)
