"""Alembic environment: plain Alembic, no app needed.

The database URL comes from, in order: a connection handed over in config.attributes, the
sqlalchemy.url option (set by code or `-x url=...`), PLEDGEBANK_DATABASE_URL, then the default SQLite file.
"""

from __future__ import annotations

import os
from pathlib import Path

from alembic import context
from dotenv import dotenv_values

from pledgebank.db import make_engine
from pledgebank.models import metadata
from pledgebank.tasks.pg_schema import is_queue_table

config = context.config
ROOT = Path(__file__).resolve().parent.parent


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if url:
        return url
    env_file = dotenv_values(ROOT / ".env") if (ROOT / ".env").is_file() else {}
    url = os.environ.get("PLEDGEBANK_DATABASE_URL") or env_file.get("PLEDGEBANK_DATABASE_URL")
    return url or f"sqlite:///{ROOT / 'instance' / 'pledgebank.sqlite3'}"


def _ours(name, type_, _parent) -> bool:
    """Everything but procrastinate's tables, which its own schema describes, not our models."""
    return not (type_ == "table" and is_queue_table(name))


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=_ours,
        transaction_per_migration=True,
    )


def run_offline() -> None:
    """Emit SQL for the migrations without a database."""
    context.configure(url=_url(), target_metadata=metadata, literal_binds=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Run the migrations against a live database."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = _url()
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    with engine.connect() as connection:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
