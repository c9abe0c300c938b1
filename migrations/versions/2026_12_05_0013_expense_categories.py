"""Expense categories a neighbourhood can edit: supplier payments are filed under its own list.

Every neighbourhood gets the six categories its funds already have expense accounts for (repairs, materials,
events, insurance, hall hire, other). A category added later opens `expenses:<fund>:<category>` in every fund;
renaming keeps the slug and so the account code; a retired category stays in the books. No transaction
changes, so the hash chain verifies as before. A category's account in each fund is named after it
("General fund: Hall hire"), so the six accounts every fund has take the categories' names.

The downgrade removes the accounts of added categories that nothing was posted to, then the table.

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

# (slug, name): the categories every neighbourhood had when this revision was made.
DEFAULTS = [
    ("repairs", "Repairs"),
    ("materials", "Materials"),
    ("events", "Events"),
    ("insurance", "Insurance"),
    ("hall-hire", "Hall hire"),
    ("other", "Other"),
]


def upgrade() -> None:
    op.create_table(
        "expense_categories",
        sa.Column("id", ID, nullable=False),
        sa.Column("neighbourhood_id", ID, nullable=False),
        sa.Column("slug", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["neighbourhood_id"],
            ["neighbourhoods.id"],
            name=op.f("fk_expense_categories_neighbourhood_id_neighbourhoods"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expense_categories")),
        sa.UniqueConstraint(
            "neighbourhood_id", "slug", name=op.f("uq_expense_categories_neighbourhood_id_slug")
        ),
    )
    bind = op.get_bind()
    for slug, name in DEFAULTS:
        bind.execute(
            sa.text(
                "INSERT INTO expense_categories (neighbourhood_id, slug, name, retired, created_at) "
                "SELECT n.id, :slug, :name, :retired, n.created_at FROM neighbourhoods n ORDER BY n.id"
            ),
            {"slug": slug, "name": name, "retired": False},
        )
        _name_accounts(bind, slug, name)


def _name_accounts(bind, slug: str, name: str) -> None:
    """Name each fund's account for a category "<fund name>: <category name>" (a name is not hashed)."""
    bind.execute(
        sa.text(
            "UPDATE ledger_accounts SET name = "
            "(SELECT f.name FROM funds f WHERE f.id = ledger_accounts.fund_id) || ': ' || :name "
            "WHERE fund_id IS NOT NULL AND code = "
            "'expenses:' || (SELECT f.slug FROM funds f WHERE f.id = ledger_accounts.fund_id) || ':' || :slug"
        ),
        {"slug": slug, "name": name},
    )


def downgrade() -> None:
    bind = op.get_bind()
    added = bind.execute(
        sa.text("SELECT DISTINCT slug FROM expense_categories WHERE slug NOT IN :defaults").bindparams(
            sa.bindparam("defaults", expanding=True)
        ),
        {"defaults": [slug for slug, _name in DEFAULTS]},
    ).scalars()
    for slug in list(added):
        bind.execute(
            sa.text(
                "DELETE FROM ledger_accounts WHERE fund_id IS NOT NULL AND code LIKE :pattern "
                "AND NOT EXISTS (SELECT 1 FROM ledger_postings p WHERE p.account_id = ledger_accounts.id)"
            ),
            {"pattern": f"expenses:%:{slug}"},
        )
    for slug, _name in DEFAULTS:
        _name_accounts(bind, slug, slug.replace("-", " "))
    op.drop_table("expense_categories")
