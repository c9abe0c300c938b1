"""The body's emailed links: its signatory and verifier need no account and no role; each acts through a
signed link that names the agreement and their address."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from pledgebank.accounts.tokens import LinkSigner
from pledgebank.dividends.models import DividendAgreement
from pledgebank.errors import Conflict, Forbidden
from pledgebank.neighbourhoods.reach import reach
from pledgebank.outbox import Email, send_after_commit
from pledgebank.text import _t

LINK_PURPOSE = "dividend-body"
LINK_MAX_AGE = 3 * 366 * 24 * 3600  # the life of an agreement, with room to spare


def link_token(signer: LinkSigner, agreement: DividendAgreement, email: str, now: datetime) -> str:
    """The signed link's token for one person at the body and one agreement."""
    return signer.sign(LINK_PURPOSE, {"a": agreement.id, "e": email}, now)


def invite(session: Session, agreement: DividendAgreement, signer: LinkSigner, now: datetime) -> None:
    """Email the body's signatory and verifier (once, when they are one person) their link."""
    people = {agreement.signatory_email: agreement.signatory_name}
    people.setdefault(agreement.verifier_email, agreement.verifier_name)
    for email, name in people.items():
        send_after_commit(
            session,
            Email(
                email,
                _t("Community dividend to sign: %(title)s", title=agreement.title),
                "dividends/invitation",
                {
                    "name": name,
                    "title": agreement.title,
                    "body": agreement.body.name,
                    "agreement_id": agreement.id,
                    "token": link_token(signer, agreement, email, now),
                    "signs": email == agreement.signatory_email,
                    "verifies": email == agreement.verifier_email,
                    "reach": reach(session, agreement.neighbourhood_id),
                },
            ),
        )


def person_of_link(
    signer: LinkSigner, agreement: DividendAgreement, token: str, now: datetime
) -> tuple[str, str]:
    """Who a body link is for, (email, name); Forbidden for a bad link, Conflict for another agreement's."""
    payload = signer.read(LINK_PURPOSE, token, max_age=LINK_MAX_AGE, now=now)
    if payload is None:
        raise Forbidden("This link is not valid, or it has expired.")
    if payload.get("a") != agreement.id:
        raise Conflict("This link is for another agreement: use the link you were sent for this one.")
    email = str(payload.get("e", ""))
    if email == agreement.signatory_email:
        return email, agreement.signatory_name
    if email == agreement.verifier_email:
        return email, agreement.verifier_name
    raise Forbidden("This link is for someone no longer named in this agreement.")
