"""What publishing grants as 360Giving data needs: the neighbourhood's area (ONS/GSS code and name) and its
own charity number, a round's planned project length, and an applicant group's charity or company number
and postcode.

Revision ID: 0030
Revises: 0024
Create Date: 2026-12-05
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHECK = "ck_grant_rounds_project_months_range"


NEIGHBOURHOOD_COLUMNS = {
    "area_code": "VARCHAR(9) NOT NULL DEFAULT ''",
    "area_name": "VARCHAR(120) NOT NULL DEFAULT ''",
    "charity_number": "VARCHAR(8) NOT NULL DEFAULT ''",
}
APPLICATION_COLUMNS = {
    "charity_number": "VARCHAR(8)",
    "company_number": "VARCHAR(8)",
    "postcode": "VARCHAR(8)",
}


def upgrade() -> None:
    # Columns are added and dropped in place: rebuilding a table that others refer to (SQLite's batch mode)
    # would trip their foreign keys once there is data.
    for column, definition in NEIGHBOURHOOD_COLUMNS.items():
        op.execute(f"ALTER TABLE neighbourhoods ADD COLUMN {column} {definition}")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE grant_rounds ADD COLUMN project_months SMALLINT NOT NULL DEFAULT 12")
        op.create_check_constraint(op.f(CHECK), "grant_rounds", "project_months BETWEEN 1 AND 60")
    else:
        # SQLite adds a CHECK only with its column, and then drops it with the column.
        op.execute(
            "ALTER TABLE grant_rounds ADD COLUMN project_months SMALLINT NOT NULL DEFAULT 12 "
            f"CONSTRAINT {CHECK} CHECK (project_months BETWEEN 1 AND 60)"
        )
    for column, definition in APPLICATION_COLUMNS.items():
        op.execute(f"ALTER TABLE grant_applications ADD COLUMN {column} {definition}")


def downgrade() -> None:
    for column in APPLICATION_COLUMNS:
        op.execute(f"ALTER TABLE grant_applications DROP COLUMN {column}")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(op.f(CHECK), "grant_rounds", type_="check")
    op.execute("ALTER TABLE grant_rounds DROP COLUMN project_months")
    for column in NEIGHBOURHOOD_COLUMNS:
        op.execute(f"ALTER TABLE neighbourhoods DROP COLUMN {column}")
