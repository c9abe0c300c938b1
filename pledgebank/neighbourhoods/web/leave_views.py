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
    place = neighbourhood.name
    sentences = [
        _(
            "You will no longer be a member of %(place)s: you will not be able to pledge, join a levy or "
            "apply "
            "for a grant here, and any committee or treasurer role you hold ends.",
            place=place,
        )
    ]
    if levies:
        assert household is not None, "levies are found through the household, so there is one"
        sentences.append(
            _(
                "Leaving does not take your household at %(address)s out of its levies (%(levies)s): their "
                "charges are still raised every period and stay owed. To stop paying a voluntary levy, leave "
                "it on its own page first; for any other levy, speak to the treasurer.",
                address=household.address,
                levies=", ".join(levy.name for levy in levies),
            )
        )
    given = consents.consents_of_user(session, neighbourhood_id=neighbourhood.id, user_id=user_id)
    if given:
        endings = sorted({consent.card_last4 for _levy, consent in given if consent.card_last4})
        cards = [_("card ending %(last4)s", last4=last4) for last4 in endings]
        sentences.append(
            _(
                "Your permission for the %(card)s to pay %(levies)s ends when you leave: nothing more is "
                "taken "
                "from it for those levies. Their charges stay owed by your household; someone still living "
                "there can save a card, or pay the treasurer.",
                card=_(" and the ").join(cards) if cards else _("saved card"),
                levies=", ".join(levy.name for levy, _consent in given),
            )
        )
    elif household is not None and household.payment_method_id and household.payer_id == user_id:
        last4 = household.card_last4
        sentences.append(
            _(
                "Your saved card ending %(last4)s pays no levy here, so nothing is taken from it after you "
                "leave.",
                last4=last4,
            )
            if last4
            else _("Your saved card pays no levy here, so nothing is taken from it after you leave.")
        )
    if not levies:
        sentences.append(_("Your household is in no levy here, so nothing will be charged after you leave."))
    return confirm_page(
        title=_("Leave %(place)s?", place=place),
        consequences=sentences,
        action=url_for("neighbourhoods.leave", slug=slug),
        button=_("Yes, leave %(place)s", place=place),
        back=url_for("neighbourhoods.show", slug=slug),
        back_label=_("No, stay a member"),
    )
