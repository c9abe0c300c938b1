"""The form asking for alerts about new pledges."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from pledgebank.alerts.services import FREQUENCIES
from pledgebank.web.form_base import Form


class AlertForm(Form):
    """An address, an area (a neighbourhood given by the page, or a postcode district), and how often."""

    class Meta:
        csrf = False  # the app-wide CSRF protection has checked the POST already

    email = EmailField(
        _l("Your email address"),
        validators=[DataRequired(_l("Enter your email address.")), Length(max=254)],
        description=_l("We email a link to confirm it first; nothing is sent until you click it."),
    )
    district = StringField(
        _l("Postcode district"),
        validators=[Length(max=8)],
        description=_l("The first half of a postcode, like SE15."),
        render_kw={"autocapitalize": "characters", "spellcheck": "false"},
    )
    neighbourhood = HiddenField()
    frequency = RadioField(
        _l("How often"),
        choices=[SelectChoice(value, label) for value, label in FREQUENCIES.items()],
        default="immediate",
        validators=[DataRequired(_l("Choose how often to hear."))],
    )
