"""Sign-in, registration and password-reset forms are rate limited per client, with a friendly 429."""

from __future__ import annotations

import pytest

from tests.helpers.app import PASSWORD, make_user
from tests.helpers.foundation import new_client, visible_text

# Posts that fail form validation cost no password hashing, so the limit is reached quickly.
INVALID_LOGIN = {"email": "not-an-address", "password": ""}


def test_eleventh_login_post_in_a_minute_gets_a_friendly_429(app, web):
    assert app.config["RATELIMIT_AUTH"] == "10 per minute", "the shipped default"
    for attempt in range(10):
        assert web.post("/login", INVALID_LOGIN).status_code == 422, f"attempt {attempt + 1}"
    response = web.post("/login", INVALID_LOGIN)
    assert response.status_code == 429
    assert response.mimetype == "text/html"
    text = visible_text(response.get_data(as_text=True))
    assert "Too many attempts" in text
    assert "Wait a minute and try again" in text
    assert web.get("/login").status_code == 200, "reading the page is not limited"


class TestWithALowLimit:
    """The same limit, set low in configuration so that each test needs only a few posts."""

    @pytest.fixture
    def app_config(self, app_config):
        """A low limit keeps the remaining tests quick."""
        return {**app_config, "RATELIMIT_AUTH": "3 per minute"}

    @pytest.mark.parametrize(
        ("path", "form"),
        [
            ("/login", INVALID_LOGIN),
            ("/register", {"email": "x", "display_name": "", "password": "", "confirm": ""}),
            ("/password/forgot", {"email": "x"}),
        ],
    )
    def test_auth_forms_are_limited(self, web, path, form):
        statuses = [web.post(path, form).status_code for _ in range(4)]
        assert statuses == [422, 422, 422, 429], statuses

    def test_limit_applies_to_valid_attempts_and_then_refuses_even_the_right_password(
        self, app, web, sessions
    ):
        make_user(sessions, "target@example.org")
        for _ in range(3):
            assert (
                web.post("/login", {"email": "target@example.org", "password": "guess " * 3}).status_code
                == 422
            )
        blocked = web.post("/login", {"email": "target@example.org", "password": PASSWORD})
        assert blocked.status_code == 429
        assert web.get("/account").status_code == 302, "a limited attempt signs nobody in"

    def test_limited_client_that_prefers_json_gets_a_json_429(self, web):
        for _ in range(3):
            web.post("/login", INVALID_LOGIN)
        response = web.post("/login", INVALID_LOGIN, headers={"Accept": "application/json"})
        assert response.status_code == 429
        body = response.get_json()
        assert body["error"] == "rate_limited"
        assert body["message"]
        assert body["fields"] == {}

    def test_limit_is_per_client_address(self, app, web):
        for _ in range(4):
            web.post("/login", INVALID_LOGIN)
        assert web.post("/login", INVALID_LOGIN).status_code == 429
        neighbour = new_client(app)
        other = neighbour.client.post(
            "/login",
            data={**INVALID_LOGIN, "csrf_token": neighbour.csrf_token()},
            environ_base={"REMOTE_ADDR": "192.0.2.7"},
        )
        assert other.status_code == 422, "another address has its own allowance"
