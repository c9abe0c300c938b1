"""Forms for signing up, in and out, and managing an account."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length

from pledgebank.accounts.services import MAX_PASSWORD, MIN_PASSWORD
from pledgebank.web.form_base import Form

_EMAIL = [
    DataRequired(_l("Enter your email address.")),
    Email(_l("Enter an email address like name@example.com.")),
    Length(max=254),
]
_NEW_PASSWORD = [
    DataRequired(_l("Choose a password.")),
    Length(
        min=MIN_PASSWORD,
        max=MAX_PASSWORD,
        message=_l(
            "Use %(min_password)s to %(max_password)s characters.",
            min_password=MIN_PASSWORD,
            max_password=MAX_PASSWORD,
        ),
    ),
]


class RegisterForm(Form):
    """New account."""

    email = EmailField(_l("Email address"), validators=_EMAIL)
    display_name = StringField(
        _l("Your name, as neighbours will see it"),
        validators=[DataRequired(_l("Enter your name.")), Length(max=80)],
    )
    password = PasswordField(
        _l("Password"),
        validators=_NEW_PASSWORD,
        description=_l(
            "At least %(min_password)s characters. A few words together work well.", min_password=MIN_PASSWORD
        ),
    )
    confirm = PasswordField(
        _l("Password again"),
        validators=[
            DataRequired(_l("Type the password again.")),
            EqualTo("password", _l("The passwords do not match.")),
        ],
    )


class LoginForm(Form):
    """Sign in."""

    email = EmailField(_l("Email address"), validators=_EMAIL)
    # No password is longer than MAX_PASSWORD, so a longer one is refused without hashing it.
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(_l("Enter your password.")),
            Length(
                max=MAX_PASSWORD,
                message=_l("Passwords are at most %(max_password)s characters.", max_password=MAX_PASSWORD),
            ),
        ],
    )
    remember = BooleanField(_l("Keep me signed in on this device"))


class ForgotPasswordForm(Form):
    """Ask for a reset link."""

    email = EmailField(_l("Email address"), validators=_EMAIL)


class ResetPasswordForm(Form):
    """Choose a new password from a reset link."""

    password = PasswordField(_l("New password"), validators=_NEW_PASSWORD)
    confirm = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(_l("Type the password again.")),
            EqualTo("password", _l("The passwords do not match.")),
        ],
    )


class ChangePasswordForm(Form):
    """Change password while signed in."""

    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password."))]
    )
    new_password = PasswordField(_l("New password"), validators=_NEW_PASSWORD)
    confirm = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(_l("Type the password again.")),
            EqualTo("new_password", _l("The passwords do not match.")),
        ],
    )


class ApiTokenForm(Form):
    """Create a personal API token."""

    name = StringField(
        _l("Token name"),
        validators=[DataRequired(_l("Give the token a name.")), Length(max=60)],
        description=_l("So you can tell your tokens apart, e.g. 'spreadsheet sync'."),
    )
    scope = RadioField(
        _l("Access"),
        choices=[SelectChoice("read", _l("Read only")), SelectChoice("read-write", _l("Read and write"))],
        default="read",
        validators=[DataRequired(_l("Choose the access this token has."))],
    )


class EmptyForm(Form):
    """A form with only the CSRF token (buttons that POST)."""


class CloseAccountForm(Form):
    """Close your own account: your password again, and a tick that you understand."""

    password = PasswordField(
        _l("Your password"),
        validators=[
            DataRequired(_l("Enter your password to close your account.")),
            Length(
                max=MAX_PASSWORD,
                message=_l("Passwords are at most %(max_password)s characters.", max_password=MAX_PASSWORD),
            ),
        ],
    )
    confirm = BooleanField(
        _l("I understand that my account is closed for good and cannot be restored"),
        validators=[DataRequired(_l("Tick the box to confirm that you want to close your account."))],
    )
