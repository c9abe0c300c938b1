"""JSON Lines: a header line, one line per transaction with its postings and sealed bytes, a trailer line."""

from __future__ import annotations

import json
from collections.abc import Iterator

from pledgebank.exports.header import compact, statement, trailer
from pledgebank.exports.job import ExportJob
from pledgebank.exports.naming import major

MEDIA_TYPE = "application/x-ndjson; charset=utf-8"
EXTENSION = "jsonl"


def write(job: ExportJob) -> Iterator[str]:
    """Header, transactions, trailer; every transaction carries its canonical bytes so it can be re-hashed."""
    yield compact({"type": "header", **statement(job.scope, "jsonl")}) + "\n"
    accounts = {a.id: a for a in job.scope.accounts}
    for tx in job.transactions:
        document = {
            "type": "transaction",
            "sequence": tx.sequence,
            "date": tx.effective_date.isoformat(),
            "kind": tx.kind,
            "memo": tx.memo,
            "description": tx.description or tx.memo,
            "source": json.loads(tx.source),
            "actor": tx.actor_id,
            "key": tx.key,
            "reverses": tx.reverses_sequence,
            "prev_hash": tx.prev_hash.hex() if tx.prev_hash else None,
            "hash": tx.hash.hex(),
            "canonical": tx.canonical.decode("ascii") if tx.canonical else None,
            "postings": [
                {
                    "line": line,
                    "account": accounts[account].code,
                    "fund": accounts[account].fund,
                    "amount": major(amount, currency),
                    "minor": amount,
                    "currency": currency,
                }
                for line, account, amount, currency in tx.postings
            ],
        }
        yield json.dumps(document, separators=(",", ":"), ensure_ascii=False) + "\n"
    yield compact({"type": "trailer", **trailer(job.tally)}) + "\n"
