"""The export page offers exactly the formats of the registry, each with its label, in the registry's order,
and each offered format downloads with the registry's media type and file name extension."""

from __future__ import annotations

import html
import re

from pledgebank.exports import formats
from tests.factories.grants import apply, decide, declare, give_fund, make_round, reviewed, world

_CHOICE = re.compile(r'<input[^>]* name="format"[^>]* value="([^"]+)"[^>]*>\s*<label[^>]*>([^<]+)</label>')


def test_the_page_offers_the_registered_formats_and_each_downloads_as_registered(app, sessions, web):
    w = world(sessions)
    give_fund(app, w.slug, 100_000)
    grant = apply(app, make_round(app, w), w.residents[0], 20_000, group="Friends of Elm Park")
    reviewed(app, grant, w.members)
    declare(app, grant, w.chair)
    decide(app, grant, w.chair, "award")
    web.login("treasurer@example.org")
    page = web.get(f"/n/{w.slug}/exports").get_data(as_text=True)
    offered = [(value, html.unescape(label)) for value, label in _CHOICE.findall(page)]
    assert offered == [(fmt.name, fmt.label) for fmt in formats.FORMATS]
    for fmt in formats.FORMATS:
        response = web.post(f"/n/{w.slug}/exports/download", {"format": fmt.name})
        assert response.status_code == 200, fmt.name
        assert response.headers["Content-Type"] == fmt.media_type
        assert response.headers["Content-Disposition"].endswith(f'.{fmt.extension}"')
        response.get_data()
