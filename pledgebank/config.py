"""Settings: defaults, then PLEDGEBANK_* environment variables (and .env), then test_config."""

from __future__ import annotations

import os
import secrets
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from dotenv import dotenv_values

PREFIX = "PLEDGEBANK_"
ENVIRONMENTS = ("development", "testing", "production")
# A production secret key: at least this long, with at least this many different characters.
SECRET_MIN_LENGTH = 32
SECRET_MIN_DIFFERENT = 10


class ConfigError(RuntimeError):
    """The service must not start with these settings; the message is one line for the operator."""


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(value: str) -> int:
    return int(value.strip())


def _count(value: str) -> int:
    number = int(value.strip())
    if number < 0:
        raise ValueError(value)
    return number


def _positive(value: str) -> int:
    number = int(value.strip())
    if number < 1:
        raise ValueError(value)
    return number


def _task_worker(value: str) -> str:
    """Where queued jobs run: "in-process" (right after each commit) or "separate" (`pledgebank worker`)."""
    value = value.strip()
    if value not in ("", "in-process", "separate"):
        raise ValueError(value)
    return value


def _task_queue(value: str) -> str:
    """Which queue holds the jobs: "table" (ours, both databases) or "procrastinate" (PostgreSQL only)."""
    value = value.strip()
    if value not in ("", "table", "procrastinate"):
        raise ValueError(value)
    return value


def _days(value: str) -> str:
    """A list of increasing day counts such as "1,3,7", tidied; ValueError otherwise."""
    days = [int(part) for part in value.replace(" ", "").split(",") if part]
    if not days or days[0] < 1 or days != sorted(set(days)):
        raise ValueError(value)
    return ",".join(str(day) for day in days)


def _log_level(value: str) -> str:
    """One of Python's logging levels, upper case; ValueError otherwise."""
    level = value.strip().upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ValueError(value)
    return level


def _month_day(value: str) -> str:
    """A day of the year as MM-DD (not 29 February, which most years lack); ValueError otherwise."""
    month, day = (int(part) for part in value.strip().split("-"))
    date(2025, month, day)
    return f"{month:02d}-{day:02d}"


def _store(value: str) -> str:
    """Where documents are kept: local or s3; ValueError otherwise."""
    store = value.strip().lower()
    if store not in ("local", "s3"):
        raise ValueError(value)
    return store


def _sms_provider(value: str) -> str:
    provider = value.strip().lower()
    if provider not in ("", "none", "fake", "twilio"):
        raise ValueError(value)
    return provider


# name -> (default, parser). Every name here is documented in .env.example.
SETTINGS: dict[str, tuple[Any, Any]] = {
    "ENV": ("development", str),
    "SECRET_KEY": ("", str),
    "DATABASE_URL": ("", str),
    "DATABASE_PING_AFTER_IDLE": (10, _count),
    "BASE_URL": ("http://127.0.0.1:5000", str),
    "REDIS_URL": ("", str),
    "RATELIMIT_SINGLE_PROCESS": (False, _flag),
    "PROXY_COUNT": (0, _count),
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
    "RATELIMIT_COMMENTS": ("5 per 10 minutes", str),
    "RATELIMIT_ALERTS": ("5 per hour", str),
    "STRIPE_SECRET_KEY": ("", str),
    "STRIPE_PUBLISHABLE_KEY": ("", str),
    "STRIPE_WEBHOOK_SECRET": ("", str),
    "STRIPE_API_BASE": ("", str),
    "RUN_DUE_INTERVAL": (60, _int),
    "PAYMENT_ATTEMPT_LEASE": (300, _int),
    "TASK_WORKER": ("", _task_worker),
    "TASK_QUEUE": ("", _task_queue),
    "TASK_LEASE": (600, _positive),
    "TASK_ATTEMPTS": (5, _positive),
    "PASSWORD_HASH_TIME_COST": (3, _int),
    "PASSWORD_HASH_MEMORY_KIB": (65536, _int),
    "DEMO": (False, _flag),
    "LEVY_RETRY_DAYS": ("1,3,7", _days),
    "GRANT_SECOND_APPROVAL_ABOVE": (50_000, _int),
    "FINANCIAL_YEAR_START": ("04-01", _month_day),
    # How long after its year ends an examiner's appointment lasts (the accounts are due in ten months).
    "EXAMINATION_PERIOD_DAYS": (304, _positive),
    "GRANTS_360_PREFIX": ("360G-pledgebank", str),
    # Supporting documents (see pledgebank/documents/storage.py): the largest file accepted, and the store.
    "DOCUMENT_MAX_BYTES": (10 * 1024 * 1024, _positive),
    "DOCUMENT_STORE": ("local", _store),
    "DOCUMENT_DIR": ("", str),
    "DOCUMENT_S3_BUCKET": ("", str),
    "DOCUMENT_S3_ENDPOINT_URL": ("", str),
    "DOCUMENT_S3_REGION": ("", str),
    "DOCUMENT_S3_PREFIX": ("", str),
    # Retention (see pledgebank/privacy/retention.py): days, except financial records (years).
    "RETAIN_UNVERIFIED_ACCOUNTS_DAYS": (30, _positive),
    "RETAIN_DECLINED_APPLICATIONS_DAYS": (730, _positive),
    "RETAIN_WEBHOOK_PAYLOADS_DAYS": (90, _positive),
    "RETAIN_SIGN_OUTS_DAYS": (90, _positive),
    "RETAIN_REVOKED_TOKENS_DAYS": (90, _positive),
    "RETAIN_DEAD_JOBS_DAYS": (30, _positive),
    "RETAIN_FINANCIAL_YEARS": (6, _positive),
    # Named on the privacy notice: who runs this installation, and who delivers its email.
    "PRIVACY_OPERATOR_NAME": ("", str),
    "PRIVACY_OPERATOR_CONTACT": ("", str),
    "MAIL_PROVIDER_NAME": ("", str),
    "LOG_LEVEL": ("INFO", _log_level),
    "METRICS_TOKEN": ("", str),
    "SENTRY_DSN": ("", str),
    # Pledging by text (see pledgebank/sms/): the provider ("fake" writes texts to a file, listed at
    # /dev/outbox; "twilio" sends them; "none" turns texting off), its keys, the number account codes come
    # from, and how many texts one number may send in an hour.
    "SMS_PROVIDER": ("", _sms_provider),
    "TWILIO_ACCOUNT_SID": ("", str),
    "TWILIO_AUTH_TOKEN": ("", str),
    "SMS_FROM_NUMBER": ("+447700900000", str),
    "SMS_PER_HOUR": (10, _positive),
    "SMS_OUTBOX": ("", str),
}

# Published with the source, so anyone could sign sessions with it: refused in production.
DEV_SECRET = "dev-only-secret-key-not-for-production"  # noqa: S105


def _environment(raw: dict[str, str]) -> str:
    """PLEDGEBANK_ENV exactly as one of ENVIRONMENTS; unset means development, anything else refuses."""
    if PREFIX + "ENV" not in raw:
        return "development"
    value = raw[PREFIX + "ENV"]
    if value not in ENVIRONMENTS:
        raise ConfigError(
            f"refusing to start: {PREFIX}ENV is {value!r}; "
            "it must be exactly development, testing or production"
        )
    return value


def _from_environment(env_file: Path | None) -> dict[str, Any]:
    """Read PLEDGEBANK_* from .env (if present) then the process environment, which wins."""
    raw: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        raw.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    raw.update(os.environ)
    values: dict[str, Any] = {"ENV": _environment(raw)}
    for name, (_default, parse) in SETTINGS.items():
        text = raw.get(PREFIX + name)
        if name == "ENV" or text is None or text == "":
            continue
        try:
            values[name] = parse(text)
        except ValueError as exc:
            raise ConfigError(f"{PREFIX}{name} has an invalid value {text!r}") from exc
    return values


def from_environment(env_file: Path | None) -> dict[str, Any]:
    """The settings as the environment (and .env) give them, with defaults for the rest."""
    config = {name: default for name, (default, _parse) in SETTINGS.items()}
    config.update(_from_environment(env_file))
    return config


def load(instance_path: Path, test_config: dict[str, Any] | None, env_file: Path | None) -> dict[str, Any]:
    """Build the settings mapping, refusing production settings that are missing or unsafe."""
    if test_config is None:
        config = from_environment(env_file)
    else:
        config = {name: default for name, (default, _parse) in SETTINGS.items()}
        config["ENV"] = "testing"
        config.update(test_config)
        _environment({PREFIX + "ENV": config["ENV"]})
    if config["ENV"] == "production":
        require_production(config)
    elif not config["SECRET_KEY"]:
        config["SECRET_KEY"] = _instance_secret(instance_path)
    if not config["DATABASE_URL"]:
        config["DATABASE_URL"] = f"sqlite:///{instance_path / 'pledgebank.sqlite3'}"
    if not config["TASK_WORKER"]:
        # Production runs `pledgebank worker` processes; development, the demo and the tests need none.
        config["TASK_WORKER"] = "separate" if config["ENV"] == "production" else "in-process"
    config["TASK_QUEUE"] = _queue_for(config)
    if not config["MAIL_SERVER"] and not config["MAIL_OUTBOX"] and config["ENV"] != "production":
        config["MAIL_OUTBOX"] = str(instance_path / "outbox")
    if not config["SMS_PROVIDER"]:
        config["SMS_PROVIDER"] = "none" if config["ENV"] == "production" else "fake"
    if config["SMS_PROVIDER"] == "fake" and not config["SMS_OUTBOX"]:
        config["SMS_OUTBOX"] = str(instance_path / "texts")
    return config


def _queue_for(config: dict[str, Any]) -> str:
    """Separate workers on PostgreSQL use procrastinate; everything else (the embedded SQLite default, and
    jobs run in process) our own table, which needs no other server."""
    on_postgres = urlsplit(str(config["DATABASE_URL"])).scheme.startswith("postgresql")
    chosen = config.get("TASK_QUEUE") or ""
    if chosen == "procrastinate" and not (on_postgres and config["TASK_WORKER"] == "separate"):
        raise ConfigError("PLEDGEBANK_TASK_QUEUE=procrastinate needs PostgreSQL and TASK_WORKER=separate")
    if chosen:
        return str(chosen)
    return "procrastinate" if on_postgres and config["TASK_WORKER"] == "separate" else "table"


def _instance_secret(instance_path: Path) -> str:
    """This installation's own random key, made once and kept in the instance folder (owner-only)."""
    path = instance_path / "secret_key"
    if not path.is_file():
        instance_path.mkdir(parents=True, exist_ok=True)
        draft = instance_path / f".secret_key.{os.getpid()}"
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, path)  # atomic: of two processes starting at once, the first key wins
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


def demo_enabled(config: dict[str, Any]) -> bool:
    """Whether the demo's clock controls exist: demo mode on, and never in production."""
    return bool(config.get("DEMO")) and config.get("ENV") in ("development", "testing")


def weak_secret(secret: str) -> bool:
    """Too short, too few different characters, or one short piece repeated (see .env.example)."""
    return (
        len(secret) < SECRET_MIN_LENGTH
        or len(set(secret)) < SECRET_MIN_DIFFERENT
        or secret in (secret + secret)[1:-1]
        or secret == DEV_SECRET
    )


def worker_refusal(config: dict[str, Any], workers: int) -> str | None:
    """Why production must not run this many worker processes with these settings, or None."""
    if config["ENV"] != "production" or config["REDIS_URL"] or workers <= 1:
        return None
    return (
        f"refusing to start in production: {PREFIX}RATELIMIT_SINGLE_PROCESS keeps rate limits in each "
        f"process's memory, so it allows one worker process, not {workers}; set {PREFIX}REDIS_URL"
    )


def require_production(config: dict[str, Any]) -> None:
    """Raise ConfigError, with a one-line reason, unless these production settings are complete and safe."""
    missing = [
        name
        for name in (
            "SECRET_KEY",
            "DATABASE_URL",
            "STRIPE_SECRET_KEY",
            "STRIPE_PUBLISHABLE_KEY",
            "STRIPE_WEBHOOK_SECRET",
            "MAIL_SERVER",
        )
        if not config[name]
    ]
    if missing:
        names = ", ".join(PREFIX + name for name in missing)
        raise ConfigError(f"refusing to start in production: {names} must be set")
    reason = _production_problem(config)
    if reason:
        raise ConfigError(f"refusing to start in production: {reason}")


def _production_problem(config: dict[str, Any]) -> str | None:
    """The first unsafe production setting, described in one line, or None."""
    base_url = urlsplit(config["BASE_URL"])
    if config["DEMO"]:
        return f"{PREFIX}DEMO must be off (its clock controls are for trying the service out)"
    if weak_secret(config["SECRET_KEY"]):
        return (
            f"{PREFIX}SECRET_KEY must be {SECRET_MIN_LENGTH} or more random characters with at least "
            f"{SECRET_MIN_DIFFERENT} different ones, not a short piece repeated"
        )
    if config["DATABASE_URL"].startswith("sqlite:///:memory:") or config["DATABASE_URL"] == "sqlite://":
        return f"{PREFIX}DATABASE_URL must name a persistent database"
    if not config["STRIPE_SECRET_KEY"].startswith(("sk_live_", "sk_test_", "rk_live_", "rk_test_")):
        return f"{PREFIX}STRIPE_SECRET_KEY is not a Stripe secret key"
    if base_url.scheme != "https" or not base_url.netloc:
        return f"{PREFIX}BASE_URL must be an https:// address (links in emails and secure cookies need it)"
    if config["METRICS_TOKEN"] and weak_secret(config["METRICS_TOKEN"]):
        return (
            f"{PREFIX}METRICS_TOKEN, when set, must be {SECRET_MIN_LENGTH} or more random characters with at "
            f"least {SECRET_MIN_DIFFERENT} different ones"
        )
    if config["SMS_PROVIDER"] == "fake":
        return f"{PREFIX}SMS_PROVIDER must not be fake in production: choose twilio, or none"
    if config["SMS_PROVIDER"] == "twilio" and not (
        config["TWILIO_ACCOUNT_SID"] and config["TWILIO_AUTH_TOKEN"]
    ):
        return f"{PREFIX}TWILIO_ACCOUNT_SID and {PREFIX}TWILIO_AUTH_TOKEN must be set to text through Twilio"
    if config["MAIL_OUTBOX"]:
        return f"{PREFIX}MAIL_OUTBOX must be empty: production sends email through {PREFIX}MAIL_SERVER"
    if not config["REDIS_URL"] and not config["RATELIMIT_SINGLE_PROCESS"]:
        return (
            f"{PREFIX}REDIS_URL must be set so that every worker process shares the rate limits "
            f"(or set {PREFIX}RATELIMIT_SINGLE_PROCESS=1 when running a single process)"
        )
    return None
