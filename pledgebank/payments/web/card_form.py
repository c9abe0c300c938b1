"""The test-mode card form that stands in for Stripe's card element, shared by every card flow."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from pledgebank.payments.gateway import TEST_CARD_LABELS
from pledgebank.web.form_base import Form


class TestCardForm(Form):
    """Test mode: one of Stripe's documented test cards instead of a card form."""

    __test__ = False  # not a pytest test class

    class Meta:
        csrf = False

    card = RadioField(
        _l("Test card"),
        choices=[SelectChoice(card.value, label) for card, label in TEST_CARD_LABELS.items()],
        validators=[DataRequired(_l("Choose a test card."))],
        description=_l("This service is in test mode: no real card is charged."),
    )
