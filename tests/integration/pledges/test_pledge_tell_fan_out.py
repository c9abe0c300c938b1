"""Telling every pledger at once (activation, the end, news) queues one job in the request; that job queues
the emails a batch at a time, reading the pledgers in bulk and never holding the pledge's row lock. The
request's statements do not grow with the pledgers, every pledger gets the email once, and a fan-out that
fails part-way and is run again sends none twice."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from pledgebank import create_app
from pledgebank.outbox import EMAIL_JOB
from pledgebank.pledges import telling
from pledgebank.tasks.payloads import loads
from pledgebank.tasks.worker import backoff
from tests.factories.pledges import (
    assert_books_ok,
    make_pledge,
    many_residents,
    neighbourhood_with,
    pledge_state,
    record_cash,
    sign,
)
from tests.helpers.tasks import jobs, make_due, on_procrastinate, worker

ACTIVATED = "It's on: the target is met"


@pytest.fixture
def app_config(app_config: dict) -> dict:
    """Separate workers, as in production: a request only queues its work."""
    return {**app_config, "TASK_WORKER": "separate"}


def _almost_met(app, sessions, slug: str, chair: int, people: list[int]) -> tuple[int, int]:
    """A cash pledge whose target is everyone, with every pledger's cash in but the last's."""
    pledge = make_pledge(app, slug, chair, target_pledgers=len(people))
    signed = [sign(app, pledge, person, method="cash") for person in people]
    for signup in signed[:-1]:
        record_cash(app, signup, chair)
    worker(app).run_until_idle()  # the confirmations of the cash so far
    return pledge, signed[-1]


def _statements(app, action) -> list[str]:
    seen: list[str] = []
    engine = app.extensions["pledgebank.engine"]

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return seen


def test_the_activating_requests_statements_do_not_grow_with_the_pledgers(app, sessions):
    slug, chair, _ = neighbourhood_with(sessions, residents=0)
    counts = {}
    for size in (3, 40):
        people = many_residents(sessions, slug, size, prefix=f"n{size}-")
        pledge, last = _almost_met(app, sessions, slug, chair, people)
        statements = _statements(app, lambda last=last: record_cash(app, last, chair))
        assert pledge_state(app, pledge) == "collecting"
        counts[size] = len(statements)
        fan_outs = jobs(app, kind=telling.TELL_JOB)
        assert len(fan_outs) == 1, "one job tells every pledger"
        assert len(jobs(app, kind=EMAIL_JOB)) == 1, "only the last pledger's own receipt is queued"
        worker(app).run_until_idle()
    assert counts[3] == counts[40], counts


def test_every_pledger_is_told_once_and_the_fan_out_reads_them_a_batch_at_a_time(
    app, sessions, outbox, monkeypatch
):
    monkeypatch.setattr(telling, "BATCH", 4)
    slug, chair, _ = neighbourhood_with(sessions, residents=0)
    people = many_residents(sessions, slug, 10)
    _pledge, last = _almost_met(app, sessions, slug, chair, people)
    record_cash(app, last, chair)
    (fan_out,) = jobs(app, kind=telling.TELL_JOB)
    now = app.extensions["pledgebank.clock"].now()
    statements = _statements(app, lambda: telling.tell_all(sessions, loads(fan_out.payload), now=now))
    users_read = [s for s in statements if "FROM pledge_signups JOIN users" in " ".join(s.split())]
    assert len(users_read) == 3, "one read of the pledgers a batch (10 in batches of 4)"
    assert len(jobs(app, kind=EMAIL_JOB)) == 11  # and the last pledger's own receipt
    worker(app).run_until_idle()
    for n in range(10):
        assert [m.subject for m in outbox.to(f"neighbour{n}@example.org")].count(
            f"{ACTIVATED}: Mend the playground fence"
        ) == 1
    assert jobs(app) == []
    assert_books_ok(app)


def test_a_fan_out_that_fails_part_way_is_retried_and_sends_none_twice(
    app, app_config, sessions, outbox, clock, monkeypatch
):
    monkeypatch.setattr(telling, "BATCH", 3)
    slug, chair, _ = neighbourhood_with(sessions, residents=0)
    people = many_residents(sessions, slug, 8)
    _pledge, last = _almost_met(app, sessions, slug, chair, people)
    record_cash(app, last, chair)

    # The third batch fails (its database write is refused), after two batches committed their emails.
    real = telling.queue_batch
    calls = {"n": 0}

    def third_fails(session, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise ConnectionError("the database went away mid-fan-out")
        return real(session, *args, **kwargs)

    monkeypatch.setattr(telling, "queue_batch", third_fails)
    worker(app).run_until_idle()  # the six emails queued go; the fan-out waits for its retry
    (fan_out,) = jobs(app)
    assert fan_out.kind == telling.TELL_JOB and fan_out.attempts == 1
    assert "ConnectionError" in (fan_out.last_error or "")
    assert [m.subject.startswith(ACTIVATED) for m in outbox.all()].count(True) == 6
    monkeypatch.setattr(telling, "queue_batch", real)
    clock.advance(backoff(1))
    if on_procrastinate(app):
        make_due(app)  # procrastinate waits by the database's clock
    worker(app).run_until_idle()
    assert jobs(app) == []
    for n in range(8):
        told = [m.subject for m in outbox.to(f"neighbour{n}@example.org")]
        assert told.count(f"{ACTIVATED}: Mend the playground fence") == 1, (n, told)


def test_the_same_fan_out_run_twice_queues_nothing_the_second_time(app, sessions, outbox):
    slug, chair, _ = neighbourhood_with(sessions, residents=0)
    people = many_residents(sessions, slug, 5)
    _pledge, last = _almost_met(app, sessions, slug, chair, people)
    record_cash(app, last, chair)
    (fan_out,) = jobs(app, kind=telling.TELL_JOB)
    payload, now = loads(fan_out.payload), app.extensions["pledgebank.clock"].now()
    assert telling.tell_all(sessions, payload, now=now) == 5
    assert telling.tell_all(sessions, payload, now=now) == 0  # a worker runs it again: nothing more
    assert len(jobs(app, kind=EMAIL_JOB)) == 6  # and the last pledger's own receipt


def test_with_the_in_process_worker_the_emails_arrive_after_the_request(app_config, outbox):
    in_process = create_app({**app_config, "TASK_WORKER": "in-process"})
    sessions = in_process.extensions["pledgebank.sessions"]
    try:
        slug, chair, _ = neighbourhood_with(sessions, residents=0)
        people = many_residents(sessions, slug, 4)
        _pledge, last = _almost_met(in_process, sessions, slug, chair, people)
        record_cash(in_process, last, chair)
        assert jobs(in_process) == []
        for n in range(4):
            assert f"{ACTIVATED}: Mend the playground fence" in [
                m.subject for m in outbox.to(f"neighbour{n}@example.org")
            ]
    finally:
        in_process.extensions["pledgebank.engine"].dispose()
