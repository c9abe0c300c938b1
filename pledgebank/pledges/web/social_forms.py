"""Forms for the social side of a pledge: how a signer appears, comments and replies, hiding a comment."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length

from pledgebank.pledges.comments import MAX_LENGTH
from pledgebank.pledges.signers import SHOWN_AS
from pledgebank.web.form_base import Form


class _Form(Form):
    class Meta:
        csrf = False  # the app-wide CSRF protection has checked the POST already


def shown_as_field() -> RadioField:
    """The signer's choice of how they appear in the public list."""
    return RadioField(
        _l("In the list of signers"),
        choices=[SelectChoice(value, label) for value, label in SHOWN_AS.items()],
        default="hidden",
        validate_choice=False,  # AnyOf says what is wrong in words, not WTForms' "Not a valid choice"
        validators=[
            DataRequired(_l("Choose how you appear in the list of signers.")),
            AnyOf(list(SHOWN_AS), message=_l("Choose how you appear in the list of signers.")),
        ],
        description=_l(
            "The number of people who have pledged is always shown; your name only if you choose."
        ),
    )


class SignerForm(_Form):
    """A signer changes how they appear."""

    shown_as = shown_as_field()


class CommentForm(_Form):
    """A comment or question, or a reply to one."""

    comment = TextAreaField(
        _l("Your comment or question"),
        validators=[DataRequired(_l("Write your comment or question.")), Length(max=MAX_LENGTH)],
        description=_l("Shown to everyone with your name; the pledge's creator is emailed."),
    )
    parent_id = HiddenField()


class HideCommentForm(_Form):
    """The committee hides a comment, saying why."""

    reason = TextAreaField(
        _l("Why hide it"),
        validators=[DataRequired(_l("Say why the comment is hidden.")), Length(max=500)],
    )
