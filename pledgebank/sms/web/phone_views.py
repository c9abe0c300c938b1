"""A phone number on the account: added by a texted code; pledges made by text from it join the account."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from pledgebank.extensions import limiter
from pledgebank.sms import account_phone, phones
from pledgebank.sms.web.blueprint import bp
from pledgebank.sms.web.forms import CodeForm, PhoneForm
from pledgebank.web.auth import signed_in_user_id
from pledgebank.web.session import db_session, now, transaction
from pledgebank.web.submit import submit


def _page(status: int = 200, *, phone_form=None, code_form=None):
    session = db_session()
    verified = account_phone.phone_of_user(session, signed_in_user_id())
    waiting = account_phone.pending_phone(session, signed_in_user_id())
    return render_template(
        "sms/phone.html",
        phone_form=phone_form or PhoneForm(formdata=None),
        code_form=code_form or CodeForm(formdata=None),
        verified=phones.shown(verified.phone_number) if verified else None,
        waiting=phones.shown(waiting.phone_number) if waiting else None,
    ), status


def _limit() -> str:
    return current_app.config["RATELIMIT_AUTH"]


@bp.get("/account/phone")
@login_required
def phone():
    """The account's phone number, and the forms to add one."""
    return _page()


@bp.post("/account/phone")
@login_required
@limiter.limit(_limit)
def add_phone():
    """Text a code to the number given."""
    form = PhoneForm()

    def work(session):
        return account_phone.start(
            session,
            user_id=signed_in_user_id(),
            number=form.phone_number.data,
            sender=current_app.config["SMS_FROM_NUMBER"],
            now=now(),
        )

    def done(_phone):
        flash(_("We have texted you a code. Enter it below."), "success")
        return redirect(url_for("sms.phone"))

    return submit(form, work, done=done, page=lambda status: _page(status, phone_form=form))


@bp.post("/account/phone/confirm")
@login_required
@limiter.limit(_limit)
def confirm_phone():
    """Check the texted code; the number is the account's, with any pledges made by text from it."""
    form = CodeForm()

    def work(session):
        return account_phone.confirm(session, user_id=signed_in_user_id(), code=form.code.data, now=now())

    def done(moved: int | None):
        if moved is None:
            form.code.errors = [_("That code is not right, or it has run out: ask for a new one.")]
            return _page(422, code_form=form)
        flash(_("Your phone number is confirmed."), "success")
        if moved:
            flash(
                ngettext(
                    "%(num)d pledge made by text is now on your account.",
                    "%(num)d pledges made by text are now on your account.",
                    moved,
                ),
                "success",
            )
        return redirect(url_for("sms.phone"))

    return submit(form, work, done=done, page=lambda status: _page(status, code_form=form))


@bp.post("/account/phone/remove")
@login_required
def remove_phone():
    """Take the phone number off the account."""
    with transaction() as session:
        account_phone.remove(session, user_id=signed_in_user_id())
    flash(_("Your phone number is removed."), "success")
    return redirect(url_for("sms.phone"))
