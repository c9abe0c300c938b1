"""The fake provider in development and the demo: a text sent to the service as if from a phone."""

from __future__ import annotations

import uuid

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from pledgebank.sms import inbound
from pledgebank.sms.provider import FakeSms, Inbound
from pledgebank.sms.web.blueprint import bp
from pledgebank.sms.web.forms import DevTextForm
from pledgebank.sms.web.webhook_views import limits
from pledgebank.web.session import now
from pledgebank.web.submit import submit


def fake_provider() -> FakeSms:
    """The fake provider, outside production; 404 otherwise."""
    provider = current_app.extensions.get("pledgebank.sms")
    if current_app.config["ENV"] == "production" or not isinstance(provider, FakeSms):
        abort(404)
    return provider


@bp.post("/dev/texts")
def send_dev_text():
    """Text the service as the phone number given, as the fake provider's webhook would."""
    fake_provider()
    form = DevTextForm()

    def work(session):
        message = Inbound(
            message_id="SMin" + uuid.uuid4().hex,
            sender=form.sender.data,
            to=form.to.data,
            body=form.body.data,
        )
        return inbound.receive(
            session, message, now=now(), base_url=current_app.config["BASE_URL"], limits=limits()
        )

    def done(_outcome: str):
        flash(_("Your text is sent. The service's answer is in the list of texts below."), "success")
        return redirect(url_for("main.outbox") + "#texts")

    def page(status: int):
        return render_template("dev/text_form.html", text_form=form), status

    return submit(form, work, done=done, page=page)
