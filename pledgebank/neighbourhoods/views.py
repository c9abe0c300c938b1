"""Pages for finding, creating and joining neighbourhoods, members and roles, funds and the audit log."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required
from sqlalchemy import select

from pledgebank.accounts.models import User
from pledgebank.books.audit import list_events
from pledgebank.errors import DomainError
from pledgebank.inputs import parse_id
from pledgebank.neighbourhoods import funds, roles, services
from pledgebank.neighbourhoods.forms import (
    FundForm,
    NeighbourhoodForm,
    RemoveMemberForm,
    RoleForm,
    SettingsForm,
)
from pledgebank.neighbourhoods.models import Membership
from pledgebank.policy import Action, require
from pledgebank.web.auth import current_user_id, signed_in_user_id
from pledgebank.web.forms import allowed_actions, refused, show_errors
from pledgebank.web.session import db_session, now, transaction

bp = Blueprint("neighbourhoods", __name__)


@bp.get("/neighbourhoods")
def index():
    """Search neighbourhoods by name or postcode district; list the user's own."""
    query = request.args.get("q", "")
    session = db_session()
    results = services.search_neighbourhoods(session, query)
    mine = []
    if current_user_id() is not None:
        mine = [m.neighbourhood for m in session.query(Membership).filter_by(user_id=current_user_id())]
    return render_template("neighbourhoods/index.html", query=query, results=results, mine=mine)


@bp.route("/neighbourhoods/new", methods=["GET", "POST"])
@login_required
def create():
    """Start a neighbourhood; its creator becomes chair."""
    form = NeighbourhoodForm()
    if form.validate_on_submit():
        try:
            with transaction() as session:
                neighbourhood = services.create_neighbourhood(
                    session,
                    actor_id=current_user_id(),
                    name=form.name.data,
                    postcode_district=form.postcode_district.data,
                    description=form.description.data or "",
                    currency=current_app.config["CURRENCY"],
                    now=now(),
                )
        except DomainError as error:
            show_errors(form, error)
        else:
            flash(f"{neighbourhood.name} is set up, and you are its chair.", "success")
            return redirect(url_for("neighbourhoods.show", slug=neighbourhood.slug))
    return render_template(
        "neighbourhoods/new.html", form=form
    ), 422 if form.errors or form.form_errors else 200


@bp.get("/n/<slug>")
def show(slug: str):
    """A neighbourhood's public page."""
    session = db_session()
    neighbourhood = services.get_neighbourhood(session, slug)
    membership = services.membership_of(session, user_id=current_user_id(), neighbourhood_id=neighbourhood.id)
    return render_template(
        "neighbourhoods/show.html",
        neighbourhood=neighbourhood,
        membership=membership,
        funds=funds.list_funds(session, neighbourhood_id=neighbourhood.id),
        allowed=allowed_actions(neighbourhood.id),
    )


@bp.post("/n/<slug>/join")
@login_required
def join(slug: str):
    """Join as a resident."""
    with transaction() as session:
        neighbourhood = services.get_neighbourhood(session, slug)
        services.join_neighbourhood(
            session, actor_id=signed_in_user_id(), neighbourhood=neighbourhood, now=now()
        )
    flash(f"Welcome to {neighbourhood.name}.", "success")
    return redirect(url_for("neighbourhoods.show", slug=slug))


@bp.post("/n/<slug>/leave")
@login_required
def leave(slug: str):
    """Leave the neighbourhood."""
    with transaction() as session:
        neighbourhood = services.get_neighbourhood(session, slug)
        roles.remove_member(
            session,
            actor_id=signed_in_user_id(),
            neighbourhood=neighbourhood,
            user_id=signed_in_user_id(),
            now=now(),
        )
    flash(f"You have left {neighbourhood.name}.", "info")
    return redirect(url_for("neighbourhoods.show", slug=slug))


def _members_page(
    slug: str,
    status: int = 200,
    role_form: RoleForm | None = None,
    remove_form: RemoveMemberForm | None = None,
    form_user_id: int | None = None,
):
    session = db_session()
    neighbourhood = services.get_neighbourhood(session, slug)
    members = services.members_of(session, actor_id=current_user_id(), neighbourhood=neighbourhood)
    page = render_template(
        "neighbourhoods/members.html",
        neighbourhood=neighbourhood,
        members=members,
        allowed=allowed_actions(neighbourhood.id),
        role_form=role_form or RoleForm(formdata=None),
        remove_form=remove_form or RemoveMemberForm(formdata=None),
        form_user_id=form_user_id,
    )
    return page, status


@bp.get("/n/<slug>/members")
@login_required
def members(slug: str):
    """Members and their roles (members only); the chair manages roles here."""
    return _members_page(slug)


@bp.post("/n/<slug>/members/<int:user_id>/roles")
@login_required
def change_role(slug: str, user_id: int):
    """Give or take a role (chair only)."""
    form = RoleForm()
    if form.validate_on_submit():
        change = roles.grant_role if form.change.data == "grant" else roles.revoke_role
        try:
            with transaction() as session:
                neighbourhood = services.get_neighbourhood(session, slug)
                change(
                    session,
                    actor_id=signed_in_user_id(),
                    neighbourhood=neighbourhood,
                    user_id=user_id,
                    role=form.role.data,
                    now=now(),
                )
        except DomainError as error:
            if refused(error):
                raise
            show_errors(form, error)
        else:
            flash("Roles updated.", "success")
            return redirect(url_for("neighbourhoods.members", slug=slug))
    return _members_page(slug, 409 if form.form_errors else 422, role_form=form, form_user_id=user_id)


@bp.post("/n/<slug>/members/<int:user_id>/remove")
@login_required
def remove_member(slug: str, user_id: int):
    """Remove a member (chair only), with a reason."""
    form = RemoveMemberForm()
    if form.validate_on_submit():
        try:
            with transaction() as session:
                neighbourhood = services.get_neighbourhood(session, slug)
                roles.remove_member(
                    session,
                    actor_id=signed_in_user_id(),
                    neighbourhood=neighbourhood,
                    user_id=user_id,
                    now=now(),
                    reason=form.reason.data,
                )
        except DomainError as error:
            if refused(error):
                raise
            show_errors(form, error)
        else:
            flash("The member has been removed.", "success")
            return redirect(url_for("neighbourhoods.members", slug=slug))
    return _members_page(slug, 409 if form.form_errors else 422, remove_form=form, form_user_id=user_id)


@bp.route("/n/<slug>/funds", methods=["GET", "POST"])
def fund_list(slug: str):
    """The neighbourhood's funds; committee members add funds here (the chair adds endowments too)."""
    session = db_session()
    neighbourhood = services.get_neighbourhood(session, slug)
    form = FundForm()
    offered = {
        kind.value
        for kind in funds.creatable_types(
            session, actor_id=current_user_id(), neighbourhood_id=neighbourhood.id
        )
    }
    form.fund_type.choices = [choice for choice in form.fund_type.choices if choice.value in offered]
    status = 200
    if request.method == "POST":
        require(session, current_user_id(), neighbourhood.id, Action.MANAGE_FUNDS)
        if form.validate_on_submit():
            try:
                with transaction() as session:
                    fund = funds.add_fund(
                        session,
                        actor_id=signed_in_user_id(),
                        neighbourhood=neighbourhood,
                        name=form.name.data,
                        description=form.description.data or "",
                        fund_type=form.fund_type.data,
                        purpose=form.purpose.data or "",
                        may_fund_grants=bool(form.may_fund_grants.data),
                        now=now(),
                    )
            except DomainError as error:
                if refused(error):
                    raise
                show_errors(form, error)
            else:
                flash(f"The fund “{fund.name}” is added.", "success")
                return redirect(url_for("neighbourhoods.fund_list", slug=slug))
        status = 422
    return render_template(
        "neighbourhoods/funds.html",
        neighbourhood=neighbourhood,
        form=form,
        funds=funds.list_funds(session, neighbourhood_id=neighbourhood.id),
        allowed=allowed_actions(neighbourhood.id),
    ), status


@bp.get("/n/<slug>/audit")
@login_required
def audit_log(slug: str):
    """The audit log of non-money actions (committee, treasurer and chair)."""
    session = db_session()
    neighbourhood = services.get_neighbourhood(session, slug)
    require(session, current_user_id(), neighbourhood.id, Action.VIEW_AUDIT_LOG)
    before = request.args.get("before")
    before_id = None if before is None else parse_id(before)
    if before is not None and before_id is None:
        abort(404)
    events = list_events(session, neighbourhood_id=neighbourhood.id, before_id=before_id)
    ids = {e.actor_id for e in events} | {int(e.subject_id) for e in events if e.subject_type == "user"}
    people = {
        row.id: row.display_name
        for row in session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    }
    return render_template(
        "neighbourhoods/audit.html", neighbourhood=neighbourhood, events=events, people=people
    )


@bp.route("/n/<slug>/settings", methods=["GET", "POST"])
@login_required
def settings(slug: str):
    """The chair's settings: description, pledge settings and the data controller."""
    session = db_session()
    neighbourhood = services.get_neighbourhood(session, slug)
    require(session, signed_in_user_id(), neighbourhood.id, Action.EDIT_NEIGHBOURHOOD)
    form = SettingsForm(obj=neighbourhood if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            with transaction() as session:
                services.update_settings(
                    session,
                    actor_id=signed_in_user_id(),
                    neighbourhood=neighbourhood,
                    description=form.description.data or "",
                    allow_cash_pledges=bool(form.allow_cash_pledges.data),
                    pledges_need_approval=bool(form.pledges_need_approval.data),
                    collection_window_hours=form.collection_window_hours.data,
                    controller_name=form.controller_name.data or "",
                    controller_contact=form.controller_contact.data or "",
                    now=now(),
                )
        except DomainError as error:
            if refused(error):
                raise
            show_errors(form, error)
        else:
            flash("The settings are saved.", "success")
            return redirect(url_for("neighbourhoods.show", slug=slug))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "neighbourhoods/settings.html",
        neighbourhood=neighbourhood,
        form=form,
        allowed=allowed_actions(neighbourhood.id),
    ), status
