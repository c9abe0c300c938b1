"""The privacy notice: the service's own at /privacy, and each neighbourhood's, naming its controller."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_login.config import COOKIE_DURATION, COOKIE_NAME

from pledgebank.neighbourhoods.models import Neighbourhood
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.privacy import notice
from pledgebank.privacy.retention import RetentionPolicy
from pledgebank.web.session import db_session

bp = Blueprint("privacy", __name__)


def _render(neighbourhood: Neighbourhood | None):
    config = current_app.config
    if neighbourhood is None:
        controller = notice.Controller(config["PRIVACY_OPERATOR_NAME"], config["PRIVACY_OPERATOR_CONTACT"])
    else:
        controller = notice.Controller(neighbourhood.controller_name, neighbourhood.controller_contact)
    duration = config.get("REMEMBER_COOKIE_DURATION", COOKIE_DURATION)
    return render_template(
        "privacy/notice.html",
        neighbourhood=neighbourhood,
        controller=controller,
        operator=notice.Controller(config["PRIVACY_OPERATOR_NAME"], config["PRIVACY_OPERATOR_CONTACT"]),
        holdings=notice.holdings(RetentionPolicy.from_config(config)),
        recipients=notice.recipients(config["MAIL_PROVIDER_NAME"]),
        cookies=notice.cookies(
            session_name=config["SESSION_COOKIE_NAME"],
            remember_name=config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME),
            remember_days=duration.days,
        ),
    )


@bp.get("/privacy")
def service_notice():
    """The service's privacy notice: what it holds, why, for how long, who sees it, and its cookies."""
    return _render(None)


@bp.get("/n/<slug>/privacy")
def neighbourhood_notice(slug: str):
    """A neighbourhood's privacy notice, naming the group that controls its residents' data."""
    return _render(get_neighbourhood(db_session(), slug))
