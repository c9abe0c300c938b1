"""Pledges of time: a pledge's kind (money or time), what happens next for a pledge of time, and no fund.

A pledge of time asks for no money: its amount is 0, it has no fund and no money target, and its signups are
made with method "time" and amount 0. The amount checks become checks that fit the kind.

SQLite cannot drop a CHECK or a NOT NULL in place, and `pledges` cannot be recreated once other rows refer
to it (foreign keys are on, and cannot be switched off inside the migration's transaction). So on SQLite
the tables' declared SQL is rewritten in place, as SQLite's own documentation describes for removing
constraints; the rows need no change (every existing pledge is a money pledge, and fits the new checks).

Revision ID: 0025
Revises: 0022
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PLEDGE_FITS_KIND = (
    "(kind = 'money' AND amount > 0 AND fund_id IS NOT NULL) OR (kind = 'time' AND amount = 0 "
    "AND fund_id IS NULL AND target_amount IS NULL AND target_pledgers IS NOT NULL)"
)
SIGNUP_FITS_METHOD = "(method = 'time' AND amount = 0) OR (method <> 'time' AND amount > 0)"
OLD_PLEDGE_CHECK = "CONSTRAINT ck_pledges_amount_positive CHECK (amount > 0)"
NEW_PLEDGE_CHECK = f"CONSTRAINT ck_pledges_fits_kind CHECK ({PLEDGE_FITS_KIND})"
OLD_SIGNUP_CHECK = "CONSTRAINT ck_pledge_signups_amount_positive CHECK (amount > 0)"
NEW_SIGNUP_CHECK = f"CONSTRAINT ck_pledge_signups_amount_fits_method CHECK ({SIGNUP_FITS_METHOD})"
FUND_REQUIRED = "fund_id INTEGER NOT NULL,"
FUND_OPTIONAL = "fund_id INTEGER,"


def _rewrite_sqlite(changes: dict[str, list[tuple[str, str]]]) -> None:
    """Replace text in the declared SQL of SQLite tables (each piece must be there exactly once)."""
    bind = op.get_bind()
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    for table, replacements in changes.items():
        sql = bind.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        )
        text = sql.scalar_one()
        for old, new in replacements:
            if text.count(old) != 1:
                raise RuntimeError(f"{table}: expected {old!r} once in its declared SQL")
            text = text.replace(old, new)
        bind.exec_driver_sql(
            "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?", (text, table)
        )
    bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")
    problems = bind.exec_driver_sql("PRAGMA integrity_check").scalar_one()
    if problems != "ok":
        raise RuntimeError(f"SQLite integrity check after the rewrite: {problems}")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("ALTER TABLE pledges ADD COLUMN kind VARCHAR(8) NOT NULL DEFAULT 'money'")
        op.execute("ALTER TABLE pledges ADD COLUMN next_steps TEXT NOT NULL DEFAULT ''")
        _rewrite_sqlite(
            {
                "pledges": [(OLD_PLEDGE_CHECK, NEW_PLEDGE_CHECK), (FUND_REQUIRED, FUND_OPTIONAL)],
                "pledge_signups": [(OLD_SIGNUP_CHECK, NEW_SIGNUP_CHECK)],
            }
        )
        return
    op.add_column("pledges", sa.Column("kind", sa.String(8), nullable=False, server_default="money"))
    op.add_column("pledges", sa.Column("next_steps", sa.Text(), nullable=False, server_default=""))
    op.alter_column("pledges", "kind", server_default=None)
    op.alter_column("pledges", "next_steps", server_default=None)
    op.alter_column("pledges", "fund_id", existing_type=sa.BigInteger(), nullable=True)
    op.drop_constraint(op.f("ck_pledges_amount_positive"), "pledges", type_="check")
    op.create_check_constraint(op.f("ck_pledges_fits_kind"), "pledges", PLEDGE_FITS_KIND)
    op.drop_constraint(op.f("ck_pledge_signups_amount_positive"), "pledge_signups", type_="check")
    op.create_check_constraint(
        op.f("ck_pledge_signups_amount_fits_method"), "pledge_signups", SIGNUP_FITS_METHOD
    )


def downgrade() -> None:
    # The older schema cannot hold pledges of time: they go, with their signups, offers and updates.
    time_pledges = "SELECT id FROM pledges WHERE kind = 'time'"
    for table in ("pledge_signups", "pledge_updates", "match_offers"):
        op.execute(f"DELETE FROM {table} WHERE pledge_id IN ({time_pledges})")
    op.execute("DELETE FROM pledges WHERE kind = 'time'")
    if op.get_bind().dialect.name == "sqlite":
        _rewrite_sqlite(
            {
                "pledges": [(NEW_PLEDGE_CHECK, OLD_PLEDGE_CHECK), (FUND_OPTIONAL, FUND_REQUIRED)],
                "pledge_signups": [(NEW_SIGNUP_CHECK, OLD_SIGNUP_CHECK)],
            }
        )
        op.execute("ALTER TABLE pledges DROP COLUMN next_steps")
        op.execute("ALTER TABLE pledges DROP COLUMN kind")
        return
    op.drop_constraint(op.f("ck_pledge_signups_amount_fits_method"), "pledge_signups", type_="check")
    op.create_check_constraint(op.f("ck_pledge_signups_amount_positive"), "pledge_signups", "amount > 0")
    op.drop_constraint(op.f("ck_pledges_fits_kind"), "pledges", type_="check")
    op.create_check_constraint(op.f("ck_pledges_amount_positive"), "pledges", "amount > 0")
    op.alter_column("pledges", "fund_id", existing_type=sa.BigInteger(), nullable=False)
    op.drop_column("pledges", "next_steps")
    op.drop_column("pledges", "kind")
