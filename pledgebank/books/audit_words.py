"""Each audit event as one sentence: "Priya Shah approved Tom Okafor's hardship request: £9.00 off the
November 2026 charge of Street lighting".

`ACTIONS` is the registry of every action the code writes to the audit log, each with its kind (the family a
reader filters by) and the function that words it; an action not in it (one from an older version) still
reads, as "Priya Shah: levy hardship decided" and what changed. No function here raises on a missing name or
an odd value: the log must always show.

A sentence is worded in the language of the page that asks for it (`audit_values.say` splits the translated
template at its placeholders, so names stay links and typed values stay as typed): call `sentence` where
that language is set, as a request is. The kinds' labels are `_t` messages, translated where shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pledgebank.books import audit_engine_words as engines
from pledgebank.books import audit_payment_words as payments
from pledgebank.books.audit_paper_words import documents, examination
from pledgebank.books.audit_sentences import (
    TRANSFER_VERBS,
    Sentence,
    bank,
    funds,
    generic,
    members,
    neighbourhood,
    privacy,
    treasurer,
    year_end,
)
from pledgebank.books.audit_values import Event, Facts, person, words
from pledgebank.text import Message, _t

Words = Callable[[Event, Facts], Sentence]


@dataclass(frozen=True, slots=True)
class Kind:
    """A family of audit actions, as a reader chooses it."""

    key: str
    label: Message


NEIGHBOURHOOD = Kind("neighbourhood", _t("The neighbourhood and its settings"))
MEMBERS = Kind("members", _t("Members and roles"))
FUNDS = Kind("funds", _t("Funds and moves between them"))
PLEDGES = Kind("pledges", _t("Pledges and match offers"))
LEVIES = Kind("levies", _t("Levies"))
HARDSHIP = Kind("hardship", _t("Hardship requests"))
GRANTS = Kind("grants", _t("Grant rounds and applications"))
GRANT_PAYMENTS = Kind("grant-payments", _t("Grant payments"))
DIVIDENDS = Kind("dividends", _t("Community dividends"))
PULSE = Kind("pulse", _t("The neighbourhood pulse"))
TREASURER = Kind("treasurer", _t("The treasurer's entries and categories"))
DOCUMENTS = Kind("documents", _t("Supporting documents"))
BANK = Kind("bank", _t("Bank statements and reconciliations"))
YEAR_END = Kind("year-end", _t("Closing the year"))
PRIVACY = Kind("privacy", _t("Accounts closed and data retention"))
EXAMINATION = Kind("examination", _t("The independent examiner and the pages they opened"))
KINDS = (
    NEIGHBOURHOOD,
    MEMBERS,
    FUNDS,
    PLEDGES,
    LEVIES,
    HARDSHIP,
    GRANTS,
    GRANT_PAYMENTS,
    DIVIDENDS,
    PULSE,
    TREASURER,
    DOCUMENTS,
    BANK,
    YEAR_END,
    PRIVACY,
    EXAMINATION,
)


def _all(kind: Kind, build: Words, *actions: str) -> dict[str, tuple[Kind, Words]]:
    return dict.fromkeys(actions, (kind, build))


ACTIONS: dict[str, tuple[Kind, Words]] = {
    **_all(NEIGHBOURHOOD, neighbourhood, "neighbourhood.created", "settings.changed"),
    **_all(
        MEMBERS, members, "member.joined", "member.left", "member.removed", "role.granted", "role.revoked"
    ),
    **_all(FUNDS, funds, "fund.created", "fund.reworded", *TRANSFER_VERBS),
    **_all(
        PLEDGES, engines.pledges, "pledge.created", "pledge.edited", "pledge.approved", "pledge.cancelled"
    ),
    **_all(PLEDGES, engines.pledges, "match_offer.added", "match_offer.received", "comment.hidden"),
    **_all(LEVIES, engines.levies, "levy.created", "levy.approved", "levy.decided", "levy.started"),
    **_all(LEVIES, engines.levies, "levy.register_imported"),
    **_all(HARDSHIP, engines.hardship, "levy.hardship_decided"),
    **_all(
        GRANTS,
        engines.grants,
        "grant_round.opened",
        "grant_application.submitted",
        "grant_application.withdrawn",
    ),
    **_all(GRANTS, engines.grants, "grant.interest_declared", "grant.reviewed", "grant.decider_named"),
    **_all(GRANTS, engines.grants, "grant.decided", "grant.reconsidered"),
    **_all(GRANT_PAYMENTS, payments.grant_payments, "grant.payment_recorded", "grant.payment_approved"),
    **_all(GRANT_PAYMENTS, payments.grant_payments, "grant.reported", "grant.unspent_returned"),
    **_all(DIVIDENDS, payments.dividends, "dividend.drafted", "dividend.amended", "dividend.signed"),
    **_all(DIVIDENDS, payments.dividends, "dividend.evidence_submitted", "dividend.verified"),
    **_all(DIVIDENDS, payments.dividends, "dividend.disputed", "dividend.answered", "dividend.paid"),
    **_all(DIVIDENDS, payments.dividends, "dividend.closed", "dividend.lapsed"),
    **_all(PULSE, payments.pulse, "pulse.round_opened"),
    **_all(NEIGHBOURHOOD, payments.texting, "sms.number_set"),
    **_all(PLEDGES, payments.texting, "sms.keyword_set"),
    **_all(TREASURER, treasurer, "treasurer.entry_recorded", "treasurer.payment_approved"),
    **_all(TREASURER, treasurer, "treasurer.correction_recorded"),
    **_all(TREASURER, treasurer, "expense_category.added", "expense_category.renamed"),
    **_all(TREASURER, treasurer, "expense_category.retired"),
    **_all(DOCUMENTS, documents, "document.attached", "document.withdrawn"),
    **_all(BANK, bank, "statement.uploaded", "statement.reconciled", "statement.line_matched"),
    **_all(BANK, bank, "statement.line_posted", "statement.line_unmatched"),
    **_all(YEAR_END, year_end, "year.closed"),
    **_all(PRIVACY, privacy, "account.erased", "retention.enforced"),
    **_all(EXAMINATION, examination, "examiner.appointed", "examiner.accepted", "examiner.ended"),
    **_all(EXAMINATION, examination, "examiner.lapsed", "examiner.viewed", "examiner.refused"),
}


def actions_of(kind_key: str) -> list[str]:
    """The actions of a kind (none for an unknown key)."""
    return [action for action, (kind, _) in ACTIONS.items() if kind.key == kind_key]


def sentence(event: Event, facts: Facts) -> Sentence:
    """The event in words; whatever it recorded, never an exception."""
    build = ACTIONS.get(event.action, (None, generic))[1]
    try:
        return build(event, facts)
    except (KeyError, TypeError, ValueError, AttributeError):
        try:
            return generic(event, facts)
        except (KeyError, TypeError, ValueError, AttributeError):
            return [person(facts, event.actor_id), f": {words(event.action)}"]
