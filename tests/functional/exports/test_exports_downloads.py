"""Downloads from the web: a treasurer (and the chair) get every format, streamed as a file and recorded;
residents and committee members are refused; a bad choice is shown back with the reason."""

from __future__ import annotations

import csv
import io
import json

from pledgebank.exports.giving360 import problems
from tests.factories.grants import apply, decide, declare, give_fund, make_round, reviewed, world


def _awarded_world(app, sessions):
    w = world(sessions)
    give_fund(app, w.slug, 100_000)
    grant = apply(app, make_round(app, w), w.residents[0], 20_000, group="Friends of Elm Park")
    reviewed(app, grant, w.members)
    declare(app, grant, w.chair)
    decide(app, grant, w.chair, "award")
    return w


def _download(web, slug: str, fmt: str, **params):
    return web.post(f"/n/{slug}/exports/download", {"format": fmt, **params})


def test_a_treasurer_downloads_every_format_and_each_ledger_export_is_recorded(app, sessions, web):
    w = _awarded_world(app, sessions)
    web.login("treasurer@example.org")
    page = web.get(f"/n/{w.slug}/exports")
    assert page.status_code == 200
    assert "No exports yet." in page.get_data(as_text=True)

    table = _download(web, w.slug, "csv")
    assert table.status_code == 200
    assert table.is_streamed
    assert table.headers["Content-Disposition"] == f'attachment; filename="{w.slug}-ledger-1-2.csv"'
    assert table.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(table.get_data().decode("utf-8-sig"))))
    assert [row["description"] for row in rows] == ["Donation (anonymous) by bank transfer"] * 2 + [
        "Grant to Friends of Elm Park: Bulbs for the verges"
    ] * 2
    assert [(row["sequence"], row["kind"], row["account"], row["amount"]) for row in rows] == [
        ("1", "cash_received", "assets:bank:general", "1000.00"),
        ("1", "cash_received", "income:general:donations", "-1000.00"),
        ("2", "grant_awarded", "expenses:general:grants", "200.00"),
        ("2", "grant_awarded", "liabilities:grants-payable:general", "-200.00"),
    ]

    lines = _download(web, w.slug, "jsonl").get_data(as_text=True).splitlines()
    header, *transactions, trailer = (json.loads(line) for line in lines)
    assert (header["type"], header["first_sequence"], header["last_sequence"]) == ("header", 1, 2)
    assert header["previous_export"]["format"] == "csv"
    assert [t["sequence"] for t in transactions] == [1, 2]
    assert trailer == {**trailer, "type": "trailer", "transactions": 2, "head_hash": transactions[-1]["hash"]}

    journal = _download(web, w.slug, "beancount", fund="general").get_data(as_text=True)
    assert "open Assets:Bank GBP" in journal
    assert '* "Grant to Friends of Elm Park: Bulbs for the verges"' in journal
    assert '  memo: "grant_awarded fund=general"' in journal
    hledger = _download(web, w.slug, "hledger", date_from="2026-03-02", date_to="2026-03-02")
    assert "account Liabilities:Grants-payable  ; code:liabilities:grants-payable" in hledger.get_data(
        as_text=True
    )

    grants = _download(web, w.slug, "360giving")
    assert grants.headers["Content-Disposition"] == f'attachment; filename="{w.slug}-grants-360giving.json"'
    package = json.loads(grants.get_data(as_text=True))
    assert problems(package) == []
    assert [(g["title"], g["amountAwarded"]) for g in package["grants"]] == [("Bulbs for the verges", 200)]
    assert package["grants"][0]["recipientOrganization"][0]["name"] == "Friends of Elm Park"

    history = web.get(f"/n/{w.slug}/exports").get_data(as_text=True)
    assert history.count("Treasurer Person") == 4
    assert "#1 to #2 (2)" in history


def test_the_chair_may_export_but_residents_and_the_committee_may_not(app, sessions, web):
    w = world(sessions)
    web.login("chair@example.org")
    assert _download(web, w.slug, "jsonl").status_code == 200
    web.logout()
    for person in ("resident0@example.org", "member0@example.org"):
        web.login(person)
        assert web.get(f"/n/{w.slug}/exports").status_code == 403
        assert _download(web, w.slug, "csv").status_code == 403
        web.logout()
    signed_out = _download(web, w.slug, "csv")
    assert signed_out.status_code == 302
    assert "/login" in signed_out.headers["Location"]


def test_a_bad_choice_comes_back_with_the_reason(app, sessions, web):
    w = world(sessions)
    web.login("treasurer@example.org")
    backwards = _download(web, w.slug, "csv", date_from="2026-03-02", date_to="2026-03-01")
    assert backwards.status_code == 422
    assert "Choose an end date on or after the start date." in backwards.get_data(as_text=True)
    unknown = _download(web, w.slug, "xlsx")
    assert unknown.status_code == 422
    no_grants = _download(web, w.slug, "360giving")
    assert no_grants.status_code == 422
    assert "There are no awarded grants to publish" in no_grants.get_data(as_text=True)
