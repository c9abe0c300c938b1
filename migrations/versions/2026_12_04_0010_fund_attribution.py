"""Fund attribution: each fund's own share of every asset and liability its money sits in.

Every fund gains `assets:stripe-clearing:<fund>`, `assets:bank:<fund>`, `assets:cash:<fund>`,
`assets:receivables:<fund>`, `liabilities:deferred-income:<fund>`, `liabilities:grants-payable:<fund>` and
`liabilities:pledges-held:<fund>`. From now on every posting of money goes to the fund's sub-account, so each
fund's legs of a transaction balance on their own and a book filtered to one fund still balances. A fund's
bank and cash shares must not go negative: one fund cannot spend another's money.

The book-level accounts stay, with what was posted to them before; their sub-accounts add up with them to
the book's totals. No transaction changes, so the hash chain verifies as before.

The downgrade removes the sub-accounts nothing was posted to; those holding postings stay, because the chain
is append-only and its postings refer to them.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (place, name, type, normal sign, must not go negative): the chart as it stood when this revision was made.
PLACES = [
    ("assets:stripe-clearing", "Stripe clearing", "asset", 1, False),
    ("assets:bank", "Bank", "asset", 1, True),
    ("assets:cash", "Cash held by treasurer", "asset", 1, True),
    ("assets:receivables", "Receivables", "asset", 1, False),
    ("liabilities:deferred-income", "Income raised, not yet received", "liability", -1, False),
    ("liabilities:grants-payable", "Grants payable", "liability", -1, False),
    ("liabilities:pledges-held", "Cash pledges held for open pledges", "liability", -1, False),
]


def upgrade() -> None:
    bind = op.get_bind()
    for place, name, kind, sign, guarded in PLACES:
        bind.execute(
            sa.text(
                "INSERT INTO ledger_accounts (book_id, code, name, type, normal_sign, fund_id, currency, "
                "must_not_go_negative, balance) "
                "SELECT b.id, :place || ':' || f.slug, f.name || ': ' || :name, :kind, :sign, f.id, "
                "b.currency, :guarded, 0 "
                "FROM funds f JOIN books b ON b.neighbourhood_id = f.neighbourhood_id "
                "WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.book_id = b.id "
                "AND a.code = :place || ':' || f.slug) ORDER BY f.id"
            ),
            {"place": place, "name": name, "kind": kind, "sign": sign, "guarded": guarded},
        )


def downgrade() -> None:
    bind = op.get_bind()
    for place, *_rest in PLACES:
        bind.execute(
            sa.text(
                "DELETE FROM ledger_accounts WHERE fund_id IS NOT NULL AND code LIKE :pattern "
                "AND NOT EXISTS (SELECT 1 FROM ledger_postings p WHERE p.account_id = ledger_accounts.id)"
            ),
            {"pattern": f"{place}:%"},
        )
