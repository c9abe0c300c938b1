"""Grant pages: a neighbourhood's grants (funds' money, rounds, awards), opening a round, a round's page,
applying, and the application page with its applicant's tools.

The committee's, treasurer's and grantee's tools on an application are in manage_views; their routes belong
to this same blueprint, and the page itself is built by application_page in pages.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from wtforms.fields.choices import SelectChoice

from pledgebank import money_words
from pledgebank.accounts.names import names_of
from pledgebank.grants import access, applications, funds, queries, rounds
from pledgebank.grants.applications import ApplicationTerms
from pledgebank.grants.rounds import RoundTerms
from pledgebank.grants.web.blueprint import bp
from pledgebank.grants.web.forms import ApplicationForm, RoundForm
from pledgebank.grants.web.pages import application_page
from pledgebank.neighbourhoods import funds as neighbourhood_funds
from pledgebank.neighbourhoods import services as neighbourhoods
from pledgebank.neighbourhoods.models import Neighbourhood
from pledgebank.policy import Action, require
from pledgebank.web.auth import current_user_id, signed_in_user_id
from pledgebank.web.forms import allowed_actions
from pledgebank.web.session import db_session, now, transaction
from pledgebank.web.submit import go_to
from pledgebank.web.submit import submit as submit_form  # this module has a route named submit


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def _midnight(day: date) -> datetime:
    """The start of a local day, in UTC."""
    return datetime.combine(day, time(0), tzinfo=_zone()).astimezone(UTC)


@bp.get("/n/<slug>/grants")
def index(slug: str):
    """A neighbourhood's grants: each fund's money, the rounds, your applications, and the awards made."""
    session, user_id = db_session(), current_user_id()
    neighbourhood = neighbourhoods.get_neighbourhood(session, slug)
    all_rounds = rounds.list_rounds(session, neighbourhood_id=neighbourhood.id)
    return render_template(
        "grants/index.html",
        neighbourhood=neighbourhood,
        allowed=allowed_actions(neighbourhood.id),
        money=funds.fund_money(session, neighbourhood.id),
        rounds=[(r, rounds.remaining(session, r)) for r in all_rounds],
        mine=[
            a
            for a in applications.list_applications(
                session, neighbourhood_id=neighbourhood.id, user_id=user_id
            )
            if a.applicant_id == user_id
        ],
        awards=queries.public_awards(session, neighbourhood_id=neighbourhood.id),
        now=now(),
    )


@bp.route("/n/<slug>/grants/rounds/new", methods=["GET", "POST"])
@login_required
def new_round(slug: str):
    """Open a grant round (committee)."""
    session = db_session()
    neighbourhood = neighbourhoods.get_neighbourhood(session, slug)
    require(session, signed_in_user_id(), neighbourhood.id, Action.MANAGE_GRANT_ROUNDS)
    form = RoundForm(currency=neighbourhood.currency)
    form.fund.choices = [
        SelectChoice(f.slug, f.name)
        for f in neighbourhood_funds.list_funds(session, neighbourhood_id=neighbourhood.id)
        if f.can_fund_grants
    ]
    if request.method == "GET":
        today = now().astimezone(_zone()).date()
        form.opens_on.data, form.closes_on.data = today.isoformat(), (today + timedelta(days=28)).isoformat()

    def work(session):
        return rounds.create_round(
            session,
            actor_id=current_user_id(),
            neighbourhood=neighbourhood,
            terms=_round_terms(form),
            now=now(),
        ).id

    def done(round_id: int):
        flash(_("The round is open for applications."), "success")
        return redirect(url_for("grants.show_round", round_id=round_id))

    def page(status: int):
        return render_template(
            "grants/new_round.html",
            form=form,
            neighbourhood=neighbourhood,
            allowed=allowed_actions(neighbourhood.id),
        ), status

    return submit_form(form, work, done=done, page=page)


def _round_terms(form: RoundForm) -> RoundTerms:
    opens_on, closes_on = form.parsed["opens_on"], form.parsed["closes_on"]
    return RoundTerms(
        fund_slug=form.fund.data,
        title=form.title.data,
        description=form.description.data,
        eligibility=form.eligibility.data or "",
        budget=form.parsed["budget"],
        max_award=form.parsed["max_award"],
        opens_at=_midnight(opens_on),
        closes_at=_midnight(closes_on + timedelta(days=1)),
        criteria=form.parsed["criteria"],
        quorum_rule=form.quorum_rule.data,
        quorum_minimum=form.parsed["quorum_minimum"],
        project_months=form.parsed["project_months"],
    )


@bp.get("/grants/rounds/<int:round_id>")
def show_round(round_id: int):
    """A round: what it is for, who can apply, its budget and criteria, and the applications one may see."""
    session, user_id = db_session(), current_user_id()
    grant_round = rounds.get_round(session, round_id)
    neighbourhood = session.get_one(Neighbourhood, grant_round.neighbourhood_id)
    listed = applications.list_applications(
        session, neighbourhood_id=neighbourhood.id, user_id=user_id, round_id=round_id
    )
    return render_template(
        "grants/round.html",
        grant_round=grant_round,
        neighbourhood=neighbourhood,
        allowed=allowed_actions(neighbourhood.id),
        remaining=rounds.remaining(session, grant_round),
        listed=listed,
        names=names_of(session, [a.applicant_id for a in listed]),
        now=now(),
    )


def _terms(form: ApplicationForm) -> ApplicationTerms:
    return ApplicationTerms(
        title=form.title.data,
        summary=form.summary.data,
        amount_requested=form.parsed["amount_requested"],
        budget_lines=form.parsed["budget_lines"],
        group_name=form.group_name.data,
        charity_number=form.charity_number.data,
        company_number=form.company_number.data,
        postcode=form.postcode.data,
    )


@bp.route("/grants/rounds/<int:round_id>/apply", methods=["GET", "POST"])
@login_required
def apply(round_id: int):
    """Start an application (members); it is saved as a draft to check before submitting."""
    session = db_session()
    grant_round = rounds.get_round(session, round_id)
    neighbourhood = session.get_one(Neighbourhood, grant_round.neighbourhood_id)
    require(session, signed_in_user_id(), neighbourhood.id, Action.APPLY_FOR_GRANT)
    form = ApplicationForm(currency=grant_round.currency)

    def work(session):
        return applications.create_application(
            session,
            actor_id=current_user_id(),
            grant_round=rounds.get_round(session, round_id),
            terms=_terms(form),
            now=now(),
        ).id

    def done(application_id: int):
        flash(_("Your application is saved as a draft. Check it, then submit it."), "success")
        return redirect(url_for("grants.show_application", application_id=application_id))

    def page(status: int):
        return render_template(
            "grants/application_form.html",
            form=form,
            grant_round=grant_round,
            neighbourhood=neighbourhood,
            allowed=allowed_actions(neighbourhood.id),
            application=None,
        ), status

    return submit_form(form, work, done=done, page=page)


@bp.route("/grants/applications/<int:application_id>/edit", methods=["GET", "POST"])
@login_required
def edit_application(application_id: int):
    """Change a draft application (its applicant)."""
    session = db_session()
    application = applications.get_application(session, application_id)
    access.require_view(session, application, signed_in_user_id())
    access.require_applicant(application, signed_in_user_id(), "change this application")
    form = ApplicationForm(currency=application.currency)
    if request.method == "GET":
        form.title.data, form.summary.data = application.title, application.summary
        form.amount_requested.data = money_words.plain(application.amount_requested, application.currency)
        form.budget_lines.data = "\n".join(
            f"{line.description}: {money_words.plain(line.amount, application.currency)}"
            for line in application.budget_lines
        )
        form.group_name.data = application.group_name or ""

    def work(session):
        applications.update_application(
            session,
            actor_id=current_user_id(),
            application=applications.get_application(session, application_id),
            terms=_terms(form),
            now=now(),
        )

    def page(status: int):
        neighbourhood = session.get_one(Neighbourhood, application.neighbourhood_id)
        return render_template(
            "grants/application_form.html",
            form=form,
            grant_round=application.round,
            neighbourhood=neighbourhood,
            allowed=allowed_actions(neighbourhood.id),
            application=application,
        ), status

    return submit_form(
        form,
        work,
        done=go_to(
            url_for("grants.show_application", application_id=application_id), _("Your changes are saved.")
        ),
        page=page,
    )


@bp.get("/grants/applications/<int:application_id>")
@login_required
def show_application(application_id: int):
    """The application: what was asked, the review, the decision and its ledger transaction, the money."""
    return application_page(application_id)


@bp.post("/grants/applications/<int:application_id>/submit")
@login_required
def submit(application_id: int):
    """Send a draft to the committee (its applicant)."""
    with transaction() as session:
        applications.submit_application(
            session,
            actor_id=signed_in_user_id(),
            application=applications.get_application(session, application_id),
            now=now(),
        )
    flash(
        _("Your application is submitted. The committee will review it; we will email you the decision."),
        "success",
    )
    return redirect(url_for("grants.show_application", application_id=application_id))


@bp.post("/grants/applications/<int:application_id>/withdraw")
@login_required
def withdraw(application_id: int):
    """Withdraw an application before the decision (its applicant)."""
    with transaction() as session:
        applications.withdraw_application(
            session,
            actor_id=signed_in_user_id(),
            application=applications.get_application(session, application_id),
            now=now(),
        )
    flash(_("Your application is withdrawn."), "info")
    return redirect(url_for("grants.show_application", application_id=application_id))
