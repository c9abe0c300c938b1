"""Posting in one call on PostgreSQL: `pb_ledger_post` seals one entry, `pb_ledger_post_many` several.

Under the book's chain-head lock the function returns the transaction already sealed under the key (or
refuses a different entry under it), refuses a date in a closed year, an unknown account, a second reversal
and a guarded account going below zero, each with its own SQLSTATE (class PB, mapped to the domain errors by
books/posting_pg.py); then it inserts the transaction, its postings and its seal, so every trigger (sealing,
balances, guard, chain head, closed periods, monthly totals) still runs. The canonical bytes come from Python
in two parts around the sequence number, which only the locked head gives, so they are byte-identical to the
ones Python seals. SQLite has no such function: it keeps posting through the ORM.

Revision ID: 0034
Revises: 0037
Create Date: 2026-12-05
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0034"
down_revision: str | None = "0037"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POST = """
CREATE FUNCTION pb_ledger_post(
  p_book bigint, p_key text, p_before bytea, p_after bytea, p_date date, p_kind text, p_memo text,
  p_source json, p_actor bigint, p_reverses text, p_version smallint, p_recorded timestamp,
  p_codes text[], p_amounts bigint[], p_currencies text[]
) RETURNS TABLE (
  txn_id bigint, txn_sequence bigint, txn_prev_hash bytea, txn_hash bytea, txn_reverses_id bigint,
  txn_created boolean
) LANGUAGE plpgsql AS $$
DECLARE
  head_sequence bigint;
  head_hash bytea;
  closed date;
  found_txn record;
  missing text;
  short_account text;
  reversed_id bigint;
  sealed bytea;
  new_id bigint;
BEGIN
  -- Writers on one book take turns on the chain head row: this keeps the sequence gapless. A year-end
  -- close takes the same lock, so the closed date read with it cannot move before this commits.
  SELECT h.sequence, h.hash, (SELECT max(c.closed_through) FROM closed_periods c WHERE c.book_id = p_book)
    INTO head_sequence, head_hash, closed
    FROM ledger_chain_heads h WHERE h.book_id = p_book FOR UPDATE OF h;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'ledger: the book has no chain head' USING ERRCODE = 'PB005', DETAIL = '';
  END IF;
  SELECT t.id, t.sequence, t.canonical, t.prev_hash, t.hash, t.reverses_id INTO found_txn
    FROM ledger_transactions t WHERE t.book_id = p_book AND t.idempotency_key = p_key;
  IF FOUND THEN
    IF found_txn.canonical <> p_before || convert_to(found_txn.sequence::text, 'UTF8') || p_after THEN
      RAISE EXCEPTION 'ledger: the key was used for a different entry' USING ERRCODE = 'PB001';
    END IF;
    RETURN QUERY SELECT found_txn.id, found_txn.sequence, found_txn.prev_hash, found_txn.hash,
      found_txn.reverses_id, false;
    RETURN;
  END IF;
  IF closed IS NOT NULL AND p_date <= closed THEN
    RAISE EXCEPTION 'ledger: the period is closed' USING ERRCODE = 'PB004', DETAIL = closed::text;
  END IF;
  -- One read of the entry's accounts: the codes the book lacks, and the first guarded one left short.
  SELECT string_agg(d.code, ', ' ORDER BY d.code) FILTER (WHERE a.id IS NULL),
         (array_agg(a.name ORDER BY a.code) FILTER (WHERE a.must_not_go_negative
                                                     AND (a.balance + d.delta) * a.normal_sign < 0))[1]
    INTO missing, short_account
    FROM (SELECT u.code, sum(u.amount) AS delta FROM unnest(p_codes, p_amounts) AS u(code, amount)
           GROUP BY u.code) d
    LEFT JOIN ledger_accounts a ON a.book_id = p_book AND a.code = d.code;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'ledger: unknown account' USING ERRCODE = 'PB005', DETAIL = missing;
  END IF;
  IF p_reverses IS NOT NULL THEN
    SELECT t.id INTO reversed_id FROM ledger_transactions t
     WHERE t.book_id = p_book AND t.idempotency_key = p_reverses;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'ledger: the transaction to reverse does not exist' USING ERRCODE = 'PB006';
    END IF;
    IF EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.reverses_id = reversed_id) THEN
      RAISE EXCEPTION 'ledger: the transaction was reversed before' USING ERRCODE = 'PB003';
    END IF;
  END IF;
  IF short_account IS NOT NULL THEN
    RAISE EXCEPTION 'ledger: a guarded account would go below zero'
      USING ERRCODE = 'PB002', DETAIL = short_account;
  END IF;
  sealed := p_before || convert_to((head_sequence + 1)::text, 'UTF8') || p_after;
  INSERT INTO ledger_transactions (book_id, sequence, effective_date, kind, memo, source, actor_id,
      idempotency_key, reverses_id, format_version, canonical, prev_hash, hash, recorded_at)
    VALUES (p_book, head_sequence + 1, p_date, p_kind, p_memo, p_source, p_actor, p_key, reversed_id,
      p_version, sealed, head_hash, sha256(head_hash || sealed), p_recorded)
    RETURNING id INTO new_id;
  INSERT INTO ledger_postings (transaction_id, book_id, line, account_id, amount, currency)
    SELECT new_id, p_book, u.line, a.id, u.amount, u.currency
      FROM unnest(p_codes, p_amounts, p_currencies) WITH ORDINALITY AS u(code, amount, currency, line)
      JOIN ledger_accounts a ON a.book_id = p_book AND a.code = u.code
     ORDER BY u.line;
  INSERT INTO ledger_seals (transaction_id) VALUES (new_id);
  RETURN QUERY SELECT new_id, head_sequence + 1, head_hash, sha256(head_hash || sealed), reversed_id, true;
END $$
"""

POST_MANY = """
CREATE FUNCTION pb_ledger_post_many(
  p_book bigint, p_keys text[], p_befores bytea[], p_afters bytea[], p_dates date[], p_kinds text[],
  p_memos text[], p_sources json[], p_actors bigint[], p_reverses text[], p_version smallint,
  p_recorded timestamp, p_counts integer[], p_codes text[], p_amounts bigint[], p_currencies text[]
) RETURNS TABLE (
  txn_id bigint, txn_sequence bigint, txn_prev_hash bytea, txn_hash bytea, txn_reverses_id bigint,
  txn_created boolean
) LANGUAGE plpgsql AS $$
DECLARE
  first integer := 1;
BEGIN
  -- Entry i's postings are the p_counts[i] elements of the posting arrays after those of entries 1..i-1.
  FOR i IN 1 .. coalesce(array_length(p_keys, 1), 0) LOOP
    RETURN QUERY SELECT * FROM pb_ledger_post(
      p_book, p_keys[i], p_befores[i], p_afters[i], p_dates[i], p_kinds[i], p_memos[i], p_sources[i],
      p_actors[i], p_reverses[i], p_version, p_recorded,
      p_codes[first : first + p_counts[i] - 1], p_amounts[first : first + p_counts[i] - 1],
      p_currencies[first : first + p_counts[i] - 1]);
    first := first + p_counts[i];
  END LOOP;
END $$
"""

SIGNATURES = (
    "pb_ledger_post_many(bigint, text[], bytea[], bytea[], date[], text[], text[], json[], bigint[], text[], "
    "smallint, timestamp, integer[], text[], bigint[], text[])",
    "pb_ledger_post(bigint, text, bytea, bytea, date, text, text, json, bigint, text, smallint, timestamp, "
    "text[], bigint[], text[])",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(POST)
    op.execute(POST_MANY)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for signature in SIGNATURES:
        op.execute(f"DROP FUNCTION {signature}")
