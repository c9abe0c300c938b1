"""Every page an examiner opens is in the audit log of the neighbourhood they examine; every write they try,
and every page of another neighbourhood they are refused, answers 403 and is recorded too."""

from __future__ import annotations

from sqlalchemy import func, select

from pledgebank.accounts.models import User
from pledgebank.books.models import AuditEvent
from pledgebank.books.treasurer_models import TreasurerEntry
from pledgebank.db import unit_of_work
from pledgebank.neighbourhoods.models import Fund
from tests.factories.examiners import appoint
from tests.factories.grants import world
from tests.helpers.app import WebClient, make_user
from tests.helpers.foundation import visible_text
from tests.helpers.grant_api import token


def _events(sessions, neighbourhood_id: int) -> list[tuple[str, dict]]:
    with unit_of_work(sessions) as session:
        rows = session.execute(
            select(AuditEvent.action, AuditEvent.after)
            .where(AuditEvent.neighbourhood_id == neighbourhood_id, AuditEvent.action.like("examiner.%"))
            .order_by(AuditEvent.id)
        )
        return [(action, dict(after or {})) for action, after in rows]


def _count(sessions, model) -> int:
    with unit_of_work(sessions) as session:
        return session.scalar(select(func.count()).select_from(model))


def _examining(app, sessions):
    own = world(sessions, members=1, residents=1)
    other = world(sessions, members=0, residents=0, prefix="other-", name="Oak Vale")
    examiner_id = make_user(sessions, "examiner@example.org", "Helen Marsh")
    appoint(app, own.chair, own.neighbourhood_id, examiner_id)
    examiner = WebClient(app.test_client())
    examiner.login("examiner@example.org")
    return own, other, examiner


def test_each_page_the_examiner_opens_is_recorded(app, sessions):
    own, _other, examiner = _examining(app, sessions)
    pages = [
        f"/n/{own.slug}/ledger",
        f"/n/{own.slug}/statements",
        f"/n/{own.slug}/statements/trial-balance?on=2025-03-31",
        f"/n/{own.slug}/audit",
        f"/n/{own.slug}/examination",
    ]
    for page in pages:
        assert examiner.get(page).status_code in (200, 302), page
    viewed = [
        after["path"]
        for action, after in _events(sessions, own.neighbourhood_id)
        if action == "examiner.viewed"
    ]
    assert viewed == pages
    # The audit log says it in words, to the chair.
    chair = WebClient(app.test_client())
    chair.login("chair@example.org")
    log = visible_text(chair.get(f"/n/{own.slug}/audit?kind=examination").text)
    assert f"Helen Marsh (examiner) opened /n/{own.slug}/ledger" in log
    assert "Helen Marsh accepted the invitation to examine the accounts of the year 1 April 2024" in log
    # Other people's pages are not the examiner's: the chair's visits add nothing.
    before = len(_events(sessions, own.neighbourhood_id))
    assert chair.get(f"/n/{own.slug}/ledger").status_code == 200
    assert len(_events(sessions, own.neighbourhood_id)) == before


def test_every_write_the_examiner_tries_is_refused_and_recorded(app, sessions):
    own, _other, examiner = _examining(app, sessions)
    funds, entries = _count(sessions, Fund), _count(sessions, TreasurerEntry)
    writes = [
        (f"/n/{own.slug}/funds", {"name": "Examiner's fund"}),
        (f"/n/{own.slug}/funds", {"name": ""}),  # bad input too: refused before it is read
        (f"/n/{own.slug}/ledger/record", {"kind": "donation", "amount": "10.00", "on": "2026-03-01"}),
        (f"/n/{own.slug}/ledger/close-year", {"through": "2025-03-31"}),
        (f"/n/{own.slug}/examiners", {"name": "Me", "email": "me@example.org", "year": "2025"}),
    ]
    for url, form in writes:
        answer = examiner.post(url, form)
        assert answer.status_code == 403, (url, answer.status_code)
    assert _count(sessions, Fund) == funds and _count(sessions, TreasurerEntry) == entries
    refused = [
        (after["method"], after["path"], after["status"])
        for action, after in _events(sessions, own.neighbourhood_id)
        if action == "examiner.refused"
    ]
    assert refused == [("POST", url, 403) for url, _form in writes]
    # Pages the examiner may not read answer 403 and are recorded as refused as well.
    assert examiner.get(f"/n/{own.slug}/exports").status_code == 403
    assert _events(sessions, own.neighbourhood_id)[-1] == (
        "examiner.refused",
        {"path": f"/n/{own.slug}/exports", "method": "GET", "status": 403},
    )


def test_another_neighbourhoods_pages_are_refused_and_recorded_where_they_examine(app, sessions):
    own, other, examiner = _examining(app, sessions)
    for url in (f"/n/{other.slug}/ledger", f"/n/{other.slug}/audit", f"/n/{other.slug}/statements"):
        assert examiner.get(url).status_code == 403, url
    assert examiner.post(f"/n/{other.slug}/funds", {"name": "Elsewhere"}).status_code == 403
    refused = [
        after["path"]
        for action, after in _events(sessions, own.neighbourhood_id)
        if action == "examiner.refused"
    ]
    assert refused == [
        f"/n/{other.slug}/ledger",
        f"/n/{other.slug}/audit",
        f"/n/{other.slug}/statements",
        f"/n/{other.slug}/funds",
    ]
    assert _events(sessions, other.neighbourhood_id) == []
    # The public page of another neighbourhood is anyone's to read, and none of the examination's business.
    before = len(_events(sessions, own.neighbourhood_id))
    assert examiner.get(f"/n/{other.slug}").status_code == 200
    assert len(_events(sessions, own.neighbourhood_id)) == before


def test_reads_and_writes_through_the_api_with_a_token_are_recorded_too(app, sessions):
    own, other, _examiner = _examining(app, sessions)
    with unit_of_work(sessions) as session:
        examiner_id = session.scalar(select(User.id).where(User.email == "examiner@example.org"))
    client = app.test_client()
    headers = token(sessions, examiner_id)
    read = client.get(f"/api/v1/neighbourhoods/{own.slug}/ledger/balances", headers=headers)
    assert read.status_code == 200
    assert (
        client.get(f"/api/v1/neighbourhoods/{other.slug}/ledger/balances", headers=headers).status_code == 403
    )
    funds = _count(sessions, Fund)
    write = client.post(f"/api/v1/neighbourhoods/{own.slug}/funds", json={"name": "Mine"}, headers=headers)
    assert write.status_code == 403 and _count(sessions, Fund) == funds
    recorded = [
        (action, after["method"], after["path"])
        for action, after in _events(sessions, own.neighbourhood_id)
        if "path" in after
    ]
    assert recorded == [
        ("examiner.viewed", "GET", f"/api/v1/neighbourhoods/{own.slug}/ledger/balances"),
        ("examiner.refused", "GET", f"/api/v1/neighbourhoods/{other.slug}/ledger/balances"),
        ("examiner.refused", "POST", f"/api/v1/neighbourhoods/{own.slug}/funds"),
    ]
