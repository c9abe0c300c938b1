"""The chair sets a neighbourhood's default language in its settings; a bad value is refused beside the field
and nothing changes."""

from sqlalchemy import select

from pledgebank.books.models import AuditEvent
from pledgebank.db import unit_of_work
from tests.helpers.app import make_neighbourhood, make_user, neighbourhood
from tests.helpers.foundation import field_error

SETTINGS = {"description": "Around the park.", "allow_cash_pledges": "y", "collection_window_hours": "72"}


def _default(sessions, slug: str) -> str:
    with unit_of_work(sessions) as session:
        return neighbourhood(session, slug).default_language


def test_the_chair_makes_welsh_the_default_and_the_change_is_audited(web, sessions):
    chair = make_user(sessions, "chair@example.org", "Chair")
    slug = make_neighbourhood(sessions, chair)
    web.login("chair@example.org")
    assert 'name="default_language"' in web.get(f"/n/{slug}/settings").get_data(as_text=True)
    assert web.post(f"/n/{slug}/settings", {**SETTINGS, "default_language": "cy"}).status_code == 302
    assert _default(sessions, slug) == "cy"
    with unit_of_work(sessions) as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "settings.changed")).one()
        assert (event.before["default_language"], event.after["default_language"]) == ("", "cy")


def test_a_language_we_do_not_speak_is_refused_beside_the_field(web, sessions):
    chair = make_user(sessions, "chair@example.org", "Chair")
    slug = make_neighbourhood(sessions, chair)
    web.login("chair@example.org")
    refused = web.post(f"/n/{slug}/settings", {**SETTINGS, "default_language": "fr"})
    assert refused.status_code == 422
    error = field_error(refused.get_data(as_text=True), "default_language")
    assert "Choose English or Cymraeg." in error
    assert "Not a valid choice" not in error  # one message, not the field's own beside it
    assert _default(sessions, slug) == ""


def test_a_settings_form_without_the_language_leaves_it_as_it_is(web, sessions):
    chair = make_user(sessions, "chair@example.org", "Chair")
    slug = make_neighbourhood(sessions, chair)
    web.login("chair@example.org")
    assert web.post(f"/n/{slug}/settings", {**SETTINGS, "default_language": "cy"}).status_code == 302
    assert web.post(f"/n/{slug}/settings", SETTINGS).status_code == 302
    assert _default(sessions, slug) == "cy"


def test_the_json_api_reads_no_page_language(app, web, sessions):
    from sqlalchemy import event

    chair = make_user(sessions, "chair@example.org", "Chair")
    slug = make_neighbourhood(sessions, chair)
    seen: list[str] = []

    def note(_conn, _cursor, statement, _parameters, _context, _many):
        seen.append(statement)

    engine = app.extensions["pledgebank.engine"]
    event.listen(engine, "before_cursor_execute", note)
    try:
        assert web.get(f"/api/v1/neighbourhoods/{slug}").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert not any(s.startswith("SELECT neighbourhoods.default_language") for s in seen)
