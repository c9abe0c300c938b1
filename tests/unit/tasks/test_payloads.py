"""Job payloads come back from their JSON as they went in: dates and times as dates and times, enums as
their values; anything else that would not come back the same is refused before it is stored."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum

import pytest

from pledgebank.tasks import payloads
from pledgebank.tasks.worker import backoff


class Colour(StrEnum):
    RED = "red"


def test_dates_times_and_enums_come_back_as_they_went_in():
    payload = {
        "at": datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
        "on": date(2026, 3, 1),
        "colour": Colour.RED,
        "nested": {"ids": (1, 2), "none": None},
    }
    back = payloads.loads(payloads.dumps(payload))
    assert back == {**payload, "nested": {"ids": [1, 2], "none": None}}
    assert type(back["at"]) is datetime and type(back["on"]) is date


@pytest.mark.parametrize("value", [object(), b"bytes", 1 + 2j])
def test_what_would_not_come_back_is_refused(value):
    with pytest.raises(TypeError, match="cannot hold"):
        payloads.dumps({"value": value})


def test_each_retry_waits_longer_up_to_a_ceiling():
    waits = [backoff(attempt) for attempt in range(1, 8)]
    assert waits == sorted(waits) and waits[0].total_seconds() == 30
    assert waits[-1] == waits[-2]  # capped
