"""Creating, finding and joining neighbourhoods, and managing members' roles."""

from __future__ import annotations

import re
from contextlib import suppress
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from pledgebank.accounts.models import User
from pledgebank.books.audit import record_event
from pledgebank.books.services import open_book
from pledgebank.errors import Conflict, EmailNotVerified, InvalidInput, NotAuthenticated, NotFound
from pledgebank.languages import checked
from pledgebank.neighbourhoods.funds import create_fund
from pledgebank.neighbourhoods.grants_data import grants_data
from pledgebank.neighbourhoods.models import Membership, MembershipRole, Neighbourhood, Role
from pledgebank.policy import Action, require

# UK outward code ("SE15", "M1", "EC1A"); other countries can use any short code of letters and digits.
_DISTRICT = re.compile(r"^[A-Z0-9]{2,8}$")
_SLUG_CHARS = re.compile(r"[^a-z0-9]+")


def normalise_district(raw: str) -> str:
    """Return the postcode district (outward code) from a district or a full postcode."""
    text = " ".join((raw or "").upper().split())
    outward = text.split(" ")[0] if text else ""
    if " " not in text and len(text) >= 5 and text[-3].isdigit():
        outward = text[:-3]  # a full postcode typed without its space, e.g. SE154AB
    if not _DISTRICT.match(outward):
        raise InvalidInput.field(
            "postcode_district", "Enter a postcode district such as SE15, or a full postcode."
        )
    return outward


def _slugify(name: str) -> str:
    return _SLUG_CHARS.sub("-", name.lower()).strip("-")[:60] or "neighbourhood"


def _unique_slug(session: Session, name: str) -> str:
    base = _slugify(name)
    taken = set(session.scalars(select(Neighbourhood.slug).where(Neighbourhood.slug.like(f"{base}%"))))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_neighbourhood(
    session: Session,
    *,
    actor_id: int,
    name: str,
    postcode_district: str,
    description: str,
    currency: str,
    now: datetime,
) -> Neighbourhood:
    """Create a neighbourhood with its general fund and book; the verified creator becomes its chair."""
    clean_name, district, text = _founding_terms(session, actor_id, name, postcode_district, description)
    neighbourhood = Neighbourhood(
        slug=_unique_slug(session, clean_name),
        name=clean_name,
        postcode_district=district,
        description=text,
        currency=currency,
        created_at=now,
        created_by_id=actor_id,
    )
    session.add(neighbourhood)
    membership = Membership(neighbourhood=neighbourhood, user_id=actor_id, joined_at=now)
    membership.role_rows.append(MembershipRole(role=Role.CHAIR.value))
    session.add(membership)
    session.flush()  # ids for the book, the fund and the audit events
    book = open_book(session, neighbourhood=neighbourhood, now=now)
    create_fund(
        session,
        neighbourhood=neighbourhood,
        book=book,
        name="General fund",
        slug="general",
        description="Money not set aside for anything in particular.",
        is_general=True,
        now=now,
    )
    _record_founding(session, neighbourhood, actor_id, now)
    return neighbourhood


def _founding_terms(
    session: Session, actor_id: int, name: str, postcode_district: str, description: str
) -> tuple[str, str, str]:
    """The new neighbourhood's name, district and description, cleaned, once its verified founder is found."""
    user = session.get(User, actor_id)
    if user is None:
        raise NotAuthenticated()
    if not user.is_verified:
        raise EmailNotVerified("Please verify your email address before creating a neighbourhood.")
    clean_name = " ".join((name or "").split())
    if not 3 <= len(clean_name) <= 120:
        raise InvalidInput.field("name", "Give the neighbourhood a name of 3 to 120 characters.")
    district = normalise_district(postcode_district)
    text = (description or "").strip()
    if len(text) > 2000:
        raise InvalidInput.field("description", "Use at most 2000 characters.")
    return clean_name, district, text


def _record_founding(session: Session, neighbourhood: Neighbourhood, actor_id: int, now: datetime) -> None:
    """The audit log's two events: the neighbourhood created, and its founder made chair."""
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=neighbourhood.id,
        action="neighbourhood.created",
        subject=("neighbourhood", neighbourhood.id),
        now=now,
        after={"name": neighbourhood.name, "postcode_district": neighbourhood.postcode_district},
    )
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=neighbourhood.id,
        action="role.granted",
        subject=("user", actor_id),
        now=now,
        before={"roles": []},
        after={"roles": ["chair"]},
    )


def get_neighbourhood(session: Session, slug: str) -> Neighbourhood:
    """Return the neighbourhood with this slug or raise NotFound."""
    neighbourhood = session.scalar(select(Neighbourhood).where(Neighbourhood.slug == slug))
    if neighbourhood is None:
        raise NotFound("There is no neighbourhood at that address.")
    return neighbourhood


def search_neighbourhoods(session: Session, query: str, *, limit: int = 50) -> list[Neighbourhood]:
    """Neighbourhoods whose name contains the words, or whose postcode district matches."""
    text = " ".join((query or "").split())[:100]
    statement = select(Neighbourhood).order_by(Neighbourhood.name).limit(limit)
    if text:
        conditions = [func.lower(Neighbourhood.name).contains(text.lower(), autoescape=True)]
        with suppress(InvalidInput):  # not shaped like a district: search by name only
            conditions.append(Neighbourhood.postcode_district == normalise_district(text))
        statement = statement.where(or_(*conditions))
    return list(session.scalars(statement))


def members_of(session: Session, *, actor_id: int | None, neighbourhood: Neighbourhood) -> list[Membership]:
    """The members with their roles; only members may see them."""
    require(session, actor_id, neighbourhood.id, Action.VIEW_MEMBERS)
    return list(
        session.scalars(
            select(Membership)
            .options(selectinload(Membership.role_rows), selectinload(Membership.user))
            .where(Membership.neighbourhood_id == neighbourhood.id)
            .order_by(Membership.id)
        )
    )


def membership_of(session: Session, *, user_id: int | None, neighbourhood_id: int) -> Membership | None:
    """The user's membership of the neighbourhood, if any."""
    if user_id is None:
        return None
    return session.scalar(
        select(Membership).where(
            Membership.user_id == user_id, Membership.neighbourhood_id == neighbourhood_id
        )
    )


def join_neighbourhood(
    session: Session, *, actor_id: int, neighbourhood: Neighbourhood, now: datetime
) -> Membership:
    """Join as a resident (verified users only)."""
    if membership_of(session, user_id=actor_id, neighbourhood_id=neighbourhood.id) is not None:
        raise Conflict("You are already a member of this neighbourhood.")
    require(session, actor_id, neighbourhood.id, Action.JOIN)
    membership = Membership(neighbourhood_id=neighbourhood.id, user_id=actor_id, joined_at=now)
    session.add(membership)
    session.flush()  # an id for the audit event; also trips the unique constraint on a double submit
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=neighbourhood.id,
        action="member.joined",
        subject=("user", actor_id),
        now=now,
        after={"roles": ["resident"]},
    )
    return membership


def _controller(neighbourhood: Neighbourhood, name: str | None, contact: str | None) -> tuple[str, str]:
    """The data controller's name and contact, tidied; raise InvalidInput naming the field."""
    name = neighbourhood.controller_name if name is None else " ".join(name.split())
    contact = neighbourhood.controller_contact if contact is None else " ".join(contact.split())
    if len(name) > 120:
        raise InvalidInput.field("controller_name", "Use at most 120 characters.")
    if len(contact) > 254:
        raise InvalidInput.field("controller_contact", "Use at most 254 characters.")
    if contact and not name:
        raise InvalidInput.field("controller_name", "Name the group responsible for the data as well.")
    if name and not contact:
        raise InvalidInput.field(
            "controller_contact", "Give an email or postal address where residents can ask about their data."
        )
    return name, contact


# What the settings page changes (and its audit event shows before and after).
_SETTINGS = (
    "description",
    "allow_cash_pledges",
    "pledges_need_approval",
    "collection_window_hours",
    "controller_name",
    "controller_contact",
    "bank_details",
    "area_code",
    "area_name",
    "charity_number",
    "default_language",
)


def update_settings(
    session: Session,
    *,
    actor_id: int,
    neighbourhood: Neighbourhood,
    description: str,
    allow_cash_pledges: bool,
    pledges_need_approval: bool,
    collection_window_hours: int,
    now: datetime,
    controller_name: str | None = None,
    controller_contact: str | None = None,
    bank_details: str | None = None,
    area_code: str | None = None,
    area_name: str | None = None,
    charity_number: str | None = None,
    default_language: str | None = None,
) -> Neighbourhood:
    """Change the neighbourhood's description, pledge settings, bank details, data controller and what
    published grants data says of it (its area and charity number) (chair); audited.

    A controller field, bank details, grants data field or default language left as None keep their value.
    """
    require(session, actor_id, neighbourhood.id, Action.EDIT_NEIGHBOURHOOD)
    text = (description or "").strip()
    if len(text) > 2000:
        raise InvalidInput.field("description", "Use at most 2000 characters.")
    if not 24 <= collection_window_hours <= 144:
        raise InvalidInput.field(
            "collection_window_hours", "Choose between 24 and 144 hours: card holds last about a week."
        )
    controller = _controller(neighbourhood, controller_name, controller_contact)
    published = grants_data(neighbourhood, area_code, area_name, charity_number)
    bank = neighbourhood.bank_details if bank_details is None else bank_details.strip()
    if len(bank) > 300:
        raise InvalidInput.field("bank_details", "Use at most 300 characters.")
    language = neighbourhood.default_language if default_language is None else checked(default_language)
    before = {name: getattr(neighbourhood, name) for name in _SETTINGS}
    neighbourhood.default_language = language
    neighbourhood.description = text
    neighbourhood.allow_cash_pledges = allow_cash_pledges
    neighbourhood.pledges_need_approval = pledges_need_approval
    neighbourhood.collection_window_hours = collection_window_hours
    neighbourhood.controller_name, neighbourhood.controller_contact = controller
    neighbourhood.bank_details = bank
    neighbourhood.area_code, neighbourhood.area_name, neighbourhood.charity_number = published
    after = {name: getattr(neighbourhood, name) for name in _SETTINGS}
    if after != before:
        record_event(
            session,
            actor_id=actor_id,
            neighbourhood_id=neighbourhood.id,
            action="settings.changed",
            subject=("neighbourhood", neighbourhood.id),
            now=now,
            before=before,
            after=after,
        )
    return neighbourhood
