"""The audit log reads in Welsh on a Welsh page: each event's whole sentence, the names still linked, the
amounts and dates in the page's language, the kinds of event too; the values people typed stay as typed."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from pledgebank.books.audit import record_event
from pledgebank.db import unit_of_work
from pledgebank.neighbourhoods.models import Fund, FundType
from pledgebank.neighbourhoods.services import get_neighbourhood
from tests.factories.fund_transfers import add_fund
from tests.helpers.app import WHEN
from tests.helpers.pledge_pages import people

# Words of the English sentences that must not be left on the Welsh page.
ENGLISH = (
    "approved",
    "changed",
    "added",
    "started",
    "joined",
    "moving",
    "took away",
    "role as",
    "uploaded",
    "settings",
    "lines",
    "by",
    "the",
    "from",
    "and",
    "neighbourhood",
    "December",
)


def _rows(page: str) -> list[str]:
    """Each row's 'What happened' cell (the sentence and its kind), as a reader sees it."""
    cells = re.findall(r'<td class="words"><bdi>(.*?)</td>', page, flags=re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", "", cell)).split()) for cell in cells]


def _log(app, sessions):
    """A neighbourhood whose log holds its founding, roles given, a member joining, its settings changed, a
    move between funds, a role taken away and a bank statement uploaded."""
    world = people(sessions, "ann")
    add_fund(app, world.slug, "repairs", FundType.RESTRICTED, purpose="Mending the hall roof")
    chair, ann = world.ids["chair"], world.ids["ann"]
    with unit_of_work(sessions) as session:
        place = get_neighbourhood(session, world.slug)
        funds = {f.slug: f.id for f in session.scalars(select(Fund).where(Fund.neighbourhood_id == place.id))}

        def event(action, subject, before=None, after=None):
            record_event(
                session,
                actor_id=chair,
                neighbourhood_id=place.id,
                action=action,
                subject=subject,
                now=WHEN,
                before=before,
                after=after,
            )

        event(
            "settings.changed",
            ("neighbourhood", place.id),
            {"allow_cash_pledges": True, "collection_window_hours": 48},
            {"allow_cash_pledges": False, "collection_window_hours": 72},
        )
        event(
            "fund_transfer.approved",
            ("fund_transfer", 1),
            after={"amount": 937, "from": funds["general"], "to": funds["repairs"], "basis": "donors_agreed"},
        )
        event("role.revoked", ("user", ann), {"roles": ["committee", "resident"]}, {"roles": ["resident"]})
        event(
            "statement.uploaded",
            ("bank_statement", 1),
            after={"first_day": "2026-11-01", "last_day": "2026-12-01", "lines_read": 12, "lines_added": 3},
        )
    return world


def test_the_audit_log_reads_in_welsh(app, sessions):
    world = _log(app, sessions)
    page = world.client(app, sessions, "chair").get(f"/n/{world.slug}/audit?lang=cy").get_data(as_text=True)
    rows = _rows(page)
    assert len(rows) == 8, rows
    wanted = [
        "Dechreuodd Chair Person y gymdogaeth “Elm Park” (SE15) · Y gymdogaeth a'i gosodiadau",
        "Cymerodd Chair Person rôl cadeirydd wrth ddechrau'r gymdogaeth · Aelodau a rolau",
        "Rhoddodd Chair Person rôl trysorydd i'r aelod Chair Person · Aelodau a rolau",
        "Ymunodd Ann â'r gymdogaeth · Aelodau a rolau",
        "Newidiodd Chair Person osodiadau'r gymdogaeth (caniatáu addewidion arian parod: ie → na; "
        "ffenestr gasglu: 48 awr → 72 awr) · Y gymdogaeth a'i gosodiadau",
        "Cymeradwyodd Chair Person symud £9.37 o'r gronfa General fund i'r gronfa Repairs "
        "(cytunodd ei rhoddwyr) · Cronfeydd a symud arian rhyngddynt",
        "Tynnodd Chair Person rôl Ann fel aelod o'r pwyllgor yn ôl · Aelodau a rolau",
        "Llwythodd Chair Person gyfriflen banc i fyny, o 1 Tachwedd 2026 hyd 1 Rhagfyr 2026: 12 llinell, "
        "3 newydd · Cyfriflenni banc a chysoni",
    ]
    for sentence in wanted:
        assert sentence in rows, (sentence, rows)
    for row in rows:
        for word in ENGLISH:
            assert not re.search(rf"\b{word}\b", row, flags=re.I), (word, row)
    assert re.search(r'<a href="[^"]+">Repairs</a>', page)
    assert '<option value="funds">Cronfeydd a symud arian rhyngddynt</option>' in page


def test_the_same_log_stays_english_on_an_english_page(app, sessions):
    world = _log(app, sessions)
    page = world.client(app, sessions, "chair").get(f"/n/{world.slug}/audit?lang=en").get_data(as_text=True)
    rows = _rows(page)
    wanted = [
        "Chair Person started the neighbourhood “Elm Park” (SE15) · The neighbourhood and its settings",
        "Chair Person became chair, starting the neighbourhood · Members and roles",
        "Chair Person made Chair Person treasurer · Members and roles",
        "Ann joined the neighbourhood · Members and roles",
        "Chair Person changed the neighbourhood's settings (cash pledges allowed: yes → no; "
        "collection window: 48 hours → 72 hours) · The neighbourhood and its settings",
        "Chair Person approved moving £9.37 from General fund to Repairs (its donors agreed) "
        "· Funds and moves between them",
        "Chair Person took away Ann's role as committee member · Members and roles",
        "Chair Person uploaded a bank statement from 1 November 2026 to 1 December 2026: 12 lines, 3 new "
        "· Bank statements and reconciliations",
    ]
    for sentence in wanted:
        assert sentence in rows, (sentence, rows)
