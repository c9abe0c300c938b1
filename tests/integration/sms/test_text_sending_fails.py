"""A provider that is down: the reply's job fails, is tried again, and once out of tries is on the
neighbourhood's failed-jobs page as a text message; the text received is still recorded once."""

from __future__ import annotations

import pytest

from pledgebank.db import unit_of_work
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.tasks.failed import failed_jobs
from tests.helpers.sms import text, text_world


class ProviderDown:
    """A provider whose every send fails, as one does during an outage."""

    def send(self, *, sender: str, to: str, body: str) -> str:
        raise ConnectionError("the text provider is not answering")

    def inbound(self, *, url, form, signature):
        raise AssertionError("not used")


@pytest.fixture
def app_config(app_config):
    return {**app_config, "SMS": ProviderDown(), "TASK_ATTEMPTS": 1}


def test_a_failed_text_is_on_the_failed_jobs_page(app):
    world = text_world(app)
    assert text(app, "HELP") == "help"
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        place = get_neighbourhood(session, world.slug)
        failed = failed_jobs(session, world.chair, place.id)
    assert [job.what for job in failed] == ["Sending a text message"]
    assert "ConnectionError" in failed[0].error or "not answering" in failed[0].error
