"""The Welsh catalogue ships with the package and a page's text is looked up in it."""

from flask import render_template_string
from flask_babel import force_locale


def test_a_marked_string_reads_in_welsh_under_the_welsh_locale(app):
    with app.test_request_context("/"):
        with force_locale("cy"):
            assert render_template_string("{{ _('Skip to main content') }}") == "Neidio i'r prif gynnwys"
        assert render_template_string("{{ _('Skip to main content') }}") == "Skip to main content"


def test_the_home_page_is_still_english_by_default(app):
    page = app.test_client().get("/")
    assert page.status_code == 200
    assert b"Skip to main content" in page.data
