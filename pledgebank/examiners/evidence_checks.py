"""The checklist's questions answered from the evidence other features keep: the bank reconciled at the year
end (bank statements) and a document behind every payment (supporting documents). See `checklist` for CC32."""

from __future__ import annotations

from datetime import date

from pledgebank import money_words
from pledgebank.documents.queries import UnsupportedPayment, payments_between, payments_without_documents
from pledgebank.examiners.checks import Answer, Evidence, Examination, Status, question
from pledgebank.statements.reconciling import last_reconciliation, position

# The most payments whose documents a green answer links to (a red one links every payment lacking one).
SHOWN = 20


def _day(on: date) -> str:
    return f"{on:%-d %B %Y}"


@question(
    "bank",
    "Does the bank account in the books reconcile with the bank statement at the year end?",
    "Direction 6",
)
def bank_reconciles(e: Examination) -> Answer:
    """A reconciliation saved at the year end whose figures the statement and the books still give."""
    values = {"slug": e.slug, "on": e.end.isoformat()}
    evidence = (
        Evidence(f"The bank reconciliation at {_day(e.end)}", "statements.reconcile_page", values),
        Evidence("The bank statements", "statements.index", {"slug": e.slug}),
    )
    saved = last_reconciliation(e.session, e.book.id, e.end)
    if saved is None:
        missing = (f"No reconciliation of the bank is saved on or before {_day(e.end)}.",)
        return Answer(Status.RED, "The bank has not been reconciled for the year.", evidence, missing)
    money = e.book.currency
    now = position(e.session, e.book, saved.reconciled_on)
    if not now.agrees or (now.statement_balance, now.ledger_balance) != (
        saved.statement_balance,
        saved.ledger_balance,
    ):
        given = now.statement_balance
        shown = "no balance" if given is None else money_words.full(given, money)
        missing = (
            f"Reconciled at {_day(saved.reconciled_on)} with the statement at "
            f"{money_words.full(saved.statement_balance, money)} and the books at "
            f"{money_words.full(saved.ledger_balance, money)}; the statement now gives {shown} and the books "
            f"{money_words.full(now.ledger_balance, money)}.",
        )
        sentence = "The bank and the books no longer agree at the date they were reconciled."
        return Answer(Status.RED, sentence, evidence, missing)
    if saved.reconciled_on < e.end:
        missing = (
            f"The bank was last reconciled at {_day(saved.reconciled_on)}, not at the year end "
            f"({_day(e.end)}): ask the treasurer to reconcile it there.",
        )
        return Answer(Status.AMBER, "The bank is not reconciled at the year end.", evidence, missing)
    sentence = (
        f"The bank statement ({money_words.full(saved.statement_balance, money)}) and the books "
        f"({money_words.full(saved.ledger_balance, money)}) agree at {_day(e.end)}"
    )
    if saved.statement_balance != saved.ledger_balance:
        sentence += ", the items outstanding on either side explaining the difference"
    sentence += "."
    return Answer(Status.GREEN, sentence, evidence)


def _documents_of(e: Examination, payment: UnsupportedPayment) -> Evidence:
    values = {"slug": e.slug, "subject_name": payment.subject.slug, "subject_id": payment.subject_id}
    return Evidence(f"Documents for {payment.words} ({_day(payment.on)})", "documents.page", values)


@question("documents", "Is every payment supported by an invoice or receipt?", "Direction 5")
def payments_documented(e: Examination) -> Answer:
    """Every supplier and grant payment of the year has a document that is not withdrawn."""
    lacking = payments_without_documents(e.session, e.book.id, e.start, e.end)
    if lacking:
        missing = tuple(
            f"{money_words.full(p.amount, e.book.currency)} on {_day(p.on)}, {p.words}, has no supporting "
            "document."
            for p in lacking
        )
        links = tuple(_documents_of(e, p) for p in lacking)
        return Answer(Status.RED, "Payments of the year lack a supporting document.", links, missing)
    payments = payments_between(e.session, e.book.id, e.start, e.end)
    if not payments:
        return Answer(Status.GREEN, "The year has no supplier or grant payments.", ())
    evidence = [_documents_of(e, p) for p in payments[:SHOWN]]
    if len(payments) > SHOWN:
        evidence.append(Evidence("The other payments, in the ledger", "books.ledger", {"slug": e.slug}))
    count = len(payments)
    sentence = (
        f"Each of the {count} supplier and grant payments of the year has a supporting document."
        if count > 1
        else "The one supplier or grant payment of the year has a supporting document."
    )
    return Answer(Status.GREEN, sentence, tuple(evidence))
