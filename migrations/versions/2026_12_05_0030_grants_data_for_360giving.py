"""What publishing grants as 360Giving data needs: the neighbourhood's area (ONS/GSS code and name) and its
own charity number, a round's planned project length, and an applicant group's charity or company number
and postcode.

Revision ID: 0030
Revises: 0024
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHECK = "ck_grant_rounds_project_months_range"


def upgrade() -> None:
    with op.batch_alter_table("neighbourhoods") as batch:
        batch.add_column(sa.Column("area_code", sa.String(9), nullable=False, server_default=""))
        batch.add_column(sa.Column("area_name", sa.String(120), nullable=False, server_default=""))
        batch.add_column(sa.Column("charity_number", sa.String(8), nullable=False, server_default=""))
    with op.batch_alter_table("grant_rounds") as batch:
        batch.add_column(sa.Column("project_months", sa.SmallInteger(), nullable=False, server_default="12"))
        batch.create_check_constraint(op.f(CHECK), "project_months BETWEEN 1 AND 60")
    with op.batch_alter_table("grant_applications") as batch:
        batch.add_column(sa.Column("charity_number", sa.String(8), nullable=True))
        batch.add_column(sa.Column("company_number", sa.String(8), nullable=True))
        batch.add_column(sa.Column("postcode", sa.String(8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("grant_applications") as batch:
        batch.drop_column("postcode")
        batch.drop_column("company_number")
        batch.drop_column("charity_number")
    with op.batch_alter_table("grant_rounds") as batch:
        batch.drop_constraint(op.f(CHECK), type_="check")
        batch.drop_column("project_months")
    with op.batch_alter_table("neighbourhoods") as batch:
        batch.drop_column("charity_number")
        batch.drop_column("area_name")
        batch.drop_column("area_code")
