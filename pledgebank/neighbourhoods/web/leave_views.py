"""Leaving a neighbourhood, after a confirm step that says what happens to the household's levies and card:
the levies carry on for the household, and the leaver's consents for its card to pay them end."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import login_required

from pledgebank.levies import consents
from pledgebank.levies.queries import household_levies
from pledgebank.neighbourhoods import roles, services
from pledgebank.neighbourhoods.web.blueprint import bp
from pledgebank.policy import Action, require
from pledgebank.web.auth import signed_in_user_id
from pledgebank.web.confirm import ConfirmForm, confirm_page
from pledgebank.web.session import db_session, now, transaction


@bp.post("/n/<slug>/leave")
@login_required
def leave(slug: str):
    """Leave the neighbourhood, once the member has read what happens to their levies and card."""
    if not ConfirmForm().confirmed:
        return _confirm_leave(slug)
    with transaction() as session:
        neighbourhood = services.get_neighbourhood(session, slug)
        roles.remove_member(
            session,
            actor_id=signed_in_user_id(),
            neighbourhood=neighbourhood,
            user_id=signed_in_user_id(),
            now=now(),
        )
        # The permissions they gave for the household's card to pay levies here end with their membership.
        consents.end_for_user(
            session, neighbourhood_id=neighbourhood.id, user_id=signed_in_user_id(), now=now(), because="left"
        )
    flash(_("You have left %(place)s.", place=neighbourhood.name), "info")
    return redirect(url_for("neighbourhoods.show", slug=slug))


def _confirm_leave(slug: str):
    session, user_id = db_session(), signed_in_user_id()
    neighbourhood = services.get_neighbourhood(session, slug)
    require(session, user_id, neighbourhood.id, Action.LEAVE)
    roles.check_leaving(session, neighbourhood=neighbourhood, user_id=user_id)
    household, levies = household_levies(session, neighbourhood_id=neighbourhood.id, user_id=user_id)
    sentences = [
        f"You will no longer be a member of {neighbourhood.name}: you will not be able to pledge, join a "
        "levy or apply for a grant here, and any committee or treasurer role you hold ends."
    ]
    if levies:
        assert household is not None, "levies are found through the household, so there is one"
        names = ", ".join(levy.name for levy in levies)
        sentences.append(
            f"Leaving does not take your household at {household.address} out of its levies ({names}): "
            "their charges are still raised every period and stay owed. To stop paying a voluntary levy, "
            "leave it on its own page first; for any other levy, speak to the treasurer."
        )
    given = consents.consents_of_user(session, neighbourhood_id=neighbourhood.id, user_id=user_id)
    if given:
        names = ", ".join(levy.name for levy, _ in given)
        cards = sorted({f"card ending {consent.card_last4}" for _, consent in given if consent.card_last4})
        card = " and the ".join(cards) if cards else "saved card"
        sentences.append(
            f"Your permission for the {card} to pay {names} ends when you leave: nothing more is taken from "
            "it for those levies. Their charges stay owed by your household; someone still living there can "
            "save a card, or pay the treasurer."
        )
    elif household is not None and household.payment_method_id and household.payer_id == user_id:
        card = f"card ending {household.card_last4}" if household.card_last4 else "card"
        sentences.append(f"Your saved {card} pays no levy here, so nothing is taken from it after you leave.")
    if not levies:
        sentences.append("Your household is in no levy here, so nothing will be charged after you leave.")
    return confirm_page(
        title=f"Leave {neighbourhood.name}?",
        consequences=sentences,
        action=url_for("neighbourhoods.leave", slug=slug),
        button=f"Yes, leave {neighbourhood.name}",
        back=url_for("neighbourhoods.show", slug=slug),
        back_label="No, stay a member",
    )
