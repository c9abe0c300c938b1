"""Every setting is documented in .env.example, and settings are read from PLEDGEBANK_* variables."""

from pathlib import Path

import pytest

from pledgebank import config

ROOT = Path(__file__).resolve().parents[3]


def test_env_example_documents_every_setting_with_a_comment():
    lines = (ROOT / ".env.example").read_text().splitlines()
    for name in config.SETTINGS:
        index = next((i for i, line in enumerate(lines) if line.startswith(f"PLEDGEBANK_{name}=")), None)
        assert index is not None, f"PLEDGEBANK_{name} is missing from .env.example"
        above = lines[:index]
        assert any(line.startswith("#") for line in above[-6:]), f"PLEDGEBANK_{name} has no comment above it"


def test_environment_overrides_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("PLEDGEBANK_CURRENCY", "EUR")
    monkeypatch.setenv("PLEDGEBANK_MAIL_PORT", "2525")
    settings = config.load(tmp_path, None, None)
    assert settings["CURRENCY"] == "EUR"
    assert settings["MAIL_PORT"] == 2525


def test_a_malformed_number_is_a_one_line_refusal(monkeypatch, tmp_path):
    monkeypatch.setenv("PLEDGEBANK_MAIL_PORT", "many")
    with pytest.raises(config.ConfigError, match="PLEDGEBANK_MAIL_PORT"):
        config.load(tmp_path, None, None)


PG = "postgresql+psycopg://postgres@127.0.0.1:5432/pledgebank"


@pytest.mark.parametrize(
    ("database", "worker", "asked", "queue"),
    [
        ("", "in-process", "", "table"),  # the embedded default: no other server
        ("", "separate", "", "table"),
        (PG, "in-process", "", "table"),
        (PG, "separate", "", "procrastinate"),
        (PG, "separate", "table", "table"),
    ],
)
def test_separate_workers_on_postgresql_use_procrastinate_unless_told(
    tmp_path, database, worker, asked, queue
):
    settings = config.load(
        tmp_path, {"DATABASE_URL": database, "TASK_WORKER": worker, "TASK_QUEUE": asked}, None
    )
    assert settings["TASK_QUEUE"] == queue


@pytest.mark.parametrize(("database", "worker"), [("", "separate"), (PG, "in-process")])
def test_procrastinate_without_postgresql_and_separate_workers_is_refused(tmp_path, database, worker):
    asked = {"DATABASE_URL": database, "TASK_WORKER": worker, "TASK_QUEUE": "procrastinate"}
    with pytest.raises(config.ConfigError, match="TASK_QUEUE=procrastinate needs PostgreSQL"):
        config.load(tmp_path, asked, None)


def test_an_unknown_queue_is_a_one_line_refusal(monkeypatch, tmp_path):
    monkeypatch.setenv("PLEDGEBANK_TASK_QUEUE", "celery")
    with pytest.raises(config.ConfigError, match="PLEDGEBANK_TASK_QUEUE"):
        config.load(tmp_path, None, None)
