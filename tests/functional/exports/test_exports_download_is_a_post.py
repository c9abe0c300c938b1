"""Making an export is recorded, so it is a form sent with POST and its CSRF token: a GET (a link followed,
a prefetch, a crawler) never makes or records one."""

from __future__ import annotations

from sqlalchemy import func, select

from pledgebank.db import unit_of_work
from pledgebank.exports.models import LedgerExport
from tests.factories.grants import give_fund, world


def _exports(sessions) -> int:
    with unit_of_work(sessions) as session:
        return session.scalar(select(func.count()).select_from(LedgerExport))


def test_a_get_of_the_download_address_records_nothing(app, sessions, web):
    w = world(sessions)
    give_fund(app, w.slug, 10_000)
    web.login("treasurer@example.org")
    url = f"/n/{w.slug}/exports/download"
    for query in ("?format=csv", "?format=jsonl&fund=general", ""):
        response = web.get(url + query)
        assert response.status_code == 405, (query, response.status_code)
        assert "POST" in response.headers["Allow"]
    assert _exports(sessions) == 0


def test_the_download_form_posts_with_its_token_and_records_one_export(app, sessions, web):
    w = world(sessions)
    give_fund(app, w.slug, 10_000)
    web.login("treasurer@example.org")
    page = web.get(f"/n/{w.slug}/exports").get_data(as_text=True)
    assert f'<form method="post" action="/n/{w.slug}/exports/download"' in page
    assert 'name="csrf_token"' in page
    url = f"/n/{w.slug}/exports/download"
    forged = web.post(url, {"format": "csv"}, csrf=False)
    assert forged.status_code == 400
    assert _exports(sessions) == 0
    sent = web.post(url, {"format": "csv"})
    assert sent.status_code == 200 and sent.mimetype == "text/csv"
    sent.get_data()  # the export is recorded once it has been streamed in full
    assert _exports(sessions) == 1
