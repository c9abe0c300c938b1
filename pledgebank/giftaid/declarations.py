"""A charity's HMRC reference, and donors' Gift Aid declarations and their cancellations (append-only)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.books.audit import record_event
from pledgebank.errors import Conflict, InvalidInput, NotFound
from pledgebank.giftaid.eligibility import Cover, Scope
from pledgebank.giftaid.models import (
    HOUSE_MAX,
    NAME_MAX,
    TITLE_MAX,
    GiftAidCancellation,
    GiftAidCharity,
    GiftAidDeclaration,
)
from pledgebank.giftaid.wording import fingerprint
from pledgebank.neighbourhoods.models import Neighbourhood
from pledgebank.pledges.models import Pledge, PledgeSignup
from pledgebank.text import _t

# HMRC charity references: one or two letters, then up to five digits (like AB12345 or X1234).
_HMRC_REFERENCE = re.compile(r"[A-Z]{1,2}[0-9]{1,5}")
# A UK postcode: outward code (area, district) and inward code (sector, unit), like S19 2BD or SW1A 1AA.
_POSTCODE = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})")


class NotACharity(Conflict):
    """The neighbourhood has not recorded an HMRC charity reference, so it cannot take Gift Aid."""

    code = "not_a_charity"
    default_message = (
        "This neighbourhood has not recorded an HMRC charity reference, so it cannot claim Gift Aid."
    )


def hmrc_reference(text: str) -> str:
    """The reference in capitals without spaces; InvalidInput (field hmrc_reference) unless it is one."""
    cleaned = re.sub(r"\s+", "", text or "").upper()
    if not _HMRC_REFERENCE.fullmatch(cleaned):
        raise InvalidInput.field(
            "hmrc_reference",
            _t("Give the HMRC charity reference: one or two letters then up to five digits, like AB12345."),
        )
    return cleaned


def uk_postcode(text: str) -> str:
    """The postcode in capitals with one space, as HMRC's schedule wants; InvalidInput unless it is one."""
    found = _POSTCODE.fullmatch(re.sub(r"\s+", "", text or "").upper())
    if found is None:
        raise InvalidInput.field("postcode", _t("Give the postcode of your home address, like S19 2BD."))
    return f"{found.group(1)} {found.group(2)}"


def charity_of(session: Session, neighbourhood_id: int) -> GiftAidCharity | None:
    """The neighbourhood's charity registration, if it has one."""
    return session.scalar(select(GiftAidCharity).where(GiftAidCharity.neighbourhood_id == neighbourhood_id))


def set_charity_reference(
    session: Session, *, actor_id: int, neighbourhood: Neighbourhood, reference: str, now: datetime
) -> GiftAidCharity:
    """Record (or correct) the neighbourhood's HMRC charity reference, in the audit log."""
    cleaned = hmrc_reference(reference)
    charity = charity_of(session, neighbourhood.id)
    before = None if charity is None else {"hmrc_reference": charity.hmrc_reference}
    if charity is None:
        charity = GiftAidCharity(neighbourhood_id=neighbourhood.id, hmrc_reference=cleaned)
        session.add(charity)
    charity.hmrc_reference, charity.recorded_by_id, charity.recorded_at = cleaned, actor_id, now
    session.flush()  # the audit event names the registration's id
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=neighbourhood.id,
        action="settings.changed",
        subject=("giftaid_charity", charity.id),
        now=now,
        before=before,
        after={"hmrc_reference": cleaned},
    )
    return charity


@dataclass(frozen=True, slots=True)
class Donor:
    """A donor's name and home address as they give them on a declaration."""

    title: str
    first_name: str
    last_name: str
    house: str
    postcode: str


def _required(fields: dict[str, list[str]], name: str, value: str, most: int, message: str) -> str:
    cleaned = " ".join((value or "").split())
    if not cleaned:
        fields[name] = [message]
    elif len(cleaned) > most:
        fields[name] = [_t("Use at most %(most)s characters.", most=most)]
    return cleaned


def checked_donor(donor: Donor) -> Donor:
    """The donor's details tidied; InvalidInput naming every field that is missing or too long."""
    fields: dict[str, list[str]] = {}
    title = " ".join((donor.title or "").split())
    if len(title) > TITLE_MAX:
        fields["title"] = [
            _t("Use at most %(most)s characters, like Mr, Mrs, Ms, Dr or Prof.", most=TITLE_MAX)
        ]
    first = _required(
        fields, "first_name", donor.first_name, NAME_MAX, _t("Give your first name or initial.")
    )
    last = _required(fields, "last_name", donor.last_name, NAME_MAX, _t("Give your last name."))
    house = _required(fields, "house", donor.house, HOUSE_MAX, _t("Give your house name or number."))
    try:
        postcode = uk_postcode(donor.postcode)
    except InvalidInput as error:
        fields.update(error.fields)
        postcode = ""
    if fields:
        raise InvalidInput(_t("Some of your details for Gift Aid are missing or not valid."), fields=fields)
    return Donor(title, first, last, house, postcode)


def declare(
    session: Session,
    *,
    user_id: int,
    neighbourhood: Neighbourhood,
    scope: Scope,
    donor: Donor,
    wording: str,
    now: datetime,
    today: date,
    gift_ref: str | None = None,
) -> GiftAidDeclaration:
    """Store a donor's declaration with the exact words they were shown and their fingerprint.

    Raises NotACharity when the neighbourhood has no HMRC reference, InvalidInput for missing details or a
    "this gift" declaration without its gift.
    """
    if charity_of(session, neighbourhood.id) is None:
        raise NotACharity()
    if scope == Scope.THIS_GIFT and not gift_ref:
        raise InvalidInput.field("scope", _t("A declaration for one gift needs the gift it is for."))
    donor = checked_donor(donor)
    declaration = GiftAidDeclaration(
        neighbourhood_id=neighbourhood.id,
        user_id=user_id,
        scope=scope.value,
        gift_ref=gift_ref if scope == Scope.THIS_GIFT else None,
        title=donor.title,
        first_name=donor.first_name,
        last_name=donor.last_name,
        house=donor.house,
        postcode=donor.postcode,
        wording=wording,
        wording_sha256=fingerprint(wording),
        made_on=today,
        created_at=now,
    )
    session.add(declaration)
    session.flush()  # its id, for the page that shows it
    return declaration


def cancel(
    session: Session, *, user_id: int, declaration_id: int, now: datetime, today: date
) -> GiftAidCancellation:
    """Cancel one of the donor's own declarations from today (gifts before today stay covered).

    Raises NotFound for someone else's declaration, Conflict for one already cancelled.
    """
    declaration = session.get(GiftAidDeclaration, declaration_id)
    if declaration is None or declaration.user_id != user_id:
        raise NotFound()
    if declaration.cancellation is not None:
        raise Conflict(_t("This declaration is already cancelled."))
    cancellation = GiftAidCancellation(
        declaration_id=declaration.id, cancelled_on=today, cancelled_by_id=user_id, created_at=now
    )
    session.add(cancellation)
    session.flush()  # a second cancellation at once trips the unique declaration here
    return cancellation


def declarations_of(
    session: Session, *, user_id: int, neighbourhood_id: int | None = None
) -> list[GiftAidDeclaration]:
    """A donor's declarations, newest first (in one neighbourhood, or every one)."""
    query = select(GiftAidDeclaration).where(GiftAidDeclaration.user_id == user_id)
    if neighbourhood_id is not None:
        query = query.where(GiftAidDeclaration.neighbourhood_id == neighbourhood_id)
    return list(session.scalars(query.order_by(GiftAidDeclaration.id.desc())))


def cover_of(declaration: GiftAidDeclaration) -> Cover:
    """The declaration as eligibility sees it."""
    cancelled = declaration.cancellation.cancelled_on if declaration.cancellation else None
    return Cover(
        donor_id=declaration.user_id,
        scope=Scope(declaration.scope),
        made_on=declaration.made_on,
        cancelled_on=cancelled,
        gift_ref=declaration.gift_ref,
    )


def own_gift(
    session: Session, *, user_id: int, neighbourhood_id: int, signup_id: int
) -> tuple[PledgeSignup, Pledge] | None:
    """The person's own pledge in the neighbourhood that a this-gift declaration may name, or None."""
    signup = session.get(PledgeSignup, signup_id)
    pledge = session.get(Pledge, signup.pledge_id) if signup else None
    if (
        signup is None
        or pledge is None
        or signup.user_id != user_id
        or pledge.neighbourhood_id != neighbourhood_id
    ):
        return None
    return signup, pledge
