"""Supporting documents: invoices, receipts, grant evidence and bank statements attached to payments.

Rows are append-only (no UPDATE, no DELETE), as audit events are: a document is never overwritten or removed
through the service, and its hash is sealed in the audit log when it is attached.

Revision ID: 0028
Revises: 0024
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", BigId, nullable=False),
        sa.Column("neighbourhood_id", BigId, nullable=False),
        sa.Column("subject_type", sa.String(20), nullable=False),
        sa.Column("subject_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("filename", sa.String(120), nullable=False),
        sa.Column("media_type", sa.String(40), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("form_key", sa.String(64), nullable=False),
        sa.Column("uploaded_by_id", BigId, nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("size > 0", name="ck_documents_size_positive"),
        sa.ForeignKeyConstraint(
            ["neighbourhood_id"], ["neighbourhoods.id"], name="fk_documents_neighbourhood_id_neighbourhoods"
        ),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["users.id"], name="fk_documents_uploaded_by_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.UniqueConstraint("neighbourhood_id", "form_key", name="uq_documents_neighbourhood_id_form_key"),
    )
    op.create_index("ix_documents_neighbourhood_id", "documents", ["neighbourhood_id"])
    op.create_index("ix_documents_subject", "documents", ["subject_type", "subject_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE TRIGGER documents_append_only BEFORE UPDATE OR DELETE ON documents "
            "FOR EACH ROW EXECUTE FUNCTION pb_append_only()"
        )
        op.execute(
            "CREATE TRIGGER documents_no_truncate BEFORE TRUNCATE ON documents "
            "FOR EACH STATEMENT EXECUTE FUNCTION pb_append_only()"
        )
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER documents_no_{event.lower()} BEFORE {event} ON documents "
            "BEGIN SELECT RAISE(ABORT, 'documents is append-only'); END"
        )
    # INSERT OR REPLACE deletes the clashing row without firing delete triggers; refuse the clash first.
    op.execute(
        "CREATE TRIGGER documents_no_replace BEFORE INSERT ON documents "
        "WHEN EXISTS (SELECT 1 FROM documents WHERE id = NEW.id "
        "OR (neighbourhood_id = NEW.neighbourhood_id AND form_key = NEW.form_key)) "
        "BEGIN SELECT RAISE(ABORT, 'documents is append-only: the row exists'); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS documents_no_truncate ON documents")
        op.execute("DROP TRIGGER IF EXISTS documents_append_only ON documents")
    else:
        for name in ("documents_no_update", "documents_no_delete", "documents_no_replace"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index("ix_documents_subject", table_name="documents")
    op.drop_index("ix_documents_neighbourhood_id", table_name="documents")
    op.drop_table("documents")
