"""Opening grant rounds and reading them: budget, maximum award, dates, criteria and the quorum rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pledgebank import money_words
from pledgebank.books.audit import record_event
from pledgebank.errors import InvalidInput, NotFound
from pledgebank.grants.models import GrantApplication, GrantCriterion, GrantRound
from pledgebank.grants.states import WITH_AWARD
from pledgebank.neighbourhoods.models import Fund, FundType, Neighbourhood
from pledgebank.policy import Action, require

QUORUM_RULES = ("majority", "all", "fixed")
MAX_BUDGET = 100_000_000  # minor units: 1,000,000 in major units
MAX_CRITERIA = 10


@dataclass(frozen=True, slots=True)
class RoundTerms:
    """What a round offers, as entered (amounts in minor units, criteria as (name, weight))."""

    fund_slug: str
    title: str
    description: str
    budget: int
    max_award: int
    opens_at: datetime
    closes_at: datetime
    eligibility: str = ""
    criteria: list[tuple[str, int]] = field(default_factory=list)
    quorum_rule: str = "majority"
    quorum_minimum: int = 2
    project_months: int = 12


def _check(terms: RoundTerms, now: datetime, currency: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not 3 <= len(terms.title.strip()) <= 120:
        errors["title"] = ["Give the round a title of 3 to 120 characters."]
    if not 10 <= len(terms.description.strip()) <= 4000:
        errors["description"] = ["Describe the round in 10 to 4000 characters."]
    if len(terms.eligibility) > 4000:
        errors["eligibility"] = ["Use at most 4000 characters."]
    if not 0 < terms.budget <= MAX_BUDGET:
        errors["budget"] = [
            f"Give a budget above zero and at most {money_words.short(MAX_BUDGET, currency)}."
        ]
    if not 0 < terms.max_award <= max(terms.budget, 1):
        errors["max_award"] = ["The largest award must be above zero and within the budget."]
    if terms.closes_at <= terms.opens_at:
        errors["closes_at"] = ["The round must close after it opens."]
    elif terms.closes_at <= now:
        errors["closes_at"] = ["The closing date has passed."]
    elif terms.closes_at > now + timedelta(days=731):
        errors["closes_at"] = ["Close the round within two years."]
    if not 1 <= len(terms.criteria) <= MAX_CRITERIA:
        errors["criteria"] = [f"Give between 1 and {MAX_CRITERIA} criteria."]
    elif any(not 2 <= len(name.strip()) <= 120 or not 1 <= weight <= 10 for name, weight in terms.criteria):
        errors["criteria"] = ["Each criterion needs a name (2 to 120 characters) and a weight from 1 to 10."]
    elif len({name.strip().lower() for name, _ in terms.criteria}) != len(terms.criteria):
        errors["criteria"] = ["Give each criterion a different name."]
    if terms.quorum_rule not in QUORUM_RULES:
        errors["quorum_rule"] = ["Choose a majority, everyone, or a fixed number."]
    if not 2 <= terms.quorum_minimum <= 50:
        errors["quorum_minimum"] = ["At least 2 members must review each application (at most 50)."]
    if not 1 <= terms.project_months <= 60:
        errors["project_months"] = ["Give a project length from 1 to 60 months."]
    return errors


def _not_for_grants(fund: Fund) -> str:
    if fund.type is FundType.ENDOWMENT:
        return f"{fund.name} is an endowment: its capital is kept, never spent, so it cannot fund grants."
    return (
        f"{fund.name} is restricted to its purpose ({fund.purpose}), which is not making grants, "
        "so it cannot fund a grant round."
    )


def create_round(
    session: Session, *, actor_id: int, neighbourhood: Neighbourhood, terms: RoundTerms, now: datetime
) -> GrantRound:
    """Open a grant round (committee or chair)."""
    require(session, actor_id, neighbourhood.id, Action.MANAGE_GRANT_ROUNDS)
    errors = _check(terms, now, neighbourhood.currency)
    fund = session.scalar(
        select(Fund).where(Fund.neighbourhood_id == neighbourhood.id, Fund.slug == terms.fund_slug)
    )
    if fund is None:
        errors["fund"] = ["Choose one of the neighbourhood's funds."]
    elif not fund.can_fund_grants:
        errors["fund"] = [_not_for_grants(fund)]
    if errors:
        raise InvalidInput(fields=errors)
    assert fund is not None  # refused above
    grant_round = GrantRound(
        neighbourhood_id=neighbourhood.id,
        fund_id=fund.id,
        title=terms.title.strip(),
        description=terms.description.strip(),
        eligibility=terms.eligibility.strip(),
        budget=terms.budget,
        max_award=terms.max_award,
        currency=neighbourhood.currency,
        opens_at=terms.opens_at,
        closes_at=terms.closes_at,
        quorum_rule=terms.quorum_rule,
        quorum_minimum=terms.quorum_minimum,
        project_months=terms.project_months,
        created_by_id=actor_id,
        created_at=now,
        criteria=[
            GrantCriterion(position=n, name=name.strip(), weight=weight)
            for n, (name, weight) in enumerate(terms.criteria, start=1)
        ],
    )
    session.add(grant_round)
    session.flush()  # an id for the audit event
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=neighbourhood.id,
        action="grant_round.opened",
        subject=("grant_round", grant_round.id),
        now=now,
        after={"title": grant_round.title, "fund": fund.slug, "budget": grant_round.budget},
    )
    return grant_round


def get_round(session: Session, round_id: int, *, lock: bool = False) -> GrantRound:
    """The round, optionally locked for update; NotFound otherwise."""
    statement = select(GrantRound).where(GrantRound.id == round_id)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    found = session.scalar(statement)
    if found is None:
        raise NotFound("There is no such grant round.")
    return found


def list_rounds(session: Session, *, neighbourhood_id: int) -> list[GrantRound]:
    """The neighbourhood's rounds, latest closing first."""
    return list(
        session.scalars(
            select(GrantRound)
            .where(GrantRound.neighbourhood_id == neighbourhood_id)
            .order_by(GrantRound.closes_at.desc(), GrantRound.id.desc())
        )
    )


def awarded_in(session: Session, round_id: int) -> int:
    """Money awarded in the round so far (after any reductions), in minor units."""
    total = session.scalar(
        select(func.sum(GrantApplication.awarded_amount)).where(
            GrantApplication.round_id == round_id,
            GrantApplication.status.in_([s.value for s in WITH_AWARD]),
        )
    )
    return int(total or 0)


def remaining(session: Session, grant_round: GrantRound) -> int:
    """The round's budget not yet awarded."""
    return grant_round.budget - awarded_in(session, grant_round.id)
