"""The audit log of a neighbourhood: one sentence per event, filtered by person and by kind of event."""

from __future__ import annotations

from flask import abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from wtforms.fields.choices import SelectChoice

from pledgebank.books.audit import list_events, people_in_log
from pledgebank.books.audit_facts import load_facts
from pledgebank.books.audit_words import ACTIONS, KINDS, actions_of, sentence
from pledgebank.books.wording import Link
from pledgebank.inputs import parse_id
from pledgebank.neighbourhoods import services
from pledgebank.neighbourhoods.web.blueprint import bp
from pledgebank.neighbourhoods.web.forms import AuditFilterForm
from pledgebank.policy import Action, require
from pledgebank.web.auth import current_user_id
from pledgebank.web.i18n import locale_name
from pledgebank.web.links import link_url
from pledgebank.web.session import db_session

PER_PAGE = 200


def _href(link: Link, slug: str) -> str:
    """Where a name in a sentence leads: a grant application's own page, else its page in the open books."""
    if link.kind == "application":
        return url_for("grants.show_application", application_id=link.ref)
    return link_url(link, slug, 0)


@bp.get("/n/<slug>/audit")
@login_required
def audit_log(slug: str):
    """The audit log of non-money actions (committee, treasurer and chair), in sentences."""
    session = db_session()
    neighbourhood = services.get_neighbourhood(session, slug)
    require(session, current_user_id(), neighbourhood.id, Action.VIEW_AUDIT_LOG)
    before = request.args.get("before")
    before_id = None if before is None else parse_id(before)
    if before is not None and before_id is None:
        abort(404)
    form = AuditFilterForm(formdata=request.args)
    form.person.choices = [
        SelectChoice("", _l("Everyone")),
        *(
            SelectChoice(str(i), name)
            for i, name in people_in_log(session, neighbourhood_id=neighbourhood.id)
        ),
    ]
    form.kind.choices = [SelectChoice("", _("Every kind")), *(SelectChoice(k.key, k.label) for k in KINDS)]
    form.person.data = form.person.data or ""
    form.kind.data = form.kind.data or ""
    per_page = current_app.config.get("AUDIT_PAGE_SIZE", PER_PAGE)
    if not form.validate():
        events, status = [], 422
    else:
        events, status = (
            list_events(
                session,
                neighbourhood_id=neighbourhood.id,
                limit=per_page,
                before_id=before_id,
                person_id=int(form.person.data) if form.person.data else None,
                actions=actions_of(form.kind.data) if form.kind.data else None,
            ),
            200,
        )
    facts = load_facts(
        session,
        events,
        neighbourhood_id=neighbourhood.id,
        currency=neighbourhood.currency,
        locale=locale_name(),
    )
    rows = [(event, sentence(event, facts), ACTIONS.get(event.action, (None,))[0]) for event in events]
    filters = {
        name: value for name, value in (("person", form.person.data), ("kind", form.kind.data)) if value
    }
    return render_template(
        "neighbourhoods/audit.html",
        neighbourhood=neighbourhood,
        form=form,
        rows=rows,
        older=events[-1].id if len(events) >= per_page else None,
        filters=filters,
        href=_href,
    ), status
