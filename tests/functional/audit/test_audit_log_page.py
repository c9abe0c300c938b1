"""The audit log of the demo neighbourhood, read by its chair: one sentence per event with names, pounds and
what changed (no codes, ids or JSON), filtered by person and by kind, paged, and safe with hostile names."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from sqlalchemy import select

from pledgebank.accounts.erasure import pseudonymise_user
from pledgebank.accounts.models import User
from pledgebank.books.audit_words import KINDS, actions_of
from pledgebank.books.models import AuditEvent
from pledgebank.db import unit_of_work
from pledgebank.demo import DEMO_PASSWORD
from pledgebank.neighbourhoods.funds import add_fund
from pledgebank.neighbourhoods.services import get_neighbourhood
from tests.factories.grants import clock_now
from tests.factories.seeded import CHAIR, TREASURER, seeded_copies
from tests.helpers.app import WebClient

CODE = re.compile(r"\b[a-z]+_[a-z_]+\b|\b[a-z]+\.[a-z_]+\b")


@pytest.fixture(scope="module")
def copies(database_template, stripe_emulator, tmp_path_factory):
    """The seeded demo neighbourhood, made once for the module."""
    with seeded_copies(database_template, tmp_path_factory.mktemp("audit"), stripe_emulator) as made:
        yield made


@pytest.fixture(scope="module")
def demo(copies):
    """One copy to read (nothing here changes it)."""
    return copies.app(), copies.seeded


def _chair(app) -> WebClient:
    client = WebClient(app.test_client())
    client.login(CHAIR, DEMO_PASSWORD)
    return client


def _sentences(page: str) -> list[str]:
    """The 'What happened' cell of each row, as a reader sees it."""
    cells = re.findall(r'<td class="words"><bdi>(.*?)</bdi>', page, flags=re.S)
    return [html_lib.unescape(re.sub(r"<[^>]+>", "", cell)) for cell in cells]


def _stored_actions(app, slug: str) -> set[str]:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        neighbourhood = get_neighbourhood(session, slug)
        return set(
            session.scalars(select(AuditEvent.action).where(AuditEvent.neighbourhood_id == neighbourhood.id))
        )


def test_every_event_reads_as_a_sentence_with_names_and_pounds(demo):
    app, seeded = demo
    response = _chair(app).get(f"/n/{seeded.slug}/audit")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    sentences = _sentences(page)
    assert len(sentences) == min(200, len(sentences)) and len(sentences) >= 20
    for text in sentences:
        assert "{" not in text and "[" not in text, text
        assert not CODE.search(text), text
        assert not re.search(r"\b(pledge|levy|user|fund|grant application) \d+\b", text), text
    assert "&#34;" not in page and '"roles"' not in page
    joined = " | ".join(sentences)
    assert "Priya Shah" in joined and re.search(r"£\d+\.\d\d", joined)
    assert len(_stored_actions(app, seeded.slug)) >= 10
    # Names lead to their pages: a grant application, a pledge, a levy, a fund's open books.
    for pattern in (r"/grants/applications/\d+\">“", r"/p/\d+\">", r"/levies/\d+\">", r"/money/general\">"):
        assert re.search(r'<a href="[^"]*' + pattern, page), pattern


def _person_id(app, address: str) -> int:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return session.scalar(select(User.id).where(User.email == address))


def test_the_filters_choose_a_person_and_a_kind(demo):
    app, seeded = demo
    chair = _chair(app)
    everything = _sentences(chair.get(f"/n/{seeded.slug}/audit").get_data(as_text=True))
    tom = _person_id(app, TREASURER)
    page = chair.get(f"/n/{seeded.slug}/audit?person={tom}").get_data(as_text=True)
    assert '<option selected value="' + str(tom) + '">Tom Okafor</option>' in page
    toms = _sentences(page)
    assert toms and len(toms) < len(everything)
    assert all("Tom Okafor" in text for text in toms), toms
    assert "Priya Shah made Tom Okafor treasurer" in toms  # done to him, by someone else

    hardship = _sentences(chair.get(f"/n/{seeded.slug}/audit?kind=hardship").get_data(as_text=True))
    assert hardship and all("hardship request" in text for text in hardship), hardship
    grants = _sentences(chair.get(f"/n/{seeded.slug}/audit?kind=grants&person={tom}").get_data(as_text=True))
    assert grants and all(t.startswith("Tom Okafor ") and "“" in t for t in grants), grants
    kinds = {kind.key for kind in KINDS}
    for key in kinds:
        shown = _sentences(chair.get(f"/n/{seeded.slug}/audit?kind={key}").get_data(as_text=True))
        stored = _stored_actions(app, seeded.slug) & set(actions_of(key))
        assert bool(shown) == bool(stored), key


@pytest.mark.parametrize("query", ["person=99999", "person=abc", "kind=levy.created", "kind=%3Cscript%3E"])
def test_a_choice_not_in_the_list_is_refused_beside_its_field(demo, query):
    app, seeded = demo
    response = _chair(app).get(f"/n/{seeded.slug}/audit?{query}")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    field = query.split("=")[0]
    assert f'id="{field}-error"' in page and "from the list" in page
    assert "<script>" not in page and not _sentences(page)


def test_older_events_keep_the_filters(database_template, stripe_emulator, tmp_path):
    with seeded_copies(database_template, tmp_path, stripe_emulator, AUDIT_PAGE_SIZE=5) as small:
        app, seeded = small.app(), small.seeded
        chair = _chair(app)
        url, seen = f"/n/{seeded.slug}/audit?kind=grants", []
        while url:
            page = chair.get(url).get_data(as_text=True)
            seen += _sentences(page)
            older = re.search(r'href="([^"]*before=\d+[^"]*)">Older events', page)
            url = html_lib.unescape(older.group(1)) if older else None
            assert url is None or "kind=grants" in url
        with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
            neighbourhood = get_neighbourhood(session, seeded.slug)
            stored = session.scalars(
                select(AuditEvent.id).where(
                    AuditEvent.neighbourhood_id == neighbourhood.id,
                    AuditEvent.action.in_(actions_of("grants")),
                )
            ).all()
    assert len(seen) == len(stored) > 5


def test_stored_html_is_escaped_and_an_erased_person_shows_as_their_pseudonym(copies):
    app, seeded = copies.app(), copies.seeded
    chair_id, tom = _person_id(app, CHAIR), _person_id(app, TREASURER)
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        neighbourhood = get_neighbourhood(session, seeded.slug)
        add_fund(
            session,
            actor_id=chair_id,
            neighbourhood=neighbourhood,
            name="<script>alert('x')</script> fund",
            description="",
            now=clock_now(app),
        )
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        pseudonymise_user(session, tom, now=clock_now(app))
    page = _chair(app).get(f"/n/{seeded.slug}/audit").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; fund</a>" in page
    sentences = _sentences(page)
    assert f"Priya Shah made Former member #{tom} treasurer" in sentences
    assert not any("Tom Okafor" in text for text in sentences)
