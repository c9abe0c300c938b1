"""Every request has an id (a valid incoming X-Request-ID, else a new one) in its response and on each of its
log lines, which are JSON naming the route, the actor and the neighbourhood, and never the raw path."""

from __future__ import annotations

import json
import logging
import re

import pytest

from pledgebank.logs import JsonFormatter
from tests.helpers.app import make_neighbourhood, make_user
from tests.helpers.foundation import signed_in_client

GENERATED = re.compile(r"[0-9a-f]{32}")


def _lines(caplog) -> list[dict]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(record)) for record in caplog.records]


def _request_line(caplog, route: str) -> dict:
    found = [line for line in _lines(caplog) if line["message"] == "request" and line["route"] == route]
    assert len(found) == 1, _lines(caplog)
    return found[0]


def test_a_valid_incoming_request_id_is_kept_in_the_response_and_the_log(app, web, caplog):
    caplog.set_level(logging.INFO, logger="pledgebank")
    response = web.client.get("/healthz", headers={"X-Request-ID": "lb-4f1c2a9e-0001"})
    assert response.headers["X-Request-ID"] == "lb-4f1c2a9e-0001"
    line = _request_line(caplog, "/healthz")
    assert line["request_id"] == "lb-4f1c2a9e-0001"
    assert line["status"] == 200 and line["method"] == "GET" and line["level"] == "info"
    assert isinstance(line["duration_ms"], float)


@pytest.mark.parametrize(
    "incoming",
    ["", "short", "has spaces in it", "priya@example.org", "x" * 129, "-starts-with-dash", "café-00000000"],
    ids=["empty", "short", "spaces", "email", "too-long", "dash", "non-ascii"],
)
def test_an_invalid_request_id_is_replaced_by_a_new_one(app, web, incoming):
    response = web.client.get("/healthz", headers={"X-Request-ID": incoming})
    assert GENERATED.fullmatch(response.headers["X-Request-ID"])


def test_each_request_gets_its_own_id(app, web):
    ids = {web.client.get("/healthz").headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3


def test_lines_name_the_route_actor_and_neighbourhood_not_the_path(app, sessions, caplog):
    chair = make_user(sessions, "chair@example.org", "Chair Person")
    slug = make_neighbourhood(sessions, chair)
    client = signed_in_client(app, sessions, chair)
    caplog.set_level(logging.INFO, logger="pledgebank")
    response = client.get(f"/n/{slug}")
    assert response.status_code == 200
    line = _request_line(caplog, "/n/<slug>")
    assert line["actor_id"] == chair
    assert line["neighbourhood"] == slug
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert f"/n/{slug}" not in json.dumps(_lines(caplog))


def test_an_unknown_path_is_logged_as_unmatched(app, web, caplog):
    caplog.set_level(logging.INFO, logger="pledgebank")
    response = web.client.get("/reset/secret-token-in-the-path")
    assert response.status_code == 404
    line = _request_line(caplog, "unmatched")
    assert line["status"] == 404
    assert "secret-token-in-the-path" not in json.dumps(_lines(caplog))


def test_an_unhandled_error_is_logged_once_with_the_request_id_and_the_route(app, web, caplog):
    @app.get("/_boom/<int:number>")
    def boom(number: int):
        raise RuntimeError("failed for priya@example.org with sk_live_abcdef")

    caplog.set_level(logging.INFO, logger="pledgebank")
    response = web.client.get("/_boom/7", headers={"X-Request-ID": "trace-0000-0007"})
    assert response.status_code == 500
    errors = [line for line in _lines(caplog) if line["level"] == "error"]
    assert len(errors) == 1
    assert errors[0]["message"] == "unhandled error on GET /_boom/<int:number>"
    assert errors[0]["request_id"] == "trace-0000-0007"
    assert "RuntimeError" in errors[0]["exception"]
    assert "priya@example.org" not in errors[0]["exception"] and "[email]" in errors[0]["exception"]
    assert "sk_live_abcdef" not in errors[0]["exception"]
