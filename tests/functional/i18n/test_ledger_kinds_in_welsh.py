"""The ledger names each transaction's kind in the page's language ("donation received" is "rhodd a
dderbyniwyd" on a Welsh page), and every kind the ledger can hold, and every grant application's status, has
its words in both languages."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from flask_babel import force_locale

from pledgebank.grants.states import LABELS, ApplicationStatus
from pledgebank.ledger import kinds
from pledgebank.web.filters import grant_status, ledger_kind
from tests.factories.grants import world
from tests.helpers.treasurer_pages import _form

EVERY_KIND = [value for name, value in vars(kinds).items() if name.isupper() and isinstance(value, str)]


def _record_donation(web, slug: str) -> None:
    data = {**_form(web, slug), "kind": "donation", "amount": "25.00", "place": "cash", "description": "Fete"}
    assert web.post(f"/n/{slug}/ledger/record", data).status_code == 302


def _kinds_shown(page: str) -> list[str]:
    return [line.split("·")[0].strip() for line in re.findall(r'<p class="meta">([^<]*)', page)]


def test_the_ledger_names_a_kind_in_welsh_on_a_welsh_page(sessions, web):
    w = world(sessions)
    web.login("treasurer@example.org")
    _record_donation(web, w.slug)
    assert _kinds_shown(web.get(f"/n/{w.slug}/ledger?lang=cy").get_data(as_text=True)) == [
        "rhodd a dderbyniwyd"
    ]
    assert _kinds_shown(web.get(f"/n/{w.slug}/ledger?lang=en").get_data(as_text=True)) == [
        "donation received"
    ]


@pytest.mark.parametrize("kind", EVERY_KIND)
def test_every_kind_has_words_in_both_languages(app, kind):
    with app.test_request_context("/"):
        english = ledger_kind(kind)
        with force_locale("cy_GB"):
            welsh = ledger_kind(kind)
    assert english == kind.replace("_", " ")
    assert welsh and welsh != english, kind


@pytest.mark.parametrize("status", list(ApplicationStatus))
def test_every_grant_status_has_words_in_both_languages(app, status):
    application = SimpleNamespace(status=status)
    with app.test_request_context("/"):
        english = grant_status(application)
        with force_locale("cy_GB"):
            welsh = grant_status(application)
    assert english == LABELS[status]
    assert welsh and welsh != english, status
