"""The pledge sentence and the short link: what the creator will do, and a short code per pledge.

`action` finishes the creator's sentence ("will mend the playground fence"); existing pledges get an empty
one and read "will put £10 towards “Mend the playground fence”" until their creator writes it. `short_code`
is the pledge's short link, /p/<code>: lower-case letters only (never all digits, so it can never be a
pledge number), given to every existing pledge here.

Revision ID: 0023
Revises: 0026
Create Date: 2026-12-05
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same alphabet and length as pledgebank.pledges.share (copied: a migration never imports the app).
ALPHABET = "abcdefghjkmnpqrstuvwxyz"
LENGTH = 7


def upgrade() -> None:
    op.add_column("pledges", sa.Column("action", sa.String(200), nullable=False, server_default=""))
    op.add_column("pledges", sa.Column("short_code", sa.String(12), nullable=True))
    connection = op.get_bind()
    pledges = sa.table("pledges", sa.column("id", sa.BigInteger), sa.column("short_code", sa.String))
    used: set[str] = set()
    for (pledge_id,) in connection.execute(sa.select(pledges.c.id).order_by(pledges.c.id)):
        code = ""
        while not code or code in used:
            code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        used.add(code)
        connection.execute(pledges.update().where(pledges.c.id == pledge_id).values(short_code=code))
    op.create_index("ix_pledges_short_code", "pledges", ["short_code"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_pledges_short_code", table_name="pledges")
    # SQLite drops a column in place (3.35+); rebuilding the table would trip its foreign keys.
    op.execute("ALTER TABLE pledges DROP COLUMN short_code")
    op.execute("ALTER TABLE pledges DROP COLUMN action")
