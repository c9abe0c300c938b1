"""The open books describe each transaction in the page's language: on a Welsh page a pledge's card
payments read "Addewid: … — 3 person, times £10.00", a levy's "Ardoll: …, Tachwedd 2026", a grant "Grant
wedi'i dalu", a donation "Rhodd (dienw)"; the CSV's descriptions follow the page; the English page is as
before."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest

from pledgebank.books.treasurer_checks import DONATION, SUPPLIER_PAYMENT
from tests.factories.seeded import TREASURER, seeded_copies
from tests.factories.treasurer import record, terms

TIMES = "\N{MULTIPLICATION SIGN}"
MONTHS_CY = "Ionawr|Chwefror|Mawrth|Ebrill|Mai|Mehefin|Gorffennaf|Awst|Medi|Hydref|Tachwedd|Rhagfyr"
MONTHS_EN = "January|February|March|April|May|June|July|August|September|October|November|December"


@pytest.fixture(scope="module")
def books(database_template, stripe_emulator, tmp_path_factory):
    """The seeded demo neighbourhood, every transaction on one page, with a treasurer's two entries."""
    with seeded_copies(
        database_template, tmp_path_factory.mktemp("money-cy"), stripe_emulator, MONEY_PAGE_SIZE=1000
    ) as copies:
        app, seeded = copies.app(), copies.seeded
        treasurer = seeded.people[TREASURER]
        for entry in (
            terms(
                app,
                SUPPLIER_PAYMENT,
                amount=1_234,
                place="bank",
                payee="Hardware Ltd",
                purpose="Gloves",
                category="materials",
            ),
            terms(app, DONATION, amount=500, place="cash", donor="Open Donor", donor_public=True),
            terms(app, DONATION, amount=700, place="cash", donor="Secret Person", donor_public=False),
        ):
            record(app, treasurer, seeded.slug, entry)
        yield app, seeded


def _words(page: str) -> list[str]:
    return [html.unescape(w) for w in re.findall(r'<td class="words"><a [^>]*><bdi>([^<]*)</bdi>', page)]


def test_the_money_page_describes_transactions_in_welsh(books):
    app, seeded = books
    words = "\n".join(_words(app.test_client().get(f"/n/{seeded.slug}/money?lang=cy").get_data(as_text=True)))
    assert re.search(
        rf"Addewid: [^\n]+ — (?:[2-9]|\d\d+) person {TIMES} £\d+\.\d\d( mewn arian parod)?$", words, re.M
    ), words
    assert re.search(
        rf"Ardoll: [^,\n]+, ({MONTHS_CY}) \d{{4}} — (tâl wedi'i godi ar \d+ aelwyd|\d+ aelwyd wedi talu)",
        words,
    ), words
    assert "Grant wedi'i dalu (" in words, words
    assert "Rhodd (dienw)" in words and "Rhodd — Open Donor" in words, words
    assert "Talwyd Hardware Ltd: Gloves" in words, words
    assert "Secret Person" not in words
    for english in ("Pledge:", "Levy:", "Grant paid", "Donation", "Paid ", " people ", " households "):
        assert english not in words, (english, words)
    assert not re.search(MONTHS_EN, words), words


def test_the_csv_of_a_welsh_page_has_welsh_descriptions(books):
    app, seeded = books
    response = app.test_client().get(f"/n/{seeded.slug}/money.csv?lang=cy")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    descriptions = "\n".join(row[3] for row in rows[1:])
    assert "Rhodd (dienw)" in descriptions and "Talwyd Hardware Ltd: Gloves" in descriptions, descriptions
    assert "Donation" not in descriptions


def test_a_transaction_page_reads_in_welsh(books):
    app, seeded = books
    client = app.test_client()
    html = client.get(f"/n/{seeded.slug}/money?lang=cy").get_data(as_text=True)
    found = re.search(
        r'<bdi>Talwyd Hardware Ltd: Gloves</bdi></a>\s*<span class="meta">· <a href="([^"]+)"', html
    )
    assert found, html
    url = found.group(1)
    page = client.get(url + "?lang=cy").get_data(as_text=True)
    assert "Talwyd Hardware Ltd: Gloves" in page
    assert "Paid Hardware Ltd: Gloves" in client.get(url + "?lang=en").get_data(as_text=True)


def test_the_english_page_reads_as_before(books):
    app, seeded = books
    words = "\n".join(_words(app.test_client().get(f"/n/{seeded.slug}/money?lang=en").get_data(as_text=True)))
    assert re.search(rf"Pledge: [^\n]+ — \d+ people {TIMES} £\d+\.\d\d( in cash)?$", words, re.M), words
    assert re.search(rf"Levy: [^,\n]+, ({MONTHS_EN}) \d{{4}} — \d+ households (charged|paid)", words), words
    assert (
        "Grant paid to " in words and "Donation (anonymous)" in words and "Donation from Open Donor" in words
    )
    assert "Paid Hardware Ltd: Gloves" in words
