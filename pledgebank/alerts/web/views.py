"""Alert pages: asking for alerts (rate-limited), confirming by the owner's click, one-click unsubscribe."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from pledgebank.accounts.tokens import LinkSigner
from pledgebank.alerts import services
from pledgebank.alerts.web.forms import AlertForm
from pledgebank.errors import NotFound
from pledgebank.extensions import csrf, limiter
from pledgebank.neighbourhoods.models import Neighbourhood
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.web.confirm import confirm_page
from pledgebank.web.forms import safe_next
from pledgebank.web.session import db_session, now, transaction
from pledgebank.web.submit import submit

bp = Blueprint("alerts", __name__)

SENT = _l(
    "Check your email: we have sent a link to confirm your alerts. Nothing is sent until you click it "
    "(if the address already gets these alerts, nothing changes)."
)


def _signer() -> LinkSigner:
    return current_app.extensions["pledgebank.signer"]


def _limit() -> str:
    return current_app.config["RATELIMIT_ALERTS"]


def _neighbourhood(slug: str | None) -> Neighbourhood | None:
    return get_neighbourhood(db_session(), slug) if slug else None


@bp.route("/alerts", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def sign_up():
    """Ask to be emailed about new pledges in a neighbourhood (from its pages) or a postcode district."""
    form = AlertForm()
    if request.method == "GET":
        form.neighbourhood.data = request.args.get("n", "")
    neighbourhood = _neighbourhood(form.neighbourhood.data)
    back = safe_next(request.form.get("next") or request.args.get("next"), url_for("alerts.sign_up"))

    def work(session):
        services.subscribe(
            session,
            email=form.email.data,
            neighbourhood=neighbourhood,
            district=form.district.data,
            frequency=form.frequency.data,
            signer=_signer(),
            now=now(),
        )

    def done(_result):
        flash(SENT, "info")
        return redirect(back)

    def page(status: int):
        return render_template(
            "alerts/sign_up.html", form=form, neighbourhood=neighbourhood, back=back
        ), status

    return submit(form, work, done=done, page=page)


@bp.route("/alerts/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str):
    """The link from the email shows a button; only pressing it confirms (a link checker's visit does not)."""
    if request.method == "GET":
        found = services.pending(db_session(), token=token, signer=_signer(), now=now())
        if found is None:
            raise NotFound("This link is not valid or has expired. Ask for the alerts again.")
        area = services.area_name(db_session(), found)
        how = (
            gettext(
                "We will email %(email)s about new pledges in %(area)s: a weekly digest.",
                email=found.email,
                area=area,
            )
            if found.frequency == "weekly"
            else gettext(
                "We will email %(email)s about new pledges in %(area)s: as soon as a pledge opens.",
                email=found.email,
                area=area,
            )
        )
        return confirm_page(
            title=gettext("Start your alerts?"),
            consequences=[how, gettext("Every alert has a link to stop them with one click.")],
            action=url_for("alerts.confirm", token=token),
            button=gettext("Yes, start my alerts"),
            back=url_for("main.home"),
            back_label=gettext("No, send me nothing"),
        )
    with transaction() as session:
        found = services.confirm(session, token=token, signer=_signer(), now=now())
        if found is None:
            raise NotFound("This link is not valid or has expired. Ask for the alerts again.")
        area = services.area_name(session, found)
    flash(gettext("Your alerts about new pledges in %(area)s have started.", area=area), "success")
    return redirect(url_for("main.home"))


@bp.route("/alerts/unsubscribe/<key>", methods=["GET", "POST"])
# The one-click unsubscribe POST comes from mail programs (RFC 8058); its unguessable key is the check.
@csrf.exempt
def unsubscribe(key: str):
    """Stop alerts: a page with one button, and the one-click POST mail programs send (RFC 8058)."""
    if request.method == "GET":
        found = services.by_key(db_session(), key)
        if found is None:
            return render_template("alerts/unsubscribed.html"), 200
        area = services.area_name(db_session(), found)
        return confirm_page(
            title=gettext("Stop these alerts?"),
            consequences=[gettext("We will stop emailing about new pledges in %(area)s.", area=area)],
            action=url_for("alerts.unsubscribe", key=key),
            button=gettext("Stop my alerts"),
            back=url_for("main.home"),
            back_label=gettext("Keep them"),
        )
    with transaction() as session:
        services.unsubscribe(session, key)
    return render_template("alerts/unsubscribed.html"), 200


@bp.app_template_global("alert_signup_form")
def alert_signup_form() -> AlertForm:
    """A fresh alerts form for a page's sign-up section, with a signed-in person's address filled in."""
    form = AlertForm(formdata=None)
    if current_user.is_authenticated:
        form.email.data = current_user.email
    return form
