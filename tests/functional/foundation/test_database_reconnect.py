"""A dropped database connection (pg_terminate_backend) costs no request a 500: idle connections are pinged
before use, a GET that meets a dead connection runs once more, any other request is told to retry (503)."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.helpers.app import make_neighbourhood, make_user
from tests.helpers.ledger_sql import PG_ADMIN_URL

pytestmark = pytest.mark.skipif(not PG_ADMIN_URL, reason="needs PostgreSQL: SQLite has no connection to drop")


def kill_connections(app) -> int:
    """Terminate every server process serving the app's database; the pool still holds their connections."""
    name = make_url(app.config["DATABASE_URL"]).database
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        killed = connection.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": name},
        ).scalar_one()
    admin.dispose()
    return killed


@pytest.fixture
def slug(sessions) -> str:
    return make_neighbourhood(sessions, make_user(sessions, "chair@example.org", "Chair"))


def test_a_page_read_on_a_dropped_connection_is_read_again_on_a_fresh_one(app, web, slug, caplog):
    assert not app.extensions["pledgebank.engine"].pool._pre_ping  # no ping round trip a unit of work
    assert web.get(f"/n/{slug}").status_code == 200
    assert kill_connections(app) >= 1
    with caplog.at_level(logging.WARNING, logger="pledgebank.web.reconnect"):
        page = web.get(f"/n/{slug}")
    assert page.status_code == 200
    assert "running it again" in caplog.text
    assert web.get(f"/n/{slug}").status_code == 200


def test_a_form_sent_on_a_dropped_connection_is_refused_with_retry_after_and_then_works(app, web, slug):
    token = web.csrf_token()
    assert kill_connections(app) >= 1
    form = {"email": "chair@example.org", "password": "wrong password here", "csrf_token": token}
    refused = web.client.post("/login", data=form)
    assert refused.status_code == 503
    # At least a second; the rate limiter on the sign-in form stretches it to its own window.
    assert int(refused.headers["Retry-After"]) >= 1
    assert "nothing you sent was half-saved" in refused.get_data(as_text=True)
    assert web.client.post("/login", data=form).status_code in (200, 422)


def test_an_idle_connection_is_pinged_and_replaced_before_use(app_config, slug, caplog):
    from pledgebank import create_app

    idle = create_app(dict(app_config, DATABASE_PING_AFTER_IDLE=0))
    client = idle.test_client()
    assert client.get(f"/n/{slug}").status_code == 200
    assert kill_connections(idle) >= 1
    with caplog.at_level(logging.WARNING, logger="pledgebank.web.reconnect"):
        assert client.get(f"/n/{slug}").status_code == 200
    assert "running it again" not in caplog.text
    idle.extensions["pledgebank.engine"].dispose()
