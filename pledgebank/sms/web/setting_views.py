"""The neighbourhood's text number (its chair) and a pledge's keyword (its creator or the committee)."""

from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from pledgebank.errors import Forbidden
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.pledges.services import get_pledge
from pledgebank.policy import Action, require
from pledgebank.sms import phones, settings
from pledgebank.sms.web.blueprint import bp
from pledgebank.sms.web.forms import KeywordForm, NumberForm
from pledgebank.web.auth import current_user_id
from pledgebank.web.session import db_session, now
from pledgebank.web.submit import go_to, submit


@bp.route("/n/<slug>/sms", methods=["GET", "POST"])
@login_required
def number(slug: str):
    """Set the number the neighbourhood's residents text to pledge."""
    session = db_session()
    place = get_neighbourhood(session, slug)
    require(session, current_user_id(), place.id, Action.EDIT_NEIGHBOURHOOD)
    current = settings.number_of(session, place.id)
    form = NumberForm(data={"number": phones.shown(current.number) if current else ""})

    def work(session):
        return settings.set_number(
            session, actor_id=current_user_id(), neighbourhood_id=place.id, number=form.number.data, now=now()
        )

    def page(status: int):
        return render_template("sms/number.html", form=form, place=place, current=current), status

    done = go_to(url_for("sms.number", slug=slug), _("The text number is saved."))
    return submit(form, work, done=done, page=page)


@bp.route("/p/<int:pledge_id>/sms", methods=["GET", "POST"])
@login_required
def keyword(pledge_id: int):
    """Give a pledge the keyword residents text to pledge to it."""
    session = db_session()
    pledge = get_pledge(session, pledge_id)
    if not settings.may_set_keyword(session, current_user_id(), pledge):
        raise Forbidden()
    current = settings.keyword_of(session, pledge.id)
    sms_number = settings.number_of(session, pledge.neighbourhood_id)
    form = KeywordForm(data={"keyword": current.keyword if current else ""})

    def work(session):
        return settings.set_keyword(
            session,
            actor_id=current_user_id(),
            pledge=get_pledge(session, pledge_id),
            keyword=form.keyword.data,
            now=now(),
        )

    def page(status: int):
        shown = phones.shown(sms_number.number) if sms_number else None
        return render_template(
            "sms/keyword.html", form=form, pledge=pledge, current=current, sms_number=shown
        ), status

    done = go_to(url_for("sms.keyword", pledge_id=pledge_id), _("The keyword is saved."))
    return submit(form, work, done=done, page=page)
