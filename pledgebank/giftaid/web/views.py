"""A donor's pages: making a Gift Aid declaration, and reading and cancelling their declarations."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from pledgebank.giftaid import declarations
from pledgebank.giftaid.eligibility import Scope
from pledgebank.giftaid.gifts import pledge_gift_ref
from pledgebank.giftaid.web.blueprint import bp
from pledgebank.giftaid.web.forms import DeclarationForm
from pledgebank.giftaid.wording import as_text, declaration_words
from pledgebank.money_words import full
from pledgebank.neighbourhoods import services as neighbourhoods
from pledgebank.neighbourhoods.models import Neighbourhood
from pledgebank.policy import Action, require
from pledgebank.web.auth import signed_in_user_id
from pledgebank.web.forms import allowed_actions
from pledgebank.web.session import db_session, now, transaction
from pledgebank.web.submit import go_to, submit


def today():
    """The neighbourhood's calendar day."""
    return now().astimezone(ZoneInfo(current_app.config["TIMEZONE"])).date()


def _own_gift(neighbourhood: Neighbourhood, user_id: int) -> tuple[str, str] | None:
    """The donor's own pledge named by `?gift=` (its reference, its amount in words); 404 if not theirs."""
    raw = request.args.get("gift", "")
    if not raw:
        return None
    if not raw.isdecimal() or len(raw) > 18:
        abort(404)
    found = declarations.own_gift(
        db_session(), user_id=user_id, neighbourhood_id=neighbourhood.id, signup_id=int(raw)
    )
    if found is None:
        abort(404)
    signup, pledge = found
    return pledge_gift_ref(signup.id), full(signup.amount, pledge.currency, current_app.config["LOCALE"])


@bp.route("/n/<slug>/gift-aid/declare", methods=["GET", "POST"])
def declare(slug: str):
    """Make a Gift Aid declaration, in HMRC's model words."""
    session = db_session()
    neighbourhood = neighbourhoods.get_neighbourhood(session, slug)
    user_id = signed_in_user_id()
    require(session, user_id, neighbourhood.id, Action.PLEDGE)
    if declarations.charity_of(session, neighbourhood.id) is None:
        abort(404)
    gift = _own_gift(neighbourhood, user_id)
    scopes = [Scope.THIS_GIFT] if gift else []
    scopes += [Scope.FROM_TODAY, Scope.PAST_FOUR_YEARS]
    words = {
        scope: declaration_words(
            scope,
            charity=neighbourhood.name,
            amount=gift[1] if gift else "",
            locale=current_app.config["LOCALE"],
            _=_,
        )
        for scope in scopes
    }
    form = DeclarationForm()
    form.scope.choices = [SelectChoice(scope.value, words[scope][2]) for scope in scopes]
    if form.scope.data is None:
        form.scope.data = scopes[0].value

    def page(status: int):
        return render_template(
            "giftaid/declare.html",
            neighbourhood=neighbourhood,
            form=form,
            words=words[scopes[0]],
            allowed=allowed_actions(neighbourhood.id),
        ), status

    def work(session):
        scope = Scope(form.scope.data)
        donor = declarations.Donor(
            form.title.data or "",
            form.first_name.data or "",
            form.last_name.data or "",
            form.house.data or "",
            form.postcode.data or "",
        )
        return declarations.declare(
            session,
            user_id=user_id,
            neighbourhood=neighbourhood,
            scope=scope,
            donor=donor,
            wording=as_text(words[scope]),
            now=now(),
            today=today(),
            gift_ref=gift[0] if gift and scope == Scope.THIS_GIFT else None,
        ).id

    done = go_to(url_for("giftaid.mine", slug=slug), _("Thank you: your Gift Aid declaration is saved."))
    return submit(form, work, done=done, page=page)


@bp.get("/n/<slug>/gift-aid")
def mine(slug: str):
    """The donor's declarations to this neighbourhood, with a way to cancel each."""
    session = db_session()
    neighbourhood = neighbourhoods.get_neighbourhood(session, slug)
    user_id = signed_in_user_id()
    require(session, user_id, neighbourhood.id, Action.PLEDGE)
    charity = declarations.charity_of(session, neighbourhood.id)
    return render_template(
        "giftaid/mine.html",
        neighbourhood=neighbourhood,
        charity=charity,
        declarations=declarations.declarations_of(
            session, user_id=user_id, neighbourhood_id=neighbourhood.id
        ),
        allowed=allowed_actions(neighbourhood.id),
    )


@bp.post("/n/<slug>/gift-aid/<int:declaration_id>/cancel")
def cancel(slug: str, declaration_id: int):
    """Cancel one of the donor's declarations from today (a second cancellation is the app's 409 page)."""
    user_id = signed_in_user_id()
    with transaction() as session:
        neighbourhood = neighbourhoods.get_neighbourhood(session, slug)
        require(session, user_id, neighbourhood.id, Action.PLEDGE)
        declarations.cancel(session, user_id=user_id, declaration_id=declaration_id, now=now(), today=today())
    flash(_("Your declaration is cancelled: no gift from today on will be claimed under it."), "success")
    return redirect(url_for("giftaid.mine", slug=slug))
