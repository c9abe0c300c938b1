"""The audit log of the demo neighbourhood, read by its chair: one sentence per event with names, pounds and
what changed (no codes, ids or JSON), filtered by person and by kind, paged, and safe with hostile names."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from sqlalchemy import select

from pledgebank.books.models import AuditEvent
from pledgebank.db import unit_of_work
from pledgebank.demo import DEMO_PASSWORD
from pledgebank.neighbourhoods.services import get_neighbourhood
from tests.seeded import CHAIR, seeded_copies
from tests.support import WebClient

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
    print("\n".join(sentences))
    for text in sentences:
        assert "{" not in text and "[" not in text, text
        assert not CODE.search(text), text
        assert not re.search(r"\b(pledge|levy|user|fund|grant application) \d+\b", text), text
    assert "&#34;" not in page and '"roles"' not in page
    joined = " | ".join(sentences)
    assert "Priya Shah" in joined and re.search(r"£\d+\.\d\d", joined)
    assert len(_stored_actions(app, seeded.slug)) >= 10
