"""Pledge pages: a neighbourhood's pledges, starting one, the pledge page, pledging and withdrawing.

The committee's and treasurer's tools are in manage_views, saving cards in card_views and fixing payments
in fix_views; their routes belong to this same blueprint.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from wtforms.validators import ValidationError

from pledgebank.accounts.names import names_of
from pledgebank.config import demo_enabled
from pledgebank.errors import Forbidden, InvalidInput, NotAuthenticated, NotFound
from pledgebank.giftaid.declarations import charity_of
from pledgebank.jobs import run_due
from pledgebank.neighbourhoods import services as neighbourhoods
from pledgebank.neighbourhoods.models import Neighbourhood
from pledgebank.pledges import funding, queries, services, signers, signups, standing
from pledgebank.pledges.services import PledgeTerms
from pledgebank.pledges.states import ACTIVE, PledgeStatus, SignupStatus
from pledgebank.pledges.web.blueprint import bp
from pledgebank.pledges.web.forms import CancelForm, OfferForm, PledgeForm, SignForm, UpdateForm
from pledgebank.pledges.web.social_forms import SignerForm
from pledgebank.policy import Action, is_officer_anywhere, require
from pledgebank.text import _t
from pledgebank.web.auth import current_user_id, signed_in_user_id
from pledgebank.web.confirm import ConfirmForm, confirm_page
from pledgebank.web.fields import form_money
from pledgebank.web.filters import short_money
from pledgebank.web.forms import allowed_actions, safe_next
from pledgebank.web.session import db_session, now, this_app, transaction
from pledgebank.web.submit import submit

DEMO_STEPS = {1: _l("1 hour"), 24: _l("1 day"), 72: _l("3 days")}


def gateway():
    """The card gateway the app was built with."""
    return current_app.extensions["pledgebank.gateway"]


def sign_methods(pledge) -> list[str]:
    """The ways of paying this pledge offers here."""
    return [m for m, ok in (("card", gateway().available), ("cash", pledge.allow_cash)) if ok]


def new_sign_form(pledge, formdata=None) -> SignForm:
    """The pledge form, offering only the ways of paying that work for this pledge."""
    form = SignForm(formdata=formdata)
    methods = sign_methods(pledge)
    form.method.choices = [c for c in form.method.choices if c.value in methods]
    if formdata is None and len(methods) == 1:
        form.method.data = methods[0]
    return form


def pledge_page(pledge_id: int, status: int = 200, **forms):
    """Render the pledge page (with any submitted form's errors in place)."""
    session, user_id = db_session(), current_user_id()
    pledge = services.get_pledge(session, pledge_id)
    if not services.visible_to(session, pledge, user_id):
        raise NotFound("There is no such pledge.")
    neighbourhood = session.get_one(Neighbourhood, pledge.neighbourhood_id)
    allowed = allowed_actions(neighbourhood.id)
    mine = signups.signup_of(session, pledge_id=pledge.id, user_id=user_id)
    moment = now()
    taking = pledge.status in signups.OPEN_FOR_SIGNING and moment < pledge.deadline
    updates = list(pledge.updates)
    authors = names_of(session, [u.author_id for u in updates])
    context = {
        "pledge": pledge,
        "neighbourhood": neighbourhood,
        "fund": next((f for f in neighbourhood.funds if f.id == pledge.fund_id), None),
        "progress": services.progress(session, pledge),
        "standing": standing.standing(session, pledge),
        "mine": mine,
        "active": mine is not None and mine.status in ACTIVE,
        "can_withdraw": mine is not None
        and mine.status in ACTIVE
        and pledge.status in (PledgeStatus.DRAFT, PledgeStatus.OPEN),
        "taking": taking,
        "methods": sign_methods(pledge),
        "allowed": allowed,
        # A charity's pledger may add Gift Aid to their pledge (a follow-on page, HMRC's model words).
        "charity": charity_of(session, neighbourhood.id) is not None,
        "can_update": user_id is not None and (user_id == pledge.creator_id or allowed["manage_pledges"]),
        "updates": [(u, authors.get(u.author_id, "")) for u in updates],
        "cash_waiting": queries.cash_waiting(session, pledge.id) if allowed["record_payment"] else [],
        "now": moment,
        "demo": current_app.config.get("DEMO", False),
        "demo_steps": DEMO_STEPS,
        "sign_form": forms.get("sign_form") or new_sign_form(pledge),
        "cancel_form": forms.get("cancel_form") or CancelForm(formdata=None),
        "update_form": forms.get("update_form") or UpdateForm(formdata=None),
        "offer_form": forms.get("offer_form") or OfferForm(formdata=None),
    }
    return render_template("pledges/show.html", **context), status


@bp.get("/n/<slug>/pledges")
def index(slug: str):
    """A neighbourhood's pledges, with their progress."""
    session = db_session()
    neighbourhood = neighbourhoods.get_neighbourhood(session, slug)
    pledges = services.list_pledges(session, neighbourhood_id=neighbourhood.id, user_id=current_user_id())
    return render_template(
        "pledges/index.html",
        neighbourhood=neighbourhood,
        pledges=[(p, standing.listed(session, p)) for p in pledges],
        allowed=allowed_actions(neighbourhood.id),
        now=now(),
    )


@bp.route("/n/<slug>/pledges/new", methods=["GET", "POST"])
@login_required
def create(slug: str):
    """Start a pledge (members); it waits for the committee when the neighbourhood asks for approval."""
    session = db_session()
    neighbourhood = neighbourhoods.get_neighbourhood(session, slug)
    require(session, signed_in_user_id(), neighbourhood.id, Action.CREATE_PLEDGE)
    zone = current_app.config["TIMEZONE"]
    form = PledgeForm(currency=neighbourhood.currency, zone=zone)
    form.offer_funds(
        funding.funds_to_offer(session, actor_id=signed_in_user_id(), neighbourhood_id=neighbourhood.id)
    )
    if request.method == "GET":
        local = now().astimezone(ZoneInfo(zone)) + timedelta(days=14)
        form.deadline.data, form.deadline_time.data = local.date().isoformat(), "18:00"
        form.allow_cash.data = neighbourhood.allow_cash_pledges

    def work(session):
        return services.create_pledge(
            session,
            actor_id=current_user_id(),
            neighbourhood=neighbourhood,
            terms=_terms(form, neighbourhood),
            now=now(),
        )

    def done(pledge):
        if pledge.status == PledgeStatus.DRAFT:
            flash(
                gettext("Your pledge is saved. The committee must approve it before anyone can pledge."),
                "info",
            )
        else:
            flash(gettext("Your pledge is open: share this page with your neighbours."), "success")
        return redirect(url_for("pledges.show", pledge_id=pledge.id))

    def page(status: int):
        return render_template(
            "pledges/new.html",
            form=form,
            neighbourhood=neighbourhood,
            allowed=allowed_actions(neighbourhood.id),
        ), status

    return submit(form, work, done=done, page=page)


def _terms(form: PledgeForm, neighbourhood: Neighbourhood) -> PledgeTerms:
    """The terms as entered (a pledge of money always has an amount here: the form refuses it blank)."""
    return PledgeTerms(
        kind=form.kind.data,
        next_steps=form.next_steps.data or "",
        fund_slug=form.fund_slug,
        title=form.title.data,
        action=form.action.data or "",
        description=form.description.data,
        amount_kind=form.amount_kind.data,
        amount=form.parsed.get("amount") or 0,
        target_pledgers=form.parsed.get("target_pledgers"),
        target_amount=form.parsed.get("target_amount"),
        deadline=form.deadline_utc or now(),
        cap=form.parsed.get("cap"),
        allow_cash=bool(form.allow_cash.data) and neighbourhood.allow_cash_pledges,
    )


@bp.get("/p/<int:pledge_id>")
def show(pledge_id: int):
    """The pledge page: the rule in words, progress, your pledge, updates, offers and the tools."""
    return pledge_page(pledge_id)


@bp.post("/p/<int:pledge_id>/pledge")
@login_required
def sign(pledge_id: int):
    """Pledge: by card (saved next) or in cash (counted once the treasurer has it)."""
    pledge = services.get_pledge(db_session(), pledge_id)
    if pledge.of_time:
        return _sign_time(pledge_id)
    form = new_sign_form(pledge, request.form)

    def work(session):
        signup = signups.sign(
            session,
            actor_id=current_user_id(),
            pledge=services.get_pledge(session, pledge_id),
            amount=_amount_chosen(form, pledge),
            method=form.method.data,
            card_payments=gateway().available,
            now=now(),
        )
        signers.choose(signup, form.shown_as.data or "hidden")
        return signup.method, signup.amount

    def done(signed):
        method, value = signed
        if method == "card":
            return redirect(url_for("pledges.card", pledge_id=pledge_id))
        flash(
            gettext(
                "Thank you: you have pledged %(value)s in cash. Please give it to the treasurer; it counts "
                "once they have recorded it.",
                value=short_money(value, pledge.currency),
            ),
            "success",
        )
        return redirect(url_for("pledges.show", pledge_id=pledge_id))

    return submit(form, work, done=done, page=lambda status: pledge_page(pledge_id, status, sign_form=form))


def _sign_time(pledge_id: int):
    """Sign up to a pledge of time: one button (and how to appear among the signers), no money."""
    form = SignerForm(request.form)

    def work(session):
        signup = signups.sign(
            session,
            actor_id=signed_in_user_id(),
            pledge=services.get_pledge(session, pledge_id),
            amount=None,
            method="time",
            card_payments=False,
            now=now(),
        )
        signers.choose(signup, form.shown_as.data or "hidden")
        return services.get_pledge(session, pledge_id).status == PledgeStatus.SUCCEEDED

    return submit(
        form,
        work,
        done=lambda succeeded: _signed_up(pledge_id, succeeded),
        page=lambda status: pledge_page(pledge_id, status, sign_form=form),
    )


def _signed_up(pledge_id: int, succeeded: bool):
    flash(
        gettext(
            "Thank you: you have signed up. It is going ahead: what happens next is below, and in your email."
        )
        if succeeded
        else gettext(
            "Thank you: you have signed up. If enough neighbours sign up, we will email you what happens "
            "next."
        ),
        "success",
    )
    return redirect(url_for("pledges.show", pledge_id=pledge_id))


def _amount_chosen(form: SignForm, pledge) -> int | None:
    """The pledger's own amount on a pledge of a minimum amount (None on a fixed one)."""
    if pledge.amount_kind != "minimum":
        return None
    try:
        amount = form_money(form.amount.data, pledge.currency, what=_t("your amount"))
    except ValidationError as error:
        raise InvalidInput.field("amount", str(error)) from None
    if amount is None:
        least = short_money(pledge.amount, pledge.currency)
        raise InvalidInput.field("amount", gettext("Enter your amount: at least %(least)s.", least=least))
    return amount


@bp.post("/p/<int:pledge_id>/withdraw")
@login_required
def withdraw(pledge_id: int):
    """Withdraw your pledge before the pledge activates, once the pledger has confirmed it."""
    page = None if ConfirmForm().confirmed else _confirm_withdraw(pledge_id)
    if page is not None:
        return page
    with transaction() as session:
        signup = signups.withdraw(
            session,
            actor_id=signed_in_user_id(),
            pledge=services.get_pledge(session, pledge_id),
            now=now(),
            zone=current_app.config["TIMEZONE"],
        )
        returned = signup.status == SignupStatus.CASH_RETURNED
    flash(
        gettext("Your pledge is withdrawn. The treasurer will give your money back.")
        if returned
        else gettext("Your pledge is withdrawn. Nothing has been taken."),
        "info",
    )
    return redirect(url_for("pledges.show", pledge_id=pledge_id))


def _confirm_withdraw(pledge_id: int):
    """The confirm step; None when there is nothing to withdraw (the service then says why)."""
    session, user_id = db_session(), current_user_id()
    pledge = services.get_pledge(session, pledge_id)
    mine = signups.signup_of(session, pledge_id=pledge.id, user_id=user_id)
    if mine is None or mine.status not in ACTIVE or pledge.status not in signups.OPEN_FOR_WITHDRAWING:
        return None
    if pledge.of_time:
        return confirm_page(
            title=gettext("Withdraw?"),
            consequences=[
                gettext("You will no longer be signed up to “%(title)s”.", title=pledge.title),
                gettext("You can sign up again while the pledge is open."),
            ],
            action=url_for("pledges.withdraw", pledge_id=pledge_id),
            button=gettext("Yes, withdraw"),
            back=url_for("pledges.show", pledge_id=pledge_id),
            back_label=gettext("No, stay signed up"),
        )
    amount = short_money(mine.amount, pledge.currency)
    if mine.status == SignupStatus.CASH_RECEIVED:
        money = gettext("The treasurer will give you back the %(amount)s you paid.", amount=amount)
    elif mine.method == "cash":
        money = gettext("The treasurer has not recorded any money from you, so nothing is owed either way.")
    else:
        money = gettext("Nothing has been taken from your card, and nothing will be.")
    return confirm_page(
        title=gettext("Withdraw your pledge?"),
        consequences=[
            gettext(
                "Your pledge of %(amount)s to “%(title)s” will be withdrawn and will no longer count "
                "towards the target.",
                amount=amount,
                title=pledge.title,
            ),
            money,
            gettext("You can pledge again while the pledge is open."),
        ],
        action=url_for("pledges.withdraw", pledge_id=pledge_id),
        button=gettext("Yes, withdraw my pledge"),
        back=url_for("pledges.show", pledge_id=pledge_id),
        back_label=gettext("No, keep my pledge"),
    )


@bp.post("/demo/advance")
def demo_advance():
    """Demo mode only: move the service's clock forward and run the work that falls due (officers only, so
    a passing visitor cannot move everyone's time)."""
    if not demo_enabled(current_app.config):
        raise NotFound()
    if current_user_id() is None:
        raise NotAuthenticated()
    if not is_officer_anywhere(db_session(), current_user_id()):
        raise Forbidden("Only a committee member, treasurer or chair can move the demo's clock.")
    hours = request.form.get("hours", type=int)
    if hours not in DEMO_STEPS:
        raise InvalidInput.field("hours", gettext("Choose 1 hour, 1 day or 3 days."))
    db_session().commit()  # end this request's reads before the jobs take their own transactions
    app = this_app()
    app.extensions["pledgebank.clock"].advance(timedelta(hours=hours))
    done = run_due(app)
    summary = "; ".join(f"{what}: {count}" for what, count in sorted(done.items())) or "nothing fell due"
    flash(
        gettext("The clock moved forward %(value)s (%(summary)s).", value=DEMO_STEPS[hours], summary=summary),
        "info",
    )
    return redirect(safe_next(request.form.get("next"), url_for("main.home")))


@bp.app_template_global("may_move_demo_clock")
def may_move_demo_clock() -> bool:
    """Whether the signed-in user sees the demo's clock buttons (in demo mode, officers only)."""
    return demo_enabled(current_app.config) and is_officer_anywhere(db_session(), current_user_id())


@bp.app_template_global("your_pledges")
def your_pledges() -> list:
    """The signed-in user's pledges with their signups (for the account page)."""
    user_id = current_user_id()
    return [] if user_id is None else queries.pledges_of_user(db_session(), user_id)
