"""Consent before every levy charge: a household's card pays a levy's charges only with a resident's recorded
permission for that levy (who, which card, when, the words shown), and a resident confirms the charges listed
before anything is taken at once (keyed by the list, so it is taken once).

Existing households with a saved card keep paying the levies they are in: each current membership gets a
consent for that levy only, in the name of the resident who saved the card.

Revision ID: 0021
Revises: 0025
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

CARRIED_OVER = (
    "Carried over: this card was saved for the household's levy charges before each levy was authorised "
    "on its own. It pays ",
    "'s charges only.",
)


def upgrade() -> None:
    # Which levy the card being saved is for (no foreign key: a plain column is added in place on SQLite).
    op.add_column("households", sa.Column("setup_levy_id", sa.BigInteger(), nullable=True))
    op.create_table(
        "levy_card_consents",
        sa.Column("id", ID, nullable=False),
        sa.Column("levy_id", ID, nullable=False),
        sa.Column("household_id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("payment_method_id", sa.String(length=64), nullable=False),
        sa.Column("card_last4", sa.String(length=4), nullable=True),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column("given_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("ended_because", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["levy_id"], ["levies.id"], name=op.f("fk_levy_card_consents_levy_id_levies")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_levy_card_consents_household_id_households")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_levy_card_consents_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_levy_card_consents")),
    )
    op.create_index(op.f("ix_levy_card_consents_household_id"), "levy_card_consents", ["household_id"])
    op.create_index(op.f("ix_levy_card_consents_user_id"), "levy_card_consents", ["user_id"])
    op.create_table(
        "levy_charge_confirmations",
        sa.Column("id", ID, nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("household_id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("charge_ids", sa.Text(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_levy_charge_confirmations_household_id_households"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_levy_charge_confirmations_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_levy_charge_confirmations")),
        sa.UniqueConstraint("key", name=op.f("uq_levy_charge_confirmations_key")),
    )
    op.create_index(
        op.f("ix_levy_charge_confirmations_household_id"), "levy_charge_confirmations", ["household_id"]
    )
    _carry_over()


def _carry_over() -> None:
    """A consent for each levy a household with a saved card is in now, for that levy only, given as of
    joining (so the charges raised since are still taken as they were)."""
    op.execute(
        sa.text(
            "INSERT INTO levy_card_consents (levy_id, household_id, user_id, payment_method_id, card_last4, "
            "wording, given_at) "
            "SELECT lh.levy_id, h.id, COALESCE(h.payer_id, h.created_by_id), h.payment_method_id, "
            "h.card_last4, "
            ":before || l.name || :after, lh.created_at "
            "FROM levy_households lh JOIN households h ON h.id = lh.household_id "
            "JOIN levies l ON l.id = lh.levy_id "
            "WHERE lh.left_on IS NULL AND h.payment_method_id IS NOT NULL ORDER BY lh.id"
        ).bindparams(before=CARRIED_OVER[0], after=CARRIED_OVER[1])
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_levy_charge_confirmations_household_id"), table_name="levy_charge_confirmations")
    op.drop_table("levy_charge_confirmations")
    op.drop_index(op.f("ix_levy_card_consents_user_id"), table_name="levy_card_consents")
    op.drop_index(op.f("ix_levy_card_consents_household_id"), table_name="levy_card_consents")
    op.drop_table("levy_card_consents")
    # A plain column drop works in place on both backends (SQLite 3.35+).
    op.execute("ALTER TABLE households DROP COLUMN setup_levy_id")
