"""The demo's examiner: appointed by the chair for the year the demo closes, accepted, and able to sign in
with the printed password; her checklist is green but for the evidence PledgeBank does not keep yet."""

from __future__ import annotations

from pledgebank.accounts.demo import DEMO_PASSWORD
from pledgebank.books.demo import seed_books
from pledgebank.db import unit_of_work
from pledgebank.demo import seed
from pledgebank.examiners.demo import EXAMINER, seed_examiner
from pledgebank.neighbourhoods.demo import DEMO_SLUG
from tests.factories.pledges import assert_books_ok
from tests.helpers.app import WebClient
from tests.helpers.foundation import visible_text


def test_the_demo_examiner_signs_in_and_finds_last_year_green_but_for_the_bank_and_documents(
    app, sessions, clock
):
    with unit_of_work(sessions) as session:
        ids = seed(session, at=clock.now(), currency="GBP")
    seed_books(app, ids)
    seed_examiner(app, ids)
    web = WebClient(app.test_client())
    web.login(EXAMINER.email, DEMO_PASSWORD)
    found = web.get(f"/n/{DEMO_SLUG}/examination")
    assert found.status_code == 302
    page = web.get(found.headers["Location"])
    assert page.status_code == 200
    text = visible_text(page.text)
    assert "1 April 2025 to 31 March 2026" not in text  # the year under way is not the one examined
    assert "The accounts of Elm Park for the year 1 April 2024 to 31 March 2025" in text
    assert text.count("(green)") == 6 and text.count("(amber)") == 2 and "(red)" not in text, text
    assert web.post(f"/n/{DEMO_SLUG}/funds", {"name": "Mine"}).status_code == 403
    assert_books_ok(app)
