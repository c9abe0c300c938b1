"""Signing an agreement: the body's signatory (through their link) and the chair each sign the exact terms
they were shown, by their hash; the second signature agrees them, and an agreed amendment supersedes the
version before it. Each signature is an audit event holding the terms signed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from pledgebank.accounts.models import User
from pledgebank.books.audit import record_event
from pledgebank.dividends.agreements import get_agreement, signed_fields
from pledgebank.dividends.models import DividendAgreement, DividendSignature
from pledgebank.dividends.states import AgreementAction, next_status
from pledgebank.errors import Conflict
from pledgebank.policy import Action, require


def sign(
    session: Session,
    *,
    agreement_id: int,
    party: str,
    email: str,
    name: str,
    user_id: int | None,
    signed_hash: str,
    now: datetime,
) -> DividendAgreement:
    """One party signs the exact terms shown to them (by their hash); the second signature agrees them."""
    agreement = get_agreement(session, agreement_id, lock=True)
    next_status(agreement.status, AgreementAction.SIGN)
    if signed_hash != agreement.terms_hash:
        raise Conflict("These terms are not the ones you were shown; read them again before signing.")
    for signature in agreement.signatures:
        if signature.signer_email == email:
            raise Conflict("You have signed this agreement already: the other party must sign it.")
        if signature.party == party:
            raise Conflict(f"The {_PARTY[party]} has signed this agreement already.")
    session.add(
        DividendSignature(
            agreement_id=agreement.id,
            party=party,
            signer_name=name,
            signer_email=email,
            user_id=user_id,
            terms_hash=agreement.terms_hash,
            signed_at=now,
        )
    )
    record_event(
        session,
        actor_id=user_id,
        neighbourhood_id=agreement.neighbourhood_id,
        action="dividend.signed",
        subject=("dividend_agreement", agreement.id),
        now=now,
        after={
            "party": party,
            "signer": name,
            "terms_hash": agreement.terms_hash,
            "terms": signed_fields(agreement),
        },
    )
    if len(agreement.signatures) + 1 == len(_PARTY):
        _agree(session, agreement, now)
    agreement.updated_at = now
    return agreement


_PARTY = {"body": "body", "neighbourhood": "neighbourhood's chair"}


def _agree(session: Session, agreement: DividendAgreement, now: datetime) -> None:
    agreement.status = next_status(agreement.status, AgreementAction.AGREE)
    if agreement.previous_id is not None:
        previous = get_agreement(session, agreement.previous_id, lock=True)
        previous.status = next_status(previous.status, AgreementAction.SUPERSEDE)
        previous.updated_at = now


def sign_for_neighbourhood(
    session: Session, *, actor_id: int, agreement_id: int, signed_hash: str, now: datetime
) -> DividendAgreement:
    """The chair signs for the neighbourhood."""
    agreement = get_agreement(session, agreement_id)
    require(session, actor_id, agreement.neighbourhood_id, Action.SIGN_DIVIDEND)
    user = session.get_one(User, actor_id)
    return sign(
        session,
        agreement_id=agreement_id,
        party="neighbourhood",
        email=user.email.lower(),
        name=user.display_name,
        user_id=actor_id,
        signed_hash=signed_hash,
        now=now,
    )
