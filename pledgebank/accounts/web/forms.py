"""Forms for signing up, in and out, and managing an account."""

from __future__ import annotations

from wtforms import BooleanField, EmailField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length

from pledgebank.accounts.services import MAX_PASSWORD, MIN_PASSWORD
from pledgebank.web.form_base import Form

_EMAIL = [
    DataRequired("Enter your email address."),
    Email("Enter an email address like name@example.com."),
    Length(max=254),
]
_NEW_PASSWORD = [
    DataRequired("Choose a password."),
    Length(min=MIN_PASSWORD, max=MAX_PASSWORD, message=f"Use {MIN_PASSWORD} to {MAX_PASSWORD} characters."),
]


class RegisterForm(Form):
    """New account."""

    email = EmailField("Email address", validators=_EMAIL)
    display_name = StringField(
        "Your name, as neighbours will see it", validators=[DataRequired("Enter your name."), Length(max=80)]
    )
    password = PasswordField(
        "Password",
        validators=_NEW_PASSWORD,
        description=f"At least {MIN_PASSWORD} characters. A few words together work well.",
    )
    confirm = PasswordField(
        "Password again",
        validators=[
            DataRequired("Type the password again."),
            EqualTo("password", "The passwords do not match."),
        ],
    )


class LoginForm(Form):
    """Sign in."""

    email = EmailField("Email address", validators=_EMAIL)
    # No password is longer than MAX_PASSWORD, so a longer one is refused without hashing it.
    password = PasswordField(
        "Password",
        validators=[
            DataRequired("Enter your password."),
            Length(max=MAX_PASSWORD, message=f"Passwords are at most {MAX_PASSWORD} characters."),
        ],
    )
    remember = BooleanField("Keep me signed in on this device")


class ForgotPasswordForm(Form):
    """Ask for a reset link."""

    email = EmailField("Email address", validators=_EMAIL)


class ResetPasswordForm(Form):
    """Choose a new password from a reset link."""

    password = PasswordField("New password", validators=_NEW_PASSWORD)
    confirm = PasswordField(
        "New password again",
        validators=[
            DataRequired("Type the password again."),
            EqualTo("password", "The passwords do not match."),
        ],
    )


class ChangePasswordForm(Form):
    """Change password while signed in."""

    current_password = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password.")]
    )
    new_password = PasswordField("New password", validators=_NEW_PASSWORD)
    confirm = PasswordField(
        "New password again",
        validators=[
            DataRequired("Type the password again."),
            EqualTo("new_password", "The passwords do not match."),
        ],
    )


class ApiTokenForm(Form):
    """Create a personal API token."""

    name = StringField(
        "Token name",
        validators=[DataRequired("Give the token a name."), Length(max=60)],
        description="So you can tell your tokens apart, e.g. 'spreadsheet sync'.",
    )
    scope = RadioField(
        "Access",
        choices=[SelectChoice("read", "Read only"), SelectChoice("read-write", "Read and write")],
        default="read",
        validators=[DataRequired("Choose the access this token has.")],
    )


class EmptyForm(Form):
    """A form with only the CSRF token (buttons that POST)."""


class CloseAccountForm(Form):
    """Close your own account: your password again, and a tick that you understand."""

    password = PasswordField(
        "Your password",
        validators=[
            DataRequired("Enter your password to close your account."),
            Length(max=MAX_PASSWORD, message=f"Passwords are at most {MAX_PASSWORD} characters."),
        ],
    )
    confirm = BooleanField(
        "I understand that my account is closed for good and cannot be restored",
        validators=[DataRequired("Tick the box to confirm that you want to close your account.")],
    )
