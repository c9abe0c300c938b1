"""Deployment hardening in the running app: HSTS in production, no server banner, demo routes only in demo
mode outside production, rate limits that survive Redis going away, and client addresses behind proxies."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import threading
import urllib.request
import uuid

import pytest
from werkzeug.serving import make_server

from pledgebank import PROJECT_ROOT, create_app
from tests.helpers.app import PASSWORD, make_neighbourhood, make_user
from tests.helpers.environment import free_port
from tests.helpers.foundation import new_client, signed_in_client

INVALID_LOGIN = {"email": "not-an-address", "password": ""}
REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def production(app_config) -> dict:
    """A complete production configuration on this test's database."""
    return {
        **app_config,
        "ENV": "production",
        "SECRET_KEY": "Jq7vR2mXw9LpT4sNc8bYd3kHf6gZa1eU",
        "STRIPE_SECRET_KEY": "sk_test_0123456789",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_0123456789",
        "STRIPE_WEBHOOK_SECRET": "whsec_0123456789",
        "MAIL_SERVER": "smtp.example.invalid",
        "MAIL_OUTBOX": "",
        "BASE_URL": "https://pledgebank.example",
        "RATELIMIT_SINGLE_PROCESS": True,
    }


@pytest.fixture
def production_app(production):
    """The app as production runs it."""
    application = create_app(production)
    yield application
    application.extensions["pledgebank.engine"].dispose()


def test_production_responses_carry_hsts(production_app):
    response = production_app.test_client().get("/login", base_url="https://pledgebank.example")
    assert response.status_code == 200
    hsts = response.headers["Strict-Transport-Security"]
    directives = [part.strip() for part in hsts.split(";")]
    max_age = int(next(part for part in directives if part.startswith("max-age=")).split("=")[1])
    assert max_age >= 365 * 24 * 60 * 60, hsts
    assert "includeSubDomains" in directives, hsts


@pytest.mark.parametrize("env", ["testing", "development"])
def test_no_hsts_outside_production(app_config, env):
    application = create_app({**app_config, "ENV": env})
    try:
        assert "Strict-Transport-Security" not in application.test_client().get("/login").headers
    finally:
        application.extensions["pledgebank.engine"].dispose()


def test_the_demo_clock_is_not_there_in_production_even_if_demo_is_switched_on_later(production_app):
    production_app.config["DEMO"] = True
    client = production_app.test_client()
    site = "https://pledgebank.example"
    page = client.get("/login", base_url=site).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    clock = production_app.extensions["pledgebank.clock"]
    before = clock.now()
    response = client.post(
        "/demo/advance",
        data={"hours": "24", "csrf_token": token},
        base_url=site,
        headers={"Referer": f"{site}/login"},
    )
    assert response.status_code == 404
    assert clock.now() == before


def test_the_demo_clock_works_in_development_demo_mode_for_officers_only(app_config):
    application = create_app({**app_config, "ENV": "development", "DEMO": True})
    try:
        clock = application.extensions["pledgebank.clock"]
        before = clock.now()
        refused = new_client(application).post("/demo/advance", {"hours": "24"})
        assert refused.status_code == 302 and "/login" in refused.headers["Location"]
        assert clock.now() == before, "a signed-out visitor cannot move the clock"
        sessions = application.extensions["pledgebank.sessions"]
        chair = make_user(sessions, "chair@example.org", "Chair Person")
        make_neighbourhood(sessions, chair)
        response = signed_in_client(application, sessions, chair).post("/demo/advance", {"hours": "24"})
        assert response.status_code == 302
        assert (clock.now() - before).days == 1
    finally:
        application.extensions["pledgebank.engine"].dispose()


def test_the_development_server_names_no_software(app):
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=10) as response:
            banner = response.headers.get("Server", "")
            assert response.status == 200
    finally:
        server.shutdown()
    assert "werkzeug" not in banner.lower() and "python" not in banner.lower(), banner


def _closed_port() -> int:
    port = free_port()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0
    return port


class TestRateLimitStorage:
    """Where the counts are kept: Redis shared by every process, or memory when Redis cannot be reached."""

    @pytest.fixture
    def app_config(self, app_config):
        """A low limit keeps these tests quick."""
        return {**app_config, "RATELIMIT_AUTH": "3 per minute"}

    def test_unreachable_redis_keeps_limiting_in_memory_instead_of_failing(self, app_config):
        application = create_app({**app_config, "REDIS_URL": f"redis://127.0.0.1:{_closed_port()}/0"})
        try:
            make_user(application.extensions["pledgebank.sessions"], "redis-down@example.org")
            web = new_client(application)
            ok = web.post("/login", {"email": "redis-down@example.org", "password": PASSWORD})
            assert ok.status_code == 302, "signing in works while Redis is down"
            statuses = [web.post("/login", INVALID_LOGIN).status_code for _ in range(3)]
            assert statuses == [422, 422, 429], statuses
        finally:
            application.extensions["pledgebank.engine"].dispose()

    def test_two_processes_share_one_limit_through_redis(self, app_config):
        _require_redis()
        settings = {"REDIS_URL": REDIS_URL, "RATELIMIT_KEY_PREFIX": f"pbtest-{uuid.uuid4().hex}"}
        first = _posts_from_another_process(app_config, settings, 2)
        second = _posts_from_another_process(app_config, settings, 2)
        assert first == [422, 422]
        assert second == [422, 429], "the second process sees the first one's attempts"

    def test_without_redis_each_process_counts_alone(self, app_config):
        first = _posts_from_another_process(app_config, {}, 2)
        second = _posts_from_another_process(app_config, {}, 2)
        assert first == second == [422, 422]


def _require_redis() -> None:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            pass
    except OSError:
        pytest.skip("needs Redis on 127.0.0.1:6379 (CI starts one)")


_POSTER = """
import json, sys
from pledgebank import create_app
from tests.helpers.app import WebClient
config = json.loads(sys.argv[1])
app = create_app(config)
web = WebClient(app.test_client())
form = {"email": "not-an-address", "password": ""}
print(json.dumps([web.post("/login", form).status_code for _ in range(int(sys.argv[2]))]))
"""


def _posts_from_another_process(app_config: dict, settings: dict, posts: int) -> list[int]:
    """Invalid sign-in posts from a separate app in its own process, as another worker would make them."""
    config = {k: v for k, v in app_config.items() if k != "CLOCK"} | settings
    result = subprocess.run(
        [sys.executable, "-c", _POSTER, json.dumps(config), str(posts)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


class TestClientAddressBehindProxies:
    """Limits count per client; X-Forwarded-For is believed only from the configured number of proxies."""

    @pytest.fixture
    def app_config(self, app_config):
        """A low limit keeps these tests quick."""
        return {**app_config, "RATELIMIT_AUTH": "2 per minute"}

    @staticmethod
    def _post(web, forwarded_for: str) -> int:
        return web.post(
            "/login",
            INVALID_LOGIN,
            headers={"X-Forwarded-For": forwarded_for},
            environ_base={"REMOTE_ADDR": "10.0.0.2"},
        ).status_code

    def test_forwarded_for_is_ignored_without_proxies(self, app):
        assert app.config["PROXY_COUNT"] == 0
        web = new_client(app)
        statuses = [self._post(web, f"198.51.100.{n}") for n in range(1, 4)]
        assert statuses == [422, 422, 429], "a made-up header does not buy a fresh allowance"

    def test_forwarded_for_names_the_client_behind_one_proxy(self, app_config):
        application = create_app({**app_config, "PROXY_COUNT": 1})
        try:
            web = new_client(application)
            assert [self._post(web, "198.51.100.1") for _ in range(3)] == [422, 422, 429]
            assert self._post(web, "198.51.100.2") == 422, "another client behind the proxy has its own"
            assert self._post(web, "203.0.113.9, 198.51.100.1") == 429, "only the proxy's own entry counts"
        finally:
            application.extensions["pledgebank.engine"].dispose()
