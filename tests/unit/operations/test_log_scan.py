"""The run-wide log check finds what must never be logged, and really receives the service's log lines."""

from __future__ import annotations

import json
import logging
import uuid

from tests.helpers.log_scan import ACTIVE, leaks


def test_the_check_finds_emails_demo_names_and_stripe_keys():
    assert leaks('{"message": "email to priya@example.org"}') == ["priya@example.org"]
    assert leaks('{"message": "signed in: Tom Okafor"}') == ["Tom Okafor"]
    assert leaks('{"message": "key sk_live_51Habc"}') == ["sk_live_51Habc"]
    assert leaks('{"message": "key sk_test_pledgebank_local"}') == ["sk_test_pledgebank_local"]
    assert leaks('{"message": "secret whsec_pledgebank_test"}') == ["whsec_pledgebank_test"]


def test_the_check_passes_lines_with_ids_routes_and_kinds():
    line = '{"route": "/n/<slug>/pledges", "actor_id": 12, "task_id": "risk_test_1", "template": "pledges/x"}'
    assert leaks(line) == []


def test_every_line_of_the_run_reaches_the_checked_file_as_the_service_writes_it():
    assert len(ACTIVE) == 1, "conftest writes the run's log"
    marker = uuid.uuid4().hex
    logging.getLogger("pledgebank.probe").warning("probe %s", marker, extra={"kind": "probe"})
    lines = [json.loads(line) for line in ACTIVE[0].path.read_text().splitlines() if marker in line]
    assert len(lines) == 1
    assert lines[0]["message"] == f"probe {marker}"
    assert lines[0]["kind"] == "probe" and lines[0]["level"] == "warning"
