"""The files people download to read follow the page's language: the statements (receipts and payments as
CSV and spreadsheet, the trial balance as CSV), the open books, the pulse and the community dividends as CSV.
Their headings and fixed labels read in Welsh on a Welsh page; amounts and dates stay machine-plain, and the
English files stay as they were."""

from __future__ import annotations

import csv
import io

from odf.namespaces import OFFICENS
from odf.opendocument import load
from odf.table import Table, TableCell, TableRow

from pledgebank.neighbourhoods.models import FundType
from tests.factories.dividends import agreed, evidence
from tests.factories.grants import world
from tests.factories.pulse import open_round
from tests.helpers.app import WebClient
from tests.helpers.export_pages import elm_park, entries


def _place(sessions):
    """Elm Park with a restricted playground fund, so the statement has its funds section too."""
    return elm_park(
        sessions, fund=("Playground fund", FundType.RESTRICTED.value, "New swings"), entries=entries()
    )


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def _dicts(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.status_code
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def _ods(body: bytes) -> tuple[str, list[list[str]]]:
    """The first sheet's name and rows, read back with odfpy: amounts from their value, text from the cell."""
    sheet = load(io.BytesIO(body)).spreadsheet.getElementsByType(Table)[0]
    rows = []
    for row in sheet.getElementsByType(TableRow):
        cells = []
        for cell in row.getElementsByType(TableCell):
            kind = cell.getAttrNS(OFFICENS, "value-type")
            cells.append(cell.getAttrNS(OFFICENS, "value") if kind == "currency" else str(cell))
        rows.append(cells)
    return str(sheet.getAttribute("name")), rows


WELSH_HEADING = [
    "Adran",
    "Llinell",
    "Cronfeydd anghyfyngedig",
    "Cronfeydd cyfyngedig",
    "Cronfeydd gwaddol",
    "Cyfanswm eleni",
    "Cyfanswm y llynedd",
]


def _check_welsh_statement(rows: list[list[str]]) -> None:
    assert rows[0] == WELSH_HEADING
    lines = {(row[0], row[1]): row[2:] for row in rows[1:]}
    assert lines[("A1 Derbyniadau", "Rhoddion")][:4] == ["120.00", "0.00", "0.00", "120.00"]
    assert lines[("A1 Derbyniadau", "Cyfanswm derbyniadau")][3] == "145.00"
    assert lines[("A2 Taliadau", "Grantiau a dalwyd")][3] == "75.00"
    assert lines[("A2 Taliadau", "Ffioedd prosesu taliadau")][3] == "0.58"
    assert ("A3 Cronfeydd arian parod", "Cronfeydd arian parod ar ddiwedd y flwyddyn") in lines
    assert lines[("B1 Cronfeydd arian parod", "Banc")][3] == "25.00"
    assert ("B1 Cronfeydd arian parod", "Arian parod a ddelir gan y trysorydd") in lines
    assert ("B5 Rhwymedigaethau", "Grantiau a ddyfarnwyd, heb eu talu eto") in lines
    funds = [row for row in rows if row[0] == "Cronfeydd cyfyngedig a gwaddol"]
    assert funds[0][1:] == [
        "Cronfa",
        "Arian parod ar y dechrau",
        "Arian parod ar y diwedd",
        "Yn ddyledus i'r gronfa",
        "Yn ddyledus gan y gronfa",
        "Balans",
    ]
    assert funds[1][1] == "Playground fund"
    text = " ".join(" ".join(row) for row in rows)
    for english in ("Receipts", "Payments", "Total", "Cash", "funds", "Owed", "Section"):
        assert english not in text, english


def test_the_receipts_and_payments_downloads_read_in_welsh(app, sessions, web):
    place = _place(sessions)
    web.login("treasurer@example.org")
    address = f"/n/{place.slug}/statements/receipts-and-payments?year=2025"
    _check_welsh_statement(_rows(web.get(f"{address}&as=csv&lang=cy")))
    response = web.get(f"{address}&as=ods&lang=cy")
    assert response.status_code == 200
    name, rows = _ods(response.get_data())
    assert name == "2025 i 2026"
    _check_welsh_statement(rows)


def test_the_statement_page_says_the_same_words_as_its_downloads(app, sessions, web):
    place = _place(sessions)
    web.login("treasurer@example.org")
    address = f"/n/{place.slug}/statements/receipts-and-payments?year=2025"
    page = web.get(f"{address}&lang=cy").get_data(as_text=True)
    assert '<th scope="row">Cyfanswm derbyniadau</th>' in page
    assert '<th scope="rowgroup" colspan="6">A2 Taliadau</th>' in page
    assert '<th scope="col" class="num">Cronfeydd anghyfyngedig</th>' in page
    assert '<th scope="col" class="num">Yn ddyledus i&#39;r gronfa</th>' in page
    assert "<td>Grantiau a dalwyd</td>" in page
    assert "Total receipts" not in page and "Grants paid" not in page


def test_the_receipts_and_payments_downloads_stay_english_on_an_english_page(app, sessions, web):
    place = _place(sessions)
    web.login("treasurer@example.org")
    address = f"/n/{place.slug}/statements/receipts-and-payments?year=2025"
    rows = _rows(web.get(f"{address}&as=csv"))
    assert rows[0][:3] == ["Section", "Line", "Unrestricted funds"]
    assert ["A1 Receipts", "Total receipts", "120.00", "25.00", "0.00", "145.00", "0.00"] in rows
    assert rows[-2][:3] == ["Restricted and endowment funds", "Fund", "Cash at start"]
    assert rows[-1][:2] == ["Restricted and endowment funds", "Playground fund"]
    name, sheet = _ods(web.get(f"{address}&as=ods").get_data())
    assert name == "2025 to 2026"
    assert sheet == rows


def test_the_trial_balance_csv_reads_in_welsh(app, sessions, web):
    place = _place(sessions)
    web.login("treasurer@example.org")
    address = f"/n/{place.slug}/statements/trial-balance?on=2026-03-02&as=csv"
    english = _rows(web.get(address))
    rows = _rows(web.get(f"{address}&lang=cy"))
    assert rows[0] == ["cyfrif", "enw", "math", "cronfa", "debyd", "credyd", "arian_cyfred"]
    assert rows[-1] == ["cyfanswm", "", "", "", "145.00", "145.00", "GBP"]
    assert english[0] == ["account", "name", "type", "fund", "debit", "credit", "currency"]
    assert english[1:] == [*rows[1:-1], ["total", "", "", "", "145.00", "145.00", "GBP"]]


def test_the_open_books_csv_has_welsh_headings(app, sessions):
    place = _place(sessions)
    visitor = WebClient(app.test_client())
    english = _rows(visitor.get(f"/n/{place.slug}/money.csv"))
    welsh = _rows(visitor.get(f"/n/{place.slug}/money.csv?lang=cy"))
    assert welsh[0] == [
        "dyddiad",
        "trafodion",
        "cronfa",
        "disgrifiad",
        "arian_i_mewn",
        "arian_allan",
        "symudwyd",
        "ffioedd_cerdyn",
        "arian_cyfred",
        "dolen",
    ]
    assert english[0] == [
        "date",
        "transactions",
        "fund",
        "description",
        "money_in",
        "money_out",
        "moved",
        "card_fees",
        "currency",
        "link",
    ]
    assert [row[:3] + row[4:] for row in welsh[1:]] == [row[:3] + row[4:] for row in english[1:]]


def test_the_pulse_csv_has_welsh_headings(app, sessions):
    w = world(sessions)
    open_round(app, w)
    visitor = WebClient(app.test_client())
    english = _rows(visitor.get(f"/n/{w.slug}/pulse.csv"))
    welsh = _rows(visitor.get(f"/n/{w.slug}/pulse.csv?lang=cy"))
    assert welsh[0] == [
        "rownd",
        "teitl",
        "yn_agor",
        "yn_cau",
        "mesur",
        "cwestiwn",
        "wedi_rhoi_barn",
        "yn_cytuno",
        "cyfran_yn_cytuno",
        "ci95_isaf",
        "ci95_uchaf",
    ]
    assert english[0][:3] == ["round", "title", "opens"] and english[0][-1] == "ci95_high"
    assert [row[:5] for row in welsh[1:]] == [row[:5] for row in english[1:]]
    assert "Rwy'n fodlon â'm hardal leol fel lle i fyw." in [row[5] for row in welsh[1:]]
    assert "I am satisfied with my local area as a place to live." in [row[5] for row in english[1:]]


def test_the_dividends_csv_has_welsh_headings(app, sessions):
    w = world(sessions)
    agreement_id = agreed(app, w)
    evidence(app, w, agreement_id, 33)
    visitor = WebClient(app.test_client())
    english = _dicts(visitor.get(f"/n/{w.slug}/dividends.csv"))
    welsh = _dicts(visitor.get(f"/n/{w.slug}/dividends.csv?lang=cy"))
    assert list(english[0])[:3] == ["id", "version", "previous_id"] and list(english[0])[-1] == "outcomes"
    assert list(welsh[0]) == [
        "id",
        "fersiwn",
        "id_blaenorol",
        "cymdogaeth",
        "corff",
        "teitl",
        "statws",
        "canlyniad",
        "uned",
        "cyfeiriad",
        "ffynhonnell_canlyniad",
        "llinell_sylfaen",
        "cyfnod_llinell_sylfaen",
        "targed",
        "dyddiad cau",  # the same word as the audit log's (one msgid)
        "amodau",
        "taliad_wrth_y_targed",
        "llawr",
        "uchafswm",
        "arian_cyfred",
        "cronfa",
        "ffigur_diweddaraf",
        "ffigur_dilys",
        "wedi_ennill",
        "wedi_dod_i_law",
        "hash_amodau",
        "canlyniadau",
    ]
    assert list(welsh[0].values()) == list(english[0].values())
