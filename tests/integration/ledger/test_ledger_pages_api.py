"""The ledger's pages and JSON API: officers read balances, transactions and the check; nobody else does."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from pledgebank.accounts.api_tokens import create_api_token
from pledgebank.db import unit_of_work
from pledgebank.ledger import chart
from pledgebank.ledger.canonical import to_hex
from tests.helpers.ledger_sql import BANK, PEOPLE, LedgerBook

OFFICERS = ("chair", "treasurer", "committee")


@pytest.fixture
def people(ledger_book: LedgerBook) -> dict[str, str]:
    """Emails by role: the book's chair, a treasurer, a committee member, a resident, and a non-member."""
    return PEOPLE


def bearer(sessions, address: str, clock) -> dict[str, str]:
    """An Authorization header carrying a fresh read-only token of the user's."""
    with unit_of_work(sessions) as session:
        user_id = session.execute(text("SELECT id FROM users WHERE email = :e"), {"e": address}).scalar_one()
        _, secret = create_api_token(session, user_id=user_id, name="ledger", scope="read", now=clock.now())
    return {"Authorization": f"Bearer {secret}"}


def test_officers_see_balances_transactions_and_an_intact_check(web, ledger_book, people):
    for role in OFFICERS:
        web.login(people[role])
        page = web.get(f"/n/{ledger_book.slug}/ledger")
        assert page.status_code == 200, role
        html = page.get_data(as_text=True)
        assert "8 transactions, newest first." in html
        assert html.index('id="tx-8"') < html.index('id="tx-1"')
        assert "reverses #7" in html
        bank_row = re.search(r"<tr>(?:(?!</tr>).)*<code>assets:bank</code>(?:(?!</tr>).)*</tr>", html, re.S)
        assert "£49.42" in bank_row.group(0)
        assert "£120.00" in html
        check = web.get(f"/n/{ledger_book.slug}/ledger/check")
        assert check.status_code == 200, role
        body = check.get_data(as_text=True)
        assert "The books are intact: 8 transactions and" in body
        assert to_hex(ledger_book.head_hash) in body
        web.logout()


def test_a_resident_and_an_outsider_are_refused_the_pages(web, ledger_book, people):
    for role in ("resident", "outsider"):
        web.login(people[role])
        assert web.get(f"/n/{ledger_book.slug}/ledger").status_code == 403, role
        assert web.get(f"/n/{ledger_book.slug}/ledger/check").status_code == 403, role
        web.logout()
    signed_out = web.get(f"/n/{ledger_book.slug}/ledger")
    assert signed_out.status_code == 302
    assert "/login" in signed_out.headers["Location"]


def test_the_api_pages_transactions_newest_first(web, ledger_book, people, sessions, clock):
    headers = bearer(sessions, people["treasurer"], clock)
    url = f"/api/v1/neighbourhoods/{ledger_book.slug}/ledger/transactions"
    seen = []
    for page in (1, 2, 3, 4, 5):
        response = web.get(f"{url}?page={page}&per_page=2", headers=headers)
        assert response.status_code == 200
        body = response.get_json()
        assert (body["total"], body["page"], body["per_page"]) == (8, page, 2)
        seen.extend(item["sequence"] for item in body["items"])
        for item in body["items"]:
            assert len(item["postings"]) >= 2
            assert all(type(p["amount"]) is int and p["currency"] == "GBP" for p in item["postings"])
            assert sum(p["amount"] for p in item["postings"]) == 0
    assert seen == [8, 7, 6, 5, 4, 3, 2, 1]
    first = web.get(f"{url}?page=1&per_page=2", headers=headers).get_json()["items"]
    assert first[0]["reverses_sequence"] == 7
    assert first[0]["kind"] == "reversal"
    assert [p["amount"] for p in first[1]["postings"]] == [3_000, -3_000]
    assert web.get(f"{url}?per_page=501", headers=headers).status_code == 422


def test_the_api_gives_balances_funds_and_the_chain_head(web, ledger_book, people, sessions, clock):
    response = web.get(
        f"/api/v1/neighbourhoods/{ledger_book.slug}/ledger/balances",
        headers=bearer(sessions, people["committee"], clock),
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["currency"] == "GBP"
    assert (body["head_sequence"], body["head_hash"]) == (8, to_hex(ledger_book.head_hash))
    balances = {account["code"]: account["balance"] for account in body["accounts"]}
    assert set(balances) == {spec.code for spec in chart.book_accounts() + chart.fund_accounts("general", "")}
    assert balances[BANK] == 4_942
    assert sum(balances.values()) == 0
    assert body["funds"] == [
        {
            "slug": "general",
            "name": "General fund",
            "income": 12_000 + 2_500,
            "expenses": 7_500 + 58,
            "net": 12_000 + 2_500 - 7_500 - 58,
        }
    ]


def test_the_api_refuses_residents_outsiders_and_strangers(web, ledger_book, people, sessions, clock):
    base = f"/api/v1/neighbourhoods/{ledger_book.slug}/ledger"
    for role in ("resident", "outsider"):
        headers = bearer(sessions, people[role], clock)
        for path in ("/transactions", "/balances"):
            response = web.get(base + path, headers=headers)
            assert response.status_code == 403, (role, path)
            assert response.get_json()["error"] == "forbidden"
    for path in ("/transactions", "/balances"):
        response = web.get(base + path)
        assert response.status_code == 401
        assert response.get_json()["error"] == "not_authenticated"
    bad = web.get(base + "/balances", headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401


def test_a_signed_in_officer_reads_the_api_with_the_browser_session(web, ledger_book, people):
    web.login(people["treasurer"])
    response = web.get(f"/api/v1/neighbourhoods/{ledger_book.slug}/ledger/balances")
    assert response.status_code == 200
    assert response.get_json()["head_sequence"] == 8


def test_the_api_describes_transactions_in_english_whatever_the_language_asked(
    web, ledger_book, people, sessions, clock
):
    headers = bearer(sessions, people["treasurer"], clock)
    url = f"/api/v1/neighbourhoods/{ledger_book.slug}/ledger/transactions?page=1&per_page=8"
    english = [item["description"] for item in web.get(url, headers=headers).get_json()["items"]]
    welsh = web.get(url + "&lang=cy", headers={**headers, "Accept-Language": "cy"}).get_json()["items"]
    assert [item["description"] for item in welsh] == english
    assert "Bank charges" in english or "Levy charge" in english, english
