"""The demo in Welsh: from the home page with ?lang=cy, every page a committee member reaches by following
links is in Welsh (<html lang="cy">) and offers the switch back to English, which keeps the place."""

from __future__ import annotations

import re
from collections import deque

import pytest

from pledgebank import demo
from tests.factories.seeded import seeded_app

LINK = re.compile(r'href="(/[^"#]*)"')
SKIP = re.compile(r"^/(static|api|logout|dev/outbox/)|\.(csv|json|txt|ics)(\?|$)|/file$|/download|/flyer")
MOST_PAGES = 60
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture(scope="module")
def seeded(database_template, stripe_emulator, tmp_path_factory):
    """The demo's data on its own database for this module."""
    with seeded_app(database_template, tmp_path_factory.mktemp("welsh-demo"), stripe_emulator) as made:
        yield made


def _signed_in(app):
    client = app.test_client()
    token = _CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    chair = demo.PEOPLE[0].email
    answer = client.post("/login", data={"email": chair, "password": demo.DEMO_PASSWORD, "csrf_token": token})
    assert answer.status_code == 302
    return client


def test_every_demo_page_reached_from_the_home_page_is_in_welsh_with_the_switch(seeded):
    app, _ = seeded
    client = _signed_in(app)
    queue, seen, checked = deque(["/?lang=cy"]), {"/?lang=cy"}, 0
    while queue and checked < MOST_PAGES:
        path = queue.popleft()
        page = client.get(path)
        if page.status_code != 200 or not page.content_type.startswith("text/html"):
            continue
        html = page.get_data(as_text=True)
        checked += 1
        assert '<html lang="cy">' in html, path
        assert 'lang="en-GB">English</button>' in html, path
        here = re.escape(path.replace("&", "&amp;").replace("?lang=cy", ""))
        assert re.search(rf'name="next" value="{here}"', html), path
        for link in LINK.findall(html):
            link = link.replace("&amp;", "&")
            if link not in seen and not SKIP.search(link):
                seen.add(link)
                queue.append(link)
    assert checked >= 20, f"only {checked} pages reached"


BOOKS_PAGES = {
    "ledger": "Cyfriflyfr",
    "ledger/check": "Gwiriad o lyfrau",
    "ledger/close-year": "Cau blwyddyn ariannol",
    "money": "trafodion hyn (CSV)",
    "ledger/record": "Cofnodi arian",
    "ledger/transfers": "Trosglwyddiadau rhwng cronfeydd",
    "ledger/categories": "Categorïau gwariant",
}


def test_the_books_pages_read_in_welsh(seeded):
    app, _ = seeded
    client = _signed_in(app)
    listing = client.get("/neighbourhoods?lang=cy").get_data(as_text=True)
    slug = re.search(r'href="/n/([a-z0-9-]+)"', listing).group(1)
    for page, welsh in BOOKS_PAGES.items():
        answer = client.get(f"/n/{slug}/{page}")
        html = answer.get_data(as_text=True)
        assert answer.status_code == 200, page
        assert '<html lang="cy">' in html and welsh in html, page
