"""Money in and out per month per fund, for the public chart on a neighbourhood's page.

Money in and out are the receipts and payments of the receipts-and-payments account: money that reached or
left the fund's bank, cash and Stripe clearing, so a grant counts when it is paid, not when it is awarded.
This module works out the figures and where each bar goes; the template draws the SVG and the table that
is its text alternative.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.books.models import Book, ChainHead
from pledgebank.errors import NotFound
from pledgebank.exports.cash_flows import PAYMENTS, RECEIPTS, cash_flows
from pledgebank.exports.monthly_flows import Flows, monthly_flows
from pledgebank.neighbourhoods.models import Fund

WIDTH = 720
LEFT = 90
RIGHT = 10
LEGEND = 36
TITLE = 28
PLOT = 110
LABELS = 34
PANEL = TITLE + PLOT + LABELS


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: where it is drawn and what it stands for."""

    x: float
    y: float
    width: float
    height: float
    direction: str
    amount: int


@dataclass(slots=True)
class FundPanel:
    """One fund's row of the chart: its months' figures and their bars."""

    slug: str
    name: str
    money_in: list[int]
    money_out: list[int]
    top: float = 0
    scale: int = 0
    bars: list[Bar] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Whether no money went in or out in any month (the chart then draws no scale)."""
        return not any(self.money_in) and not any(self.money_out)

    @property
    def baseline(self) -> float:
        """The y of the zero line."""
        return self.top + TITLE + PLOT


@dataclass(slots=True)
class FlowChart:
    """The chart: its months, one panel per fund, and the drawing's size."""

    currency: str
    months: list[date]
    panels: list[FundPanel]
    width: int = WIDTH
    left: int = LEFT
    legend: int = LEGEND

    @property
    def height(self) -> int:
        """The drawing's height."""
        return LEGEND + PANEL * len(self.panels)

    @property
    def group(self) -> float:
        """The width given to each month."""
        return (WIDTH - LEFT - RIGHT) / max(len(self.months), 1)

    def label_x(self, index: int) -> float:
        """Where a month's label is centred."""
        return LEFT + self.group * (index + 0.5)


@dataclass(frozen=True, slots=True)
class ChartState:
    """What a neighbourhood's chart is drawn from, besides the day: its book at its chain head (a new
    transaction moves the head) and its funds as the panels show them (id, slug, name, in panel order)."""

    book_id: int
    head_sequence: int
    head_hash: bytes
    funds: tuple[tuple[int, str, str], ...]


def chart_state(session: Session, neighbourhood_id: int, funds: Sequence[Fund]) -> ChartState:
    """The state the neighbourhood's chart is drawn from, read in one small query however long the book,
    given its funds general first then by name (as neighbourhoods.funds.list_funds gives them)."""
    head = session.execute(
        select(Book.id, ChainHead.sequence, ChainHead.hash)
        .join(ChainHead, ChainHead.book_id == Book.id)
        .where(Book.neighbourhood_id == neighbourhood_id)
    ).one_or_none()
    if head is None:
        raise NotFound("This neighbourhood has no book.")
    panels = tuple((fund.id, fund.slug, fund.name) for fund in funds)
    return ChartState(head.id, head.sequence, bytes(head.hash), panels)


def month_starts(today: date, count: int) -> list[date]:
    """The first days of the last `count` months, ending with today's."""
    year, month = today.year, today.month
    starts = []
    for _ in range(count):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def nice_ceiling(value: int) -> int:
    """The smallest 1, 2 or 5 times a power of ten that is at least `value` (at least 1)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def fund_flows(session: Session, book: Book, *, today: date, months: int = 12) -> FlowChart:
    """Each fund's money in and out per month over the last `months` months, laid out for drawing.

    Read from the per-account monthly totals (the cost does not grow with the book), or from the postings
    in the rare books the totals cannot stand in for (see exports/monthly_flows.py).
    """
    starts = month_starts(today, months)
    totals = monthly_flows(session, book, since=starts[0], until=today)
    if totals is None:
        totals = flows_from_postings(session, book, since=starts[0], until=today)
    funds = session.execute(
        select(Fund.id, Fund.slug, Fund.name)
        .where(Fund.neighbourhood_id == book.neighbourhood_id)
        .order_by(Fund.is_general.desc(), Fund.name)
    )
    panels = []
    for _fund_id, slug, name in funds:
        sides = totals.get(slug, {})
        money_in = [sides.get(RECEIPTS, {}).get(start, 0) for start in starts]
        money_out = [sides.get(PAYMENTS, {}).get(start, 0) for start in starts]
        panels.append(FundPanel(slug, name, money_in, money_out))
    chart = FlowChart(book.currency, starts, panels)
    _lay_out(chart)
    return chart


def flows_from_postings(session: Session, book: Book, *, since: date, until: date) -> Flows:
    """Receipts and payments per fund and month, read from the postings (exports/cash_flows.py)."""
    flows: Flows = defaultdict(lambda: {RECEIPTS: defaultdict(int), PAYMENTS: defaultdict(int)})
    for flow in cash_flows(session, book, since=since, until=until):
        if flow.side in (RECEIPTS, PAYMENTS):
            flows[flow.fund][flow.side][flow.on.replace(day=1)] += flow.amount
    return flows


def _lay_out(chart: FlowChart) -> None:
    group = chart.group
    width = group * 0.34
    for number, panel in enumerate(chart.panels):
        panel.top = LEGEND + PANEL * number
        panel.scale = nice_ceiling(max([*panel.money_in, *panel.money_out, 1]))
        for slot in range(len(chart.months)):
            left = LEFT + group * slot + group * 0.12
            for offset, direction, amount in (
                (0.0, "in", panel.money_in[slot]),
                (width + 3, "out", panel.money_out[slot]),
            ):
                height = PLOT * max(amount, 0) / panel.scale
                panel.bars.append(
                    Bar(
                        round(left + offset, 1),
                        round(panel.baseline - height, 1),
                        round(width, 1),
                        round(height, 1),
                        direction,
                        amount,
                    )
                )
