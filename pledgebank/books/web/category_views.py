"""The expense categories page: what supplier payments are filed under, kept by the treasurer or chair."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from pledgebank.books import categories
from pledgebank.books.web.forms import CategoryForm
from pledgebank.errors import DomainError
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.policy import Action, require
from pledgebank.web.auth import current_user_id, signed_in_user_id
from pledgebank.web.forms import allowed_actions, refused
from pledgebank.web.session import db_session, now, transaction
from pledgebank.web.submit import go_to, submit

bp = Blueprint("categories", __name__)


def _page(slug: str, status: int = 200, form: CategoryForm | None = None, row: str | None = None):
    session = db_session()
    neighbourhood = get_neighbourhood(session, slug)
    require(session, current_user_id(), neighbourhood.id, Action.VIEW_LEDGER)
    page = render_template(
        "books/categories.html",
        neighbourhood=neighbourhood,
        allowed=allowed_actions(neighbourhood.id),
        categories=categories.list_categories(session, neighbourhood_id=neighbourhood.id),
        add_form=form if row is None and form is not None else CategoryForm(formdata=None),
        rename_form=form if row is not None else CategoryForm(formdata=None),
        row=row,
    )
    return page, status


def _manager(slug: str) -> int:
    """The neighbourhood's id, once the signed-in person is found to keep its categories."""
    session = db_session()
    neighbourhood = get_neighbourhood(session, slug)
    require(session, current_user_id(), neighbourhood.id, Action.MANAGE_EXPENSE_CATEGORIES)
    return neighbourhood.id


@bp.get("/n/<slug>/ledger/categories")
@login_required
def page(slug: str):
    """The categories, retired ones marked; the treasurer or chair adds, renames and retires them here."""
    return _page(slug)


@bp.post("/n/<slug>/ledger/categories")
@login_required
def add(slug: str):
    """Add a category: it opens an expense account in every fund."""
    neighbourhood_id = _manager(slug)
    form = CategoryForm()

    def work(session):
        return categories.add_category(
            session,
            actor_id=current_user_id(),
            neighbourhood_id=neighbourhood_id,
            name=form.name.data or "",
            now=now(),
        ).name

    def done(name: str):
        flash(_("“%(name)s” is added: supplier payments can be filed under it.", name=name), "success")
        return redirect(url_for("categories.page", slug=slug))

    return submit(form, work, done=done, page=lambda status: _page(slug, status, form))


@bp.post("/n/<slug>/ledger/categories/<category>/rename")
@login_required
def rename(slug: str, category: str):
    """Give a category a new name; its account code stays."""
    neighbourhood_id = _manager(slug)
    form = CategoryForm()

    def work(session):
        categories.rename_category(
            session,
            actor_id=current_user_id(),
            neighbourhood_id=neighbourhood_id,
            slug=category,
            name=form.name.data or "",
            now=now(),
        )

    return submit(
        form,
        work,
        done=go_to(url_for("categories.page", slug=slug), _("The category is renamed.")),
        page=lambda status: _page(slug, status, form, row=category),
    )


@bp.post("/n/<slug>/ledger/categories/<category>/retire")
@login_required
def retire(slug: str, category: str):
    """Stop offering a category; what was filed under it stays in the books."""
    neighbourhood_id = _manager(slug)
    try:
        with transaction() as session:
            categories.retire_category(
                session,
                actor_id=signed_in_user_id(),
                neighbourhood_id=neighbourhood_id,
                slug=category,
                now=now(),
            )
    except DomainError as error:
        if refused(error):
            raise
        form = CategoryForm(formdata=None)
        form.form_errors.append(error.message)
        return _page(slug, error.status, form)
    flash(_("The category is retired: it is no longer offered for new payments."), "success")
    return redirect(url_for("categories.page", slug=slug))
