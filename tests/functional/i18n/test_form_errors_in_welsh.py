"""A form's errors from the shared parsers (money, counts, dates) read in the page's language: the sentence
and the field's name inside it, with the currency named in Welsh on a Welsh page."""

from __future__ import annotations

import pytest

from tests.helpers.pledge_forms import VALID
from tests.helpers.pledge_pages import error_beside, people

WELSH = [
    ("amount", "ten", "Rhowch y swm mewn punnoedd, fel 10 neu 7.50."),
    ("amount", "0", "Rhowch y swm sy'n fwy na sero."),
    ("amount", "10,50", "Rhowch y swm gyda phwynt, nid coma, cyn y rhan ddegol, fel 10.50."),
    ("amount", "$10", "Rhowch y swm mewn punnoedd (£): ni dderbynnir arian cyfred arall."),
    ("target_pledgers", "lots", "Rhowch nifer y bobl fel rhif cyfan, fel 40."),
    ("target_pledgers", "2000000", "Rhowch nifer y bobl o 1 i 1,000,000."),
    ("target_amount", "-5", "Rhowch yr arian sydd ei angen sy'n fwy na sero."),
    ("deadline", "14/03/2026", "Rhowch y dyddiad fel 2026-03-14."),
]


@pytest.mark.parametrize(("field", "value", "welsh"), WELSH)
def test_a_parsers_error_reads_in_welsh_on_a_welsh_page(app, sessions, field, value, welsh):
    world = people(sessions, "ann")
    ann = world.client(app, sessions, "ann")
    response = ann.post(f"/n/{world.slug}/pledges/new?lang=cy", {**VALID, field: value})
    assert response.status_code == 422
    assert welsh in error_beside(response.get_data(as_text=True), field)


def test_the_same_error_stays_english_on_an_english_page(app, sessions):
    world = people(sessions, "ann")
    ann = world.client(app, sessions, "ann")
    response = ann.post(f"/n/{world.slug}/pledges/new", {**VALID, "amount": "ten"})
    beside = error_beside(response.get_data(as_text=True), "amount")
    assert "Enter the amount as a number of pounds, like 10 or 7.50." in beside
    assert "Rhowch" not in beside


def test_the_json_api_keeps_the_english_sentence(app):
    from pledgebank.inputs import InputError, parse_money

    with app.test_request_context("/?lang=cy"), pytest.raises(InputError) as refused:
        parse_money("ten", "GBP", what="amount")
    assert refused.value.message == "Enter amount as a number of pounds, like 10 or 7.50."
