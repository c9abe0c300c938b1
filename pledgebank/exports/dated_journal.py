"""What the plain-text journal formats (beancount, hledger) write alike: the transactions in date order, each
month's balance assertions after that month's last transaction, then the trailer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

from pledgebank.exports.exportfiles import Peek
from pledgebank.exports.header import TRAILER_MARK, MonthEndBalances, compact
from pledgebank.exports.header import trailer as trailer_statement
from pledgebank.exports.job import ExportJob
from pledgebank.exports.reader import AccountInfo, ExportTransaction

Names = dict[int, str]
Assertions = Callable[[Iterator[tuple[date, dict[int, int]]], dict[int, AccountInfo], Names], Iterator[str]]


def body(
    job: ExportJob,
    names: Names,
    transaction: Callable[[ExportTransaction, Names], str],
    assertions: Assertions,
) -> Iterator[str]:
    """Every transaction (as `transaction` writes it) with the month-end assertions, and the trailer."""
    accounts = {a.id: a for a in job.scope.accounts}
    balances = MonthEndBalances(job.opening, job.scope.filters.date_from)
    for tx in job.transactions:  # in date order: each month's assertions come before the next month
        yield from assertions(balances.month_ends(before=tx.effective_date), accounts, names)
        balances.add(tx.effective_date, tx.postings)
        yield transaction(tx, names)
    yield from assertions(balances.month_ends(), accounts, names)
    yield f"; {TRAILER_MARK} {compact(trailer_statement(job.tally))}\n"


def sniffer(name: str) -> Callable[[Peek], bool]:
    """A journal export names its format in the marked comment among its first lines."""

    def sniff(peek: Peek) -> bool:
        return peek.first_line.startswith(";") and peek.states_format(name)

    return sniff
