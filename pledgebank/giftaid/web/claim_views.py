"""The treasurer's Gift Aid pages: the HMRC reference, claims, a claim's schedule and its payment."""

from __future__ import annotations

from flask import Response, render_template, request, url_for
from flask_babel import gettext as _

from pledgebank.giftaid import benefits, claims, declarations
from pledgebank.giftaid.schedule import MEDIA_TYPE, schedule_ods, schedule_rows
from pledgebank.giftaid.web.blueprint import bp
from pledgebank.giftaid.web.forms import BenefitForm, CharityForm, ClaimForm, PaymentForm
from pledgebank.giftaid.web.views import today
from pledgebank.neighbourhoods import services as neighbourhoods
from pledgebank.neighbourhoods.models import Neighbourhood
from pledgebank.pledges.services import get_pledge
from pledgebank.policy import Action, require
from pledgebank.web.auth import signed_in_user_id
from pledgebank.web.forms import allowed_actions
from pledgebank.web.session import db_session, now
from pledgebank.web.submit import go_to, submit


def _treasurer(slug: str):
    session = db_session()
    neighbourhood = neighbourhoods.get_neighbourhood(session, slug)
    user_id = signed_in_user_id()
    require(session, user_id, neighbourhood.id, Action.RECORD_MONEY)
    return session, neighbourhood, user_id


@bp.route("/n/<slug>/gift-aid/charity", methods=["GET", "POST"])
def charity(slug: str):
    """Record the neighbourhood's HMRC charity reference, which lets donors declare Gift Aid."""
    session, neighbourhood, user_id = _treasurer(slug)
    found = declarations.charity_of(session, neighbourhood.id)
    form = CharityForm(data={"hmrc_reference": found.hmrc_reference} if found else None)

    def page(status: int):
        return render_template(
            "giftaid/charity.html",
            neighbourhood=neighbourhood,
            form=form,
            allowed=allowed_actions(neighbourhood.id),
        ), status

    def work(session):
        return declarations.set_charity_reference(
            session,
            actor_id=user_id,
            neighbourhood=neighbourhood,
            reference=form.hmrc_reference.data or "",
            now=now(),
        ).id

    done = go_to(url_for("giftaid.claims_page", slug=slug), _("The HMRC charity reference is saved."))
    return submit(form, work, done=done, page=page)


@bp.route("/n/<slug>/gift-aid/claims", methods=["GET", "POST"])
def claims_page(slug: str):
    """The claims made, and a new claim for a period (the period's gifts shown, each with its verdict)."""
    session, neighbourhood, user_id = _treasurer(slug)
    form = ClaimForm()
    preview = ClaimForm(formdata=request.args if request.method == "GET" and request.args else None)
    if request.method == "GET" and request.args:
        preview.validate()

    def page(status: int):
        chosen = form if form.is_submitted() else preview
        found = []
        start, end = chosen.parsed.get("start"), chosen.parsed.get("end")
        if start and end and start <= end:
            found = claims.candidates(session, neighbourhood_id=neighbourhood.id, start=start, end=end)
        return render_template(
            "giftaid/claims.html",
            neighbourhood=neighbourhood,
            charity=declarations.charity_of(session, neighbourhood.id),
            form=chosen,
            claims=claims.claims_of(session, neighbourhood_id=neighbourhood.id),
            candidates=found,
            allowed=allowed_actions(neighbourhood.id),
        ), status

    def work(session):
        return claims.make_claim(
            session,
            actor_id=user_id,
            neighbourhood=neighbourhood,
            start=form.parsed.get("start"),
            end=form.parsed.get("end"),
            now=now(),
            today=today(),
            gift_refs=list(form.gifts.data) if form.gifts.data else None,
        ).id

    def done(claim_id: int):
        return go_to(
            url_for("giftaid.claim", slug=slug, claim_id=claim_id),
            _("The claim is made: download its schedule for HMRC."),
        )(claim_id)

    return submit(form, work, done=done, page=page)


@bp.route("/n/<slug>/gift-aid/claims/<int:claim_id>", methods=["GET", "POST"])
def claim(slug: str, claim_id: int):
    """One claim: its gifts, its schedule, and HMRC's payment when it arrives."""
    session, neighbourhood, user_id = _treasurer(slug)
    found = claims.claim_of(session, neighbourhood_id=neighbourhood.id, claim_id=claim_id)
    form = PaymentForm()

    def page(status: int):
        return render_template(
            "giftaid/claim.html",
            neighbourhood=neighbourhood,
            claim=found,
            rows=schedule_rows(session, found),
            form=form,
            allowed=allowed_actions(neighbourhood.id),
        ), status

    def work(session):
        return claims.record_payment(
            session,
            actor_id=user_id,
            neighbourhood=neighbourhood,
            claim_id=claim_id,
            paid_on=form.parsed.get("paid_on"),
            now=now(),
            today=today(),
        ).id

    done = go_to(
        url_for("giftaid.claim", slug=slug, claim_id=claim_id), _("HMRC's payment of the claim is recorded.")
    )
    return submit(form, work, done=done, page=page)


@bp.get("/n/<slug>/gift-aid/claims/<int:claim_id>/schedule.ods")
def schedule(slug: str, claim_id: int):
    """The claim's gifts as HMRC's Gift Aid schedule spreadsheet."""
    session, neighbourhood, _user_id = _treasurer(slug)
    found = claims.claim_of(session, neighbourhood_id=neighbourhood.id, claim_id=claim_id)
    period = f"{found.period_start:%Y-%m-%d}-{found.period_end:%Y-%m-%d}"
    name = f"gift-aid-schedule-{neighbourhood.slug}-{period}.ods"
    return Response(
        schedule_ods(schedule_rows(session, found)),
        mimetype=MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/p/<int:pledge_id>/gift-aid-benefit", methods=["GET", "POST"])
def benefit(pledge_id: int):
    """The committee values what each pledger of a pledge receives, so Gift Aid stays within HMRC's limits."""
    session = db_session()
    pledge = get_pledge(session, pledge_id)
    user_id = signed_in_user_id()
    require(session, user_id, pledge.neighbourhood_id, Action.MANAGE_PLEDGES)
    neighbourhood = session.get_one(Neighbourhood, pledge.neighbourhood_id)
    form = BenefitForm(currency=pledge.currency)

    def page(status: int):
        return render_template(
            "giftaid/benefit.html",
            neighbourhood=neighbourhood,
            pledge=pledge,
            form=form,
            allowed=allowed_actions(neighbourhood.id),
        ), status

    def work(session):
        return benefits.set_benefit(
            session,
            actor_id=user_id,
            pledge=pledge,
            value=form.parsed.get("value") or 0,
            description=form.description.data or "",
            now=now(),
        ).id

    done = go_to(
        url_for("pledges.show", pledge_id=pledge_id), _("The value of what pledgers receive is saved.")
    )
    return submit(form, work, done=done, page=page)
