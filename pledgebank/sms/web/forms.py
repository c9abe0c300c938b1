"""Texting's forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from pledgebank.web.form_base import Form


class NumberForm(Form):
    """The neighbourhood's text number."""

    number = StringField(
        _l("Text number"),
        validators=[DataRequired(_l("Enter the number residents text.")), Length(max=32)],
        description=_l("The number your text provider gave you, like 07700 900123."),
    )


class KeywordForm(Form):
    """A pledge's keyword."""

    keyword = StringField(
        _l("Keyword"),
        validators=[DataRequired(_l("Enter a keyword.")), Length(max=20)],
        description=_l("2 to 20 letters and digits, like FENCE. Residents text PLEDGE and the keyword."),
    )


class PhoneForm(Form):
    """A phone number to add to the account."""

    phone_number = StringField(
        _l("Mobile number"),
        validators=[DataRequired(_l("Enter your mobile number.")), Length(max=32)],
        description=_l("We text it a code to check it is yours."),
    )


class CodeForm(Form):
    """The code texted to the new number."""

    code = StringField(
        _l("Code"), validators=[DataRequired(_l("Enter the code we texted you.")), Length(min=6, max=6)]
    )


class DevTextForm(Form):
    """A text sent to the service as a phone would, through the fake provider (development only)."""

    sender = StringField(
        _l("From (your phone number)"),
        validators=[DataRequired(_l("Enter the phone number the text comes from.")), Length(max=32)],
    )
    to = StringField(
        _l("To (the neighbourhood's text number)"),
        validators=[DataRequired(_l("Enter the number to text.")), Length(max=32)],
    )
    body = TextAreaField(
        _l("Message"), validators=[DataRequired(_l("Write the text, like PLEDGE FENCE.")), Length(max=480)]
    )
