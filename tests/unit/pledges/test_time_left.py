"""Time left on a pledge, in days and hours (hours and minutes under a day), as its pages say it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask_babel import Babel

from pledgebank.web.filters import time_left

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("left", "words"),
    [
        (timedelta(days=2, hours=5, minutes=30), "2 days and 5 hours"),
        (timedelta(days=1), "1 day"),
        (timedelta(days=3, hours=1), "3 days and 1 hour"),
        (timedelta(hours=5, minutes=1), "5 hours and 1 minute"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(minutes=40), "40 minutes"),
        (timedelta(seconds=59), "less than a minute"),
        (timedelta(0), "no time"),
        (timedelta(hours=-1), "no time"),
    ],
)
def test_time_left_in_days_and_hours(left, words):
    app = Flask(__name__)
    Babel(app)
    with app.test_request_context():
        assert time_left(NOW + left, NOW) == words


def test_no_moment_leaves_no_time():
    assert time_left(None, NOW) == "no time"
