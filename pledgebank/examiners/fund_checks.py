"""The checklist's question about restricted and endowment funds (see `checklist` for CC32)."""

from __future__ import annotations

from sqlalchemy import select

from pledgebank import money_words
from pledgebank.examiners.checks import Answer, Evidence, Examination, Status, question
from pledgebank.exports.receipts_payments import receipts_and_payments
from pledgebank.neighbourhoods.models import Fund


@question("funds", "Were restricted funds spent only as given, and none overspent?", "Direction 8")
def restricted_funds(e: Examination) -> Answer:
    """No restricted or endowment fund ends the year with less than nothing (cash, or cash and what it is owed
    less what it owes)."""
    statement = receipts_and_payments(e.session, e.book, start=e.start, end=e.end)
    place = e.book.neighbourhood_id
    found = e.session.execute(select(Fund.name, Fund.slug).where(Fund.neighbourhood_id == place))
    slugs = {name: slug for name, slug in found}
    values = {"slug": e.slug, "year": e.year}
    evidence = [Evidence("Receipts and payments account, section B", "exports.receipts_and_payments", values)]
    missing = []
    for fund in statement.funds:
        link = Evidence(fund.name, "money.fund_page", {"slug": e.slug, "fund": slugs.get(fund.name, "")})
        if fund.cash_end < 0 or fund.balance < 0:
            short = min(fund.cash_end, fund.balance)
            missing.append(
                f"{fund.name} ({fund.fund_type}) is overspent by "
                f"{money_words.full(-short, e.book.currency)} at the end of the year."
            )
            evidence.append(link)
    if missing:
        return Answer(Status.RED, "A restricted fund is overspent.", tuple(evidence), tuple(missing))
    if not statement.funds:
        return Answer(Status.GREEN, "The group holds no restricted or endowment funds.", tuple(evidence))
    count = len(statement.funds)
    sentence = f"Each of the {count} restricted and endowment funds ends the year with money left or none."
    return Answer(Status.GREEN, sentence, tuple(evidence))
