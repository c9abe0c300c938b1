"""Running the Alembic migrations from code (the CLI, the demo and the tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(url: str) -> Config:
    """Alembic settings from pyproject.toml, pointed at url."""
    config = Config(toml_file=str(ROOT / "pyproject.toml"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "heads") -> None:
    """Migrate the database at url up to revision."""
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    """Migrate the database at url down to revision."""
    command.downgrade(alembic_config(url), revision)


def head_revision() -> str:
    """The newest migration this code has (several heads joined by '+', as a backup's manifest has them)."""
    return "+".join(sorted(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()))
