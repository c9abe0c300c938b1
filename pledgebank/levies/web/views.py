"""Levy pages: a neighbourhood's levies, defining one, the levy page, approving, joining and leaving,
a resident's own charges and receipts, and asking for hardship help.

Saving cards is in card_views, paying in pay_views, the treasurer's and committee's tools in manage_views;
their routes belong to this same blueprint.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from wtforms.fields.choices import SelectChoice

from pledgebank.accounts.names import names_of
from pledgebank.clock import local_date
from pledgebank.errors import NotFound
from pledgebank.levies import consents, households, queries, services
from pledgebank.levies.charges import own_charge
from pledgebank.levies.models import Levy
from pledgebank.levies.states import TAKING_HOUSEHOLDS, LevyStatus
from pledgebank.levies.web.blueprint import bp
from pledgebank.levies.web.forms import JoinForm, LevyForm
from pledgebank.neighbourhoods import funds
from pledgebank.neighbourhoods import services as neighbourhoods
from pledgebank.neighbourhoods.models import Neighbourhood
from pledgebank.policy import Action, require
from pledgebank.web.auth import current_user_id, signed_in_user_id
from pledgebank.web.forms import allowed_actions
from pledgebank.web.session import db_session, now, transaction
from pledgebank.web.submit import submit


def zone() -> str:
    """The service's time zone."""
    return current_app.config["TIMEZONE"]


def levy_page(levy_id: int, status: int = 200, **forms):
    """Render the levy page (with a submitted form's errors in place)."""
    session, user_id = db_session(), current_user_id()
    levy = services.get_levy(session, levy_id)
    if not services.visible_to(session, levy, user_id):
        raise NotFound("There is no such levy.")
    neighbourhood = session.get_one(Neighbourhood, levy.neighbourhood_id)
    home = households.household_of(session, neighbourhood_id=neighbourhood.id, user_id=user_id)
    liability = (
        None if home is None else households.liability_of(session, levy_id=levy.id, household_id=home.id)
    )
    joined = liability is not None and liability.left_on is None
    allowed = allowed_actions(neighbourhood.id)
    context = {
        "levy": levy,
        "neighbourhood": neighbourhood,
        "fund": next((f for f in neighbourhood.funds if f.id == levy.fund_id), None),
        "bands": services.band_table(levy),
        "households": services.household_count(session, levy.id),
        "home": home,
        "liability": liability,
        "joined": joined,
        "charges": [] if home is None else queries.charges_of(session, home.id, levy_id=levy.id),
        "taking": levy.status in TAKING_HOUSEHOLDS,
        "allowed": allowed,
        "approvers": _approvers(session, levy),
        "approved_by_me": any(a.user_id == user_id for a in levy.approvals),
        # The household's address and band are known once it has joined any levy here.
        "join_form": forms.get("join_form")
        or JoinForm(formdata=None, address=home.address if home else None, band=home.band if home else None),
        "consent": None
        if home is None
        else consents.active_consent(session, levy_id=levy.id, household=home),
        "demo": current_app.config.get("DEMO", False),
        "now": now(),
    }
    return render_template("levies/show.html", **context), status


def _approvers(session, levy: Levy) -> list[str]:
    names = names_of(session, [a.user_id for a in levy.approvals])
    return [names.get(a.user_id, "") for a in levy.approvals]


@bp.get("/n/<slug>/levies")
def index(slug: str):
    """A neighbourhood's levies."""
    session = db_session()
    neighbourhood = neighbourhoods.get_neighbourhood(session, slug)
    levies = services.list_levies(session, neighbourhood_id=neighbourhood.id, user_id=current_user_id())
    return render_template(
        "levies/index.html",
        neighbourhood=neighbourhood,
        levies=[(levy, services.household_count(session, levy.id)) for levy in levies],
        allowed=allowed_actions(neighbourhood.id),
    )


@bp.route("/n/<slug>/levies/new", methods=["GET", "POST"])
@login_required
def create(slug: str):
    """Define a levy (committee); it charges nobody until the chair and another committee member approve."""
    session = db_session()
    neighbourhood = neighbourhoods.get_neighbourhood(session, slug)
    require(session, signed_in_user_id(), neighbourhood.id, Action.MANAGE_LEVIES)
    form = LevyForm(currency=neighbourhood.currency)
    form.fund.choices = [
        SelectChoice(f.slug, funds.fund_label(f))
        for f in funds.list_funds(session, neighbourhood_id=neighbourhood.id)
    ]
    if request.method == "GET":
        form.starts_on.data = local_date(now(), zone()).isoformat()

    def work(session):
        return services.create_levy(
            session,
            actor_id=current_user_id(),
            neighbourhood=neighbourhood,
            terms=_terms(form),
            retry_days=current_app.config["LEVY_RETRY_DAYS"],
            now=now(),
            zone=zone(),
        ).id

    def done(levy_id: int):
        flash(
            _("The levy is saved. It starts once the chair and another committee member approve it."),
            "success",
        )
        return redirect(url_for("levies.show", levy_id=levy_id))

    def page(status: int):
        return render_template(
            "levies/new.html",
            form=form,
            neighbourhood=neighbourhood,
            allowed=allowed_actions(neighbourhood.id),
        ), status

    return submit(form, work, done=done, page=page)


def _terms(form: LevyForm) -> services.LevyTerms:
    # The form refuses a levy without an amount or a start date.
    assert form.parsed["amount"] is not None and form.dates["starts_on"] is not None
    voluntary = bool(form.voluntary.data)
    return services.LevyTerms(
        fund_slug=form.fund.data,
        name=form.name.data,
        purpose=form.purpose.data,
        basis=form.basis.data,
        amount=form.parsed["amount"],
        period=form.period.data,
        starts_on=form.dates["starts_on"],
        ends_on=form.dates.get("ends_on"),
        voluntary=voluntary,
        threshold=form.parsed.get("threshold"),
        prorate=bool(form.prorate.data),
    )


@bp.get("/levies/<int:levy_id>")
def show(levy_id: int):
    """The levy page: what it charges, its status, your household's charges, and the tools."""
    return levy_page(levy_id)


@bp.post("/levies/<int:levy_id>/approve")
@login_required
def approve(levy_id: int):
    """Approve a levy (committee); with the chair's and another member's approval it is decided."""
    with transaction() as session:
        levy = services.approve_levy(
            session, actor_id=signed_in_user_id(), levy_id=levy_id, now=now(), zone=zone()
        )
        state = levy.status
    messages = {
        LevyStatus.DRAFT: _(
            "Your approval is recorded. The levy needs the chair and another committee member."
        ),
        LevyStatus.OPEN: _("The levy is approved. It starts once enough households have joined."),
        LevyStatus.ACTIVE: _("The levy is approved and has started."),
    }
    flash(messages[state], "success")
    return redirect(url_for("levies.show", levy_id=levy_id))


@bp.post("/levies/<int:levy_id>/join")
@login_required
def join(levy_id: int):
    """Join the levy for your household, with its address and council-tax band."""
    form = JoinForm()

    def work(session):
        joined = households.join_levy(
            session,
            actor_id=current_user_id(),
            levy_id=levy_id,
            address=form.address.data,
            band=form.band.data,
            now=now(),
            zone=zone(),
        )
        household = joined.household
        ask = (
            household.payment_method_id is not None
            and household.payer_id == current_user_id()
            and (consents.active_consent(session, levy_id=levy_id, household=household) is None)
        )
        return joined.created, ask

    def done(result: tuple[bool, bool]):
        created, ask_about_card = result
        if ask_about_card:
            # The household's card was saved for another levy: it pays this one only if they agree.
            flash(
                _("Your household has joined.")
                if created
                else _("Someone in your household has already joined."),
                "success",
            )
            return redirect(url_for("levies.use_card", levy_id=levy_id))
        flash(
            _(
                "Your household has joined. Save a card to pay each charge automatically, or pay the "
                "treasurer."
            )
            if created
            else _("Someone in your household has already joined: you share its charges."),
            "success",
        )
        return redirect(url_for("levies.show", levy_id=levy_id))

    return submit(
        form,
        work,
        done=done,
        page=lambda status: levy_page(levy_id, status, join_form=form),
        guard=lambda: require(
            db_session(), current_user_id(), _levy(levy_id).neighbourhood_id, Action.JOIN_LEVY
        ),
    )


def _levy(levy_id: int) -> Levy:
    return services.get_levy(db_session(), levy_id)


@bp.post("/levies/<int:levy_id>/leave")
@login_required
def leave(levy_id: int):
    """Leave a voluntary levy: no new charges; anything owed is still owed."""
    with transaction() as session:
        households.leave_levy(session, actor_id=signed_in_user_id(), levy_id=levy_id, now=now(), zone=zone())
    flash(_("Your household has left the levy. Nothing new is charged; anything owed is still owed."), "info")
    return redirect(url_for("levies.show", levy_id=levy_id))


@bp.get("/n/<slug>/levies/mine")
@login_required
def mine(slug: str):
    """Your household's charges in every levy here, with receipts."""
    session = db_session()
    neighbourhood = neighbourhoods.get_neighbourhood(session, slug)
    home = households.household_of(session, neighbourhood_id=neighbourhood.id, user_id=current_user_id())
    charges = [] if home is None else queries.charges_of(session, home.id)
    return render_template(
        "levies/mine.html",
        neighbourhood=neighbourhood,
        home=home,
        charges=charges,
        allowed=allowed_actions(neighbourhood.id),
    )


@bp.get("/levies/charges/<int:charge_id>/receipt")
@login_required
def receipt(charge_id: int):
    """The receipt of a paid charge, with its place in the ledger."""
    session = db_session()
    charge = own_charge(session, charge_id, current_user_id())
    if charge.paid_at is None:
        raise NotFound("This charge is not paid, so there is no receipt yet.")
    return render_template(
        "levies/receipt.html",
        charge=charge,
        levy=charge.levy,
        neighbourhood=session.get(Neighbourhood, charge.levy.neighbourhood_id),
        transaction=queries.settlement_of(session, charge),
    )
