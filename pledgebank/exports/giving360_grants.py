"""Reading a neighbourhood's awarded grants for 360Giving: each grant with its recipient, what was asked for,
what was paid and when (from the grant payments posted to the ledger), its planned dates and its last change.

Recipients are identified once per organisation, not per grant: by the org-id its registered charity or
company number gives (GB-CHC-, GB-SC-, GB-COH-; see pledgebank.registers), else by the group's name within the
neighbourhood ("<prefix>-<neighbourhood>-org-<name as a slug>"), so one group keeps one identifier across its
grants; a group that gave its number on any grant is identified by it on all of them. An individual is never
named, located or described: "Individual recipient", an identifier made from the grant's own number (nothing
about the person), and the 360Giving codes for a grant to an individual for a community project.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pledgebank import registers
from pledgebank.books.models import LedgerTransaction
from pledgebank.exports.reader import Filters
from pledgebank.grants.models import (
    INDIVIDUAL_RECIPIENT,
    GrantApplication,
    GrantDecision,
    GrantPayment,
    GrantReport,
    GrantRound,
)
from pledgebank.grants.states import WITH_AWARD, PaymentStatus
from pledgebank.neighbourhoods.models import Fund, Neighbourhood

# 360Giving's codes for a grant to an individual (grantToIndividualsReason, grantToIndividualsPurpose):
# neighbourhood micro-grants pay residents for projects for their neighbours.
INDIVIDUAL_REASON = "GTIR120"  # Social action
INDIVIDUAL_PURPOSE = "GTIP160"  # Community projects
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who received a grant, as published: an organisation (with what it gave of its numbers and postcode),
    or an individual (identifier and generic name only)."""

    id: str
    name: str
    is_individual: bool
    charity_number: str | None = None
    company_number: str | None = None
    postcode: str | None = None


@dataclass(frozen=True, slots=True)
class AwardedGrant:
    """One awarded grant, as 360Giving describes it (amounts in minor units)."""

    identifier: str
    title: str
    description: str
    currency: str
    amount_awarded: int
    amount_applied_for: int
    award_date: date
    recipient: Recipient
    funder_id: str
    funder_name: str
    fund_slug: str
    fund_name: str
    round_code: str
    round_title: str
    project_months: int
    modified: datetime
    # (payment id, amount, day posted) of each payment the ledger holds
    disbursements: tuple[tuple[int, int, date], ...] = ()

    @property
    def amount_disbursed(self) -> int:
        """What the ledger's grant payments paid the recipient."""
        return sum(amount for _id, amount, _day in self.disbursements)

    @property
    def planned_end(self) -> date:
        """The last day of the planned project: `project_months` after the award, less a day."""
        month = self.award_date.month - 1 + self.project_months
        year, month = self.award_date.year + month // 12, month % 12 + 1
        day = min(self.award_date.day, _days_in(year, month))
        return date(year, month, day) - timedelta(days=1)


def _days_in(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def funder_id(neighbourhood: Neighbourhood, prefix: str) -> str:
    """The neighbourhood as a grant-maker: its charity's org-id, or one made from the publisher's prefix."""
    return registers.org_id(charity=neighbourhood.charity_number) or f"{prefix}-{neighbourhood.slug}"


def conditions(neighbourhood: Neighbourhood, filters: Filters, zone: str) -> list:
    """The awarded grants of the neighbourhood a choice covers (one fund's, awarded between two days)."""
    found = [
        GrantApplication.neighbourhood_id == neighbourhood.id,
        GrantApplication.status.in_([status.value for status in WITH_AWARD]),
        GrantApplication.awarded_amount.is_not(None),
        GrantApplication.awarded_at.is_not(None),
    ]
    if filters.fund is not None:
        found.append(Fund.slug == filters.fund)
    local = ZoneInfo(zone)
    if filters.date_from is not None:
        start = datetime.combine(filters.date_from, time(), tzinfo=local).astimezone(UTC)
        found.append(GrantApplication.awarded_at >= start)
    if filters.date_to is not None:
        end = datetime.combine(filters.date_to + timedelta(days=1), time(), tzinfo=local).astimezone(UTC)
        found.append(GrantApplication.awarded_at < end)
    return found


def _group_ids(rows: list[GrantApplication]) -> dict[str, str]:
    """Each group name (as a slug) to the org-id its numbers give, from any of its grants that gave one."""
    ids: dict[str, str] = {}
    for row in rows:
        given = registers.org_id(charity=row.charity_number, company=row.company_number)
        if row.group_name and given:
            ids.setdefault(_slug(row.group_name), given)
    return ids


def _slug(name: str) -> str:
    return _NOT_SLUG.sub("-", name.lower()).strip("-") or "group"


def _recipient(row: GrantApplication, base: str, group_ids: dict[str, str]) -> Recipient:
    if row.is_individual:
        return Recipient(f"{base}-individual-{row.id}", INDIVIDUAL_RECIPIENT, True)
    assert row.group_name is not None  # a group's application
    slug = _slug(row.group_name)
    return Recipient(
        id=group_ids.get(slug, f"{base}-org-{slug}"),
        name=row.group_name,
        is_individual=False,
        charity_number=row.charity_number,
        company_number=row.company_number,
        postcode=row.postcode,
    )


def _last_changes(session: Session, ids: list[int]) -> dict[int, datetime]:
    """Per grant, the latest of its decisions, its payment's recording and approval, and its report."""
    latest: dict[int, datetime] = {}
    queries = (
        select(GrantDecision.application_id, func.max(GrantDecision.decided_at)).group_by(
            GrantDecision.application_id
        ),
        select(GrantPayment.application_id, GrantPayment.recorded_at),
        select(GrantPayment.application_id, GrantPayment.approved_at),
        select(GrantReport.application_id, GrantReport.submitted_at),
        select(GrantReport.application_id, GrantReport.returned_at),
    )
    for query in queries:
        application_id = query.selected_columns[0]
        for grant, moment in session.execute(query.where(application_id.in_(ids))):
            if moment is not None and (grant not in latest or moment > latest[grant]):
                latest[grant] = moment
    return latest


def _disbursements(session: Session, ids: list[int]) -> dict[int, list[tuple[int, int, date]]]:
    """Per grant, its payments posted to the ledger: (payment id, amount, the day the ledger dates it)."""
    found: dict[int, list[tuple[int, int, date]]] = {}
    rows = session.execute(
        select(
            GrantPayment.application_id,
            GrantPayment.id,
            GrantPayment.amount,
            LedgerTransaction.effective_date,
        )
        .join(LedgerTransaction, LedgerTransaction.id == GrantPayment.transaction_id)
        .where(GrantPayment.application_id.in_(ids), GrantPayment.status == PaymentStatus.PAID.value)
        .order_by(GrantPayment.id)
    )
    for grant, payment_id, amount, day in rows:
        found.setdefault(grant, []).append((payment_id, amount, day))
    return found


def awarded_grants(
    session: Session, *, neighbourhood: Neighbourhood, filters: Filters, prefix: str, zone: str
) -> Iterator[AwardedGrant]:
    """The neighbourhood's awarded grants a choice covers, in the order they were awarded."""
    statement = (
        select(GrantApplication, GrantRound, Fund.slug, Fund.name)
        .join(GrantRound, GrantRound.id == GrantApplication.round_id)
        .join(Fund, Fund.id == GrantRound.fund_id)
        .where(*conditions(neighbourhood, filters, zone))
        .order_by(GrantApplication.awarded_at, GrantApplication.id)
    )
    rows = session.execute(statement).all()
    ids = [row.id for row, *_rest in rows]
    changes, paid = _last_changes(session, ids), _disbursements(session, ids)
    group_ids = _group_ids([row for row, *_rest in rows])
    base = f"{prefix}-{neighbourhood.slug}"
    for row, grant_round, fund_slug, fund_name in rows:
        assert row.awarded_at is not None and row.awarded_amount is not None  # chosen by their award
        yield AwardedGrant(
            identifier=f"{base}-grant-{row.id}",
            title=row.title,
            description=row.summary,
            currency=row.currency,
            amount_awarded=row.awarded_amount,
            amount_applied_for=row.amount_requested,
            award_date=row.awarded_at.astimezone(ZoneInfo(zone)).date(),
            recipient=_recipient(row, base, group_ids),
            funder_id=funder_id(neighbourhood, prefix),
            funder_name=neighbourhood.name,
            fund_slug=fund_slug,
            fund_name=fund_name,
            round_code=f"{base}-round-{grant_round.id}",
            round_title=grant_round.title,
            project_months=grant_round.project_months,
            modified=max(row.updated_at, row.awarded_at, changes.get(row.id, row.awarded_at)),
            disbursements=tuple(paid.get(row.id, ())),
        )
