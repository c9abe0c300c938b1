"""Pages for finding, creating and joining neighbourhoods, members and roles, and funds."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import login_required

from pledgebank.errors import EmailNotVerified, InvalidInput
from pledgebank.levies import consents
from pledgebank.neighbourhoods import funds, roles, services
from pledgebank.neighbourhoods.models import Membership, Neighbourhood
from pledgebank.neighbourhoods.web.blueprint import bp
from pledgebank.neighbourhoods.web.forms import (
    FundForm,
    NeighbourhoodForm,
    RemoveMemberForm,
    RoleForm,
    SettingsForm,
)
from pledgebank.pledges import local
from pledgebank.policy import Action, require
from pledgebank.web.auth import current_user_id, signed_in_user_id
from pledgebank.web.forms import allowed_actions
from pledgebank.web.session import db_session, now, transaction
from pledgebank.web.submit import go_to, submit


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

    def work(session):
        try:
            neighbourhood = services.create_neighbourhood(
                session,
                actor_id=current_user_id(),
                name=form.name.data,
                postcode_district=form.postcode_district.data,
                description=form.description.data or "",
                currency=current_app.config["CURRENCY"],
                now=now(),
            )
        except EmailNotVerified as error:
            # Said on the form, which they can send again once the address is confirmed.
            raise InvalidInput(error.message) from None
        return neighbourhood.name, neighbourhood.slug

    def done(made: tuple[str, str]):
        name, slug = made
        flash(f"{name} is set up, and you are its chair.", "success")
        return redirect(url_for("neighbourhoods.show", slug=slug))

    return submit(
        form,
        work,
        done=done,
        page=lambda status: (render_template("neighbourhoods/new.html", form=form), status),
    )


@bp.get("/n/<slug>")
def show(slug: str):
    """A neighbourhood's front page: a dashboard of its live pledges, open grant rounds, active levies,
    recent updates and its money's headline figures."""
    session = db_session()
    neighbourhood = services.get_neighbourhood(session, slug)
    membership = services.membership_of(session, user_id=current_user_id(), neighbourhood_id=neighbourhood.id)
    return render_template(
        "neighbourhoods/show.html",
        neighbourhood=neighbourhood,
        membership=membership,
        funds=funds.list_funds(session, neighbourhood_id=neighbourhood.id),
        allowed=allowed_actions(neighbourhood.id),
        dashboard=local.dashboard(session, neighbourhood, user_id=current_user_id(), now=now()),
        now=now(),
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

    def work(session):
        change = roles.grant_role if form.change.data == "grant" else roles.revoke_role
        change(
            session,
            actor_id=current_user_id(),
            neighbourhood=services.get_neighbourhood(session, slug),
            user_id=user_id,
            role=form.role.data,
            now=now(),
        )

    return submit(
        form,
        work,
        done=go_to(url_for("neighbourhoods.members", slug=slug), "Roles updated."),
        page=lambda status: _members_page(slug, status, role_form=form, form_user_id=user_id),
    )


@bp.post("/n/<slug>/members/<int:user_id>/remove")
@login_required
def remove_member(slug: str, user_id: int):
    """Remove a member (chair only), with a reason."""
    form = RemoveMemberForm()

    def work(session):
        neighbourhood = services.get_neighbourhood(session, slug)
        roles.remove_member(
            session,
            actor_id=current_user_id(),
            neighbourhood=neighbourhood,
            user_id=user_id,
            now=now(),
            reason=form.reason.data,
        )
        # Consents the member gave for a household's card to pay levies here end with their membership.
        consents.end_for_user(
            session, neighbourhood_id=neighbourhood.id, user_id=user_id, now=now(), because="removed"
        )

    return submit(
        form,
        work,
        done=go_to(url_for("neighbourhoods.members", slug=slug), "The member has been removed."),
        page=lambda status: _members_page(slug, status, remove_form=form, form_user_id=user_id),
    )


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
    if request.method == "POST":
        require(session, current_user_id(), neighbourhood.id, Action.MANAGE_FUNDS)

    def work(session):
        return funds.add_fund(
            session,
            actor_id=current_user_id(),
            neighbourhood=neighbourhood,
            name=form.name.data,
            description=form.description.data or "",
            fund_type=form.fund_type.data,
            purpose=form.purpose.data or "",
            may_fund_grants=bool(form.may_fund_grants.data),
            now=now(),
        ).name

    def page(status: int):
        return render_template(
            "neighbourhoods/funds.html",
            neighbourhood=neighbourhood,
            form=form,
            funds=funds.list_funds(session, neighbourhood_id=neighbourhood.id),
            allowed=allowed_actions(neighbourhood.id),
        ), status

    def done(name: str):
        flash(f"The fund “{name}” is added.", "success")
        return redirect(url_for("neighbourhoods.fund_list", slug=slug))

    return submit(form, work, done=done, page=page)


@bp.route("/n/<slug>/settings", methods=["GET", "POST"])
@login_required
def settings(slug: str):
    """The chair's settings: description, pledge settings and the data controller."""
    session = db_session()
    neighbourhood = services.get_neighbourhood(session, slug)
    require(session, signed_in_user_id(), neighbourhood.id, Action.EDIT_NEIGHBOURHOOD)
    form = SettingsForm(obj=neighbourhood if request.method == "GET" else None)

    def work(session):
        services.update_settings(
            session,
            actor_id=current_user_id(),
            neighbourhood=neighbourhood,
            description=form.description.data or "",
            allow_cash_pledges=bool(form.allow_cash_pledges.data),
            pledges_need_approval=bool(form.pledges_need_approval.data),
            collection_window_hours=form.collection_window_hours.data,
            controller_name=form.controller_name.data or "",
            controller_contact=form.controller_contact.data or "",
            bank_details=form.bank_details.data or "",
            area_code=form.area_code.data or "",
            area_name=form.area_name.data or "",
            charity_number=form.charity_number.data or "",
            # A form from before the setting existed leaves the language as it is.
            default_language=form.default_language.data if "default_language" in request.form else None,
            now=now(),
        )

    def page(status: int):
        return render_template(
            "neighbourhoods/settings.html",
            neighbourhood=neighbourhood,
            form=form,
            allowed=allowed_actions(neighbourhood.id),
        ), status

    return submit(
        form,
        work,
        done=go_to(url_for("neighbourhoods.show", slug=slug), "The settings are saved."),
        page=page,
    )


@bp.app_template_global("bank_details")
def bank_details(neighbourhood_id: int) -> str:
    """Where residents may pay the neighbourhood's treasurer by bank transfer ('' when it takes none)."""
    neighbourhood = db_session().get(Neighbourhood, neighbourhood_id)
    return neighbourhood.bank_details if neighbourhood else ""
