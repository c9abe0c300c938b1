"""The receipts-and-payments account of a financial year, laid out as the Charity Commission's CC16a pack.

Section A: receipts and payments (money in and out of the bank, the cash box and Stripe clearing, by kind),
a line for transfers between funds, and the cash funds at the start and end of the year, in columns for
unrestricted funds (designated funds count as unrestricted), restricted funds, endowment funds and the total,
with last year's totals beside this year's. Section B: the cash funds (B1, which add up to Section A's end
of year), other monetary assets (B2), liabilities (B5), and each restricted or endowment fund's money.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pledgebank.books.models import Book, LedgerAccount, LedgerPosting, LedgerTransaction
from pledgebank.exports.cash_flows import (
    HELD_IN,
    HELD_OUT,
    OPENING,
    PAYMENTS,
    RECEIPTS,
    TRANSFERS,
    Flow,
    cash_flows,
    general_fund,
)
from pledgebank.ledger import chart
from pledgebank.neighbourhoods.models import Fund, FundType
from pledgebank.text import _t

COLUMNS = (
    (FundType.UNRESTRICTED.value, _t("Unrestricted funds")),
    (FundType.RESTRICTED.value, _t("Restricted funds")),
    (FundType.ENDOWMENT.value, _t("Endowment funds")),
)
LABELS = {
    RECEIPTS: {
        "pledges": _t("Pledges"),
        "levies": _t("Levies"),
        "sponsorship": _t("Sponsorship and match funding"),
        "donations": _t("Donations"),
        "gift-aid": _t("Gift Aid reclaimed from HMRC"),
        "receivables": _t("Other money owed, received"),
        HELD_IN: _t("Cash taken for pledges still open"),
    },
    PAYMENTS: {
        "grants": _t("Grants paid"),
        "fees": _t("Payment processing fees"),
        HELD_OUT: _t("Cash handed back for pledges that failed"),
    },
}
ORDER = {
    RECEIPTS: ("pledges", "levies", "sponsorship", "donations", "gift-aid"),
    PAYMENTS: ("grants",),
}
# Lines of either side whose key the chart fixes, named as `_label` would name them from the key.
NAMED = {
    chart.INTEREST: _t("Interest"),
    chart.BANK_CHARGES: _t("Bank charges"),
    "repairs": _t("Repairs"),
    "materials": _t("Materials"),
    "events": _t("Events"),
    "insurance": _t("Insurance"),
    "hall-hire": _t("Hall hire"),
    "other": _t("Other"),
}
LAST = {RECEIPTS: ("receivables", HELD_IN, "other"), PAYMENTS: ("fees", HELD_OUT, "other")}
ASSETS = ((chart.RECEIVABLES, _t("Money owed to the group (levies, match funding and Gift Aid claimed)")),)
LIABILITIES = (
    (chart.GRANTS_PAYABLE, _t("Grants awarded, not yet paid")),
    (chart.PLEDGES_HELD, _t("Cash held for pledges still open")),
)
CASH = (
    (chart.BANK, _t("Bank")),
    (chart.CASH, _t("Cash held by the treasurer")),
    (chart.STRIPE_CLEARING, _t("Stripe (card payments not yet paid out)")),
)


Held = dict[tuple[str, str | None], int]


@dataclass(slots=True)
class Line:
    """One line: an amount per column this year, and last year's total."""

    key: str
    label: str
    amounts: dict[str, int] = field(default_factory=dict)
    last_year: int = 0

    @property
    def total(self) -> int:
        """The line across every column."""
        return sum(self.amounts.values())


@dataclass(frozen=True, slots=True)
class FundLine:
    """A restricted or endowment fund: its purpose and its money at the start and end of the year."""

    name: str
    fund_type: str
    purpose: str
    cash_start: int
    cash_end: int
    owed_to: int
    owes: int

    @property
    def balance(self) -> int:
        """Its cash, plus what it is owed, less what it owes."""
        return self.cash_end + self.owed_to - self.owes


@dataclass(slots=True)
class ReceiptsAndPayments:
    """The receipts-and-payments account of one financial year (section A and section B)."""

    start: date
    end: date
    currency: str
    columns: tuple[tuple[str, str], ...]
    receipts: list[Line]
    payments: list[Line]
    transfers: Line
    opening: Line
    closing: Line
    cash: list[Line]
    assets: list[Line]
    liabilities: list[Line]
    funds: list[FundLine]

    def total(self, lines: list[Line], column: str | None = None, *, last_year: bool = False) -> int:
        """The sum of some lines, for one column, every column, or last year."""
        if last_year:
            return sum(line.last_year for line in lines)
        return sum(line.amounts.get(column, 0) if column else line.total for line in lines)

    def total_line(self, key: str, label: str, lines: list[Line]) -> Line:
        """A line adding up others, column by column."""
        amounts = {column: self.total(lines, column) for column, _name in self.columns}
        return Line(key, label, amounts, self.total(lines, last_year=True))

    def net(self) -> Line:
        """Receipts less payments, column by column."""
        receipts = self.total_line("receipts", "", self.receipts)
        payments = self.total_line("payments", "", self.payments)
        amounts = {column: receipts.amounts[column] - payments.amounts[column] for column, _ in self.columns}
        return Line("net", _t("Net receipts (payments)"), amounts, receipts.last_year - payments.last_year)


def _label(side: str, key: str) -> str:
    return LABELS.get(side, {}).get(key) or NAMED.get(key) or key.replace("-", " ").capitalize()


def _rank(side: str, key: str) -> tuple[int, str]:
    if key in ORDER[side]:
        return 0, f"{ORDER[side].index(key):03d}"
    if key in LAST[side]:
        return 2, f"{LAST[side].index(key):03d}"
    return 1, key


def _funds(session: Session, book: Book) -> dict[str, Fund]:
    rows = session.scalars(
        select(Fund)
        .where(Fund.neighbourhood_id == book.neighbourhood_id)
        .order_by(Fund.is_general.desc(), Fund.name)
    )
    return {fund.slug: fund for fund in rows}


def column_of(fund: Fund | None) -> str:
    """The CC16a column of a fund: designated funds are unrestricted funds the committee has set aside."""
    if fund is None or fund.fund_type == FundType.DESIGNATED.value:
        return FundType.UNRESTRICTED.value
    return fund.fund_type


def _held(session: Session, book: Book, on: date, places: tuple[str, ...]) -> Held:
    """Per (place, fund slug or None) the balance at the end of `on` of the accounts under those places."""
    t, p, a = LedgerTransaction, LedgerPosting, LedgerAccount
    rows = session.execute(
        select(a.code, Fund.slug, func.sum(p.amount))
        .join(p, p.account_id == a.id)
        .join(t, t.id == p.transaction_id)
        .outerjoin(Fund, Fund.id == a.fund_id)
        .where(a.book_id == book.id, p.book_id == book.id, t.book_id == book.id, t.effective_date <= on)
        .group_by(a.code, Fund.slug)
    )
    held: Held = {}
    for code, fund, total in rows:
        place = chart.place_of(code)
        if place in places and total:
            held[(place, fund)] = held.get((place, fund), 0) + int(total)
    return held


def receipts_and_payments(session: Session, book: Book, *, start: date, end: date) -> ReceiptsAndPayments:
    """The receipts-and-payments account of the year from `start` through `end`, with last year's totals."""
    funds = _funds(session, book)
    general = general_fund(session, book)
    year = _Year(start, funds)
    for flow in cash_flows(session, book, until=end):
        year.add(flow)
    opening = _by_column(funds, year.cash_at_start, "opening", _t("Cash funds at the start of the year"))
    opening.last_year = year.last_start
    closing = _by_column(funds, year.cash_at_end, "closing", _t("Cash funds at the end of the year"))
    closing.last_year = year.last_end
    transfers = year.lines.get((TRANSFERS, "between-funds"), Line("between-funds", ""))
    transfers.label = _t("Transfers between funds")
    held = _held(session, book, end, tuple(place for place, _ in (*CASH, *ASSETS, *LIABILITIES)))
    restricted = [
        FundLine(
            name=fund.name,
            fund_type=fund.fund_type,
            purpose=fund.purpose,
            cash_start=year.cash_at_start.get(slug, 0),
            cash_end=year.cash_at_end.get(slug, 0),
            owed_to=held.get((chart.RECEIVABLES, slug), 0),
            owes=-sum(held.get((place, slug), 0) for place, _ in LIABILITIES),
        )
        for slug, fund in funds.items()
        if fund.fund_type in (FundType.RESTRICTED.value, FundType.ENDOWMENT.value)
    ]
    return ReceiptsAndPayments(
        start=start,
        end=end,
        currency=book.currency,
        columns=COLUMNS,
        receipts=year.side(RECEIPTS),
        payments=year.side(PAYMENTS),
        transfers=transfers,
        opening=opening,
        closing=closing,
        cash=_balances(funds, general, held, CASH, 1),
        assets=_balances(funds, general, held, ASSETS, 1),
        liabilities=_balances(funds, general, held, LIABILITIES, -1),
        funds=restricted,
    )


class _Year:
    """The year's lines and cash funds, and last year's totals, as the cash flows are added in turn."""

    def __init__(self, start: date, funds: dict[str, Fund]) -> None:
        self.start, self.funds = start, funds
        leap_day = (start.month, start.day) == (2, 29)
        self.previous = start if leap_day else date(start.year - 1, start.month, start.day)
        self.lines: dict[tuple[str, str], Line] = {}
        self.cash_at_start: dict[str, int] = {}
        self.cash_at_end: dict[str, int] = {}
        self.last_start = self.last_end = 0

    def add(self, flow: Flow) -> None:
        """Count one flow in: the cash funds, last year's totals and (this year or last) its line."""
        start, previous = self.start, self.previous
        amount = -flow.amount if flow.side == PAYMENTS else flow.amount
        # Opening balances are money the group had before: counted at the start of the year they fall in.
        if flow.on < start or flow.side == OPENING:
            self.cash_at_start[flow.fund] = self.cash_at_start.get(flow.fund, 0) + amount
        self.cash_at_end[flow.fund] = self.cash_at_end.get(flow.fund, 0) + amount
        if flow.on < previous or (flow.side == OPENING and flow.on < start):
            self.last_start += amount
        if flow.on < start:
            self.last_end += amount
        if flow.on < previous or flow.side == OPENING:
            return
        line = self.lines.setdefault((flow.side, flow.key), Line(flow.key, _label(flow.side, flow.key)))
        if flow.on < start:
            line.last_year += flow.amount
        else:
            column = column_of(self.funds.get(flow.fund))
            line.amounts[column] = line.amounts.get(column, 0) + flow.amount

    def side(self, name: str) -> list[Line]:
        """The lines of receipts or payments, in the order of the pack."""
        chosen = [line for (line_side, _key), line in self.lines.items() if line_side == name]
        return sorted(chosen, key=lambda line: _rank(name, line.key))


def _by_column(funds: dict[str, Fund], per_fund: dict[str, int], key: str, label: str) -> Line:
    line = Line(key, label)
    for slug, amount in per_fund.items():
        column = column_of(funds.get(slug))
        line.amounts[column] = line.amounts.get(column, 0) + amount
    return line


def _balances(
    funds: dict[str, Fund], general: str, held: Held, places: tuple[tuple[str, str], ...], sign: int
) -> list[Line]:
    """A line per place (bank, receivables ...) with its balance per column at the year end."""
    result = []
    for place, label in places:
        line = Line(place, label)
        for (held_place, slug), amount in held.items():
            if held_place == place:
                column = column_of(funds.get(slug or general))
                line.amounts[column] = line.amounts.get(column, 0) + sign * amount
        result.append(line)
    return result
