"""The bank statement pages: a treasurer uploads a year's statement, confirms the suggested matches, records
the bank's own lines and reconciles the year end; bad files are refused beside the field with nothing
stored; only the treasurer and the chair change them (the committee reads them)."""

from __future__ import annotations

import io
import re

import pytest

from tests.factories.grants import world
from tests.factories.pledges import assert_books_ok
from tests.factories.statements import books_of_the_year, fixture, lines, statement_of_the_year

MAPPING = {
    "bank": "Test Bank",
    "date_column": "Date",
    "date_format": "%Y-%m-%d",
    "description_column": "Description",
    "amount_column": "Amount",
    "paid_in_column": "",
    "paid_out_column": "",
    "reference_column": "Reference",
    "balance_column": "Balance",
}


MATCH_FORM = re.compile(
    r'action="(/n/[^"]+/match)"[^>]*>\s*<input[^>]+>\s*'
    r'<input type="hidden" name="transaction" value="(\d+)"'
)


def _upload(web, slug: str, data: bytes, name: str = "statement.csv", **fields):
    return web.post(
        f"/n/{slug}/bank/upload",
        {**MAPPING, **fields, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _csrf(web, slug: str) -> str:
    return web.csrf_token(f"/n/{slug}/bank")


def test_a_treasurer_uploads_matches_records_and_reconciles_the_year(app, sessions, web):
    w = world(sessions)
    books_of_the_year(app, w.slug)
    web.login("treasurer@example.org")
    sent = _upload(web, w.slug, statement_of_the_year().data)
    assert sent.status_code == 302, sent.get_data(as_text=True)[:3000]
    page = web.get(f"/n/{w.slug}/bank").get_data(as_text=True)
    assert "Read 22 lines from statement.csv: 22 new." in page
    assert "The bank has not been reconciled yet." in page

    for _ in range(5):  # confirm each suggestion in turn
        page = web.get(f"/n/{w.slug}/bank").get_data(as_text=True)
        found = re.search(MATCH_FORM, page)
        assert found, page[:5000]
        assert web.post(found.group(1), {"transaction": found.group(2)}).status_code == 302
    for line in lines(app, w.slug):
        if line.state != "unmatched":
            continue
        kind = {"SERVICE CHARGE": "bank_charges", "CREDIT INTEREST": "bank_interest"}.get(
            line.description, "donation_received"
        )
        prefix = f"line{line.id}-"
        answer = web.post(
            f"/n/{w.slug}/bank/lines/{line.id}/post",
            {
                f"{prefix}kind": kind,
                f"{prefix}fund": "general",
                f"{prefix}remember": "",
                "csrf_token": _csrf(web, w.slug),
            },
        )
        assert answer.status_code == 302, answer.get_data(as_text=True)[:3000]
    assert "Every line uploaded is matched or recorded." in web.get(f"/n/{w.slug}/bank").get_data(
        as_text=True
    )

    shown = web.get(f"/n/{w.slug}/bank/reconcile?on=2025-12-31").get_data(as_text=True)
    assert "The bank and the books agree." in shown
    assert "£1,614.12" in shown  # the statement's balance
    saved = web.post(f"/n/{w.slug}/bank/reconcile", {"on": "2025-12-31", "statement_balance": ""})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:3000]
    assert "last reconciled at <strong>31 December 2025</strong>" in web.get(f"/n/{w.slug}/bank").get_data(
        as_text=True
    )
    assert_books_ok(app)


BAD_FILES = [
    (b"", "empty.csv", "Choose a statement file"),
    (b"Date,Description,Amount,Reference,Balance\n2025-13-45,X,1.00,,1.00\n", "bad-date.csv", "line 2"),
    (b"Date,Description,Amount,Reference,Balance\n2025-01-02,X,lots,,1.00\n", "bad-amount.csv", "line 2"),
    (b"Date,Description,Amount,Reference,Balance\n2025-01-02,X\n", "truncated.csv", "Line 2"),
    (b"<?xml version='1.0'?><Document><BkToCstmrStmt><Stmt>", "truncated.xml", "not well-formed XML"),
    (b"<OFX><BANKMSGSRSV1><STMTTRNRS>", "truncated.ofx", "not a readable OFX statement"),
    (b"x" * 2_000_001, "huge.csv", "at most 2,000,000 bytes"),
]


@pytest.mark.parametrize(("data", "name", "words"), BAD_FILES, ids=[name for _d, name, _w in BAD_FILES])
def test_a_bad_file_is_refused_beside_the_field_and_nothing_is_stored(app, sessions, web, data, name, words):
    w = world(sessions)
    web.login("treasurer@example.org")
    page = _upload(web, w.slug, data, name)
    text = page.get_data(as_text=True)
    assert page.status_code == 422, text[:3000]
    assert 'id="file-error"' in text and words in text, text[:5000]
    assert lines(app, w.slug) == []


def test_a_wrong_mapping_names_the_missing_column(app, sessions, web):
    w = world(sessions)
    web.login("treasurer@example.org")
    page = _upload(web, w.slug, statement_of_the_year().data, amount_column="Value")
    text = page.get_data(as_text=True)
    assert page.status_code == 422
    assert 'id="amount_column-error"' in text and "no column &#39;Value&#39;" in text
    assert lines(app, w.slug) == []


def test_ofx_in_another_currency_and_camt_for_another_account_are_refused(app, sessions, web):
    w = world(sessions)
    web.login("treasurer@example.org")
    euros = fixture("statement.ofx").replace(b"<CURDEF>GBP", b"<CURDEF>EUR")
    page = _upload(web, w.slug, euros, "euros.ofx")
    assert page.status_code == 422 and "is in EUR (CURDEF)" in page.get_data(as_text=True)
    assert _upload(web, w.slug, fixture("statement.ofx"), "jan.ofx").status_code == 302
    page = _upload(web, w.slug, fixture("statement.camt.xml"), "other.xml")
    assert page.status_code == 422 and "GB33BUKB20201555555555" in page.get_data(as_text=True)
    assert len(lines(app, w.slug)) == 3


def test_a_file_name_with_path_separators_is_refused(app, sessions, web):
    w = world(sessions)
    web.login("treasurer@example.org")
    page = _upload(web, w.slug, fixture("statement.ofx"), "../../etc/statement.ofx")
    assert page.status_code == 422 and "path separators" in page.get_data(as_text=True)
    assert lines(app, w.slug) == []


@pytest.mark.parametrize("who", ["member0@example.org", "resident0@example.org"])
def test_only_the_treasurer_and_chair_change_the_bank_pages(app, sessions, web, who):
    w = world(sessions)
    web.login(who)
    committee = who.startswith("member")  # the committee reads the bank pages; a resident does not
    for path in ("bank", "bank/reconcile"):
        assert web.get(f"/n/{w.slug}/{path}").status_code == (200 if committee else 403)
    if not committee:
        assert web.get(f"/n/{w.slug}/bank/stripe").status_code == 403
    assert _upload(web, w.slug, fixture("statement.ofx"), "jan.ofx").status_code == 403
    assert web.post(f"/n/{w.slug}/bank/reconcile", {"on": "2025-12-31"}).status_code == 403
    assert lines(app, w.slug) == []
    web.logout()
    web.login("chair@example.org")
    assert web.get(f"/n/{w.slug}/bank").status_code == 200


def test_a_line_recorded_as_the_wrong_kind_or_matched_to_nonsense_is_refused(app, sessions, web):
    w = world(sessions)
    books_of_the_year(app, w.slug)
    web.login("treasurer@example.org")
    assert _upload(web, w.slug, statement_of_the_year().data).status_code == 302
    charge = next(line for line in lines(app, w.slug) if line.description == "SERVICE CHARGE")
    prefix = f"line{charge.id}-"
    page = web.post(
        f"/n/{w.slug}/bank/lines/{charge.id}/post",
        {f"{prefix}kind": "bank_interest", f"{prefix}fund": "general", "csrf_token": _csrf(web, w.slug)},
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 422 and f'id="{prefix}kind-error"' in text and "money out of the bank" in text
    for nonsense in ("abc", "0", "99999999"):
        page = web.post(f"/n/{w.slug}/bank/lines/{charge.id}/match", {"transaction": nonsense})
        assert page.status_code == 422, nonsense
    assert all(line.state == "unmatched" for line in lines(app, w.slug))
    assert_books_ok(app)


def test_a_reconciliation_with_a_bad_date_or_balance_is_refused_beside_the_field(app, sessions, web):
    w = world(sessions)
    books_of_the_year(app, w.slug)
    web.login("treasurer@example.org")
    assert _upload(web, w.slug, statement_of_the_year().data).status_code == 302
    for data, field in (
        ({"on": "", "statement_balance": ""}, "on"),
        ({"on": "31/12/2025", "statement_balance": ""}, "on"),
        ({"on": "2025-12-31", "statement_balance": "lots"}, "statement_balance"),
        ({"on": "2025-12-31", "statement_balance": ""}, "on"),  # the lines are not settled yet
        ({"on": "2024-12-31", "statement_balance": ""}, "on"),  # before any statement
    ):
        page = web.post(f"/n/{w.slug}/bank/reconcile", data)
        text = page.get_data(as_text=True)
        assert page.status_code == 422, (data, text[:2000])
        assert f'id="{field}-error"' in text, data
    assert "Reconciliations saved" not in web.get(f"/n/{w.slug}/bank/reconcile").get_data(as_text=True)
