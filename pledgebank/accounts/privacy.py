"""What the service holds about a person (UK GDPR right of access), table by table.

`SECTIONS` names every table that holds a reference to a user, with the rows that are the person's and the
columns shown to them; `NOT_PERSONAL` names the columns that look personal but are not (a fund's name, say),
with the reason. A test walks the database's metadata and fails when a table referring to users, or holding
emails or names, is in neither, so a new table cannot be left out of the export.

Rows are read a page at a time by primary key, so a person with many thousands of records is streamed in
bounded memory. Secrets (password and token digests, the ledger's hash bytes) are never shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, String, and_, cast, or_, select, tuple_
from sqlalchemy.orm import Session

from pledgebank.accounts.models import ApiToken, SignedOutSession, User
from pledgebank.alerts.models import AlertSubscription
from pledgebank.books.fund_transfer_models import FundTransfer
from pledgebank.books.models import AuditEvent, ClosedPeriod, LedgerTransaction
from pledgebank.books.treasurer_models import TreasurerEntry
from pledgebank.db import Base
from pledgebank.dividends.models import DividendAgreement, DividendEvidence, DividendReview, DividendSignature
from pledgebank.documents.models import Document
from pledgebank.examiners.models import ExaminerAppointment
from pledgebank.exports.models import LedgerExport
from pledgebank.giftaid.models import (
    GiftAidBenefit,
    GiftAidCancellation,
    GiftAidCharity,
    GiftAidClaim,
    GiftAidClaimLine,
    GiftAidDeclaration,
)
from pledgebank.grants.models import (
    GrantApplication,
    GrantBudgetLine,
    GrantDecision,
    GrantDeclaration,
    GrantPayment,
    GrantReport,
    GrantReview,
    GrantRound,
    GrantScore,
)
from pledgebank.levies.models import (
    ChargeConfirmation,
    HardshipRequest,
    Household,
    HouseholdResident,
    Levy,
    LevyApproval,
    LevyCardConsent,
    LevyCharge,
    LevyHousehold,
)
from pledgebank.neighbourhoods.models import Membership, MembershipRole, Neighbourhood
from pledgebank.payments.models import PaymentCustomer
from pledgebank.pledges.comment_models import PledgeComment
from pledgebank.pledges.models import MatchOffer, Pledge, PledgeSignup, PledgeUpdate
from pledgebank.pulse.models import PulseAnswer, PulseResponse, PulseRound
from pledgebank.sms.models import SmsInbound, SmsKeyword, SmsPhone
from pledgebank.statements.models import LineRule, Reconciliation, Statement, StatementLine
from pledgebank.tasks.models import Job
from pledgebank.tasks.personal import waiting_in_procrastinate

PAGE = 500
# Never shown to anyone, the person included: digests that would help an attacker, and the ledger's bytes.
SECRET_COLUMNS = frozenset({"password_hash", "token_hash", "key_hash", "canonical", "prev_hash", "hash"})
EXPORT_FORMAT = "pledgebank-personal-data/1"


@dataclass(frozen=True, slots=True)
class Section:
    """One kind of record: its table, the user columns that make a row the person's, and a title."""

    key: str
    title: str
    model: type[Base]
    user_columns: tuple[str, ...] = ()
    # Rows reached through another table (the person's household's charges); None: by user_columns.
    related: Callable[[int], ColumnElement[bool]] | None = None
    hidden: frozenset[str] = field(default_factory=frozenset)
    # Rows of the same shape kept outside our tables (emails waiting in procrastinate's queue), after ours.
    more: Callable[[Session, int], list[dict[str, Any]]] | None = None

    @property
    def table(self) -> Any:
        """The section's table."""
        return self.model.__table__

    @property
    def columns(self) -> list[str]:
        """The column names shown, in table order."""
        hidden = SECRET_COLUMNS | self.hidden
        return [column.name for column in self.table.columns if column.name not in hidden]

    def owned_by(self, user_id: int) -> ColumnElement[bool]:
        """Which rows are the person's."""
        clauses = [self.table.c[name] == user_id for name in self.user_columns]
        if self.related is not None:
            clauses.append(self.related(user_id))
        return or_(*clauses)


def _roles_of(user_id: int) -> ColumnElement[bool]:
    return MembershipRole.membership_id.in_(select(Membership.id).where(Membership.user_id == user_id))


def _homes_of(user_id: int) -> Any:
    return select(HouseholdResident.household_id).where(HouseholdResident.user_id == user_id)


def _home(user_id: int) -> ColumnElement[bool]:
    return Household.id.in_(_homes_of(user_id))


def _home_charges(user_id: int) -> ColumnElement[bool]:
    return LevyCharge.household_id.in_(_homes_of(user_id))


def _home_levies(user_id: int) -> ColumnElement[bool]:
    return LevyHousehold.household_id.in_(_homes_of(user_id))


def _own_budget(user_id: int) -> ColumnElement[bool]:
    owned = select(GrantApplication.id).where(GrantApplication.applicant_id == user_id)
    return GrantBudgetLine.application_id.in_(owned)


def _own_scores(user_id: int) -> ColumnElement[bool]:
    return GrantScore.review_id.in_(select(GrantReview.id).where(GrantReview.member_id == user_id))


def _own_grant_money(user_id: int) -> ColumnElement[bool]:
    owned = select(GrantApplication.id).where(GrantApplication.applicant_id == user_id)
    return GrantPayment.application_id.in_(owned)


def _own_grant_reports(user_id: int) -> ColumnElement[bool]:
    owned = select(GrantApplication.id).where(GrantApplication.applicant_id == user_id)
    return GrantReport.application_id.in_(owned)


def _own_alerts(user_id: int) -> ColumnElement[bool]:
    return AlertSubscription.email.in_(select(User.email).where(User.id == user_id))


def _own_pulse_answers(user_id: int) -> ColumnElement[bool]:
    return PulseAnswer.response_id.in_(select(PulseResponse.id).where(PulseResponse.user_id == user_id))


def _own_texts(user_id: int) -> ColumnElement[bool]:
    phones = select(SmsPhone.id).where(SmsPhone.user_id == user_id)
    return SmsInbound.__table__.c.phone_id.in_(phones)


def _own_gifts_claimed(user_id: int) -> ColumnElement[bool]:
    owned = select(GiftAidDeclaration.id).where(GiftAidDeclaration.user_id == user_id)
    return GiftAidClaimLine.declaration_id.in_(owned)


def _email_of(user_id: int) -> Any:
    return select(User.email).where(User.id == user_id)


def _invited_examiner(user_id: int) -> ColumnElement[bool]:
    return ExaminerAppointment.email.in_(_email_of(user_id))


def _named_at_body(user_id: int) -> ColumnElement[bool]:
    """Agreements naming the person (by their address) as the body's signatory or verifier."""
    return or_(
        DividendAgreement.signatory_email.in_(_email_of(user_id)),
        DividendAgreement.verifier_email.in_(_email_of(user_id)),
    )


def _signed_by_email(user_id: int) -> ColumnElement[bool]:
    return DividendSignature.signer_email.in_(_email_of(user_id))


def _emails_to(user_id: int) -> ColumnElement[bool]:
    return Job.recipient_email.in_(_email_of(user_id))  # both kept in lower case


def _emails_queued_elsewhere(session: Session, user_id: int) -> list[dict[str, Any]]:
    return waiting_in_procrastinate(session, lambda: list(session.scalars(_email_of(user_id))))


def _about(user_id: int) -> ColumnElement[bool]:
    return and_(AuditEvent.subject_type == "user", AuditEvent.subject_id == cast(str(user_id), String))


SECTIONS: tuple[Section, ...] = (
    Section("profile", "Your profile", User, ("id",), hidden=frozenset({"session_generation"})),
    Section("memberships", "Neighbourhoods you belong to", Membership, ("user_id",)),
    Section("roles", "Roles you hold", MembershipRole, related=_roles_of),
    Section(
        "households",
        "Your household (address and council-tax band)",
        Household,
        ("payer_id", "setup_by_id", "created_by_id"),
        related=_home,
    ),
    Section("residence", "Where you live in each neighbourhood", HouseholdResident, ("user_id",)),
    Section("levy_households", "Levies your household is in", LevyHousehold, ("added_by_id",), _home_levies),
    Section("levy_charges", "Levy charges and payments", LevyCharge, ("recorded_by_id",), _home_charges),
    Section(
        "levy_card_consents", "Cards you let pay a levy, and when that ended", LevyCardConsent, ("user_id",)
    ),
    Section(
        "levy_charge_confirmations",
        "Levy charges you confirmed before they were taken",
        ChargeConfirmation,
        ("user_id",),
    ),
    Section("hardship_requests", "Hardship requests", HardshipRequest, ("requested_by_id", "decided_by_id")),
    Section("pledges_signed", "Your pledges", PledgeSignup, ("user_id", "cash_recorded_by_id")),
    Section("pledges_created", "Pledges you created or approved", Pledge, ("creator_id", "approved_by_id")),
    Section("pledge_updates", "Updates you posted on pledges", PledgeUpdate, ("author_id",)),
    Section(
        "pledge_comments",
        "Your comments and questions on pledges, and comments you hid",
        PledgeComment,
        ("author_id", "hidden_by_id"),
    ),
    Section(
        "alerts",
        "Alerts about new pledges sent to your address",
        AlertSubscription,
        related=_own_alerts,
        hidden=frozenset({"key"}),
    ),
    Section("match_offers", "Sponsors' match offers you recorded", MatchOffer, ("recorded_by_id",)),
    Section(
        "grant_applications", "Your grant applications", GrantApplication, ("applicant_id", "decider_id")
    ),
    Section(
        "grant_budget_lines", "Budget lines of your grant applications", GrantBudgetLine, (), _own_budget
    ),
    Section(
        "grant_reports",
        "Grant reports",
        GrantReport,
        ("submitted_by_id", "return_recorded_by_id"),
        _own_grant_reports,
    ),
    Section(
        "grant_payments",
        "Grant payments",
        GrantPayment,
        ("recorded_by_id", "approved_by_id"),
        _own_grant_money,
    ),
    Section(
        "grant_reviews", "Your reviews of grant applications, with your comments", GrantReview, ("member_id",)
    ),
    Section("grant_scores", "Your scores", GrantScore, (), _own_scores),
    Section("grant_declarations", "Interests you declared", GrantDeclaration, ("member_id",)),
    Section("grant_decisions", "Grant decisions you recorded", GrantDecision, ("decided_by_id",)),
    Section("grant_rounds", "Grant rounds you opened", GrantRound, ("created_by_id",)),
    Section(
        "examiner_appointments",
        "Appointments as an independent examiner: yours, and those you made or ended",
        ExaminerAppointment,
        ("user_id", "appointed_by_id", "ended_by_id"),
        _invited_examiner,
    ),
    Section(
        "dividend_agreements",
        "Community dividend agreements you drafted, or that name you for the body",
        DividendAgreement,
        ("drafted_by_id",),
        _named_at_body,
    ),
    Section(
        "dividend_signatures",
        "Community dividend terms you signed",
        DividendSignature,
        ("user_id",),
        _signed_by_email,
    ),
    Section(
        "dividend_evidence",
        "Evidence you gave for community dividends",
        DividendEvidence,
        ("submitted_by_id",),
    ),
    Section(
        "dividend_reviews",
        "Community dividend evidence you verified or disputed",
        DividendReview,
        ("user_id",),
    ),
    Section("pulse_responses", "Your responses to the neighbourhood pulse", PulseResponse, ("user_id",)),
    Section("pulse_answers", "Your answers in those responses", PulseAnswer, (), _own_pulse_answers),
    Section("pulse_rounds", "Pulse rounds you opened", PulseRound, ("opened_by_id",)),
    Section(
        "giftaid_declarations",
        "Your Gift Aid declarations: the words you agreed to, your name and home address",
        GiftAidDeclaration,
        ("user_id",),
    ),
    Section(
        "giftaid_cancellations",
        "Gift Aid declarations you cancelled",
        GiftAidCancellation,
        ("cancelled_by_id",),
    ),
    Section(
        "giftaid_claim_lines", "Your gifts claimed under Gift Aid", GiftAidClaimLine, (), _own_gifts_claimed
    ),
    Section("giftaid_charities", "HMRC charity references you recorded", GiftAidCharity, ("recorded_by_id",)),
    Section(
        "giftaid_benefits",
        "What pledgers receive, as you valued it for Gift Aid",
        GiftAidBenefit,
        ("recorded_by_id",),
    ),
    Section(
        "giftaid_claims",
        "Gift Aid claims you made, or whose payment by HMRC you recorded",
        GiftAidClaim,
        ("made_by_id", "paid_by_id"),
    ),
    Section("levies", "Levies you set up", Levy, ("created_by_id",)),
    Section("levy_approvals", "Levies you approved", LevyApproval, ("user_id",)),
    Section("neighbourhoods", "Neighbourhoods you started", Neighbourhood, ("created_by_id",)),
    Section(
        "treasurer_entries",
        "Money you recorded or approved as treasurer",
        TreasurerEntry,
        ("recorded_by_id", "approved_by_id"),
    ),
    Section("documents", "Documents you attached to payments and reports", Document, ("uploaded_by_id",)),
    Section(
        "fund_transfers",
        "Transfers between funds you proposed or decided",
        FundTransfer,
        ("proposed_by_id", "decided_by_id"),
    ),
    Section("ledger_transactions", "Book entries you made", LedgerTransaction, ("actor_id",)),
    Section("ledger_exports", "Exports of the books you made", LedgerExport, ("made_by_id",)),
    Section("closed_periods", "Financial years you closed", ClosedPeriod, ("closed_by_id",)),
    Section("bank_statements", "Bank statements you uploaded", Statement, ("uploaded_by_id",)),
    Section(
        "bank_statement_lines",
        "Bank statement lines you matched or recorded",
        StatementLine,
        ("settled_by_id",),
        hidden=frozenset({"fingerprint"}),
    ),
    Section("bank_line_rules", "Rules for bank lines you saved", LineRule, ("created_by_id",)),
    Section("bank_reconciliations", "Bank reconciliations you saved", Reconciliation, ("reconciled_by_id",)),
    Section("payment_customers", "Your card customer at Stripe", PaymentCustomer, ("user_id",)),
    Section(
        "phones",
        "Your phone numbers, and whether you asked for no texts",
        SmsPhone,
        ("user_id", "pending_user_id"),
        hidden=frozenset({"code_digest"}),
    ),
    Section("texts_received", "Texts you sent us (when; the words are not kept)", SmsInbound, (), _own_texts),
    Section("sms_keywords", "Text keywords you gave pledges", SmsKeyword, ("set_by_id",)),
    Section("api_tokens", "Your API tokens (names, never the secrets)", ApiToken, ("user_id",)),
    Section("sessions", "Sign-ins you ended by signing out", SignedOutSession, ("user_id",)),
    Section(
        "queued_emails",
        "Emails to you waiting to be sent, or that could not be sent",
        Job,
        related=_emails_to,
        hidden=frozenset({"key", "locked_until"}),
        more=_emails_queued_elsewhere,
    ),
    Section("audit_events", "Audit events naming you", AuditEvent, ("actor_id",), _about),
)

# Columns that a reader (or the metadata test) might take for personal data, and why they are not.
NOT_PERSONAL: dict[str, str] = {
    "neighbourhoods.name": "a neighbourhood's name",
    "funds.name": "a fund's name",
    "expense_categories.name": "an expense category's name",
    "ledger_accounts.name": "an account's name in the chart of accounts",
    "grant_criteria.name": "a scoring criterion of a grant round",
    "match_offers.sponsor_name": "a sponsor (a business or council) the committee records, not a user",
    "dividend_bodies.name": "a body (a council, a fire service) that pays community dividends",
    "dividend_agreements.outcome_name": "the outcome an agreement measures (deliberate fires, say)",
    "task_schedules.name": "the name of a scheduled piece of work (the due work), not a person",
}
# Consent is not a lawful basis the service relies on; a card's authority to pay a levy is a payment
# authorisation, listed with the rest of your data.
CONSENTS_NOTE = (
    "PledgeBank does not rely on your consent to hold your data: it holds it to run the neighbourhood's "
    "money. The authorisations you gave for a card to pay a levy are payment instructions, listed above."
)


def plain(value: Any) -> Any:
    """A stored value as JSON can carry it."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value


def rows_of(
    session: Session, section: Section, user_id: int, *, page: int = PAGE
) -> Iterator[dict[str, Any]]:
    """The person's rows of one section, read a page at a time in primary-key order."""
    table = section.table
    keys = list(table.primary_key.columns)
    shown = [table.c[name] for name in section.columns]
    wanted = shown + [key for key in keys if key.name not in section.columns]
    last: tuple | None = None
    while True:
        query = select(*wanted).where(section.owned_by(user_id))
        if last is not None:
            query = query.where(tuple_(*keys) > tuple_(*last) if len(keys) > 1 else keys[0] > last[0])
        rows = session.execute(query.order_by(*keys).limit(page)).mappings().all()
        for row in rows:
            yield {name: plain(row[name]) for name in section.columns}
        if len(rows) < page:
            break
        last = tuple(rows[-1][key.name] for key in keys)
    if section.more is not None:
        for found in section.more(session, user_id):
            yield {name: plain(found.get(name)) for name in section.columns}


def personal_data(session: Session, user_id: int) -> Iterator[tuple[Section, Iterator[dict[str, Any]]]]:
    """Every section with the person's rows in it, lazily."""
    for section in SECTIONS:
        yield section, rows_of(session, section, user_id)
