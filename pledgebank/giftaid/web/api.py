"""API: a donor's Gift Aid declaration, and the treasurer's claims."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_smorest import Blueprint

from pledgebank.api.auth import api_user_id
from pledgebank.errors import InvalidInput
from pledgebank.giftaid import claims, declarations
from pledgebank.giftaid.eligibility import Scope
from pledgebank.giftaid.gifts import pledge_gift_ref
from pledgebank.giftaid.web.schemas import (
    ClaimCreateSchema,
    ClaimSchema,
    DeclarationCreateSchema,
    DeclarationSchema,
)
from pledgebank.giftaid.web.views import today
from pledgebank.giftaid.wording import as_text, declaration_words
from pledgebank.money_words import full
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.policy import Action, require
from pledgebank.text import _t
from pledgebank.web.session import now, transaction

blp = Blueprint(
    "giftaid_api",
    __name__,
    url_prefix="/api/v1/neighbourhoods/<slug>/gift-aid",
    description="Gift Aid: donors' declarations and the treasurer's claims to HMRC",
)


@blp.post("/declarations")
@blp.arguments(DeclarationCreateSchema)
@blp.response(201, DeclarationSchema)
@blp.doc(security=[{"bearerAuth": []}])
def declare(data: dict[str, Any], slug: str):
    """Make a Gift Aid declaration in HMRC's model words (stored with the words and their SHA-256)."""
    user_id = api_user_id(write=True)
    scope = Scope(data["scope"])
    with transaction() as session:
        neighbourhood = get_neighbourhood(session, slug)
        require(session, user_id, neighbourhood.id, Action.PLEDGE)
        gift_ref, amount = None, ""
        if scope == Scope.THIS_GIFT:
            found = declarations.own_gift(
                session, user_id=user_id, neighbourhood_id=neighbourhood.id, signup_id=data.get("gift") or 0
            )
            if found is None:
                raise InvalidInput.field(
                    "gift", _t("Name one of your own pledges here for a this-gift declaration.")
                )
            signup, pledge = found
            gift_ref, amount = (
                pledge_gift_ref(signup.id),
                full(signup.amount, pledge.currency, current_app.config["LOCALE"]),
            )
        words = declaration_words(
            scope, charity=neighbourhood.name, amount=amount, locale=current_app.config["LOCALE"], _=_
        )
        donor = declarations.Donor(
            data["title"], data["first_name"], data["last_name"], data["house"], data["postcode"]
        )
        return declarations.declare(
            session,
            user_id=user_id,
            neighbourhood=neighbourhood,
            scope=scope,
            donor=donor,
            wording=as_text(words),
            now=now(),
            today=today(),
            gift_ref=gift_ref,
        )


@blp.post("/claims")
@blp.arguments(ClaimCreateSchema)
@blp.response(201, ClaimSchema)
@blp.doc(security=[{"bearerAuth": []}])
def make_claim(data: dict[str, Any], slug: str):
    """Claim a period's eligible gifts not claimed before (or the gifts named, each once)."""
    user_id = api_user_id(write=True)
    with transaction() as session:
        neighbourhood = get_neighbourhood(session, slug)
        require(session, user_id, neighbourhood.id, Action.RECORD_MONEY)
        return claims.make_claim(
            session,
            actor_id=user_id,
            neighbourhood=neighbourhood,
            start=data["period_start"],
            end=data["period_end"],
            now=now(),
            today=today(),
            gift_refs=data.get("gifts"),
        )
