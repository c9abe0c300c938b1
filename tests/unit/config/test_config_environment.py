"""PLEDGEBANK_ENV is exactly development, testing or production, and no server signs with a published key."""

from __future__ import annotations

import stat

import pytest

from pledgebank import config
from tests.helpers.settings import clean_environment  # noqa: F401 - the fixture, for every test here


def test_unset_environment_is_development(tmp_path):
    assert config.load(tmp_path, None, None)["ENV"] == "development"


@pytest.mark.parametrize("value", ["development", "testing", "production"])
def test_the_three_environments_are_accepted_by_name(monkeypatch, tmp_path, value):
    monkeypatch.setenv("PLEDGEBANK_ENV", value)
    if value == "production":
        with pytest.raises(config.ConfigError, match="refusing to start in production"):
            config.load(tmp_path, None, None)
    else:
        assert config.load(tmp_path, None, None)["ENV"] == value


@pytest.mark.parametrize("value", ["Production", "prod", "PRODUCTION", " production", "staging", ""])
def test_any_other_environment_refuses_with_one_line(monkeypatch, tmp_path, value):
    monkeypatch.setenv("PLEDGEBANK_ENV", value)
    with pytest.raises(config.ConfigError) as raised:
        config.load(tmp_path, None, None)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith("refusing to start: PLEDGEBANK_ENV is "), message
    assert "development, testing or production" in message


def test_an_unknown_environment_in_the_env_file_refuses(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("PLEDGEBANK_ENV=prod\n")
    with pytest.raises(config.ConfigError, match="PLEDGEBANK_ENV is 'prod'"):
        config.load(tmp_path, None, env_file)


def test_development_without_a_secret_makes_its_own_and_keeps_it(tmp_path):
    first = config.load(tmp_path, None, None)["SECRET_KEY"]
    assert first != config.DEV_SECRET, "never the key published in the source"
    assert len(first) >= 32
    kept = tmp_path / "secret_key"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600, "readable by the service's user only"
    assert config.load(tmp_path, None, None)["SECRET_KEY"] == first, "sessions survive a restart"
    assert config.load(tmp_path / "elsewhere", None, None)["SECRET_KEY"] != first, "each install its own"


def test_a_configured_secret_is_used_as_given(monkeypatch, tmp_path):
    monkeypatch.setenv("PLEDGEBANK_SECRET_KEY", "my-own-development-secret")
    assert config.load(tmp_path, None, None)["SECRET_KEY"] == "my-own-development-secret"
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    ("env", "demo", "expected"),
    [
        ("development", True, True),
        ("testing", True, True),
        ("development", False, False),
        ("production", True, False),
    ],
)
def test_demo_mode_needs_demo_on_outside_production(env, demo, expected):
    assert config.demo_enabled({"ENV": env, "DEMO": demo}) is expected
