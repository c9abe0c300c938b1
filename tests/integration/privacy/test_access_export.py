"""Right of access: a person downloads everything held about them, as JSON and as a page, and the download
streams a page of rows at a time, however many records they have."""

from __future__ import annotations

import json
from datetime import timedelta

from markupsafe import escape
from sqlalchemy import event, insert

from pledgebank.accounts import privacy
from pledgebank.accounts.privacy_export import json_chunks
from pledgebank.books.models import AuditEvent
from pledgebank.db import unit_of_work
from tests.factories.pledges import assert_books_ok, quick_user
from tests.factories.privacy import ADDRESS, EMAIL, NAME, TOKEN_NAME, UPDATE, everything
from tests.helpers.app import PASSWORD

SUMMARY = "Two hundred crocus bulbs planted along the verges of Victoria Road by volunteers."


def _rows(document: dict, key: str) -> list[dict]:
    return document["sections"][key]["rows"]


def test_the_export_holds_everything_the_person_did_and_never_a_secret(app, sessions, web):
    done = everything(app, sessions)
    web.login(EMAIL, PASSWORD)
    response = web.get("/account/data.json")
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Disposition"] == 'attachment; filename="pledgebank-my-data.json"'
    assert response.headers["Cache-Control"] == "no-store"
    text = response.get_data(as_text=True)
    document = json.loads(text)
    assert document["user_id"] == done.person and document["consents"] == []
    assert set(document["sections"]) == {section.key for section in privacy.SECTIONS}

    assert _rows(document, "profile")[0]["email"] == EMAIL
    assert _rows(document, "profile")[0]["display_name"] == NAME
    assert [m["neighbourhood_id"] for m in _rows(document, "memberships")] == [done.w.neighbourhood_id]
    assert [(h["address"], h["band"]) for h in _rows(document, "households")] == [(ADDRESS, "C")]
    assert [r["household_id"] for r in _rows(document, "residence")] == [done.household_id]
    charges = _rows(document, "levy_charges")
    assert [(c["status"], c["paid_via"], c["amount"], c["currency"]) for c in charges][:1] == [
        ("paid", "cash", charges[0]["amount"], "GBP")
    ]
    assert [(s["pledge_id"], s["status"], s["amount"]) for s in _rows(document, "pledges_signed")] == [
        (done.pledge_id, "cash_kept", 1000)
    ]
    assert [p["id"] for p in _rows(document, "pledges_created")] == [done.own_pledge_id]
    assert [u["body"] for u in _rows(document, "pledge_updates")] == [UPDATE]
    applications = _rows(document, "grant_applications")
    assert [(a["id"], a["status"], a["summary"]) for a in applications] == [
        (done.application_id, "reported", SUMMARY)
    ]
    assert len(_rows(document, "grant_budget_lines")) == 2
    assert [r["amount_spent"] for r in _rows(document, "grant_reports")] == [20_000]
    assert [p["amount"] for p in _rows(document, "grant_payments")] == [20_000]
    tokens = _rows(document, "api_tokens")
    assert sorted(t["name"] for t in tokens) == sorted([TOKEN_NAME, "Old laptop"])
    assert all("token_hash" not in t for t in tokens)
    sessions_ended = _rows(document, "sessions")
    assert len(sessions_ended) == 1 and set(sessions_ended[0]) == {"id", "user_id", "signed_out_at"}
    actions = {e["action"] for e in _rows(document, "audit_events")}
    assert {"member.joined", "grant_application.submitted", "grant.reported", "pledge.created"} <= actions, (
        actions
    )
    assert "password_hash" not in _rows(document, "profile")[0]
    assert done.token_secret not in text and done.token_secret[12:] not in text

    page = web.get("/account/data")
    assert page.status_code == 200 and page.is_streamed
    html = page.get_data(as_text=True)
    for expected in (
        EMAIL,
        NAME,
        ADDRESS,
        TOKEN_NAME,
        UPDATE,
        "Your grant applications",
        "Audit events naming you",
    ):
        assert escape(expected) in html
    assert done.token_secret not in html
    account = web.get("/account").get_data(as_text=True)
    assert 'href="/account/data"' in account and 'href="/account/data.json"' in account
    assert_books_ok(app)


def test_signed_out_visitors_are_sent_to_sign_in(web):
    for url in ("/account/data", "/account/data.json", "/account/close"):
        response = web.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_thousands_of_records_stream_in_pages_of_bounded_queries(app, sessions, clock):
    person = quick_user(sessions, EMAIL, NAME)
    count = 4 * privacy.PAGE + 17
    with unit_of_work(sessions) as session:
        session.execute(
            insert(AuditEvent),
            [
                {
                    "actor_id": person,
                    "neighbourhood_id": None,
                    "action": "test.event",
                    "subject_type": "note",
                    "subject_id": str(n),
                    "before": None,
                    "after": {"n": n},
                    "reason": "",
                    "occurred_at": clock.now() + timedelta(seconds=n),
                }
                for n in range(count)
            ],
        )
    engine = app.extensions["pledgebank.engine"]
    statements: list[str] = []

    def seen(_conn, _cursor, statement, _parameters, _context, _many):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        with unit_of_work(sessions) as session:
            chunks = json_chunks(session, user_id=person, now=clock.now())
            first = next(chunks)  # lazy: nothing is read for the first chunk
            assert first.startswith('{"format"') and statements == []
            rest = list(chunks)
            biggest = max(len(chunk) for chunk in rest)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    document = json.loads(first + "".join(rest))
    events = _rows(document, "audit_events")
    assert [e["subject_id"] for e in events] == [str(n) for n in range(count)]
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert reads and all("LIMIT" in s.upper() for s in reads), [s for s in reads if "LIMIT" not in s.upper()]
    # Five pages of audit events (the last one short), and one page for every other section.
    assert len(reads) == len(privacy.SECTIONS) - 1 + 5
    # A chunk holds at most ROWS_PER_CHUNK rows, never the whole list.
    assert biggest < len("".join(rest)) / 8
