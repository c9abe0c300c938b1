"""A community dividend agreement's life as a pure table: (state, action) -> next state or refusal.

Drafted by the committee, agreed once the body's signatory and the chair have both signed the same terms,
then evidence, verification (or a dispute, answered), the receivable earned, the body's payment, closed. An
agreement past its deadline without verification lapses with nothing owed; an amendment, once agreed,
supersedes the version before it.
"""

from __future__ import annotations

from enum import StrEnum

from pledgebank.state_tables import Transitions


class AgreementStatus(StrEnum):
    """Where an agreement is."""

    DRAFT = "draft"
    AGREED = "agreed"
    EVIDENCE_SUBMITTED = "evidence_submitted"
    DISPUTED = "disputed"
    ANSWERED = "answered"
    EARNED = "earned"
    PAID = "paid"
    CLOSED = "closed"
    LAPSED = "lapsed"
    SUPERSEDED = "superseded"


class AgreementAction(StrEnum):
    """What can happen to an agreement."""

    SIGN = "sign"
    AGREE = "agree"  # the second signature
    SUBMIT_EVIDENCE = "submit_evidence"
    VERIFY = "verify"
    DISPUTE = "dispute"
    ANSWER = "answer"
    PAY = "pay"
    CLOSE = "close"
    LAPSE = "lapse"
    AMEND = "amend"  # a new version is drafted while this one stays in force
    SUPERSEDE = "supersede"  # the new version is agreed


S, A = AgreementStatus, AgreementAction
IN_FORCE = (S.AGREED, S.EVIDENCE_SUBMITTED, S.DISPUTED, S.ANSWERED)

TRANSITIONS: dict[tuple[AgreementStatus, AgreementAction], AgreementStatus] = {
    (S.DRAFT, A.SIGN): S.DRAFT,
    (S.DRAFT, A.AGREE): S.AGREED,
    (S.DRAFT, A.LAPSE): S.LAPSED,
    (S.AGREED, A.SUBMIT_EVIDENCE): S.EVIDENCE_SUBMITTED,
    (S.EVIDENCE_SUBMITTED, A.SUBMIT_EVIDENCE): S.EVIDENCE_SUBMITTED,
    (S.EVIDENCE_SUBMITTED, A.VERIFY): S.EARNED,
    (S.EVIDENCE_SUBMITTED, A.DISPUTE): S.DISPUTED,
    (S.DISPUTED, A.ANSWER): S.ANSWERED,
    (S.ANSWERED, A.SUBMIT_EVIDENCE): S.ANSWERED,
    (S.ANSWERED, A.VERIFY): S.EARNED,
    (S.ANSWERED, A.DISPUTE): S.DISPUTED,
    (S.EARNED, A.PAY): S.PAID,
    (S.EARNED, A.CLOSE): S.CLOSED,  # only when the outcome earned nothing
    (S.PAID, A.CLOSE): S.CLOSED,
    **{(state, A.LAPSE): S.LAPSED for state in IN_FORCE},
    **{(state, A.AMEND): state for state in IN_FORCE},
    **{(state, A.SUPERSEDE): S.SUPERSEDED for state in IN_FORCE},
}

AGREEMENTS: Transitions[AgreementStatus, AgreementAction] = Transitions(TRANSITIONS, thing="an agreement")
OPEN = (S.DRAFT, *IN_FORCE)


def next_status(current: AgreementStatus, action: AgreementAction) -> AgreementStatus:
    """The status after the action; InvalidTransition (409) when it does not apply."""
    return AGREEMENTS.next(AgreementStatus(current), action)
