"""Every grant email, for each outcome the committee can decide and each way the treasurer can pay, and every
account email, sent through the real services and pages, says only what is true and ends with how to reach
the neighbourhood (grants) or the service (accounts)."""

from __future__ import annotations

import pytest

from pledgebank.books.services import book_of, post
from pledgebank.db import unit_of_work
from pledgebank.ledger import chart, rules
from pledgebank.ledger.money import Money
from pledgebank.neighbourhoods.services import get_neighbourhood
from tests.factories.grants import apply, decide, declare, give_fund, make_round, pay, reduce, reviewed, world
from tests.helpers.app import PASSWORD, WebClient
from tests.helpers.email_claims import BANK, Recorder, check_all, give_contact
from tests.helpers.email_covers import ACCOUNTS, GRANTS

AMOUNTS = {"award": "£100.00", "part_award": "£80.00", "reduce": "£60.00", "paid": "£100.00"}


def _cash_in_hand(app, slug: str, amount: int) -> None:
    """Cash given to the treasurer for the general fund, so that a grant can be paid in cash."""
    now = app.extensions["pledgebank.clock"].now()
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        entry = rules.cash_received(
            amount=Money(amount, "GBP"),
            fund="general",
            income_source="donations",
            key="test:cash-gift",
            on=now.date(),
            source={"test": "cash-gift"},
            into=chart.CASH,
        )
        post(session, book=book_of(session, get_neighbourhood(session, slug).id), entry=entry, now=now)


@pytest.mark.parametrize(
    ("bank", "contact"), [(BANK, True), ("", False)], ids=["bank details and contact", "neither"]
)
def test_grant_emails_say_the_decision_and_payment_as_they_are(
    app, sessions, recorder: Recorder, bank, contact
):
    w = world(sessions, residents=6)
    give_contact(app, w.slug, w.chair, bank=bank, contact=contact)
    give_fund(app, w.slug, 100_000)
    _cash_in_hand(app, w.slug, 10_000)
    round_id = make_round(app, w)
    outcomes = ("award", "part_award", "defer", "reject", "cheque", "cash")
    grants = {}
    for n, outcome in enumerate(outcomes):
        recorder.be(f"resident{n}@example.org", "applied", slug=w.slug, bank=bank, contact=contact)
        grants[outcome] = apply(app, round_id, w.residents[n], 10_000, title=f"Bulbs for verge {n + 1}")
        reviewed(app, grants[outcome], w.members)
        declare(app, grants[outcome], w.chair)
    for outcome in ("award", "cheque", "cash"):
        recorder.be(f"resident{outcomes.index(outcome)}@example.org", "award")
        decide(app, grants[outcome], w.chair, "award")
    recorder.be("resident1@example.org", "part_award")
    decide(app, grants["part_award"], w.chair, "part_award", amount=8_000, reason="Tools are covered.")
    recorder.be("resident1@example.org", "reduce")
    reduce(app, grants["part_award"], w.chair, 6_000)
    recorder.be("resident2@example.org", "defer")
    decide(app, grants["defer"], w.chair, "defer", defer_to_next_round=True, reason="Waiting for the plan.")
    recorder.be("resident3@example.org", "reject")
    decide(app, grants["reject"], w.chair, "reject", reason="The council plants the verges.")
    for outcome, method in (("award", "bank_transfer"), ("cheque", "cheque"), ("cash", "cash")):
        recorder.be(f"resident{outcomes.index(outcome)}@example.org", f"paid {method}")
        pay(app, grants[outcome], w.treasurer, method=method)

    check_all(app, recorder)
    assert recorder.covered() == GRANTS
    for label, amount in AMOUNTS.items():
        for sent in recorder.sent:
            if sent.state.label.startswith(label) and sent.email.template != "grants/submitted":
                assert amount in sent.body, (label, sent.body)
    said = {"bank_transfer": "by bank transfer", "cheque": "by cheque", "cash": "in cash"}
    for sent in recorder.of("grants/paid"):
        assert said[sent.state.label.removeprefix("paid ")] in sent.body


def test_account_emails_lead_back_to_the_service(app, recorder: Recorder):
    web = WebClient(app.test_client())
    address = "newcomer@example.org"
    recorder.be(address, "registering")
    form = {"email": address, "display_name": "New Comer", "password": PASSWORD, "confirm": PASSWORD}
    assert web.post("/register", form).status_code == 302
    assert web.get(recorder.one("accounts/verify", address).path("/verify")).status_code in (200, 302)
    recorder.be(address, "registered")
    assert WebClient(app.test_client()).post("/register", form).status_code == 302
    assert web.post("/password/forgot", {"email": address}).status_code == 302
    reset = recorder.one("accounts/reset", address)
    assert WebClient(app.test_client()).get(reset.path("/password/reset/")).status_code == 200
    web.login(address)
    new = "a brand new passphrase"
    changed = web.post(
        "/account/password", {"current_password": PASSWORD, "new_password": new, "confirm": new}
    )
    assert changed.status_code == 302

    check_all(app, recorder)
    assert recorder.covered() == ACCOUNTS
