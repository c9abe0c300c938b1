"""Pages for registering, verifying, signing in and out, passwords and API tokens."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from pledgebank.accounts import api_tokens, services, sessions
from pledgebank.accounts.models import User
from pledgebank.accounts.tokens import LinkSigner
from pledgebank.accounts.web.forms import (
    ApiTokenForm,
    ChangePasswordForm,
    EmptyForm,
    ForgotPasswordForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
)
from pledgebank.extensions import limiter
from pledgebank.web.auth import SignedIn, current_session_id, current_user_id, signed_in_user_id
from pledgebank.web.forms import safe_next
from pledgebank.web.session import db_session, now, transaction
from pledgebank.web.submit import go_to, submit

bp = Blueprint("accounts", __name__)

CHECK_EMAIL = _l("Check your email: we have sent a link to finish registering. It works for 48 hours.")
RESET_SENT = _l(
    "If that address has an account, we have emailed it a link to reset the password. It works for 1 hour."
)


def _signer() -> LinkSigner:
    return current_app.extensions["pledgebank.signer"]


def _auth_limit() -> str:
    return current_app.config["RATELIMIT_AUTH"]


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_auth_limit, methods=["POST"])
def register():
    """Create an account; the page says the same whether or not the address was already registered."""
    form = RegisterForm()

    def work(session):
        services.register(
            session,
            email=form.email.data,
            display_name=form.display_name.data,
            password=form.password.data,
            now=now(),
            signer=_signer(),
        )

    return submit(
        form,
        work,
        done=go_to(url_for("accounts.login"), CHECK_EMAIL),
        page=lambda status: (render_template("accounts/register.html", form=form), status),
    )


@bp.get("/verify/<token>")
def verify(token: str):
    """Follow the emailed verification link: it confirms the address and never signs anyone in.

    A forwarded or leaked link (or a mail scanner fetching it) must not open the account, so whoever follows
    it without being signed in is sent to sign in with their password.
    """
    with transaction() as session:
        user_id = services.verify_email(
            session,
            token=token,
            now=now(),
            signer=_signer(),
            max_age=current_app.config["EMAIL_VERIFY_MAX_AGE"],
        ).id
    if current_user_id() == user_id:
        flash(gettext("Thank you: your email address is confirmed."), "success")
        return redirect(url_for("neighbourhoods.index"))
    if current_user.is_authenticated:
        flash(gettext("That email address is confirmed."), "success")
        return redirect(url_for("neighbourhoods.index"))
    flash(gettext("Your email address is confirmed. Sign in to continue."), "success")
    return redirect(url_for("accounts.login"))


@bp.post("/verify/resend")
@login_required
@limiter.limit(_auth_limit)
def resend_verification():
    """Send a new verification link to the signed-in user."""
    with transaction() as session:
        user = session.get(User, current_user_id())
        services.send_verification(session, user, now=now(), signer=_signer())
    flash(gettext("We have sent a new link to %(email)s.", email=current_user.email), "success")
    return redirect(request.referrer if safe_next(request.referrer, "") else url_for("accounts.account"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_auth_limit, methods=["POST"])
def login():
    """Sign in with email and password."""
    form = LoginForm()

    def work(session):
        user = services.authenticate(session, email=form.email.data, password=form.password.data, now=now())
        return SignedIn(user) if user else None

    def page(status: int):
        return render_template("accounts/login.html", form=form), status

    def done(signed_in: SignedIn | None):
        if signed_in is None:
            form.form_errors.append("That email address and password do not match an account.")
            return page(422)
        login_user(signed_in, remember=bool(form.remember.data))
        return redirect(safe_next(request.args.get("next"), url_for("neighbourhoods.index")))

    return submit(form, work, done=done, page=page)


@bp.post("/logout")
def logout():
    """Sign out this browser: its session and remember-me cookie are ended on the server too.

    Other devices stay signed in; "sign out everywhere" on the account page ends those. (The form's CSRF
    token is checked before this runs.)
    """
    session_id = current_session_id()
    if session_id is not None:
        with transaction() as session:
            sessions.sign_out(session, session_id, now=now())
    logout_user()
    flash(gettext("You are signed out."), "info")
    return redirect(url_for("main.home"))


@bp.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    """End every session and remember-me cookie of the signed-in user, this browser's included."""
    with transaction() as session:
        sessions.sign_out_everywhere(session, user_id=current_user_id())
    logout_user()
    flash(gettext("You are signed out on every device. Sign in again to continue."), "success")
    return redirect(url_for("accounts.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_auth_limit, methods=["POST"])
def forgot_password():
    """Ask for a password reset link."""
    form = ForgotPasswordForm()

    def work(session):
        services.request_password_reset(session, email=form.email.data, now=now(), signer=_signer())

    return submit(
        form,
        work,
        done=go_to(url_for("accounts.login"), RESET_SENT),
        page=lambda status: (render_template("accounts/forgot.html", form=form), status),
    )


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_auth_limit, methods=["POST"])
def reset_password(token: str):
    """Choose a new password from an emailed link."""
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE"]
    services.user_for_reset_token(db_session(), token=token, now=now(), signer=_signer(), max_age=max_age)
    form = ResetPasswordForm()

    def work(session):
        services.reset_password(
            session,
            token=token,
            new_password=form.password.data,
            now=now(),
            signer=_signer(),
            max_age=max_age,
        )

    def done(_):
        logout_user()
        flash(gettext("Your password is changed. Sign in with the new one."), "success")
        return redirect(url_for("accounts.login"))

    return submit(
        form,
        work,
        done=done,
        page=lambda status: (render_template("accounts/reset.html", form=form), status),
    )


def _account_page(status: int = 200, *, password_form=None, token_form=None, new_token: str | None = None):
    """The account page, with a sent form's errors in place (or a new token's secret, shown once)."""
    tokens = api_tokens.list_api_tokens(db_session(), user_id=signed_in_user_id())
    return render_template(
        "accounts/account.html",
        password_form=ChangePasswordForm(formdata=None) if password_form is None else password_form,
        token_form=ApiTokenForm(formdata=None) if token_form is None else token_form,
        tokens=tokens,
        new_token=new_token,
        action_form=EmptyForm(),
    ), status


@bp.get("/account")
@login_required
def account():
    """The signed-in user's account page: password and API tokens."""
    return _account_page()


@bp.post("/account/password")
@login_required
def change_password():
    """Change password (other sessions are signed out)."""
    form = ChangePasswordForm()

    def work(session):
        user = services.change_password(
            session,
            user_id=current_user_id(),
            current_password=form.current_password.data,
            new_password=form.new_password.data,
        )
        return SignedIn(user)

    def done(signed_in: SignedIn):
        login_user(signed_in)
        flash(gettext("Your password is changed."), "success")
        return redirect(url_for("accounts.account"))

    return submit(form, work, done=done, page=lambda status: _account_page(status, password_form=form))


@bp.post("/account/tokens")
@login_required
def create_token():
    """Create a personal API token and show its secret once."""
    form = ApiTokenForm()

    def work(session):
        _token, secret = api_tokens.create_api_token(
            session, user_id=current_user_id(), name=form.name.data, scope=form.scope.data, now=now()
        )
        return secret

    return submit(
        form,
        work,
        done=lambda secret: _account_page(201, new_token=secret),
        page=lambda status: _account_page(status, token_form=form),
    )


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    """Revoke one of your API tokens."""
    with transaction() as session:
        token = api_tokens.revoke_api_token(
            session, user_id=signed_in_user_id(), token_id=token_id, now=now()
        )
    flash(gettext("The token “%(name)s” is revoked.", name=token.name), "success")
    return redirect(url_for("accounts.account"))
