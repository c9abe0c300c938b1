"""Statement import through the real service: each format read from a file written for the test, lines
stored once however often an overlapping statement comes back, the account and currency checked."""

from __future__ import annotations

from datetime import date

import pytest

from pledgebank.errors import Forbidden, InvalidInput
from tests.factories.grants import world
from tests.factories.statements import PAID_IN_OUT, YEAR_LAYOUT, fixture, lines, statement_of_the_year, upload


def test_a_csv_statement_with_paid_in_and_out_columns_is_read_through_its_mapping(app, sessions):
    w = world(sessions)
    _id, read, added, again = upload(app, w.treasurer, w.slug, fixture("paid_in_out.csv"), layout=PAID_IN_OUT)
    assert (read, added, again) == (4, 4, False)
    found = [(line.booked_on, line.amount, line.description, line.balance) for line in lines(app, w.slug)]
    assert found == [
        (date(2025, 1, 3), 25_000, "A SMITH DONATION", 125_000),
        (date(2025, 1, 6), -12_000, "OAK FENCING LTD", 113_000),
        (date(2025, 1, 31), -500, "SERVICE CHARGE JAN", 112_500),
        (date(2025, 1, 31), -500, "SERVICE CHARGE JAN", 112_000),
    ]


def test_an_ofx_statement_is_read_with_its_account_and_balance(app, sessions):
    w = world(sessions)
    _id, read, added, _again = upload(app, w.treasurer, w.slug, fixture("statement.ofx"), filename="jan.ofx")
    assert (read, added) == (3, 3)
    assert [(line.amount, line.reference) for line in lines(app, w.slug)] == [
        (25_000, "202501030001"),
        (-12_000, "202501060001"),
        (-500, "202501310001"),
    ]


def test_a_camt_statement_is_read_and_pending_entries_are_left_out(app, sessions):
    w = world(sessions)
    _id, read, added, _again = upload(app, w.chair, w.slug, fixture("statement.camt.xml"), filename="jan.xml")
    assert (read, added) == (3, 3)
    assert [line.description for line in lines(app, w.slug)] == [
        "A SMITH DONATION",
        "OAK FENCING LTD",
        "SERVICE CHARGE",
    ]


def _rows(data: bytes) -> list[bytes]:
    return data.splitlines()[1:]


def test_an_overlapping_statement_adds_only_its_new_lines(app, sessions):
    w = world(sessions)
    first = statement_of_the_year(through=date(2025, 6, 30)).data
    second = statement_of_the_year(since=date(2025, 4, 1)).data
    whole = statement_of_the_year().data
    overlap = set(_rows(first)) & set(_rows(second))
    assert len(overlap) == 5 and len(_rows(whole)) == 22
    _id, read, added, _ = upload(app, w.treasurer, w.slug, first, layout=YEAR_LAYOUT)
    assert read == added == len(_rows(first))
    _id, read, added, _ = upload(app, w.treasurer, w.slug, second, layout=YEAR_LAYOUT)
    assert (read, added) == (len(_rows(second)), len(_rows(second)) - len(overlap))
    _id, read, added, _ = upload(app, w.treasurer, w.slug, whole, layout=YEAR_LAYOUT)
    assert (read, added) == (22, 0)
    assert len(lines(app, w.slug)) == 22


def test_the_same_file_again_finds_its_statement_and_adds_nothing(app, sessions):
    w = world(sessions)
    first = upload(app, w.treasurer, w.slug, fixture("paid_in_out.csv"), layout=PAID_IN_OUT)
    again = upload(app, w.treasurer, w.slug, fixture("paid_in_out.csv"), layout=PAID_IN_OUT)
    assert again == (first[0], 4, 4, True)
    assert len(lines(app, w.slug)) == 4


def test_identical_lines_without_a_balance_are_told_apart_by_their_place(app, sessions):
    w = world(sessions)
    data = b"Date,Description,Amount\n2025-01-31,CHARGE,-5.00\n2025-01-31,CHARGE,-5.00\n"
    layout = YEAR_LAYOUT.__class__(
        date_column="Date", date_format="%Y-%m-%d", description_column="Description", amount_column="Amount"
    )
    assert upload(app, w.treasurer, w.slug, data, layout=layout)[1:3] == (2, 2)
    more = data + b"2025-02-01,CHARGE,-5.00\n"
    assert upload(app, w.treasurer, w.slug, more, layout=layout)[1:3] == (3, 1)


def test_a_resident_or_committee_member_may_not_upload(app, sessions):
    w = world(sessions)
    for who in (w.residents[0], w.members[0]):
        with pytest.raises(Forbidden):
            upload(app, who, w.slug, fixture("statement.ofx"))
    assert lines(app, w.slug) == []


def test_a_statement_for_another_account_is_refused_and_nothing_stored(app, sessions):
    w = world(sessions)
    upload(app, w.treasurer, w.slug, fixture("statement.ofx"))
    other = fixture("statement.camt.xml")  # GB33BUKB20201555555555 is not 12345678
    with pytest.raises(InvalidInput) as refused:
        upload(app, w.treasurer, w.slug, other)
    assert "account" in refused.value.fields
    assert "GB33BUKB20201555555555" in refused.value.message
    assert len(lines(app, w.slug)) == 3


def test_an_iban_holding_the_account_number_is_the_same_account(app, sessions):
    w = world(sessions)
    upload(app, w.treasurer, w.slug, fixture("statement.camt.xml"))
    ofx = fixture("statement.ofx").replace(b"<ACCTID>12345678", b"<ACCTID>55555555")
    assert upload(app, w.treasurer, w.slug, ofx)[1] == 3
