"""A small neighbourhood's pages never scan another neighbourhood's ledger (PostgreSQL's plans say so).

A large book (20,000 real, sealed postings) sits beside a small one. Every query the small book's public page,
fund balances (page and API), ledger balances, statements, ledger check and exports send that touches
postings, transactions or the monthly totals is captured as the app sends it, then EXPLAINed with the same
parameters: no plan may hold a sequential scan of those tables, which would make the small book's pages as
slow as the large book's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import event, text

from pledgebank.accounts.api_tokens import create_api_token
from pledgebank.books.services import book_of
from pledgebank.db import unit_of_work
from tests.factories.big_book import fill, open_book
from tests.helpers.app import WHEN, make_neighbourhood, make_user, neighbourhood
from tests.helpers.environment import START

pytestmark = pytest.mark.postgres

# The monthly totals too: the chart and the fund balances read them instead of the postings.
LEDGER_TABLES = ("ledger_postings", "ledger_transactions", "ledger_monthly_totals")
CHAIR = "chair@example.org"


def _seq_scans(plan: dict) -> Iterator[str]:
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") in LEDGER_TABLES:
        yield plan["Relation Name"]
    for child in plan.get("Plans", []):
        yield from _seq_scans(child)


@pytest.fixture
def small_beside_large(app, sessions):
    """The small book's slug and the chair's API token; the large book holds 20,000 postings; analysed."""
    chair = make_user(sessions, CHAIR, "Chair Person")
    slug = make_neighbourhood(sessions, chair, "Small Ward")
    with unit_of_work(sessions) as session:
        small = book_of(session, neighbourhood(session, slug).id).id
        large = open_book(session, name="Large Ward", now=WHEN).id
        token = create_api_token(session, user_id=chair, name="plans", scope="read", now=WHEN)[1]
    fill(sessions, small, postings=300, until=START.date(), days=400, now=WHEN)
    fill(sessions, large, postings=20_000, until=START.date(), days=400, now=WHEN)
    engine = app.extensions["pledgebank.engine"]
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE"))
    return slug, token


def _captured(app, run) -> list[tuple[str, object]]:
    """The SELECTs on postings or transactions sent while `run()` runs, with their parameters."""
    engine = app.extensions["pledgebank.engine"]
    seen: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, executemany):
        if executemany or not statement.lstrip().upper().startswith(("SELECT", "WITH")):
            return
        if any(table in statement for table in LEDGER_TABLES):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    return seen


def _scans(app, queries: list[tuple[str, object]]) -> list[str]:
    engine = app.extensions["pledgebank.engine"]
    found = []
    with engine.connect() as connection:
        for statement, parameters in queries:
            [[plan]] = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters).one()
            for table in _seq_scans(plan["Plan"]):
                found.append(f"Seq Scan on {table} in: {' '.join(statement.split())}")
    return found


def _get(web, url: str, **kwargs) -> None:
    response = web.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    response.get_data()


def _download(web, slug: str, **form) -> None:
    response = web.post(f"/n/{slug}/exports/download", form)
    assert response.status_code == 200, (form, response.status_code, response.get_data(as_text=True)[:500])
    response.get_data()


PUBLIC = {
    "public page": "/n/{slug}",
    "public money page": "/n/{slug}/money",
    "public money page, one fund": "/n/{slug}/money/general",
    "public money page, an older page": "/n/{slug}/money?before=150",
    "public money CSV": "/n/{slug}/money.csv",
    "one public transaction": "/n/{slug}/money/t/100",
    "grants page (fund balances)": "/n/{slug}/grants",
    "fund balances API": "/api/v1/neighbourhoods/{slug}/fund-balances",
}
OFFICERS = {
    "ledger balances": "/n/{slug}/ledger",
    "ledger page, an older page": "/n/{slug}/ledger?before=150",
    "ledger check": "/n/{slug}/ledger/check",
    "trial balance": "/n/{slug}/statements/trial-balance?on=2026-03-02",
    "receipts and payments": "/n/{slug}/statements/receipts-and-payments?year=2025",
    "year-end close page": "/n/{slug}/ledger/close-year",
}
API = {
    "ledger balances API": "/api/v1/neighbourhoods/{slug}/ledger/balances",
    "transactions API": "/api/v1/neighbourhoods/{slug}/ledger/transactions",
    "transactions API, a later page": "/api/v1/neighbourhoods/{slug}/ledger/transactions?page=3&per_page=40",
}
EXPORTS = {
    "csv export": {"format": "csv"},
    "jsonl export, dated": {"format": "jsonl", "date_from": "2025-06-01", "date_to": "2026-01-31"},
    "beancount export, one fund": {"format": "beancount", "fund": "general"},
    "hledger export": {"format": "hledger"},
}


def test_no_page_or_export_of_a_small_book_scans_the_large_books_ledger(app, web, small_beside_large):
    slug, token = small_beside_large
    seen = {
        page: _captured(app, lambda url=url: _get(web, url.format(slug=slug))) for page, url in PUBLIC.items()
    }
    bearer = {"Authorization": f"Bearer {token}"}
    for page, url in API.items():
        seen[page] = _captured(app, lambda url=url: _get(web, url.format(slug=slug), headers=bearer))
    web.login(CHAIR)
    for page, url in OFFICERS.items():
        seen[page] = _captured(app, lambda url=url: _get(web, url.format(slug=slug)))
    for export, params in EXPORTS.items():
        seen[export] = _captured(app, lambda params=params: _download(web, slug, **params))

    assert [page for page, queries in seen.items() if not queries] == [], "pages that sent no ledger query"
    scans = {page: _scans(app, queries) for page, queries in seen.items()}
    failing = [f"{page}: {scan}" for page, found in scans.items() for scan in found]
    assert not failing, "\n\n".join(failing)
