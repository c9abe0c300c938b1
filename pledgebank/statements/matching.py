"""Matching statement lines to the books' bank postings, and posting the lines the books do not have.

A suggestion pairs a line with a bank movement of the same amount within a few days, those whose Stripe
payout id or other reference appears in the line's text first; the treasurer confirms it. A line the books
lack (the bank's charges, its interest, a donation by transfer) is posted by `rules.bank_line` under a key
naming the line, in the fund chosen (the general, unrestricted fund unless told), and the choice can be
remembered as a rule: a line whose description contains the words is offered the same kind and fund.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pledgebank.books.audit import record_event
from pledgebank.books.models import Book
from pledgebank.books.services import InsufficientFunds, book_of, post
from pledgebank.errors import Conflict, InvalidInput, NotFound
from pledgebank.ledger import kinds, rules
from pledgebank.ledger.money import Money
from pledgebank.neighbourhoods.models import Fund
from pledgebank.policy import Action, require
from pledgebank.statements import bank
from pledgebank.statements.models import LineRule, LineState, StatementLine
from pledgebank.statements.states import LINES, LineAction

# How far apart the bank's date and the books' date of one payment may be for a suggestion.
WINDOW_DAYS = 7
# Which way money must go for each kind a line may be posted as.
MONEY_IN = {kinds.BANK_INTEREST: True, kinds.DONATION_RECEIVED: True, kinds.BANK_CHARGES: False}


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A bank movement that may be the line's: how many days apart, and whether a reference agrees."""

    movement: bank.Movement
    days: int
    reference: bool


def _references(movement: bank.Movement) -> list[str]:
    return [str(value).casefold() for value in movement.source.values() if len(str(value)) >= 4]


def _suggestion(line: StatementLine, movement: bank.Movement) -> Suggestion:
    text = f"{line.reference} {line.description}".casefold()
    hit = any(ref in text for ref in _references(movement))
    return Suggestion(movement, abs((movement.effective_date - line.booked_on).days), hit)


def free_movements(session: Session, book_id: int, since: date, through: date) -> list[bank.Movement]:
    """The bank movements between two dates that no statement line is matched to or was posted from."""
    taken = set(
        session.scalars(
            select(StatementLine.transaction_id).where(
                StatementLine.book_id == book_id, StatementLine.transaction_id.is_not(None)
            )
        )
    )
    found = bank.movements(session, book_id, since=since, through=through)
    return [movement for movement in found if movement.transaction_id not in taken]


def suggest(session: Session, book_id: int, lines: list[StatementLine]) -> dict[int, Suggestion]:
    """The best free movement for each unmatched line; no movement is offered to two lines."""
    open_lines = [line for line in lines if line.state == LineState.UNMATCHED]
    if not open_lines:
        return {}
    window = timedelta(days=WINDOW_DAYS)
    first = min(line.booked_on for line in open_lines) - window
    last = max(line.booked_on for line in open_lines) + window
    free = free_movements(session, book_id, first, last)
    pairs = [
        (_suggestion(line, movement), line.id)
        for line in open_lines
        for movement in free
        if movement.amount == line.amount
        and abs((movement.effective_date - line.booked_on).days) <= WINDOW_DAYS
    ]
    chosen: dict[int, Suggestion] = {}
    used: set[int] = set()
    for pair, line_id in sorted(pairs, key=lambda p: (not p[0].reference, p[0].days, p[0].movement.sequence)):
        if line_id in chosen or pair.movement.transaction_id in used:
            continue
        chosen[line_id] = pair
        used.add(pair.movement.transaction_id)
    return chosen


def rule_for(session: Session, book_id: int, line: StatementLine) -> LineRule | None:
    """The remembered rule whose words the line's description contains (the longest words first)."""
    text = f"{line.description} {line.reference}".casefold()
    found = session.scalars(select(LineRule).where(LineRule.book_id == book_id))
    fits = [rule for rule in found if rule.contains.casefold() in text]
    return max(fits, key=lambda rule: len(rule.contains), default=None)


def _line(session: Session, actor_id: int, neighbourhood_id: int, line_id: int) -> tuple[Book, StatementLine]:
    require(session, actor_id, neighbourhood_id, Action.RECONCILE_BANK)
    book = book_of(session, neighbourhood_id)
    line = session.scalar(
        select(StatementLine)
        .where(StatementLine.id == line_id, StatementLine.book_id == book.id)
        .with_for_update()
    )
    if line is None:
        raise NotFound("There is no such statement line.")
    return book, line


def _settle(session: Session, line: StatementLine, transaction_id: int, actor_id: int, now: datetime) -> None:
    line.transaction_id, line.settled_by_id, line.settled_at = transaction_id, actor_id, now
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as error:
        raise Conflict("That bank posting is already matched to another statement line.") from error


def match_line(
    session: Session,
    *,
    actor_id: int,
    neighbourhood_id: int,
    line_id: int,
    transaction_id: int,
    now: datetime,
) -> StatementLine:
    """Confirm that a line is a bank posting already in the books; the same confirmation again is a no-op."""
    book, line = _line(session, actor_id, neighbourhood_id, line_id)
    if line.state == LineState.MATCHED and line.transaction_id == transaction_id:
        return line
    found = bank.movements(session, book.id, ids=[transaction_id])
    if not found:
        raise InvalidInput.field("transaction", "That transaction did not move the bank account.")
    movement = found[0]
    if movement.amount != line.amount:
        raise InvalidInput.field("transaction", "That transaction moved a different amount through the bank.")
    line.state = LINES.next(line.state, LineAction.MATCH)
    _settle(session, line, transaction_id, actor_id, now)
    _audit(session, book, line, actor_id, now, "statement.line_matched", sequence=movement.sequence)
    return line


def unmatch_line(
    session: Session, *, actor_id: int, neighbourhood_id: int, line_id: int, now: datetime
) -> StatementLine:
    """Undo a match made by mistake (a line posted as a new entry is put right by a correction instead)."""
    book, line = _line(session, actor_id, neighbourhood_id, line_id)
    line.state = LINES.next(line.state, LineAction.UNMATCH)
    line.transaction_id, line.settled_by_id, line.settled_at = None, None, None
    _audit(session, book, line, actor_id, now, "statement.line_unmatched")
    return line


def post_line(
    session: Session,
    *,
    actor_id: int,
    neighbourhood_id: int,
    line_id: int,
    kind: str,
    fund: str,
    now: datetime,
    remember: str = "",
) -> StatementLine:
    """Post a line the books do not have, and remember the choice if asked; posting it again is a no-op."""
    book, line = _line(session, actor_id, neighbourhood_id, line_id)
    if line.state == LineState.POSTED:
        return line
    if kind not in MONEY_IN:
        raise InvalidInput.field("kind", "Choose bank charges, bank interest or a donation.")
    if MONEY_IN[kind] != (line.amount > 0):
        way = "into" if line.amount > 0 else "out of"
        raise InvalidInput.field("kind", f"This line is money {way} the bank: choose a kind that fits it.")
    chosen = session.scalar(select(Fund).where(Fund.neighbourhood_id == neighbourhood_id, Fund.slug == fund))
    if chosen is None:
        raise InvalidInput.field("fund", "Choose one of the neighbourhood's funds.")
    words = " ".join(remember.split())
    if words and (len(words) > 80 or words.casefold() not in line.description.casefold()):
        raise InvalidInput.field(
            "remember", "Remember words that the line's description contains (80 at most)."
        )
    line.state = LINES.next(line.state, LineAction.POST)
    entry = rules.bank_line(
        kind=kind,
        amount=Money(abs(line.amount), book.currency),
        fund=chosen.slug,
        line_id=line.id,
        on=line.booked_on,
        actor_id=actor_id,
    )
    try:
        posted = post(session, book=book, entry=entry, now=now)
    except InsufficientFunds as error:
        raise InvalidInput.field(
            "fund", f"{chosen.name} does not hold enough in the bank for this."
        ) from error
    _settle(session, line, posted.transaction.id, actor_id, now)
    if words:
        _remember(session, book, words, kind, chosen, actor_id, now)
    _audit(session, book, line, actor_id, now, "statement.line_posted", kind=kind, fund=chosen.slug)
    return line


def _remember(
    session: Session, book: Book, words: str, kind: str, fund: Fund, actor_id: int, now: datetime
) -> None:
    rule = session.scalar(select(LineRule).where(LineRule.book_id == book.id, LineRule.contains == words))
    if rule is None:
        rule = LineRule(book_id=book.id, contains=words, created_by_id=actor_id, created_at=now)
        session.add(rule)
    rule.kind, rule.fund_id = kind, fund.id


def _audit(
    session: Session,
    book: Book,
    line: StatementLine,
    actor_id: int,
    now: datetime,
    action: str,
    **extra: object,
) -> None:
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=book.neighbourhood_id,
        action=action,
        subject=("bank_statement_line", line.id),
        now=now,
        after={"amount": line.amount, "booked_on": line.booked_on.isoformat(), **extra},
    )
