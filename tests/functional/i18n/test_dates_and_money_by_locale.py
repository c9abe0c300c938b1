"""Dates and money follow the page's (or email's) language: '5 Rhagfyr 2026' in Welsh, £10.00 in both."""

from datetime import UTC, date, datetime

from flask import render_template_string
from flask_babel import force_locale

TEMPLATE = (
    "{{ on|day }} | {{ 1000|minor }} | {{ moment|until_words }} | {{ later|time_until(moment) }}"
    " | {{ later|time_left(moment) }}"
)
VALUES = {
    "on": date(2026, 12, 5),
    "moment": datetime(2027, 1, 1, 0, 0, tzinfo=UTC),
    "later": datetime(2027, 1, 3, 5, 0, tzinfo=UTC),
}


def test_dates_money_and_spans_of_time_in_english(app):
    with app.test_request_context("/"):
        shown = render_template_string(TEMPLATE, **VALUES)
    assert shown == "5 December 2026 | £10.00 | the end of 31 December 2026 | 2 days | 2 days and 5 hours"


def test_the_same_in_welsh(app):
    with app.test_request_context("/"), force_locale("cy_GB"):
        shown = render_template_string(TEMPLATE, **VALUES)
    assert shown == "5 Rhagfyr 2026 | £10.00 | diwedd 31 Rhagfyr 2026 | 2 diwrnod | 2 diwrnod a 5 awr"


def test_a_welsh_page_shows_welsh_dates(app):
    with app.test_request_context("/?lang=cy"):
        assert render_template_string("{{ on|day }}", on=date(2026, 3, 2)) == "2 Mawrth 2026"
