"""Production refuses to start without its secrets, with a one-line reason; cookies carry the right flags."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from pledgebank import PROJECT_ROOT, create_app
from pledgebank.config import DEV_SECRET, ConfigError
from tests.helpers.app import PASSWORD, make_user

_SETTING = re.compile(r"PLEDGEBANK_[A-Z_]+")
REQUIRED = (
    "SECRET_KEY",
    "DATABASE_URL",
    "STRIPE_SECRET_KEY",
    "STRIPE_PUBLISHABLE_KEY",
    "STRIPE_WEBHOOK_SECRET",
    "MAIL_SERVER",
)


@pytest.fixture
def production(tmp_path: Path, clock) -> dict:
    """A complete production configuration (the database file is never opened by these tests)."""
    return {
        "ENV": "production",
        "SECRET_KEY": "a-production-secret-that-is-long-enough-0123456789",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "STRIPE_SECRET_KEY": "sk_test_0123456789",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_0123456789",
        "STRIPE_WEBHOOK_SECRET": "whsec_0123456789",
        "MAIL_SERVER": "smtp.example.invalid",
        "BASE_URL": "https://pledgebank.example",
        "RATELIMIT_SINGLE_PROCESS": True,
        "CLOCK": clock,
    }


def _refusal(config: dict) -> str:
    with pytest.raises(ConfigError) as raised:
        create_app(config)
    message = str(raised.value)
    assert "\n" not in message, "the reason is one line"
    assert message.startswith("refusing to start in production"), message
    return message


@pytest.mark.parametrize("missing", REQUIRED)
def test_each_missing_setting_is_named(production, missing):
    message = _refusal({**production, missing: ""})
    assert set(_SETTING.findall(message)) == {f"PLEDGEBANK_{missing}"}, message


def test_everything_missing_is_named_at_once(production):
    message = _refusal({**production, **dict.fromkeys(REQUIRED, "")})
    assert set(_SETTING.findall(message)) == {f"PLEDGEBANK_{name}" for name in REQUIRED}, message


@pytest.mark.parametrize(
    ("setting", "value", "words"),
    [
        ("SECRET_KEY", "too-short", "32 or more"),
        ("SECRET_KEY", DEV_SECRET, "32 or more"),
        ("DATABASE_URL", "sqlite://", "persistent"),
        ("DATABASE_URL", "sqlite:///:memory:", "persistent"),
        ("STRIPE_SECRET_KEY", "pk_live_not_a_secret", "not a Stripe secret key"),
    ],
    ids=["short-secret", "dev-secret", "memory-db", "memory-db-path", "publishable-as-secret"],
)
def test_unsafe_values_are_refused(production, setting, value, words):
    message = _refusal({**production, setting: value})
    assert f"PLEDGEBANK_{setting}" in message
    assert words in message


def _run_app_module(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import app"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_starting_the_wsgi_module_in_production_without_settings_exits_with_one_line():
    result = _run_app_module({"PLEDGEBANK_ENV": "production"})
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("pledgebank: refusing to start in production")
    assert "PLEDGEBANK_SECRET_KEY" in lines[0] and "PLEDGEBANK_STRIPE_SECRET_KEY" in lines[0]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_the_wsgi_module_starts_in_production_with_every_setting(production, tmp_path):
    env = {f"PLEDGEBANK_{name}": production[name] for name in ("ENV", *REQUIRED, "BASE_URL")}
    env["PLEDGEBANK_RATELIMIT_SINGLE_PROCESS"] = "1"
    result = _run_app_module(env)
    assert result.returncode == 0, result.stderr


def _cookie(response, name: str) -> str:
    headers = [value for value in response.headers.getlist("Set-Cookie") if value.startswith(f"{name}=")]
    assert headers, f"no {name} cookie set"
    return headers[-1]


def test_cookies_are_httponly_and_lax_but_not_secure_outside_production(web, sessions):
    make_user(sessions, "cookie@example.org")
    response = web.post("/login", {"email": "cookie@example.org", "password": PASSWORD, "remember": "y"})
    assert response.status_code == 302
    for name in ("session", "remember_token"):
        flags = [part.strip().lower() for part in _cookie(response, name).split(";")]
        assert "httponly" in flags, name
        assert "samesite=lax" in flags, name
        assert "secure" not in flags, name


def test_cookies_are_secure_in_production(production):
    app = create_app(production)
    try:
        response = app.test_client().get("/login", base_url="https://pledgebank.example")
        assert response.status_code == 200
        flags = [part.strip().lower() for part in _cookie(response, "session").split(";")]
        assert {"secure", "httponly", "samesite=lax"} <= set(flags)
        assert app.config["REMEMBER_COOKIE_SECURE"] is True
        assert app.config["REMEMBER_COOKIE_HTTPONLY"] is True
        assert app.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"
        assert app.test_client().get("/dev/outbox").status_code == 404, "no outbox browsing in production"
    finally:
        app.extensions["pledgebank.engine"].dispose()
