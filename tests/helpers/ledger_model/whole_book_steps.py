"""The steps of the whole-book model, each done through the services the app's pages, jobs and webhook
handlers call: a pledge run from signing to its outcome, a levy started, a grant round's award, a
treasurer's entry, and the refund and dispute movements a webhook books from what Stripe reports."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select

from pledgebank.books.models import LedgerTransaction
from pledgebank.books.treasurer_checks import EntryTerms
from pledgebank.clock import local_date
from pledgebank.db import unit_of_work
from pledgebank.grants import applications, decisions, reviews, rounds
from pledgebank.grants.applications import ApplicationTerms
from pledgebank.grants.rounds import RoundTerms
from pledgebank.jobs import payments_context, run_due
from pledgebank.levies import households
from pledgebank.levies import services as levies
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.payments.gateway import BalanceTransaction, Dispute, Refund, TestCard
from pledgebank.payments.refund_books import CardPayment, card_payment, post_dispute_movement, post_refund
from pledgebank.pledges import cards, signups
from pledgebank.pledges.services import PledgeTerms, create_pledge, get_pledge
from tests.helpers.ledger_model.whole_book_support import World


def _now(app):
    return app.extensions["pledgebank.clock"].now()


def _today(app):
    return local_date(_now(app), app.config["TIMEZONE"])


def later(app, **delta) -> None:
    """Time passes, and `run-due` does what has fallen due."""
    app.extensions["pledgebank.clock"].advance(timedelta(**delta))
    run_due(app)


def start_pledge(session, app, w: World, *, fund: str, amount: int):
    """Start a pledge into the fund, as the chair, without anyone signing it."""
    terms = PledgeTerms(
        fund_slug=fund,
        title="Mend the playground fence",
        description="New posts and panels along the north side of the playground.",
        amount_kind="fixed",
        amount=amount,
        target_pledgers=1,
        target_amount=None,
        deadline=_now(app) + timedelta(days=10),
        cap=None,
        allow_cash=True,
    )
    return create_pledge(
        session,
        actor_id=w.chair,
        neighbourhood=get_neighbourhood(session, w.slug),
        terms=terms,
        now=_now(app),
    )


def run_pledge(
    app, w: World, *, fund: str, amount: int, by_card: int, in_cash: int, succeeds: bool, into: str
):
    """A pledge to the fund signed by residents with a saved card or cash the treasurer records; it meets
    its target (cards held, then captured when the collection window ends, cash kept) or its deadline passes
    first (nobody charged, cash handed back)."""
    sessions, zone, now = app.extensions["pledgebank.sessions"], app.config["TIMEZONE"], _now(app)
    terms = PledgeTerms(
        fund_slug=fund,
        title="Mend the playground fence",
        description="New posts and panels along the north side of the playground.",
        amount_kind="fixed",
        amount=amount,
        target_pledgers=by_card + in_cash + (0 if succeeds else 1),
        target_amount=None,
        deadline=now + timedelta(days=10),
        cap=None,
        allow_cash=True,
    )
    with unit_of_work(sessions) as session:
        place = get_neighbourhood(session, w.slug)
        pledge_id = create_pledge(session, actor_id=w.chair, neighbourhood=place, terms=terms, now=now).id
    for person, method in zip(w.residents, ["card"] * by_card + ["cash"] * in_cash, strict=False):
        with unit_of_work(sessions) as session:
            pledge = get_pledge(session, pledge_id)
            signup = signups.sign(
                session,
                actor_id=person,
                pledge=pledge,
                amount=None,
                method=method,
                card_payments=True,
                now=now,
            ).id
        if method == "card":
            setup = cards.use_test_card(
                payments_context(app),
                signup_id=signup,
                user_id=person,
                card=TestCard.SUCCEEDS,
                return_url="http://localhost/return",
                now=now,
            )
            assert setup.status == "saved", setup
        else:
            with unit_of_work(sessions) as session:
                signups.record_cash(
                    session, actor_id=w.treasurer, signup_id=signup, into=into, now=now, zone=zone
                )
    run_due(app)  # holds placed on the saved cards
    later(app, **({"hours": 73} if succeeds else {"days": 11}))


def refund_of(payment: CardPayment, amount: int, created: int) -> Refund:
    """A succeeded refund of part of a card payment, as the gateway reports one."""
    return Refund(
        id=f"re_{secrets.token_hex(8)}",
        charge_id=payment.charge_id,
        payment_intent_id=payment.payment_intent_id,
        amount=amount,
        currency=payment.currency,
        status="succeeded",
        created=created,
    )


def dispute_of(payment: CardPayment, fee: int, won: bool, created: int) -> Dispute:
    """A dispute of what is left of a card payment: the withdrawal with its fee, and if won the return."""
    dispute_id = f"du_{secrets.token_hex(8)}"

    def movement(name: str, amount: int, fee: int) -> BalanceTransaction:
        currency = payment.currency
        return BalanceTransaction(
            f"txn_{name}_{dispute_id}", "adjustment", dispute_id, amount, fee, amount - fee, currency, created
        )

    moves = [movement("withdrawn", -payment.left, fee)]
    if won:
        moves.append(movement("reinstated", payment.left, 0))
    status = "won" if won else "lost"
    return Dispute(dispute_id, payment.charge_id, payment.left, payment.currency, status, tuple(moves))


def book_stripe_news(app, payment: CardPayment, refund: Refund | None, dispute: Dispute | None) -> None:
    """What the refund and dispute webhook handler books once it has Stripe's objects (sync_payment)."""
    zone, now = app.config["TIMEZONE"], _now(app)
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        found = card_payment(session, payment.payment_intent_id)
        if refund is not None:
            post_refund(session, found, refund, now=now, zone=zone)
        for move in dispute.movements if dispute is not None else ():
            post_dispute_movement(session, found, dispute, move, now=now, zone=zone)


def start_levy(app, w: World, *, fund: str, amount: int, period: str) -> dict[int, int]:
    """A committee member defines a levy on the fund for 100 days, a second approver starts it, two
    residents join; `run-due` raises its charges. Returns each household's resident."""
    sessions, zone, now, today = (
        app.extensions["pledgebank.sessions"],
        app.config["TIMEZONE"],
        _now(app),
        _today(app),
    )
    terms = levies.LevyTerms(
        fund_slug=fund,
        name="Street lighting",
        purpose="Keeping the lamps on along the footpath behind Elm Road.",
        basis="flat",
        amount=amount,
        period=period,
        starts_on=today,
        ends_on=today + timedelta(days=100),
        voluntary=False,
        threshold=None,
        prorate=True,
    )
    member = w.members[0]
    with unit_of_work(sessions) as session:
        place = get_neighbourhood(session, w.slug)
        levy_id = levies.create_levy(
            session,
            actor_id=member,
            neighbourhood=place,
            terms=terms,
            retry_days=app.config["LEVY_RETRY_DAYS"],
            now=now,
            zone=zone,
        ).id
    for approver in (member, w.chair):
        with unit_of_work(sessions) as session:
            levies.approve_levy(session, actor_id=approver, levy_id=levy_id, now=now, zone=zone)
    joined = {}
    for n, person in enumerate(w.residents[:2]):
        with unit_of_work(sessions) as session:
            household = households.join_levy(
                session,
                actor_id=person,
                levy_id=levy_id,
                address=f"{n + 1} Elm Road",
                band="D",
                now=now,
                zone=zone,
            ).household
            joined[household.id] = person
    run_due(app)
    return joined


def open_application(app, w: World, *, fund: str, amount: int) -> int:
    """A grant round on the fund, a resident's application for `amount`, reviewed by both committee members
    (no interests): ready for the chair's decision. Returns the application's id."""
    sessions, now = app.extensions["pledgebank.sessions"], _now(app)
    terms = RoundTerms(
        fund_slug=fund,
        title="Small grants",
        description="Small grants for things that make the neighbourhood better.",
        budget=1_000_000,
        max_award=500_000,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=28),
        eligibility="Residents and local groups.",
        criteria=[("Benefit to the neighbourhood", 1)],
    )
    with unit_of_work(sessions) as session:
        place = get_neighbourhood(session, w.slug)
        round_id = rounds.create_round(
            session, actor_id=w.chair, neighbourhood=place, terms=terms, now=now
        ).id
    asked = ApplicationTerms(
        title="Bulbs for the verges",
        summary="Two hundred crocus bulbs planted along the verges of Victoria Road by volunteers.",
        amount_requested=amount,
        budget_lines=[("Bulbs", amount)],
    )
    with unit_of_work(sessions) as session:
        application = applications.create_application(
            session,
            actor_id=w.residents[-1],
            grant_round=rounds.get_round(session, round_id),
            terms=asked,
            now=now,
        )
        applications.submit_application(session, actor_id=w.residents[-1], application=application, now=now)
        application_id = application.id
    with unit_of_work(sessions) as session:
        reviews.declare_interest(
            session, actor_id=w.chair, application_id=application_id, interest="none", reason="", now=now
        )
    for member in w.members:
        with unit_of_work(sessions) as session:
            reviews.declare_interest(
                session, actor_id=member, application_id=application_id, interest="none", reason="", now=now
            )
            criteria = applications.get_application(session, application_id).round.criteria
            reviews.submit_review(
                session,
                actor_id=member,
                application_id=application_id,
                scores={c.id: 4 for c in criteria},
                recommendation="award",
                recommended_amount=None,
                comment="",
                now=now,
            )
    return application_id


def award(session, app, w: World, application_id: int) -> None:
    """The chair awards the application in full (refused beyond what the fund has available)."""
    decisions.decide(
        session,
        actor_id=w.chair,
        application_id=application_id,
        outcome="award",
        now=_now(app),
        zone=app.config["TIMEZONE"],
    )


def entry_terms(kind: str, *, fund: str, amount: int, on, place: str, for_purpose: bool) -> EntryTerms:
    """What the treasurer types on Record money for one kind of entry."""
    if kind == "supplier_payment":
        return EntryTerms(
            kind=kind,
            on=on,
            description="New gate latch",
            amount=amount,
            fund=fund,
            place=place,
            payee="Ace Hardware",
            category="repairs",
            purpose="Playground gate",
            for_fund_purpose=for_purpose,
        )
    if kind == "donation":
        return EntryTerms(
            kind=kind, on=on, description="Gift", amount=amount, fund=fund, place=place, donor="A friend"
        )
    return EntryTerms(kind=kind, on=on, description=kind.replace("_", " "), amount=amount, fund=fund)


def correctable(session, book_id: int, kinds: tuple[str, ...]) -> list[int]:
    """Sequence numbers of the book's transactions of these kinds."""
    return list(
        session.scalars(
            select(LedgerTransaction.sequence)
            .where(LedgerTransaction.book_id == book_id, LedgerTransaction.kind.in_(kinds))
            .order_by(LedgerTransaction.sequence)
        )
    )
