"""The checklist's questions, after the Charity Commission's "Independent examination of charity accounts:
directions and guidance for examiners" (CC32, December 2017).

Followed here, for receipts-and-payments accounts:

- Direction 5, accounting records kept to the required standard: the ledger verifies (every transaction
  sealed, the hash chain, balances and monthly totals recomputed), and every payment has a document
  (`evidence_checks`);
- Direction 6, the accounts consistent with the accounting records: the receipts-and-payments account and
  the statement of assets and liabilities exist for the year, section A's cash at the end of the year
  equals section B's cash funds, the trial balance at the year end balances; and the bank reconciles at the
  year end (`evidence_checks`);
- Direction 8, the types of fund held: no restricted or endowment fund overspent at the year end;
- Direction 9, the financial circumstances at the end of the period: the year is closed, so nothing dated in
  it can change;
- and, from the guidance on matters of material significance (weak control of the charity's money), every
  payment above the examiner's threshold approved by a second person.

Not followed (they need the examiner's judgement, not the books): Directions 1 to 4 (eligibility,
conflicts of interest, recording and planning the examination), 7 (related parties, accruals accounts
only), 10 to 12 (analytical review, disclosures, the report).
"""

from __future__ import annotations

from sqlalchemy import func, select

from pledgebank import money_words
from pledgebank.books.models import LedgerTransaction
from pledgebank.books.services import closed_through
from pledgebank.books.treasurer_checks import SUPPLIER_PAYMENT
from pledgebank.books.treasurer_models import TreasurerEntry
from pledgebank.books.verify import check_book
from pledgebank.examiners.checks import Answer, Evidence, Examination, Status, question
from pledgebank.exports.receipts_payments import receipts_and_payments
from pledgebank.exports.statements import trial_balance
from pledgebank.grants.models import GrantApplication, GrantPayment


def _day(on: object) -> str:
    return f"{on:%-d %B %Y}"


def _year(e: Examination) -> str:
    return f"{_day(e.start)} to {_day(e.end)}"


def _ledger(e: Examination) -> Evidence:
    return Evidence("The ledger", "books.ledger", {"slug": e.slug})


def _statement(e: Examination) -> Evidence:
    return Evidence(
        "Receipts and payments account", "exports.receipts_and_payments", {"slug": e.slug, "year": e.year}
    )


def _trial_balance(e: Examination) -> Evidence:
    values = {"slug": e.slug, "on": e.end.isoformat()}
    return Evidence(f"Trial balance at {_day(e.end)}", "exports.trial_balance", values)


@question("records", "Are accounting records kept, complete and unaltered?", "Direction 5")
def records_kept(e: Examination) -> Answer:
    """The ledger verifies: sealed, chained, its balances and monthly totals as recomputed."""
    checked = check_book(e.session, e.book)
    evidence = (Evidence("The ledger's check", "books.check", {"slug": e.slug}), _ledger(e))
    if checked.ok:
        count = checked.report.transactions
        return Answer(
            Status.GREEN, f"The ledger verifies: {count} transactions, each sealed and chained.", evidence
        )
    missing = tuple(problem.message for problem in checked.problems[:10])
    return Answer(
        Status.RED, "The ledger does not verify: it was changed outside PledgeBank.", evidence, missing
    )


@question(
    "agree",
    "Do the receipts and payments account and the statement of assets agree with the records?",
    "Direction 6",
)
def accounts_agree(e: Examination) -> Answer:
    """Section A's cash at the year end is section B's cash funds; the trial balance balances."""
    statement = receipts_and_payments(e.session, e.book, start=e.start, end=e.end)
    missing = []
    cash = statement.total(statement.cash)
    if statement.closing.total != cash:
        missing.append(
            f"Section A ends the year with {money_words.full(statement.closing.total, e.book.currency)}, "
            f"section B's cash funds hold {money_words.full(cash, e.book.currency)}."
        )
    for currency, (debits, credits) in trial_balance(e.session, e.book, e.end).totals().items():
        if debits != credits:
            missing.append(
                f"The trial balance at {_day(e.end)} does not balance: debits "
                f"{money_words.full(debits, currency)}, credits {money_words.full(credits, currency)}."
            )
    evidence = (_statement(e), _trial_balance(e))
    if missing:
        return Answer(Status.RED, "The statements do not agree with the ledger.", evidence, tuple(missing))
    sentence = (
        f"Section A's cash at the end of the year ({money_words.full(cash, e.book.currency)}) is section "
        f"B's cash funds, and the trial balance at {_day(e.end)} balances."
    )
    return Answer(Status.GREEN, sentence, evidence)


@question(
    "statements",
    "Are there accounts for the year: receipts and payments, assets and liabilities?",
    "Direction 6",
)
def statements_exist(e: Examination) -> Answer:
    """The year has entries, so its receipts-and-payments account and statement of assets say something."""
    t = LedgerTransaction
    count = e.session.scalar(
        select(func.count(t.id)).where(t.book_id == e.book.id, t.effective_date.between(e.start, e.end))
    )
    evidence = (
        _statement(e),
        Evidence(
            "The same as a spreadsheet",
            "exports.receipts_and_payments",
            {"slug": e.slug, "year": e.year, "as": "ods"},
        ),
        _trial_balance(e),
    )
    if not count:
        missing = (f"Nothing is recorded in the books between {_year(e)}.",)
        return Answer(Status.AMBER, "The year's accounts would be empty.", evidence, missing)
    sentence = f"The receipts and payments account and statement of assets of {_year(e)} ({count} entries)."
    return Answer(Status.GREEN, sentence, evidence)


@question("closed", "Is the year closed, so that its accounts can no longer change?", "Direction 9")
def year_closed(e: Examination) -> Answer:
    """The books are closed through the year's last day."""
    through = closed_through(e.session, e.book.id)
    if through is not None and through >= e.end:
        return Answer(Status.GREEN, f"The books are closed through {_day(through)}.", (_ledger(e),))
    missing = (f"The books are not closed through {_day(e.end)}.",)
    return Answer(
        Status.RED, "The year is not closed: entries dated in it can still be added.", (_ledger(e),), missing
    )


@question(
    "approvals",
    "Was every payment above the threshold approved by a second person?",
    "Matters of material significance",
)
def payments_approved(e: Examination) -> Answer:
    """Supplier and grant payments of the year above the threshold each have a second approver."""
    over = money_words.full(e.threshold, e.book.currency)
    unapproved = [*_treasurer_payments(e), *_grant_payments(e)]
    if unapproved:
        missing = tuple(text for text, _link in unapproved)
        evidence = tuple(link for _text, link in unapproved)
        return Answer(Status.RED, f"Payments above {over} lack a second approver.", evidence, missing)
    sentence = f"Every supplier and grant payment of the year above {over} was approved by a second person."
    return Answer(Status.GREEN, sentence, (_ledger(e),))


def _single(recorded_by, approved_by) -> bool:
    return approved_by is None or approved_by == recorded_by


def _sequence_link(e: Examination, transaction_id: int | None) -> Evidence:
    sequence = e.session.scalar(
        select(LedgerTransaction.sequence).where(LedgerTransaction.id == transaction_id)
    )
    if sequence is None:
        return _ledger(e)
    return Evidence(f"Transaction {sequence}", "money.transaction", {"slug": e.slug, "sequence": sequence})


def _treasurer_payments(e: Examination) -> list[tuple[str, Evidence]]:
    rows = e.session.scalars(
        select(TreasurerEntry)
        .where(
            TreasurerEntry.book_id == e.book.id,
            TreasurerEntry.kind == SUPPLIER_PAYMENT,
            TreasurerEntry.amount > e.threshold,
            TreasurerEntry.effective_date.between(e.start, e.end),
        )
        .order_by(TreasurerEntry.effective_date, TreasurerEntry.id)
    )
    return [
        (
            f"{money_words.full(row.amount, e.book.currency)} to {row.payee or 'a supplier'} on "
            f"{_day(row.effective_date)} has no second approver.",
            _sequence_link(e, row.transaction_id),
        )
        for row in rows
        if _single(row.recorded_by_id, row.approved_by_id)
    ]


def _grant_payments(e: Examination) -> list[tuple[str, Evidence]]:
    rows = e.session.execute(
        select(GrantPayment, GrantApplication.title)
        .join(GrantApplication, GrantApplication.id == GrantPayment.application_id)
        .where(
            GrantApplication.neighbourhood_id == e.book.neighbourhood_id,
            GrantPayment.amount > e.threshold,
            GrantPayment.paid_on.between(e.start, e.end),
        )
        .order_by(GrantPayment.paid_on, GrantPayment.id)
    ).all()
    return [
        (
            f"The grant “{title}”, {money_words.full(payment.amount, e.book.currency)} paid on "
            f"{_day(payment.paid_on)}, has no second approver.",
            _sequence_link(e, payment.transaction_id),
        )
        for payment, title in rows
        if _single(payment.recorded_by_id, payment.approved_by_id)
    ]
