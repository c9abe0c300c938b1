"""The chair's examiner page (appoint, end), the invitation an examiner accepts, and the checklist."""

from __future__ import annotations

from datetime import date

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import login_required
from wtforms.fields.choices import SelectChoice

from pledgebank import money_words
from pledgebank.accounts.tokens import LinkSigner
from pledgebank.clock import local_date
from pledgebank.errors import Forbidden, NotFound
from pledgebank.examiners import services
from pledgebank.examiners.examination import examine
from pledgebank.examiners.models import ExaminerAppointment
from pledgebank.examiners.web.blueprint import bp
from pledgebank.examiners.web.forms import AppointForm, ButtonForm, ThresholdForm
from pledgebank.exports.statements import year_of, year_starting
from pledgebank.neighbourhoods.models import Neighbourhood, Role
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.policy import Action, require, roles_of
from pledgebank.web.auth import current_user_id, signed_in_user_id
from pledgebank.web.forms import allowed_actions
from pledgebank.web.session import db_session, now
from pledgebank.web.submit import go_to, submit


def _signer() -> LinkSigner:
    return current_app.extensions["pledgebank.signer"]


def _today() -> date:
    return local_date(now(), current_app.config["TIMEZONE"])


def _place(slug: str, action: Action) -> Neighbourhood:
    session = db_session()
    neighbourhood = get_neighbourhood(session, slug)
    require(session, current_user_id(), neighbourhood.id, action)
    return neighbourhood


def _years(today: date) -> list[SelectChoice]:
    """The financial year under way and the three before it, latest first."""
    start = current_app.config["FINANCIAL_YEAR_START"]
    latest = year_of(today, start)
    choices = []
    for year in range(latest, latest - 4, -1):
        first, last = year_starting(year, start)
        span = _("%(first)s to %(last)s", first=format_date(first, "long"), last=format_date(last, "long"))
        choices.append(SelectChoice(year, span))
    return choices


def _appoint_form(formdata=None) -> AppointForm:
    form = AppointForm(formdata=formdata) if formdata is not None else AppointForm()
    form.year.choices = _years(_today())
    if form.year.data is None:
        form.year.data = form.year.choices[1].value
    return form


def _examiners_page(neighbourhood: Neighbourhood, form: AppointForm, status: int = 200):
    page = render_template(
        "examiners/appointments.html",
        neighbourhood=neighbourhood,
        allowed=allowed_actions(neighbourhood.id),
        appointments=services.appointments(db_session(), neighbourhood_id=neighbourhood.id),
        form=form,
        end_form=ButtonForm(formdata=None),
        today=_today(),
    )
    return page, status


@bp.route("/n/<slug>/examiners", methods=["GET", "POST"])
@login_required
def appointments(slug: str):
    """The neighbourhood's examiners (the chair): invite one for a financial year, end an appointment."""
    neighbourhood = _place(slug, Action.APPOINT_EXAMINER)
    form = _appoint_form()

    def work(session):
        first, last = year_starting(form.year.data, current_app.config["FINANCIAL_YEAR_START"])
        terms = services.Terms(email=form.email.data, name=form.name.data, year_start=first, year_end=last)
        return services.appoint(
            session,
            actor_id=signed_in_user_id(),
            neighbourhood_id=neighbourhood.id,
            terms=terms,
            period_days=current_app.config["EXAMINATION_PERIOD_DAYS"],
            now=now(),
            today=_today(),
            signer=_signer(),
        )

    def done(appointment: ExaminerAppointment):
        flash(_("We have emailed an invitation to %(email)s.", email=appointment.email), "success")
        return redirect(url_for("examiners.appointments", slug=slug))

    return submit(form, work, done=done, page=lambda status: _examiners_page(neighbourhood, form, status))


@bp.post("/n/<slug>/examiners/<int:appointment_id>/end")
@login_required
def end(slug: str, appointment_id: int):
    """End an appointment: the examiner's access stops at once."""
    neighbourhood = _place(slug, Action.APPOINT_EXAMINER)
    form = ButtonForm()
    here = url_for("examiners.appointments", slug=slug)

    def work(session):
        found = session.get(ExaminerAppointment, appointment_id)
        if found is None or found.neighbourhood_id != neighbourhood.id:
            raise NotFound()
        return services.end(session, actor_id=signed_in_user_id(), appointment_id=appointment_id, now=now())

    return submit(
        form,
        work,
        done=go_to(here, "The appointment is ended."),
        page=lambda status: _examiners_page(neighbourhood, _appoint_form(formdata={}), status),
    )


@bp.route("/examiner/invitation/<token>", methods=["GET", "POST"])
def invitation(token: str):
    """The emailed invitation: sign in (or create an account) with the invited address, then accept it."""
    session = db_session()
    appointment = services.invitation(session, token=token, now=now(), signer=_signer())
    neighbourhood = session.get_one(Neighbourhood, appointment.neighbourhood_id)
    form = ButtonForm()

    def work(session):
        return services.accept(
            session, user_id=signed_in_user_id(), token=token, now=now(), today=_today(), signer=_signer()
        )

    def done(accepted: ExaminerAppointment):
        flash(_("You are the examiner: the checklist below leads to the evidence."), "success")
        return redirect(url_for("examiners.checklist", slug=neighbourhood.slug, appointment_id=accepted.id))

    def page(status: int):
        return render_template(
            "examiners/invitation.html",
            appointment=appointment,
            neighbourhood=neighbourhood,
            form=form,
            signed_in=current_user_id() is not None,
        ), status

    return submit(form, work, done=done, page=page)


@bp.get("/n/<slug>/examiners/<int:appointment_id>/checklist")
@login_required
def checklist(slug: str, appointment_id: int):
    """The examiner's checklist for the appointment's year, each question answered with its evidence."""
    neighbourhood = _place(slug, Action.EXAMINE_BOOKS)
    session = db_session()
    appointment = session.get(ExaminerAppointment, appointment_id)
    if appointment is None or appointment.neighbourhood_id != neighbourhood.id:
        raise NotFound()
    roles = roles_of(session, current_user_id(), neighbourhood.id) or frozenset()
    if roles <= {Role.EXAMINER} and appointment.user_id != current_user_id():
        raise Forbidden("You examine another year's accounts.")
    form = ThresholdForm(formdata=request.args or None, currency=neighbourhood.currency)
    threshold = current_app.config["GRANT_SECOND_APPROVAL_ABOVE"]
    status = 200
    if request.args:
        if form.validate() and form.parsed is not None:
            threshold = form.parsed
        elif form.errors:
            status = 422
    if not form.threshold.data or status == 422:
        form.threshold.data = form.threshold.data or money_words.plain(threshold, neighbourhood.currency)
    items = [] if status == 422 else examine(session, appointment=appointment, threshold=threshold)
    return render_template(
        "examiners/checklist.html",
        neighbourhood=neighbourhood,
        allowed=allowed_actions(neighbourhood.id),
        appointment=appointment,
        items=items,
        form=form,
        threshold=threshold,
    ), status


@bp.get("/n/<slug>/examination")
@login_required
def examination(slug: str):
    """The checklist of the examination under way: the examiner's own, else the latest open appointment's."""
    neighbourhood = _place(slug, Action.EXAMINE_BOOKS)
    session, user_id = db_session(), current_user_id()
    found = services.appointments(session, neighbourhood_id=neighbourhood.id)
    open_ones = [a for a in found if a.status in services.OPEN]
    chosen = next((a for a in open_ones if a.user_id == user_id), None)
    if chosen is None and (roles_of(session, user_id, neighbourhood.id) or frozenset()) - {Role.EXAMINER}:
        chosen = next(iter(open_ones), None)
    if chosen is None:
        flash(_("No examiner is appointed at the moment."), "info")
        return redirect(url_for("neighbourhoods.show", slug=slug))
    return redirect(url_for("examiners.checklist", slug=slug, appointment_id=chosen.id))
