"""A neighbourhood's funds; each fund gets its own income, expense and fund-balance accounts in the book.

Every fund has a type (see FundType): the general fund is unrestricted; the committee adds designated funds
(money it sets aside) and restricted funds (money given for a stated purpose); the chair adds endowments.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pledgebank.books.audit import record_event
from pledgebank.books.models import Book
from pledgebank.books.services import book_of, open_fund_accounts
from pledgebank.errors import Conflict, InvalidInput
from pledgebank.neighbourhoods.models import Fund, FundType, Neighbourhood
from pledgebank.policy import FUND_CREATION, Action, can, require
from pledgebank.text import _t

_SLUG_CHARS = re.compile(r"[^a-z0-9]+")
PURPOSE_MAX = 1000


def create_fund(
    session: Session,
    *,
    neighbourhood: Neighbourhood,
    book: Book,
    name: str,
    slug: str,
    description: str,
    is_general: bool,
    now: datetime,
    fund_type: FundType = FundType.UNRESTRICTED,
    purpose: str = "",
    may_fund_grants: bool = False,
) -> Fund:
    """Create a fund and its accounts (no permission check: callers have made it)."""
    fund = Fund(
        neighbourhood_id=neighbourhood.id,
        slug=slug,
        name=name,
        description=description,
        is_general=is_general,
        fund_type=FundType(fund_type).value,
        purpose=purpose,
        may_fund_grants=may_fund_grants,
        created_at=now,
    )
    session.add(fund)
    session.flush()  # the accounts refer to the fund's id
    open_fund_accounts(session, book=book, fund=fund)
    return fund


def _terms(fund_type: str, purpose: str, may_fund_grants: bool) -> tuple[FundType, str]:
    """Check a new fund's type and purpose; return them cleaned, or raise InvalidInput naming the field."""
    if fund_type not in FUND_CREATION:
        raise InvalidInput.field(
            "fund_type",
            "Choose designated, restricted or endowment: the general fund is the unrestricted one.",
        )
    kind = FundType(fund_type)
    clean = " ".join((purpose or "").split())
    errors: dict[str, list[str]] = {}
    if kind is FundType.RESTRICTED and not 3 <= len(clean) <= PURPOSE_MAX:
        errors["purpose"] = [
            f"Say what the money was given for, in 3 to {PURPOSE_MAX} characters: "
            "it may be spent only on that."
        ]
    elif len(clean) > PURPOSE_MAX:
        errors["purpose"] = [f"Use at most {PURPOSE_MAX} characters."]
    if may_fund_grants and kind is not FundType.RESTRICTED:
        errors["may_fund_grants"] = [
            "Only a restricted fund needs this: designated funds may fund grants and endowments never spend "
            "their capital."
        ]
    if errors:
        raise InvalidInput(fields=errors)
    return kind, clean


def add_fund(
    session: Session,
    *,
    actor_id: int,
    neighbourhood: Neighbourhood,
    name: str,
    description: str,
    now: datetime,
    fund_type: str = FundType.DESIGNATED.value,
    purpose: str = "",
    may_fund_grants: bool = False,
) -> Fund:
    """Add a designated or restricted fund (committee or chair) or an endowment (chair).

    A restricted fund states its purpose; `may_fund_grants` says that purpose is making grants.
    """
    require(session, actor_id, neighbourhood.id, Action.MANAGE_FUNDS)
    kind, clean_purpose = _terms(fund_type, purpose, may_fund_grants)
    require(session, actor_id, neighbourhood.id, FUND_CREATION[kind.value])
    clean = " ".join((name or "").split())
    if not 3 <= len(clean) <= 80:
        raise InvalidInput.field("name", "Give the fund a name of 3 to 80 characters.")
    if len(description or "") > 1000:
        raise InvalidInput.field("description", "Use at most 1000 characters.")
    slug = _SLUG_CHARS.sub("-", clean.lower()).strip("-")[:40].strip("-") or "fund"
    existing = session.scalar(
        select(Fund).where(Fund.neighbourhood_id == neighbourhood.id, Fund.slug == slug)
    )
    if existing is not None:
        raise Conflict(
            "There is already a fund with that name.",
            fields={"name": ["There is already a fund with that name."]},
        )
    fund = create_fund(
        session,
        neighbourhood=neighbourhood,
        book=book_of(session, neighbourhood.id),
        name=clean,
        slug=slug,
        description=(description or "").strip(),
        is_general=False,
        now=now,
        fund_type=kind,
        purpose=clean_purpose,
        may_fund_grants=bool(may_fund_grants),
    )
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=neighbourhood.id,
        action="fund.created",
        subject=("fund", fund.id),
        now=now,
        after={
            "name": clean,
            "slug": slug,
            "type": kind.value,
            "purpose": clean_purpose,
            "may_fund_grants": fund.may_fund_grants,
        },
    )
    return fund


_TYPE_WORDS = {
    FundType.UNRESTRICTED: _t("unrestricted: for anything within the group's aims"),
    FundType.DESIGNATED: _t("designated: set aside by the committee, which can release it"),
    FundType.ENDOWMENT: _t("endowment: capital kept, never spent"),
}
LABEL_PURPOSE_MAX = 300


def fund_label(fund: Fund) -> str:
    """How a fund is offered in a choice: its name, its type and, for a restricted fund, its purpose."""
    if fund.type is FundType.RESTRICTED:
        purpose = fund.purpose
        if len(purpose) > LABEL_PURPOSE_MAX:
            purpose = purpose[: LABEL_PURPOSE_MAX - 1].rstrip() + "…"
        return _t("%(name)s (restricted to: %(purpose)s)", name=fund.name, purpose=purpose)
    return _t("%(name)s (%(kind)s)", name=fund.name, kind=_TYPE_WORDS[fund.type])


def creatable_types(session: Session, *, actor_id: int | None, neighbourhood_id: int) -> list[FundType]:
    """The types of fund this person may add, in the order a form offers them."""
    return [
        FundType(value)
        for value, action in FUND_CREATION.items()
        if can(session, actor_id, neighbourhood_id, action)
    ]


def list_funds(session: Session, *, neighbourhood_id: int) -> list[Fund]:
    """The neighbourhood's funds, general fund first."""
    return list(
        session.scalars(
            select(Fund)
            .where(Fund.neighbourhood_id == neighbourhood_id)
            .order_by(Fund.is_general.desc(), Fund.name)
        )
    )
