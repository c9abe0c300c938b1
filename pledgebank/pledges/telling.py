"""Emailing pledgers: one about their own pledge, or every pledger of a pledge at once (by a fan-out job).

Telling everyone (the pledge is on, it succeeded, it failed, news) is one keyed job queued in the unit of
work that decides it: the request holding the pledge's row lock writes one row, whatever the number of
pledgers. The job (`tell_all`, run by a worker) queues the emails a batch at a time, reading each batch's
pledgers and their accounts in one query, outside any lock on the pledge; a batch commits with the fan-out's
progress, so a job run again after failing part-way emails nobody twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from pledgebank.accounts.models import User
from pledgebank.neighbourhoods.reach import reach
from pledgebank.outbox import Email, send_after_commit
from pledgebank.pledges.models import Pledge, PledgeSignup
from pledgebank.pledges.states import ACTIVE, SignupStatus
from pledgebank.tasks.fanout import fan_out
from pledgebank.tasks.queue import enqueue
from pledgebank.text import _t, from_plain, to_plain

TELL_JOB = "pledge-tell"
BATCH = 200  # pledgers read, and emails queued, a transaction
# The treasurer has the pledger's cash for this pledge.
CASH_IN_HAND = frozenset({SignupStatus.CASH_RECEIVED, SignupStatus.CASH_KEPT})


def tell(
    session: Session, signup: PledgeSignup, subject: str, template: str, context: dict | None = None
) -> None:
    """Email one pledger about their pledge (after commit)."""
    user = session.get_one(User, signup.user_id)
    pledge = signup.pledge
    facts = pledger_facts(signup, pledge, reach(session, pledge.neighbourhood_id))
    send_after_commit(session, _email(user, pledge, subject, template, {**facts, **(context or {})}))


def tell_pledgers(
    session: Session,
    pledge: Pledge,
    subject: str,
    template: str,
    context: dict,
    *,
    occasion: str | None = None,
) -> None:
    """Queue one job that emails everyone with an active pledge now (once this unit of work commits).

    `occasion` names what they are told about, once per pledge (the template, unless it can happen more than
    once, like news); telling the same pledgers about the same occasion again is refused by the job's key.
    The people told are those active now, their pledges' own facts read when the emails are queued.
    """
    signups = list(
        session.scalars(
            select(PledgeSignup.id)
            .where(PledgeSignup.pledge_id == pledge.id, PledgeSignup.status.in_([s.value for s in ACTIVE]))
            .order_by(PledgeSignup.id)
        )
    )
    if not signups:
        return
    key = f"pledge-tell:{pledge.id}:{occasion or template}"
    payload = {
        "key": key,
        "pledge": pledge.id,
        "signups": signups,
        "subject": to_plain(subject),  # a marked subject keeps its translation through the queue
        "template": template,
        # The pledge as it is now: the job may run after it has moved on.
        "context": {"pledge_status": pledge.status, **context},
    }
    enqueue(session, TELL_JOB, payload, key=key, neighbourhood_id=pledge.neighbourhood_id)


def tell_all(sessions: sessionmaker[Session], payload: dict[str, Any], *, now: datetime) -> int:
    """The fan-out job: queue the emails of a `tell_pledgers`, a batch a transaction; return how many."""

    def each(session: Session, chunk: list[int]) -> None:
        queue_batch(session, payload, chunk)

    return fan_out(sessions, key=payload["key"], items=payload["signups"], batch=BATCH, each=each, now=now)


def queue_batch(session: Session, payload: dict[str, Any], signup_ids: list[int]) -> None:
    """Queue the emails to one batch of pledgers: their signups and accounts read in one query."""
    pledge = session.get_one(Pledge, payload["pledge"])
    place = reach(session, pledge.neighbourhood_id)
    rows = session.execute(
        select(PledgeSignup, User)
        .join(User, User.id == PledgeSignup.user_id)
        .where(PledgeSignup.id.in_(signup_ids))
        .order_by(PledgeSignup.id)
    ).all()
    for signup, user in rows:
        context = {**pledger_facts(signup, pledge, place), **payload["context"]}
        subject = from_plain(payload["subject"])
        send_after_commit(session, _email(user, pledge, subject, payload["template"], context))


def _email(user: User, pledge: Pledge, subject: str, template: str, context: dict) -> Email:
    return Email(
        user.email,
        _t("%(subject)s: %(title)s", subject=subject, title=pledge.title),
        template,
        {"name": user.display_name, **context},
        neighbourhood_id=pledge.neighbourhood_id,
    )


def pledger_facts(signup: PledgeSignup, pledge: Pledge, place: dict[str, object]) -> dict:
    """What an email to a pledger may say about their pledge, read from its state when the email is asked
    for: whether a card is saved (its last four digits), whether the treasurer has their cash, where the
    pledge has got, and how to reach the neighbourhood (`place`, from `reach`; plain values: emails are
    rendered after commit)."""
    card_saved = signup.method == "card" and signup.payment_method_id is not None
    return {
        "pledge_id": pledge.id,
        "title": pledge.title,
        "amount": signup.amount,
        "currency": pledge.currency,
        "method": signup.method,
        "card_last4": signup.card_last4 if card_saved else None,
        "cash_received": signup.method == "cash" and signup.status in CASH_IN_HAND,
        "needs_action": signup.status == SignupStatus.ACTION_NEEDED,
        "pledge_status": pledge.status,
        "deadline": pledge.deadline,
        "collection_ends_at": pledge.collection_ends_at,
        "reach": place,
    }
