"""Closing a financial year from the statements page: the chair's or treasurer's button, a confirmation page
showing what moves into each fund's balance, a POST with its token; and a form dated inside a closed year
shows the refusal beside its date."""

from __future__ import annotations

import html
from datetime import timedelta

from sqlalchemy import select

from pledgebank.books.models import ClosedPeriod
from pledgebank.db import unit_of_work
from tests.factories.grants import apply, decide, declare, give_fund, make_round, reviewed, world
from tests.factories.pledges import assert_books_ok
from tests.helpers.export_pages import place_with_money
from tests.helpers.foundation import field_error, signed_in_client, visible_text


def text(response) -> str:
    """The page as visible text."""
    return html.unescape(visible_text(response.get_data(as_text=True)))


def closed(sessions) -> list:
    """The closed-through dates of every book."""
    with unit_of_work(sessions) as session:
        return [day.isoformat() for day in session.scalars(select(ClosedPeriod.closed_through))]


def test_the_treasurer_closes_a_year_after_seeing_what_it_moves(app, sessions):
    place = place_with_money(sessions)
    committee = signed_in_client(app, sessions, place.committee)
    assert "Close a financial year" not in text(committee.get(f"/n/{place.slug}/statements"))
    assert committee.get(f"/n/{place.slug}/ledger/close-year").status_code == 403

    treasurer = signed_in_client(app, sessions, place.treasurer)
    assert "Close a financial year" in text(treasurer.get(f"/n/{place.slug}/statements"))
    default = treasurer.get(f"/n/{place.slug}/ledger/close-year")
    assert default.status_code == 200
    assert 'value="2025-03-31"' in default.get_data(as_text=True)  # the last year that has ended
    assert "There is no income or expense to move" in text(default)

    shown = text(treasurer.get(f"/n/{place.slug}/ledger/close-year?through=2026-01-31"))
    assert "What closing through 31 January 2026 moves" in shown
    assert "General fund £120.00 £75.00 £45.00" in shown
    assert "Playground fund £0.00 £0.00 £0.00" in shown
    bad = treasurer.get(f"/n/{place.slug}/ledger/close-year?through=31/01/2026")
    assert bad.status_code == 422 and field_error(bad.get_data(as_text=True), "through")

    forged = treasurer.post(f"/n/{place.slug}/ledger/close-year", {"through": "2026-01-31"}, csrf=False)
    assert forged.status_code == 400
    assert closed(sessions) == []
    done = treasurer.post(f"/n/{place.slug}/ledger/close-year", {"through": "2026-01-31"})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/n/{place.slug}/statements")
    assert "The books are closed through 31 January 2026." in text(
        treasurer.get(f"/n/{place.slug}/statements")
    )
    assert closed(sessions) == ["2026-01-31"]

    again = treasurer.post(f"/n/{place.slug}/ledger/close-year", {"through": "2026-01-31"})
    assert again.status_code == 409
    assert "already closed through 31 January 2026" in field_error(again.get_data(as_text=True), "through")
    future = treasurer.post(f"/n/{place.slug}/ledger/close-year", {"through": "2026-03-02"})
    assert future.status_code == 422
    assert "after its last day has passed" in field_error(future.get_data(as_text=True), "through")
    assert closed(sessions) == ["2026-01-31"]
    assert_books_ok(app)


def test_a_payment_dated_in_a_closed_year_is_refused_beside_its_date(app, sessions, clock):
    w = world(sessions)
    give_fund(app, w.slug, 100_000)
    grant = apply(app, make_round(app, w), w.residents[0], 12_000)
    reviewed(app, grant, w.members)
    declare(app, grant, w.chair)
    decide(app, grant, w.chair)
    clock.advance(timedelta(days=5))  # 7 March 2026
    chair = signed_in_client(app, sessions, w.chair)
    assert chair.post(f"/n/{w.slug}/ledger/close-year", {"through": "2026-03-05"}).status_code == 302

    treasurer = signed_in_client(app, sessions, w.treasurer)
    payment = {"payment-method": "bank_transfer", "payment-reference": "EP-GRANT-1"}
    refused = treasurer.post(
        f"/grants/applications/{grant}/payment", {**payment, "payment-paid_on": "2026-03-04"}
    )
    assert refused.status_code == 422
    message = field_error(refused.get_data(as_text=True), "payment-paid_on")
    assert "closed up to 5 March 2026" in message and "Use a later date" in message
    paid = treasurer.post(
        f"/grants/applications/{grant}/payment", {**payment, "payment-paid_on": "2026-03-06"}
    )
    assert paid.status_code == 302
    assert_books_ok(app)


def test_a_close_is_refused_on_its_page_while_a_grant_payment_in_the_year_awaits_approval(
    app, sessions, clock
):
    w = world(sessions)
    give_fund(app, w.slug, 200_000)
    round_id = make_round(app, w, budget=200_000, max_award=100_000)
    grant = apply(app, round_id, w.residents[0], 60_000, title="Benches for the green")
    reviewed(app, grant, w.members)
    declare(app, grant, w.chair)
    decide(app, grant, w.chair)
    treasurer = signed_in_client(app, sessions, w.treasurer)
    payment = {"payment-method": "bank_transfer", "payment-reference": "EP-GRANT-2"}
    recorded = treasurer.post(
        f"/grants/applications/{grant}/payment", {**payment, "payment-paid_on": "2026-03-02"}
    )
    assert recorded.status_code == 302
    clock.advance(timedelta(days=5))  # 7 March 2026

    refused = treasurer.post(f"/n/{w.slug}/ledger/close-year", {"through": "2026-03-05"})
    assert refused.status_code == 409
    message = html.unescape(field_error(refused.get_data(as_text=True), "through"))
    assert "waiting for a second member to approve" in message
    assert '"Benches for the green", £600.00 paid 2 March 2026' in message
    assert closed(sessions) == []
