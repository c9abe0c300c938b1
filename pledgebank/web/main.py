"""The home page, and the development outbox where emailed links and texts can be read."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request

from pledgebank.accounts.web.forms import LoginForm
from pledgebank.errors import InvalidInput
from pledgebank.pledges import local
from pledgebank.sms.provider import FakeSms
from pledgebank.sms.web.forms import DevTextForm
from pledgebank.web.session import db_session, now

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    """Landing page: live pledges near a postcode district (or anywhere, without one), a neighbourhood search
    and a sign-in form."""
    session, moment = db_session(), now()
    asked = (request.args.get("district") or "").strip()[:20]
    district, error, status = None, None, 200
    if asked:
        try:
            district, pledges = local.near_district(session, asked, now=moment)
        except InvalidInput as refused:
            error, status = refused.fields["district"][0], 422
            pledges = local.everywhere(session, now=moment)
    else:
        pledges = local.everywhere(session, now=moment)
    return render_template(
        "home.html",
        form=LoginForm(formdata=None),
        pledges=pledges,
        district=district,
        asked=asked,
        district_error=error,
        now=moment,
    ), status


def _outbox() -> Path:
    folder = current_app.config.get("MAIL_OUTBOX")
    if current_app.config["ENV"] == "production" or current_app.config.get("MAIL_SERVER") or not folder:
        abort(404)
    return Path(folder)


@bp.get("/dev/outbox")
def outbox():
    """Emails the service has written instead of sending (development and demo only)."""
    folder = _outbox()
    messages = []
    for path in sorted(folder.glob("*.eml"), reverse=True)[:100]:
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        messages.append({"name": path.stem, "to": message["To"], "subject": message["Subject"]})
    return render_template("dev/outbox.html", messages=messages, folder=folder, **_texts())


def _texts() -> dict:
    """The fake text provider's texts and the form to text the service, when that provider is in use."""
    provider = current_app.extensions.get("pledgebank.sms")
    if not isinstance(provider, FakeSms):
        return {"texts": None}
    return {"texts": provider.sent(), "text_form": DevTextForm(formdata=None)}


@bp.get("/dev/outbox/<name>")
def outbox_message(name: str):
    """One written email, with its text body."""
    folder = _outbox()
    path = folder / f"{name}.eml"
    if "/" in name or ".." in name or not path.is_file():
        abort(404)
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    body = message.get_body(preferencelist=("plain",))
    return render_template("dev/message.html", message=message, body=body.get_content() if body else "")
