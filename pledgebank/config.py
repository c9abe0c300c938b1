"""Settings: defaults, then PLEDGEBANK_* environment variables (and .env), then test_config."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from dotenv import dotenv_values

PREFIX = "PLEDGEBANK_"


class ConfigError(RuntimeError):
    """The service must not start with these settings; the message is one line for the operator."""


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(value: str) -> int:
    return int(value.strip())


def _days(value: str) -> str:
    """A list of increasing day counts such as "1,3,7", tidied; ValueError otherwise."""
    days = [int(part) for part in value.replace(" ", "").split(",") if part]
    if not days or days[0] < 1 or days != sorted(set(days)):
        raise ValueError(value)
    return ",".join(str(day) for day in days)


def _month_day(value: str) -> str:
    """A day of the year as MM-DD (not 29 February, which most years lack); ValueError otherwise."""
    month, day = (int(part) for part in value.strip().split("-"))
    date(2025, month, day)
    return f"{month:02d}-{day:02d}"


# name -> (default, parser). Every name here is documented in .env.example.
SETTINGS: dict[str, tuple[Any, Any]] = {
    "ENV": ("development", str),
    "SECRET_KEY": ("", str),
    "DATABASE_URL": ("", str),
    "BASE_URL": ("http://127.0.0.1:5000", str),
    "REDIS_URL": ("", str),
    "TIMEZONE": ("Europe/London", str),
    "CURRENCY": ("GBP", str),
    "LOCALE": ("en_GB", str),
    "MAIL_SERVER": ("", str),
    "MAIL_PORT": (587, _int),
    "MAIL_USE_TLS": (True, _flag),
    "MAIL_USE_SSL": (False, _flag),
    "MAIL_USERNAME": ("", str),
    "MAIL_PASSWORD": ("", str),
    "MAIL_DEFAULT_SENDER": ("PledgeBank <no-reply@pledgebank.localhost>", str),
    "MAIL_OUTBOX": ("", str),
    "EMAIL_VERIFY_MAX_AGE": (60 * 60 * 48, _int),
    "PASSWORD_RESET_MAX_AGE": (60 * 60, _int),
    "RATELIMIT_AUTH": ("10 per minute", str),
    "STRIPE_SECRET_KEY": ("", str),
    "STRIPE_PUBLISHABLE_KEY": ("", str),
    "STRIPE_WEBHOOK_SECRET": ("", str),
    "STRIPE_API_BASE": ("", str),
    "RUN_DUE_INTERVAL": (60, _int),
    "PAYMENT_ATTEMPT_LEASE": (300, _int),
    "PASSWORD_HASH_TIME_COST": (3, _int),
    "PASSWORD_HASH_MEMORY_KIB": (65536, _int),
    "DEMO": (False, _flag),
    "LEVY_RETRY_DAYS": ("1,3,7", _days),
    "GRANT_SECOND_APPROVAL_ABOVE": (50_000, _int),
    "FINANCIAL_YEAR_START": ("04-01", _month_day),
    "GRANTS_360_PREFIX": ("360G-pledgebank", str),
}

DEV_SECRET = "dev-only-secret-key-not-for-production"  # noqa: S105


def _from_environment(env_file: Path | None) -> dict[str, Any]:
    """Read PLEDGEBANK_* from .env (if present) then the process environment, which wins."""
    raw: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        raw.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    raw.update(os.environ)
    values: dict[str, Any] = {}
    for name, (_default, parse) in SETTINGS.items():
        text = raw.get(PREFIX + name)
        if text is None or text == "":
            continue
        try:
            values[name] = parse(text)
        except ValueError as exc:
            raise ConfigError(f"{PREFIX}{name} has an invalid value {text!r}") from exc
    return values


def load(instance_path: Path, test_config: dict[str, Any] | None, env_file: Path | None) -> dict[str, Any]:
    """Build the settings mapping, refusing production settings that are missing or unsafe."""
    config = {name: default for name, (default, _parse) in SETTINGS.items()}
    if test_config is None:
        config.update(_from_environment(env_file))
    else:
        config["ENV"] = "testing"
        config.update(test_config)
    if config["ENV"] == "production":
        _require_production(config)
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = DEV_SECRET
    if not config["DATABASE_URL"]:
        config["DATABASE_URL"] = f"sqlite:///{instance_path / 'pledgebank.sqlite3'}"
    if not config["MAIL_SERVER"] and not config["MAIL_OUTBOX"]:
        config["MAIL_OUTBOX"] = str(instance_path / "outbox")
    return config


def _require_production(config: dict[str, Any]) -> None:
    missing = [
        name
        for name in (
            "SECRET_KEY",
            "DATABASE_URL",
            "STRIPE_SECRET_KEY",
            "STRIPE_PUBLISHABLE_KEY",
            "STRIPE_WEBHOOK_SECRET",
        )
        if not config[name]
    ]
    if missing:
        names = ", ".join(PREFIX + name for name in missing)
        raise ConfigError(f"refusing to start in production: {names} must be set")
    if len(config["SECRET_KEY"]) < 32 or config["SECRET_KEY"] == DEV_SECRET:
        raise ConfigError(
            f"refusing to start in production: {PREFIX}SECRET_KEY must be 32 or more random characters"
        )
    if config["DATABASE_URL"].startswith("sqlite:///:memory:") or config["DATABASE_URL"] == "sqlite://":
        raise ConfigError(
            f"refusing to start in production: {PREFIX}DATABASE_URL must name a persistent database"
        )
    if not config["STRIPE_SECRET_KEY"].startswith(("sk_live_", "sk_test_", "rk_live_", "rk_test_")):
        raise ConfigError(
            f"refusing to start in production: {PREFIX}STRIPE_SECRET_KEY is not a Stripe secret key"
        )
