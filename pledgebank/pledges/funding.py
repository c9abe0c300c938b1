"""The fund a pledge pays into: by default a restricted fund of its own, opened with the pledge.

Money pledged towards something is given for that purpose, so in fund accounting (the Charities SORP) it is
restricted to it. A new pledge therefore opens a restricted fund whose purpose is the pledge's own words, and
grant rounds cannot spend it. The committee or the chair may instead put a pledge into an existing fund: a
restricted fund whose purpose covers it, or the general fund or a designated fund when what the pledge asks
for is the group's general work. A resident cannot: their pledge's money is always held for what it says. An
endowment never takes pledges, since its capital is kept, not spent.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pledgebank.books.audit import record_event
from pledgebank.books.models import LedgerAccount, LedgerPosting
from pledgebank.books.services import book_of
from pledgebank.errors import InvalidInput
from pledgebank.levies.models import Levy
from pledgebank.neighbourhoods.funds import create_fund
from pledgebank.neighbourhoods.models import Fund, FundType, Neighbourhood
from pledgebank.pledges.models import Pledge
from pledgebank.policy import Action, can
from pledgebank.text import _t

NAME_MAX = 80  # a fund's name
SLUG_BASE_MAX = 32  # leaves room for "-2", "-3" ... within a fund slug's 40 characters
_ATTEMPTS = 100
_NOT_SLUG = re.compile(r"[^a-z0-9]+")

ONLY_OFFICERS = (
    "Only the committee or the chair can put a pledge into an existing fund; "
    "this pledge gets a restricted fund of its own."
)


def purpose_of(title: str, description: str) -> str:
    """The restricted purpose of a pledge's own fund: the pledge's title and what it says will happen."""
    return f"Pledged for “{' '.join(title.split())}”: {' '.join(description.split())}"


def name_of(title: str) -> str:
    """A fund's name taken from a pledge's title (cut to fit)."""
    clean = " ".join(title.split())
    return clean if len(clean) <= NAME_MAX else clean[: NAME_MAX - 1].rstrip() + "…"


def slug_base(title: str) -> str:
    """The start of a fund slug taken from a title: plain letters and digits joined by hyphens."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return _NOT_SLUG.sub("-", plain).strip("-")[:SLUG_BASE_MAX].strip("-") or "pledge"


def open_own_fund(
    session: Session,
    *,
    actor_id: int,
    neighbourhood: Neighbourhood,
    title: str,
    description: str,
    now: datetime,
) -> Fund:
    """Open a restricted fund for a pledge, under the first free slug taken from its title.

    A simultaneous pledge of the same title may take a slug between our look and our insert; the unique
    constraint refuses the second insert, and we roll back to the savepoint and take the next number.
    """
    base = slug_base(title)
    taken = set(
        session.scalars(
            select(Fund.slug).where(Fund.neighbourhood_id == neighbourhood.id, Fund.slug.startswith(base))
        )
    )
    book = book_of(session, neighbourhood.id)
    candidates = (base if n == 1 else f"{base}-{n}" for n in range(1, _ATTEMPTS + 1))
    for slug in (candidate for candidate in candidates if candidate not in taken):
        try:
            with session.begin_nested():
                fund = create_fund(
                    session,
                    neighbourhood=neighbourhood,
                    book=book,
                    name=name_of(title),
                    slug=slug,
                    description="Money pledged through a pledge, held for what the pledge says.",
                    is_general=False,
                    now=now,
                    fund_type=FundType.RESTRICTED,
                    purpose=purpose_of(title, description),
                )
        except IntegrityError:
            continue
        record_event(
            session,
            actor_id=actor_id,
            neighbourhood_id=neighbourhood.id,
            action="fund.created",
            subject=("fund", fund.id),
            now=now,
            after={"name": fund.name, "slug": slug, "type": fund.fund_type, "purpose": fund.purpose},
        )
        return fund
    raise InvalidInput.field(
        "title", _t("Too many funds have names like this title; give the pledge another.")
    )


def choose_fund(
    session: Session, *, actor_id: int, neighbourhood_id: int, slug: str, current_fund_id: int | None = None
) -> Fund:
    """An existing fund for a pledge: the one it pays into already, or (committee or chair) another.

    Raises InvalidInput beside the fund when the fund is unknown, an endowment, or not the actor's to pick.
    """
    fund = session.scalar(select(Fund).where(Fund.neighbourhood_id == neighbourhood_id, Fund.slug == slug))
    if fund is None:
        raise InvalidInput.field("fund", _t("Choose one of the neighbourhood's funds."))
    if fund.id == current_fund_id:
        return fund
    if not can(session, actor_id, neighbourhood_id, Action.MANAGE_PLEDGES):
        raise InvalidInput.field("fund", ONLY_OFFICERS)
    if fund.type is FundType.ENDOWMENT:
        message = f"{fund.name} is an endowment: its capital is kept, never spent, so it cannot take pledges."
        raise InvalidInput.field("fund", message)
    return fund


def funds_to_offer(session: Session, *, actor_id: int | None, neighbourhood_id: int) -> list[Fund]:
    """The existing funds this person may put a pledge into (none for a resident), general fund first."""
    if not can(session, actor_id, neighbourhood_id, Action.MANAGE_PLEDGES):
        return []
    return list(
        session.scalars(
            select(Fund)
            .where(Fund.neighbourhood_id == neighbourhood_id, Fund.fund_type != FundType.ENDOWMENT.value)
            .order_by(Fund.is_general.desc(), Fund.name)
        )
    )


def reword_own_fund(session: Session, *, pledge: Pledge, actor_id: int, now: datetime) -> None:
    """Give the pledge's own fund the pledge's new words, unless anything else relies on the fund's purpose.

    Once money is in the fund, or another pledge or a levy pays into it, its purpose stays as given.
    """
    fund = session.get_one(Fund, pledge.fund_id)
    purpose, name = purpose_of(pledge.title, pledge.description), name_of(pledge.title)
    if (fund.purpose, fund.name) == (purpose, name) or _relied_on(session, fund, pledge):
        return
    before = {"name": fund.name, "purpose": fund.purpose}
    accounts = session.scalars(select(LedgerAccount).where(LedgerAccount.fund_id == fund.id))
    for account in accounts:
        if account.name.startswith(f"{fund.name}: "):
            account.name = name + account.name[len(fund.name) :]
    fund.name, fund.purpose = name, purpose
    record_event(
        session,
        actor_id=actor_id,
        neighbourhood_id=pledge.neighbourhood_id,
        action="fund.reworded",
        subject=("fund", fund.id),
        now=now,
        before=before,
        after={"name": name, "purpose": purpose},
    )


def _relied_on(session: Session, fund: Fund, pledge: Pledge) -> bool:
    other_pledge = exists().where(Pledge.fund_id == fund.id, Pledge.id != pledge.id)
    levy = exists().where(Levy.fund_id == fund.id)
    money = (
        exists().where(LedgerPosting.account_id == LedgerAccount.id).where(LedgerAccount.fund_id == fund.id)
    )
    return bool(session.scalar(select(other_pledge | levy | money)))
