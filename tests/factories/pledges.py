"""Helpers for pledge tests: a pledge made through the real services, and pledging with test cards."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from functools import cache

import stripe
from argon2 import PasswordHasher
from sqlalchemy import func, or_, select

from pledgebank.accounts.models import User
from pledgebank.books.models import LedgerAccount, LedgerTransaction
from pledgebank.books.verify import check_books
from pledgebank.db import unit_of_work
from pledgebank.jobs import payments_context, run_due
from pledgebank.ledger import chart
from pledgebank.neighbourhoods.roles import grant_role
from pledgebank.neighbourhoods.services import get_neighbourhood, join_neighbourhood
from pledgebank.payments.gateway import TestCard
from pledgebank.pledges import cards, signups
from pledgebank.pledges.models import Pledge, PledgeSignup
from pledgebank.pledges.services import PledgeTerms, create_pledge, get_pledge
from tests.helpers.app import PASSWORD, STRIPE_TEST_KEY, WHEN, add_member, make_neighbourhood

RETURN_URL = "http://localhost/return"
# The restricted fund a pledge made with `terms` opens for itself, its slug taken from the title.
FUND = "mend-the-playground-fence"


def terms(now, **changes) -> PledgeTerms:
    """Terms for a simple pledge: £10 each, 2 people, ten days."""
    values = {
        "fund_slug": None,
        "title": "Mend the playground fence",
        "description": "New posts and panels along the north side of the playground.",
        "amount_kind": "fixed",
        "amount": 1000,
        "target_pledgers": 2,
        "target_amount": None,
        "deadline": now + timedelta(days=10),
        "cap": None,
        "allow_cash": True,
    }
    values.update(changes)
    return PledgeTerms(**values)


@cache
def _password_hash() -> str:
    return PasswordHasher().hash(PASSWORD)


def quick_user(sessions, address: str, name: str) -> int:
    """A verified user who signs in with PASSWORD, without hashing it again (Argon2 is slow on purpose)."""
    with unit_of_work(sessions) as session:
        user = User(
            email=address,
            display_name=name,
            password_hash=_password_hash(),
            created_at=WHEN,
            email_verified_at=WHEN,
        )
        session.add(user)
        session.flush()
        return user.id


def neighbourhood_with(
    sessions, residents: int = 3, *, name: str = "Elm Park", prefix: str = ""
) -> tuple[str, int, list[int]]:
    """A neighbourhood with a chair (also treasurer) and some residents: (slug, chair id, resident ids).

    Their addresses are {prefix}chair@example.org and {prefix}resident{n}@example.org.
    """
    chair = quick_user(sessions, f"{prefix}chair@example.org", "Chair Person")
    slug = make_neighbourhood(sessions, chair, name=name)
    with unit_of_work(sessions) as session:
        grant_role(
            session,
            actor_id=chair,
            neighbourhood=get_neighbourhood(session, slug),
            user_id=chair,
            role="treasurer",
            now=WHEN,
        )
    people = []
    for n in range(residents):
        person = quick_user(sessions, f"{prefix}resident{n}@example.org", f"Resident {n}")
        add_member(sessions, slug, person)
        people.append(person)
    return slug, chair, people


def many_residents(sessions, slug: str, count: int, prefix: str = "neighbour") -> list[int]:
    """Many more residents of the neighbourhood, made in one go: {prefix}{n}@example.org."""
    with unit_of_work(sessions) as session:
        users = [
            User(
                email=f"{prefix}{n}@example.org",
                display_name=f"Neighbour {n}",
                password_hash=_password_hash(),
                created_at=WHEN,
                email_verified_at=WHEN,
            )
            for n in range(count)
        ]
        session.add_all(users)
        session.flush()
        place = get_neighbourhood(session, slug)
        for user in users:
            join_neighbourhood(session, actor_id=user.id, neighbourhood=place, now=WHEN)
        return [user.id for user in users]


def make_pledge(app, slug: str, creator_id: int, **changes) -> int:
    """Create a pledge through the service and return its id."""
    now = app.extensions["pledgebank.clock"].now()
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        neighbourhood = get_neighbourhood(session, slug)
        return create_pledge(
            session, actor_id=creator_id, neighbourhood=neighbourhood, terms=terms(now, **changes), now=now
        ).id


def sign(app, pledge_id: int, user_id: int, *, method: str = "card", amount: int | None = None) -> int:
    """Sign the pledge (no card saved yet) and return the signup id."""
    now = app.extensions["pledgebank.clock"].now()
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        pledge = get_pledge(session, pledge_id)
        return signups.sign(
            session,
            actor_id=user_id,
            pledge=pledge,
            amount=amount,
            method=method,
            card_payments=True,
            now=now,
        ).id


def pledge_with_card(app, pledge_id: int, user_id: int, card: TestCard = TestCard.SUCCEEDS) -> int:
    """Sign and save a test card; return the signup id."""
    signup_id = sign(app, pledge_id, user_id)
    use_card(app, signup_id, user_id, card)
    return signup_id


def pledge_state(app, pledge_id: int) -> str:
    """The pledge's status now."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return session.get(Pledge, pledge_id).status


def signup_state(app, signup_id: int) -> str:
    """The signup's status now."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return session.get(PledgeSignup, signup_id).status


def due(app, **advance) -> dict:
    """Move the clock forward (if asked) and run the due work."""
    if advance:
        app.extensions["pledgebank.clock"].advance(timedelta(**advance))
    return dict(run_due(app))


def balance(app, code: str) -> int:
    """The balance of an account in the (only) book; bank, cash and the like with every fund's share."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        total = session.scalar(
            select(func.sum(LedgerAccount.balance)).where(
                or_(LedgerAccount.code == code, LedgerAccount.code.startswith(code + ":"))
            )
        )
        return int(total or 0)


def assert_books_ok(app) -> None:
    """`ledger verify` over every book: no problem anywhere."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        checks = check_books(session)
        assert checks and all(check.ok for check in checks), [c.problems for c in checks]


def stripe_client(app) -> stripe.StripeClient:
    """The real SDK, pointed at the emulator the app uses (to look behind the app's back)."""
    return stripe.StripeClient(
        STRIPE_TEST_KEY, base_addresses={"api": app.config["STRIPE_API_BASE"]}, max_network_retries=0
    )


def intents(app, signup_id: int | None = None) -> list:
    """Every PaymentIntent in the emulator, or those made for one signup (by their metadata)."""
    listing = stripe_client(app).v1.payment_intents.list(params={"limit": 100})
    found = list(listing.auto_paging_iter())
    if signup_id is None:
        return found
    return [pi for pi in found if pi.to_dict().get("metadata", {}).get("signup") == str(signup_id)]


def intent_statuses(app, signup_id: int) -> list[str]:
    """The statuses of a signup's PaymentIntents, oldest first."""
    return [pi.status for pi in sorted(intents(app, signup_id), key=lambda pi: pi.created)]


def _id(value) -> str:
    return value if isinstance(value, str) else value.id


def captured_in_stripe(app) -> tuple[int, int]:
    """(gross, fees) of every captured payment in the emulator, read from its balance transactions."""
    client = stripe_client(app)
    gross = fees = 0
    for pi in intents(app):
        if pi.status != "succeeded":
            continue
        charge = client.v1.charges.retrieve(_id(pi.latest_charge))
        transaction = client.v1.balance_transactions.retrieve(_id(charge.balance_transaction))
        assert transaction.amount == pi.amount
        gross, fees = gross + transaction.amount, fees + transaction.fee
    return gross, fees


def card_payments_by_signup(app) -> Counter[int]:
    """How many card payments the ledger records for each signup."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        sources = session.scalars(
            select(LedgerTransaction.source).where(LedgerTransaction.kind == "card_payment_received")
        )
        return Counter(int(source["signup"]) for source in sources)


def fees_recorded(app) -> int:
    """Card fees the books record, over every fund."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        total = session.scalar(
            select(func.sum(LedgerAccount.balance)).where(
                LedgerAccount.code.like("expenses:%:fees"), LedgerAccount.type == "expense"
            )
        )
        return int(total or 0)


def assert_ledger_matches_stripe(app) -> int:
    """Card money in the books equals what the emulator captured (gross and fees); return the gross."""
    gross, fees = captured_in_stripe(app)
    clearing = balance(app, chart.STRIPE_CLEARING) or 0
    recorded_fees = fees_recorded(app)
    assert (clearing + recorded_fees, recorded_fees) == (gross, fees)
    assert sum(card_payments_by_signup(app).values()) == sum(pi.status == "succeeded" for pi in intents(app))
    return gross


def _own(app, signup_id: int, user_id: int) -> dict:
    return {"signup_id": signup_id, "user_id": user_id, "now": app.extensions["pledgebank.clock"].now()}


def authenticate_card(app, signup_id: int, user_id: int, *, succeed: bool = True):
    """Pass (or fail) the bank check the emulator asks for while saving a card."""
    own = _own(app, signup_id, user_id)
    return cards.finish_test_authentication(payments_context(app), succeed=succeed, **own)


def authenticate_hold(app, signup_id: int, user_id: int, *, succeed: bool = True):
    """Pass (or fail) the bank check the emulator asks for on a held payment."""
    return cards.authenticate_payment(payments_context(app), succeed=succeed, **_own(app, signup_id, user_id))


def use_card(app, signup_id: int, user_id: int, card: TestCard = TestCard.SUCCEEDS):
    """Save a test card on a signup that is waiting for one; return the setup's outcome."""
    own = _own(app, signup_id, user_id)
    return cards.use_test_card(payments_context(app), card=card, return_url=RETURN_URL, **own)


def replace_card(app, signup_id: int, user_id: int, card: TestCard = TestCard.SUCCEEDS):
    """A pledger whose hold failed starts again with another card."""
    cards.replace_card(payments_context(app), **_own(app, signup_id, user_id))
    return use_card(app, signup_id, user_id, card)


def record_cash(app, signup_id: int, treasurer_id: int, into: str = chart.CASH) -> None:
    """The treasurer records the pledged cash as received."""
    now = app.extensions["pledgebank.clock"].now()
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        signups.record_cash(
            session,
            actor_id=treasurer_id,
            signup_id=signup_id,
            into=into,
            now=now,
            zone=app.config["TIMEZONE"],
        )


def withdraw(app, pledge_id: int, user_id: int) -> None:
    """The pledger withdraws their pledge."""
    now = app.extensions["pledgebank.clock"].now()
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        signups.withdraw(
            session,
            actor_id=user_id,
            pledge=get_pledge(session, pledge_id),
            now=now,
            zone=app.config["TIMEZONE"],
        )


def ledger_kinds(app) -> Counter[str]:
    """How many transactions of each kind the books hold."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return Counter(session.scalars(select(LedgerTransaction.kind)))


def subjects(outbox, address: str) -> list[str]:
    """The subjects of the emails sent to one address, oldest first."""
    return [mail.subject for mail in outbox.to(address)]
