"""/healthz says the process answers; /readyz says it can serve: database reachable and at the newest
migration, Redis answering when configured. Both are cheap JSON that names no host, version or error, and
set no cookie; neither is rate limited."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from pledgebank import create_app
from pledgebank.extensions import limiter
from pledgebank.migrate import downgrade, upgrade
from pledgebank.readiness import checks
from tests.helpers.environment import PG_ADMIN_URL, free_port


def _get(app, path: str):
    response = app.test_client().get(path)
    assert "Set-Cookie" not in response.headers, f"{path} sets no cookie"
    assert response.headers["Cache-Control"] == "no-store"
    return response.status_code, response.get_json()


def _says_nothing_about(body: dict, *words: str) -> None:
    text_of_body = str(body).lower()
    for word in (*words, "error", "refused", "sqlite", "postgres", "psycopg", "redis://", "version"):
        assert word.lower() not in text_of_body, word


def test_both_answer_ok_when_everything_is_there(app):
    assert _get(app, "/healthz") == (200, {"status": "ok"})
    assert _get(app, "/readyz") == (
        200,
        {"status": "ready", "checks": {"database": "ok", "migrations": "ok"}},
    )


def test_an_unreachable_database_fails_readiness_but_not_health(app_config):
    port = free_port()  # nobody listens there: the database server is down
    app = create_app({**app_config, "DATABASE_URL": f"postgresql+psycopg://postgres@127.0.0.1:{port}/gone"})
    assert _get(app, "/healthz") == (200, {"status": "ok"})
    status, body = _get(app, "/readyz")
    assert status == 503
    assert body == {"status": "unavailable", "checks": {"database": "failed", "migrations": "failed"}}
    _says_nothing_about(body, str(port), "127.0.0.1", "gone")
    app.extensions["pledgebank.engine"].dispose()


@pytest.mark.postgres
def test_a_database_dropped_while_serving_fails_readiness_but_not_health(app, database_url):
    assert _get(app, "/readyz")[0] == 200
    name = database_url.rsplit("/", 1)[1]
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
    admin.dispose()
    status, body = _get(app, "/readyz")
    assert (status, body["checks"]["database"]) == (503, "failed")
    _says_nothing_about(body, name)
    assert _get(app, "/healthz") == (200, {"status": "ok"})


def test_a_database_behind_the_code_s_migrations_fails_readiness(app, database_url):
    downgrade(database_url, "-1")
    status, body = _get(app, "/readyz")
    assert status == 503
    assert body == {"status": "unavailable", "checks": {"database": "ok", "migrations": "failed"}}
    assert _get(app, "/healthz")[0] == 200
    upgrade(database_url)
    assert _get(app, "/readyz")[0] == 200


def test_redis_is_checked_when_configured(app_config):
    down = create_app({**app_config, "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"})
    status, body = _get(down, "/readyz")
    assert (status, body["checks"]) == (503, {"database": "ok", "migrations": "ok", "redis": "failed"})
    _says_nothing_about(body, "6379")
    up = create_app({**app_config, "REDIS_URL": "redis://127.0.0.1:6379/0"})
    assert _get(up, "/readyz") == (
        200,
        {"status": "ready", "checks": {"database": "ok", "migrations": "ok", "redis": "ok"}},
    )
    for app in (down, up):
        app.extensions["pledgebank.engine"].dispose()


def test_production_needs_its_stripe_key_to_be_ready(app):
    engine = app.extensions["pledgebank.engine"]
    assert checks(engine, {"ENV": "production", "STRIPE_SECRET_KEY": ""})["stripe"] is False
    assert checks(engine, {"ENV": "production", "STRIPE_SECRET_KEY": "sk_live_x"})["stripe"] is True
    assert "stripe" not in checks(engine, {"ENV": "development", "STRIPE_SECRET_KEY": ""})


@pytest.fixture
def default_limit(app_config):
    """An app under a default rate limit of 2 a minute on every route; the shared limiter is reset after."""
    app = create_app({**app_config, "RATELIMIT_DEFAULT": "2 per minute"})
    yield app
    limiter.limit_manager.set_default_limits([])  # the limiter object is shared by every app in the process
    limiter.reset()
    app.extensions["pledgebank.engine"].dispose()


def test_probes_are_not_rate_limited(default_limit):
    client = default_limit.test_client()
    assert [client.get("/").status_code for _ in range(3)][-1] == 429, "the default limit applies elsewhere"
    for path in ("/healthz", "/readyz", "/metrics"):
        assert {client.get(path).status_code for _ in range(5)} == {200}
        assert client.head(path).status_code == 200


def test_probes_answer_only_get_and_head(app):
    client = app.test_client()
    for path in ("/healthz", "/readyz", "/metrics"):
        assert client.post(path).status_code == 405
