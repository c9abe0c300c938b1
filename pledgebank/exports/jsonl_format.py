"""JSON Lines: a header line, one line per transaction with its postings and sealed bytes, a trailer line."""

from __future__ import annotations

import json
from collections.abc import Iterator

from pledgebank.exports.exportfiles import ExportFile, Peek, Record, UnreadableExport, amount_of, hash_of
from pledgebank.exports.header import compact, statement, trailer
from pledgebank.exports.job import ExportJob
from pledgebank.exports.naming import major, one_line
from pledgebank.exports.service import LedgerFormat

MEDIA_TYPE = "application/x-ndjson; charset=utf-8"
EXTENSION = "jsonl"
NAME = "jsonl"


def write(job: ExportJob) -> Iterator[str]:
    """Header, transactions, trailer; every transaction carries its canonical bytes so it can be re-hashed."""
    yield compact({"type": "header", **statement(job.scope, NAME)}) + "\n"
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


def sniff(peek: Peek) -> bool:
    """A JSON Lines export's first line is its header, which names the format."""
    return peek.states_format(NAME)


def read(export: ExportFile) -> Iterator[Record]:
    """Each transaction line in file order (the chain's), checking each amount against its minor units."""
    with export.path.open(encoding="utf-8") as file:
        for number, line in enumerate(file, start=1):
            where = f"{export.path.name} line {number}"
            try:
                document = json.loads(line)
            except ValueError as error:
                raise UnreadableExport(f"{where}: not JSON") from error
            if document.get("type") == "trailer":
                export.trailer = document
            elif document.get("type") == "transaction":
                shown, funds = [], []
                for posting in document["postings"]:
                    amount = amount_of(posting["amount"], posting["currency"], where)
                    if amount != posting["minor"]:
                        raise UnreadableExport(f"{where}: amount and minor units disagree")
                    shown.append((posting["account"], amount, posting["currency"]))
                    funds.append(posting.get("fund"))
                words = document.get("description")
                yield Record(
                    document["sequence"],
                    hash_of(document["hash"], where),
                    str(document["canonical"]).encode("ascii"),
                    tuple(shown),
                    date=document.get("date"),
                    description=one_line(words) if isinstance(words, str) else None,
                    funds=tuple(funds),
                )


FORMAT = LedgerFormat(
    name=NAME,
    label="JSON Lines: one transaction per line, with the sealed bytes to re-check the chain",
    media_type=MEDIA_TYPE,
    extension=EXTENSION,
    write=write,
    sniff=sniff,
    read=read,
)
