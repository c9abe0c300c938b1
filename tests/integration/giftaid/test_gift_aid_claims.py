"""Gift Aid from declaration to HMRC's payment, through the real services and books: which gifts a claim
takes, each once; the refusals (a gift twice, an overlapping period, no declaration); the schedule read back
with odfpy cell by cell; the claim and its payment in the ledger, which verifies after each step."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from odf.opendocument import load
from odf.table import Table, TableCell, TableRow
from odf.text import P
from sqlalchemy import func, select

from pledgebank.books.gift_aid_totals import gift_aid_totals
from pledgebank.books.services import book_of
from pledgebank.db import unit_of_work
from pledgebank.errors import Conflict, InvalidInput
from pledgebank.exports.receipts_payments import receipts_and_payments
from pledgebank.giftaid import declarations
from pledgebank.giftaid.claims import candidates
from pledgebank.giftaid.eligibility import Reason, Scope
from pledgebank.giftaid.models import GiftAidClaim, GiftAidClaimLine, GiftAidDeclaration
from pledgebank.giftaid.schedule import HEADINGS, schedule_ods, schedule_rows
from pledgebank.giftaid.wording import fingerprint
from pledgebank.ledger import chart
from tests.factories.giftaid import charity_with_gifts, declare, make_claim, record_payment, today
from tests.factories.pledges import assert_books_ok, balance, ledger_kinds


def count(sessions, model) -> int:
    with unit_of_work(sessions) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_claim_takes_each_covered_gift_once_and_books_a_quarter_as_owed_by_hmrc(app, sessions):
    c = charity_with_gifts(app, sessions)
    ann, ben = c.w.residents
    declare(app, c.w.slug, ann, Scope.PAST_FOUR_YEARS)
    day = today(app)
    start = day - timedelta(days=30)
    with unit_of_work(sessions) as session:
        found = candidates(session, neighbourhood_id=c.w.neighbourhood_id, start=start, end=day)
        assert [(x.received.gift.ref, x.reason) for x in found] == [
            (c.refs[0], Reason.ELIGIBLE),
            (c.refs[1], Reason.NO_DECLARATION),  # Ben never declared
        ]
    claim_id = make_claim(app, c.w.slug, c.w.treasurer, start, day)
    with unit_of_work(sessions) as session:
        claim = session.get(GiftAidClaim, claim_id)
        assert (claim.status, claim.gifts_total, claim.gift_aid) == ("submitted", 10_00, 2_50)
        assert [line.gift_ref for line in claim.lines] == [c.refs[0]]
    assert balance(app, chart.RECEIVABLES) == 2_50
    assert ledger_kinds(app)["gift_aid_claimed"] == 1
    assert_books_ok(app)

    # Ben declares later (past four years covers his gift): the period is claimed, so it is refused.
    declare(app, c.w.slug, ben, Scope.PAST_FOUR_YEARS)
    with pytest.raises(Conflict) as refused:
        make_claim(app, c.w.slug, c.w.treasurer, day, day)
    assert "overlaps" in refused.value.fields["period_start"][0]
    assert count(sessions, GiftAidClaim) == 1

    record_payment(app, c.w.slug, c.w.treasurer, claim_id, day)
    assert balance(app, chart.RECEIVABLES) == 0
    assert balance(app, f"income:{c.fund}:gift-aid") == -2_50
    assert_books_ok(app)
    with pytest.raises(Conflict):  # a second submission of the payment writes nothing
        record_payment(app, c.w.slug, c.w.treasurer, claim_id, day)
    assert ledger_kinds(app)["gift_aid_received"] == 1
    with unit_of_work(sessions) as session:
        book = book_of(session, c.w.neighbourhood_id)
        totals = gift_aid_totals(session, book)
        assert (totals.claimed, totals.received, totals.awaited) == (2_50, 2_50, 0)
        statement = receipts_and_payments(
            session, book, start=date(day.year - 1, 4, 6), end=date(day.year + 1, 4, 5)
        )
        gift_aid = [line for line in statement.receipts if line.key == "gift-aid"]
        assert [(line.label, line.amounts) for line in gift_aid] == [
            ("Gift Aid reclaimed from HMRC", {"restricted": 2_50})
        ]


def test_a_gift_named_twice_or_not_claimable_is_refused_and_nothing_is_stored(app, sessions):
    c = charity_with_gifts(app, sessions)
    for resident in c.w.residents:
        declare(app, c.w.slug, resident, Scope.PAST_FOUR_YEARS)
    day = today(app)
    with pytest.raises(InvalidInput) as twice:
        make_claim(
            app, c.w.slug, c.w.treasurer, day - timedelta(days=9), day, gift_refs=[c.refs[0], c.refs[0]]
        )
    assert "twice" in twice.value.fields["gifts"][0]
    with pytest.raises(InvalidInput) as unknown:
        make_claim(
            app, c.w.slug, c.w.treasurer, day - timedelta(days=9), day, gift_refs=["pledge-signup:999"]
        )
    assert "pledge-signup:999" in unknown.value.fields["gifts"][0]
    with pytest.raises(InvalidInput) as backwards:
        make_claim(app, c.w.slug, c.w.treasurer, day, day - timedelta(days=1))
    assert "period_end" in backwards.value.fields
    assert (count(sessions, GiftAidClaim), count(sessions, GiftAidClaimLine)) == (0, 0)
    assert ledger_kinds(app)["gift_aid_claimed"] == 0

    claim_id = make_claim(app, c.w.slug, c.w.treasurer, day - timedelta(days=9), day, gift_refs=[c.refs[1]])
    with unit_of_work(sessions) as session:
        assert [line.gift_ref for line in session.get(GiftAidClaim, claim_id).lines] == [c.refs[1]]
    assert_books_ok(app)


def test_a_declaration_covers_gifts_only_within_its_scope_and_until_cancelled(app, sessions):
    c = charity_with_gifts(app, sessions)
    ann, ben = c.w.residents
    day = today(app)
    declare(app, c.w.slug, ann, Scope.FROM_TODAY, on=day + timedelta(days=1))  # made after the gift
    declared = declare(app, c.w.slug, ben, Scope.THIS_GIFT, gift_ref=c.refs[1], on=day)
    now = app.extensions["pledgebank.clock"].now()
    with unit_of_work(sessions) as session:
        declarations.cancel(session, user_id=ben, declaration_id=declared, now=now, today=day)
    with unit_of_work(sessions) as session:
        found = candidates(
            session, neighbourhood_id=c.w.neighbourhood_id, start=day - timedelta(days=9), end=day
        )
        # Ann's covers only later gifts; Ben's was cancelled on the gift's day, so it no longer covers it.
        assert [x.reason for x in found] == [Reason.NO_DECLARATION, Reason.NO_DECLARATION]
    with pytest.raises(InvalidInput) as nothing:
        make_claim(app, c.w.slug, c.w.treasurer, day - timedelta(days=9), day)
    assert "No eligible gifts" in nothing.value.fields["period_start"][0]
    with pytest.raises(Conflict), unit_of_work(sessions) as session:
        declarations.cancel(session, user_id=ben, declaration_id=declared, now=now, today=day)


def test_a_declaration_keeps_the_words_shown_and_refuses_missing_details(app, sessions):
    c = charity_with_gifts(app, sessions)
    ann = c.w.residents[0]
    declared = declare(app, c.w.slug, ann, Scope.PAST_FOUR_YEARS)
    with unit_of_work(sessions) as session:
        d = session.get(GiftAidDeclaration, declared)
        assert "in the past 4 years to Elm Park" in d.wording
        assert d.wording_sha256 == fingerprint(d.wording)
        assert (d.postcode, d.last_name) == ("S19 2BD", "Jones-Smith")
    with pytest.raises(InvalidInput) as missing:
        declare(app, c.w.slug, ann, donor={"house": " ", "postcode": "not a postcode", "first_name": ""})
    assert set(missing.value.fields) == {"house", "postcode", "first_name"}
    assert count(sessions, GiftAidDeclaration) == 1


def _cells(data: bytes) -> list[list[str]]:
    document = load(io.BytesIO(data))
    sheet = document.spreadsheet.getElementsByType(Table)[0]
    rows = []
    for row in sheet.getElementsByType(TableRow):
        cells = []
        for cell in row.getElementsByType(TableCell):
            texts = ["".join(str(n) for n in p.childNodes) for p in cell.getElementsByType(P)]
            cells.append("".join(texts))
        rows.append(cells)
    return rows


def test_the_schedule_is_hmrc_s_layout_read_back_cell_by_cell(app, sessions):
    c = charity_with_gifts(app, sessions)
    ann, ben = c.w.residents
    declare(app, c.w.slug, ann, Scope.PAST_FOUR_YEARS)
    bens = {
        "title": "",
        "first_name": "Ben",
        "last_name": "Ap Rhys",
        "house": "Ty Gwyn",
        "postcode": "CF10 1AA",
    }
    declare(app, c.w.slug, ben, Scope.PAST_FOUR_YEARS, donor=bens)
    day = today(app)
    claim_id = make_claim(app, c.w.slug, c.w.treasurer, day - timedelta(days=9), day)
    with unit_of_work(sessions) as session:
        claim = session.get(GiftAidClaim, claim_id)
        data = schedule_ods(schedule_rows(session, claim))
        gift_day = claim.lines[0].gift_date
    when = f"{gift_day:%d/%m/%y}"
    assert _cells(data) == [
        list(HEADINGS),
        ["Ms", "Ann", "Jones Smith", "12", "S19 2BD", "", "", when, "10.00"],
        ["", "Ben", "Ap Rhys", "Ty Gwyn", "CF10 1AA", "", "", when, "10.00"],
    ]
    assert HEADINGS == (
        "Title", "First name", "Last name", "House name or number", "Postcode",
        "Aggregated donations", "Sponsored event", "Donation date", "Amount",
    )  # fmt: skip
