"""What a pledge asks for, as entered, and the checks that the terms hold together (money or time)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pledgebank import money_words
from pledgebank.errors import InvalidInput
from pledgebank.pledges.states import PledgeKind

MAX_AMOUNT = 1_000_000  # minor units: 10,000 in major units per pledger
MAX_TARGET_PLEDGERS = 100_000
MAX_WINDOW_HOURS = 144  # card holds last about seven days; collection must end well inside that


@dataclass(frozen=True, slots=True)
class PledgeTerms:
    """What a pledge asks for, as entered (amounts in minor units).

    `fund_slug` None means the pledge pays into a restricted fund of its own (see pledges.funding). A pledge
    of time (`kind` "time") asks for no money: amount 0, no fund, no money target, no cash; `next_steps` is
    what each signer is told when it succeeds.
    """

    title: str
    description: str
    amount_kind: str
    amount: int
    target_pledgers: int | None
    target_amount: int | None
    deadline: datetime
    cap: int | None = None
    allow_cash: bool = True
    fund_slug: str | None = None
    kind: str = PledgeKind.MONEY
    next_steps: str = ""
    action: str = ""  # finishes "<creator> will ..." in the pledge's sentence (pledges.share)


MAX_NEXT_STEPS = 2000


def _check_time_terms(terms: PledgeTerms, errors: dict[str, list[str]]) -> None:
    """A pledge of time: people, no money; what happens next is said."""
    for name, value in (
        ("amount", terms.amount),
        ("target_amount", terms.target_amount),
        ("fund", terms.fund_slug),
    ):
        if value:
            errors[name] = ["A pledge of time asks for no money: leave this out."]
    if terms.target_pledgers is None:
        errors["target_pledgers"] = ["Say how many people are needed."]
    if not 10 <= len(terms.next_steps.strip()) <= MAX_NEXT_STEPS:
        errors["next_steps"] = [
            f"Say what happens next (where and when to meet), in 10 to {MAX_NEXT_STEPS} characters."
        ]


def check_terms(terms: PledgeTerms, now: datetime, currency: str) -> None:
    """Refuse terms that do not hold together, every field at once (amounts named in `currency`)."""
    errors: dict[str, list[str]] = {}
    if terms.kind not in (PledgeKind.MONEY, PledgeKind.TIME):
        errors["kind"] = ["Choose a pledge of money or of time."]
    elif terms.kind == PledgeKind.TIME:
        _check_time_terms(terms, errors)
    if not 3 <= len(terms.title.strip()) <= 120:
        errors["title"] = ["Give the pledge a title of 3 to 120 characters."]
    if len(" ".join(terms.action.split())) > 200:
        errors["action"] = ["Finish the sentence in at most 200 characters."]
    if not 10 <= len(terms.description.strip()) <= 4000:
        errors["description"] = ["Say what will happen, in 10 to 4000 characters."]
    if terms.kind == PledgeKind.MONEY:
        if terms.amount_kind not in ("fixed", "minimum"):
            errors["amount_kind"] = ["Choose a fixed amount or a minimum."]
        if not 0 < terms.amount <= MAX_AMOUNT:
            least, most = money_words.short(1, currency), money_words.short(MAX_AMOUNT, currency)
            errors["amount"] = [f"Ask for between {least} and {most} per person."]
        if terms.next_steps:
            errors["next_steps"] = ["Only a pledge of time says what happens next here."]
    if terms.target_pledgers is None and terms.target_amount is None:
        errors["target_pledgers"] = ["Set a number of people, an amount of money, or both."]
    if terms.target_pledgers is not None and not 1 <= terms.target_pledgers <= MAX_TARGET_PLEDGERS:
        errors["target_pledgers"] = [f"Ask for between 1 and {MAX_TARGET_PLEDGERS:,} people."]
    if terms.target_amount is not None and not 0 < terms.target_amount <= MAX_AMOUNT * MAX_TARGET_PLEDGERS:
        errors["target_amount"] = ["Give a target amount above zero."]
    if terms.cap is not None and (
        terms.cap < 1 or (terms.target_pledgers and terms.cap < terms.target_pledgers)
    ):
        errors["cap"] = ["The limit on people cannot be below the number needed."]
    if terms.deadline <= now + timedelta(hours=1):
        errors["deadline"] = ["Set a deadline at least an hour from now."]
    elif terms.deadline > now + timedelta(days=366):
        errors["deadline"] = ["Set a deadline within a year."]
    if errors:
        raise InvalidInput(fields=errors)
