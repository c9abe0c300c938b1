"""Asking for alerts (double opt-in), confirming, unsubscribing, and the alert sent when a pledge opens.

An address is never confirmed without its owner's click on the signed link emailed to it; every alert
carries a one-click unsubscribe link (and the List-Unsubscribe header). Nothing here says whether an address
has asked before: the same answer is given either way.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from pledgebank.accounts.tokens import LinkSigner
from pledgebank.alerts.models import AlertDelivery, AlertSubscription
from pledgebank.errors import InvalidInput
from pledgebank.neighbourhoods.models import Neighbourhood
from pledgebank.outbox import Email, send_after_commit
from pledgebank.pledges.models import Pledge
from pledgebank.text import _t

CONFIRM_PURPOSE = "alert-confirm"
CONFIRM_MAX_AGE = 7 * 24 * 60 * 60  # an unconfirmed sign-up is deleted by the retention job after this
FREQUENCIES = {"immediate": "As soon as a pledge opens", "weekly": "A weekly digest"}
_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_district(text: str | None) -> str:
    """'se15' -> 'SE15'; InvalidInput on the district field unless it is a postcode district."""
    district = (text or "").strip().upper().replace(" ", "")
    if not _DISTRICT.match(district):
        raise InvalidInput.field(
            "district", _t("Enter a postcode district, like SE15 (the first half of a postcode).")
        )
    return district


def _address(text: str | None) -> str:
    address = (text or "").strip().lower()
    if len(address) > 254 or not _ADDRESS.match(address):
        raise InvalidInput.field("email", _t("Enter an email address, like name@example.org."))
    return address


def _area(neighbourhood: Neighbourhood | None, district: str | None) -> tuple[str, str]:
    if neighbourhood is not None:
        return f"n:{neighbourhood.id}", neighbourhood.name
    area = normalise_district(district)
    return f"d:{area}", area


def subscribe(
    session: Session,
    *,
    email: str | None,
    neighbourhood: Neighbourhood | None,
    district: str | None,
    frequency: str | None,
    signer: LinkSigner,
    now: datetime,
) -> None:
    """Ask for alerts; a confirmation link is emailed (again, if unconfirmed). Nothing is confirmed here."""
    errors: dict[str, list[str]] = {}
    address = area = ""
    scope = ""
    for check in ("email", "area", "frequency"):
        try:
            if check == "email":
                address = _address(email)
            elif check == "area":
                scope, area = _area(neighbourhood, district)
            elif frequency not in FREQUENCIES:
                raise InvalidInput.field("frequency", _t("Choose how often to hear."))
        except InvalidInput as error:
            errors.update(error.fields or {})
    if errors:
        raise InvalidInput(fields=errors)
    existing = session.scalar(
        select(AlertSubscription).where(AlertSubscription.email == address, AlertSubscription.scope == scope)
    )
    if existing is not None and existing.confirmed_at is not None:
        return  # already receiving them; the answer is the same, so it says nothing about the address
    if existing is None:
        existing = AlertSubscription(
            email=address,
            neighbourhood_id=neighbourhood.id if neighbourhood else None,
            district=None if neighbourhood else scope[2:],
            scope=scope,
            frequency=frequency,
            key=secrets.token_urlsafe(32),
            created_at=now,
        )
        session.add(existing)
        session.flush()
    else:
        existing.frequency = str(frequency)
    token = signer.sign(CONFIRM_PURPOSE, {"s": existing.id, "k": existing.key[:12]}, now)
    send_after_commit(
        session,
        Email(
            address,
            _t("Confirm your alerts about new pledges in %(area)s", area=area),
            "alerts/confirm",
            {"area": area, "token": token, "frequency": FREQUENCIES[existing.frequency].lower()},
        ),
    )


def pending(session: Session, *, token: str, signer: LinkSigner, now: datetime) -> AlertSubscription | None:
    """The subscription a confirm link is for, if the link is genuine and young enough."""
    payload = signer.read(CONFIRM_PURPOSE, token, max_age=CONFIRM_MAX_AGE, now=now)
    if payload is None:
        return None
    found = session.get(AlertSubscription, payload.get("s"))
    if found is None or found.key[:12] != payload.get("k"):
        return None
    return found


def confirm(session: Session, *, token: str, signer: LinkSigner, now: datetime) -> AlertSubscription | None:
    """The owner's click: confirm the subscription (once); None for a bad or stale link."""
    found = pending(session, token=token, signer=signer, now=now)
    if found is not None and found.confirmed_at is None:
        found.confirmed_at = now
    return found


def by_key(session: Session, key: str) -> AlertSubscription | None:
    """The subscription an unsubscribe link names."""
    if not key or len(key) > 64:
        return None
    return session.scalar(select(AlertSubscription).where(AlertSubscription.key == key))


def unsubscribe(session: Session, key: str) -> bool:
    """Forget the subscription (and what was sent to it); False when there was none."""
    found = by_key(session, key)
    if found is None:
        return False
    _delete(session, [found.id])
    return True


def area_name(session: Session, subscription: AlertSubscription) -> str:
    """The neighbourhood's name or the district, for emails and pages."""
    if subscription.neighbourhood_id is not None:
        return session.get_one(Neighbourhood, subscription.neighbourhood_id).name
    return subscription.district or ""


def alert_email(subscription: AlertSubscription, subject: str, template: str, context: dict) -> Email:
    """An alert email with its one-click unsubscribe link, in the body and the List-Unsubscribe header."""
    return Email(
        subscription.email,
        subject,
        template,
        {**context, "unsubscribe_key": subscription.key},
        unsubscribe=("alerts.unsubscribe", {"key": subscription.key}),
    )


def subscribers_for(
    session: Session, neighbourhood: Neighbourhood, frequency: str
) -> list[AlertSubscription]:
    """Confirmed subscriptions to the neighbourhood or its postcode district, one per address."""
    rows = session.scalars(
        select(AlertSubscription)
        .where(
            AlertSubscription.confirmed_at.is_not(None),
            AlertSubscription.frequency == frequency,
            or_(
                AlertSubscription.neighbourhood_id == neighbourhood.id,
                AlertSubscription.district == neighbourhood.postcode_district.upper().replace(" ", ""),
            ),
        )
        .order_by(AlertSubscription.id)
    )
    one_each: dict[str, AlertSubscription] = {}
    for row in rows:
        one_each.setdefault(row.email, row)
    return list(one_each.values())


def pledge_opened(session: Session, pledge: Pledge, *, now: datetime) -> int:
    """Email each immediate subscriber of the pledge's area once about it (after commit); how many."""
    neighbourhood = session.get_one(Neighbourhood, pledge.neighbourhood_id)
    told = 0
    for subscription in subscribers_for(session, neighbourhood, "immediate"):
        already = session.scalar(
            select(AlertDelivery.id).where(
                AlertDelivery.pledge_id == pledge.id,
                AlertDelivery.subscription_id.in_(
                    select(AlertSubscription.id).where(AlertSubscription.email == subscription.email)
                ),
            )
        )
        if already is not None:
            continue
        session.add(AlertDelivery(subscription_id=subscription.id, pledge_id=pledge.id, sent_at=now))
        send_after_commit(
            session,
            alert_email(
                subscription,
                f"A new pledge in {neighbourhood.name}: {pledge.title}",
                "alerts/new_pledge",
                {"area": area_name(session, subscription), "title": pledge.title, "pledge_id": pledge.id},
            ),
        )
        told += 1
    return told


def forget_address(session: Session, email: str) -> int:
    """Delete every subscription of an address (an account closed); how many."""
    ids = list(session.scalars(select(AlertSubscription.id).where(AlertSubscription.email == email.lower())))
    _delete(session, ids)
    return len(ids)


def _delete(session: Session, ids: list[int]) -> None:
    if ids:
        for statement in (
            delete(AlertDelivery).where(AlertDelivery.subscription_id.in_(ids)),
            delete(AlertSubscription).where(AlertSubscription.id.in_(ids)),
        ):
            session.execute(statement.execution_options(synchronize_session=False))


def delete_unconfirmed(session: Session, *, now: datetime) -> int:
    """Sign-ups never confirmed within the link's life: deleted by the retention job; how many."""
    before = now - timedelta(seconds=CONFIRM_MAX_AGE)
    ids = list(
        session.scalars(
            select(AlertSubscription.id).where(
                AlertSubscription.confirmed_at.is_(None), AlertSubscription.created_at < before
            )
        )
    )
    _delete(session, ids)
    return len(ids)
