"""Production refuses settings that would run it unsafely, each with a one-line reason naming the setting."""

from __future__ import annotations

import pytest

from pledgebank import config
from tests.helpers.settings import clean_environment, load_production  # noqa: F401 - the fixture, for every test here


def _refusal(monkeypatch, tmp_path, **changes) -> str:
    with pytest.raises(config.ConfigError) as raised:
        load_production(monkeypatch, tmp_path, **changes)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith("refusing to start in production: "), message
    return message


def test_good_production_settings_start(monkeypatch, tmp_path):
    settings = load_production(monkeypatch, tmp_path)
    assert settings["ENV"] == "production"
    assert not settings["MAIL_OUTBOX"], "production sends email; it never writes it to a folder"
    assert settings["PROXY_COUNT"] == 0


def test_demo_mode_is_refused(monkeypatch, tmp_path):
    assert "PLEDGEBANK_DEMO" in _refusal(monkeypatch, tmp_path, DEMO="1")


@pytest.mark.parametrize(
    "secret",
    [
        "x" * 40,  # one character repeated
        "abcabcabcabcabcabcabcabcabcabcabcabc",  # three characters
        "abcdefghiihgfedcbaabcdefghiihgfedcbaa",  # nine different characters
        "abcdefghij" * 4,  # ten different characters, but one short piece repeated
        "Jq7vR2mXw9LpT4sNc8bYd3kHf6gZa1e",  # 31 characters
        config.DEV_SECRET,
    ],
    ids=["repeated", "three-characters", "nine-different", "repeated-piece", "too-short", "dev-secret"],
)
def test_a_weak_secret_is_refused(monkeypatch, tmp_path, secret):
    message = _refusal(monkeypatch, tmp_path, SECRET_KEY=secret)
    assert "PLEDGEBANK_SECRET_KEY" in message
    assert "32 or more" in message and "10 different" in message


@pytest.mark.parametrize(
    "secret",
    ["3f9a1c07d2b84e6a9c5f0b1d7e2a4c68", "mK3_xQ9-pL2vZ8rT5wY1nB7cF4hJ6dG0sA2eU9iO"],
    ids=["hex", "urlsafe"],
)
def test_generated_secrets_are_accepted(monkeypatch, tmp_path, secret):
    assert load_production(monkeypatch, tmp_path, SECRET_KEY=secret)["SECRET_KEY"] == secret


@pytest.mark.parametrize("url", ["http://pledgebank.example", "pledgebank.example", "https://"])
def test_the_base_url_must_be_https(monkeypatch, tmp_path, url):
    message = _refusal(monkeypatch, tmp_path, BASE_URL=url)
    assert "PLEDGEBANK_BASE_URL" in message and "https://" in message


def test_a_mail_server_is_required(monkeypatch, tmp_path):
    message = _refusal(monkeypatch, tmp_path, MAIL_SERVER=None)
    assert "PLEDGEBANK_MAIL_SERVER" in message


def test_an_email_folder_is_refused(monkeypatch, tmp_path):
    message = _refusal(monkeypatch, tmp_path, MAIL_OUTBOX=str(tmp_path / "outbox"))
    assert "PLEDGEBANK_MAIL_OUTBOX" in message


def test_shared_rate_limits_need_redis_or_the_single_process_setting(monkeypatch, tmp_path):
    message = _refusal(monkeypatch, tmp_path, REDIS_URL=None)
    assert "PLEDGEBANK_REDIS_URL" in message and "PLEDGEBANK_RATELIMIT_SINGLE_PROCESS" in message
    settings = load_production(monkeypatch, tmp_path, REDIS_URL=None, RATELIMIT_SINGLE_PROCESS="1")
    assert settings["RATELIMIT_SINGLE_PROCESS"] is True


@pytest.mark.parametrize("count", ["-1", "two"])
def test_the_proxy_count_is_a_whole_number(monkeypatch, tmp_path, count):
    with pytest.raises(config.ConfigError, match="PLEDGEBANK_PROXY_COUNT"):
        load_production(monkeypatch, tmp_path, PROXY_COUNT=count)


def test_several_workers_need_redis_when_rate_limits_are_kept_in_memory():
    settings = {"ENV": "production", "RATELIMIT_SINGLE_PROCESS": True, "REDIS_URL": ""}
    reason = config.worker_refusal(settings, workers=3)
    assert reason is not None and "\n" not in reason
    assert "PLEDGEBANK_RATELIMIT_SINGLE_PROCESS" in reason and "3" in reason
    assert config.worker_refusal(settings, workers=1) is None
    assert config.worker_refusal({**settings, "REDIS_URL": "redis://r:6379/0"}, workers=3) is None
    assert config.worker_refusal({**settings, "ENV": "development"}, workers=3) is None


def test_texting_is_off_in_production_unless_a_real_provider_is_set(monkeypatch, tmp_path):
    assert load_production(monkeypatch, tmp_path)["SMS_PROVIDER"] == "none"
    assert "PLEDGEBANK_SMS_PROVIDER" in _refusal(monkeypatch, tmp_path, SMS_PROVIDER="fake")
    assert "PLEDGEBANK_TWILIO_AUTH_TOKEN" in _refusal(monkeypatch, tmp_path, SMS_PROVIDER="twilio")
    settings = load_production(
        monkeypatch,
        tmp_path,
        SMS_PROVIDER="twilio",
        TWILIO_ACCOUNT_SID="AC" + "1" * 32,
        TWILIO_AUTH_TOKEN="t" * 32,
    )
    assert settings["SMS_PROVIDER"] == "twilio" and not settings["SMS_OUTBOX"]
