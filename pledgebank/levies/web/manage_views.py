"""The treasurer's and committee's levy tools: the levy accounts (collected, outstanding, waived, arrears by
age), deciding hardship requests, and the household register (recording cash is in cash_views)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from pledgebank.accounts.names import names_of
from pledgebank.clock import local_date
from pledgebank.errors import DomainError, InvalidInput, NotFound
from pledgebank.levies import hardship, households, queries, services
from pledgebank.levies.bands import ARREARS_AGES
from pledgebank.levies.models import HardshipRequest
from pledgebank.levies.web.blueprint import bp
from pledgebank.levies.web.forms import DecisionForm, RegisterForm
from pledgebank.levies.web.views import zone
from pledgebank.neighbourhoods import services as neighbourhoods
from pledgebank.neighbourhoods.models import Neighbourhood
from pledgebank.policy import Action, require
from pledgebank.web.auth import current_user_id, signed_in_user_id
from pledgebank.web.forms import allowed_actions, refused
from pledgebank.web.input_guard import uploaded_text
from pledgebank.web.session import db_session, now, transaction
from pledgebank.web.submit import go_to, submit

MAX_REGISTER_BYTES = 1024 * 1024


def accounts_page(slug: str, status: int = 200, decision_forms: dict | None = None):
    """Render the levy accounts (with a decision form's errors in place)."""
    session = db_session()
    neighbourhood = neighbourhoods.get_neighbourhood(session, slug)
    require(session, current_user_id(), neighbourhood.id, Action.VIEW_LEDGER)
    requests = hardship.pending_requests(session, neighbourhood_id=neighbourhood.id)
    forms = {r.id: DecisionForm(formdata=None, currency=neighbourhood.currency) for r in requests}
    forms.update(decision_forms or {})
    return render_template(
        "levies/accounts.html",
        neighbourhood=neighbourhood,
        allowed=allowed_actions(neighbourhood.id),
        report=queries.levy_figures(
            session, neighbourhood_id=neighbourhood.id, today=local_date(now(), zone()), zone=zone()
        ),
        ages=[label for label, _, _ in ARREARS_AGES],
        unpaid=queries.unpaid_charges(session, neighbourhood_id=neighbourhood.id),
        requests=requests,
        names=names_of(session, [r.requested_by_id for r in requests]),
        decision_forms=forms,
    ), status


@bp.get("/n/<slug>/levies/accounts")
@login_required
def accounts(slug: str):
    """The treasurer's levy page: every levy and period, what is unpaid, and hardship requests."""
    return accounts_page(slug)


@bp.post("/levies/hardship/<int:request_id>")
@login_required
def decide_hardship(request_id: int):
    """The committee decides a hardship request: approved amounts are written off through the ledger."""
    session = db_session()
    found = session.get(HardshipRequest, request_id)
    if found is None:
        raise NotFound("There is no such request.")
    neighbourhood = session.get_one(Neighbourhood, found.charge.levy.neighbourhood_id)
    require(session, signed_in_user_id(), neighbourhood.id, Action.MANAGE_LEVIES)
    form = DecisionForm(currency=neighbourhood.currency)

    def work(session):
        hardship.decide_hardship(
            session,
            actor_id=current_user_id(),
            request_id=request_id,
            approve=form.decision.data == "approve",
            amount=form.parsed_amount,
            note=form.note.data,
            now=now(),
            zone=zone(),
        )

    return submit(
        form,
        work,
        done=go_to(
            url_for("levies.accounts", slug=neighbourhood.slug),
            _("The decision is recorded and the household has been told."),
        ),
        page=lambda status: accounts_page(neighbourhood.slug, status, {request_id: form}),
    )


def households_page(levy_id: int, status: int = 200, form: RegisterForm | None = None, problems=None):
    """Render the levy's household register (with an import's problems listed)."""
    session = db_session()
    levy = services.get_levy(session, levy_id)
    require(session, current_user_id(), levy.neighbourhood_id, Action.MANAGE_LEVIES)
    neighbourhood = session.get_one(Neighbourhood, levy.neighbourhood_id)
    return render_template(
        "levies/households.html",
        levy=levy,
        neighbourhood=neighbourhood,
        allowed=allowed_actions(neighbourhood.id),
        lines=queries.households_in(session, levy.id),
        form=form or RegisterForm(formdata=None),
        problems=problems or [],
    ), status


@bp.get("/levies/<int:levy_id>/households")
@login_required
def households_register(levy_id: int):
    """The households in a levy (committee), and importing a register."""
    return households_page(levy_id)


@bp.post("/levies/<int:levy_id>/households")
@login_required
def import_register(levy_id: int):
    """Import a household register (CSV): every household, or none with each problem listed by line."""
    form = RegisterForm()
    upload = request.files.get("file")
    data = upload.read(MAX_REGISTER_BYTES + 1) if upload else b""
    text = ""
    if not form.validate():
        pass  # the file's name holds a NUL or bytes that are not UTF-8: said beside the field
    elif not data:
        form.file.errors = [_("Choose a CSV file to upload.")]
    elif len(data) > MAX_REGISTER_BYTES:
        form.file.errors = [_("The file is larger than 1 MB.")]
    else:
        try:
            text = uploaded_text(data, field="file", kind="CSV")
        except InvalidInput as error:
            form.file.errors = error.fields["file"]
    if form.file.errors:
        levy = services.get_levy(db_session(), levy_id)
        require(db_session(), signed_in_user_id(), levy.neighbourhood_id, Action.MANAGE_LEVIES)
        return households_page(levy_id, 422, form)
    try:
        with transaction() as session:
            added = households.import_register(
                session, actor_id=signed_in_user_id(), levy_id=levy_id, text=text, now=now(), zone=zone()
            )
    except households.RegisterRejected as error:
        # What is wrong is in the file: said beside the file field, with each line's problem listed below.
        form.file.errors = [error.message]
        return households_page(levy_id, 422, form, error.problems)
    except DomainError as error:
        if refused(error):
            raise
        form.file.errors = [error.message]
        return households_page(levy_id, error.status, form)
    flash(ngettext("Imported %(num)d household.", "Imported %(num)d households.", added), "success")
    return redirect(url_for("levies.households_register", levy_id=levy_id))
