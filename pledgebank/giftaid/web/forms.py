"""Gift Aid's forms: a donor's declaration, the charity's HMRC reference, a claim and HMRC's payment.

The app-wide CSRF protection checks every POST before a view runs, so the forms do not check it again.
The services check the details again (a declaration's name and postcode, a claim's gifts), so the same
refusals reach the JSON and the HTML alike.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from pledgebank.giftaid.eligibility import Scope
from pledgebank.giftaid.models import HOUSE_MAX, NAME_MAX, TITLE_MAX
from pledgebank.text import _t
from pledgebank.web.fields import form_date, form_money
from pledgebank.web.form_base import Form, MoneyText


class DeclarationForm(Form):
    """A donor's Gift Aid declaration: what it covers, their name and home address, and their confirmation."""

    class Meta:
        csrf = False

    scope = RadioField(
        _l("Which gifts"),
        choices=[SelectChoice(s.value, s.value) for s in Scope],
        validators=[DataRequired(_l("Choose which gifts the declaration covers."))],
    )
    title = StringField(
        _l("Title"), validators=[Optional(), Length(max=TITLE_MAX)], description=_l("Like Mr, Ms, Dr.")
    )
    first_name = StringField(
        _l("First name or initial"),
        validators=[DataRequired(_l("Give your first name or initial.")), Length(max=NAME_MAX)],
    )
    last_name = StringField(
        _l("Last name"), validators=[DataRequired(_l("Give your last name.")), Length(max=NAME_MAX)]
    )
    house = StringField(
        _l("House name or number"),
        validators=[DataRequired(_l("Give your house name or number.")), Length(max=HOUSE_MAX)],
        description=_l("Of your home address, not a work address."),
    )
    postcode = StringField(
        _l("Postcode"),
        validators=[DataRequired(_l("Give your postcode.")), Length(max=10)],
        description=_l("Like S19 2BD."),
    )
    confirm = BooleanField(
        _l("I have read the declaration above and I am a UK taxpayer."),
        validators=[DataRequired(_l("Tick the box to make the declaration."))],
    )


class CharityForm(Form):
    """The neighbourhood's HMRC charity reference."""

    class Meta:
        csrf = False

    hmrc_reference = StringField(
        _l("HMRC charity reference"),
        validators=[DataRequired(_l("Give the HMRC charity reference.")), Length(max=12)],
        description=_l("One or two letters then up to five digits, like AB12345."),
    )


class ClaimForm(Form):
    """A claim for a period: every eligible gift of it not claimed before, or the gifts ticked."""

    class Meta:
        csrf = False

    period_start = StringField(
        _l("First day of the period"),
        validators=[DataRequired(_l("Give the first day of the period."))],
        description=_l("Like 2026-04-06."),
    )
    period_end = StringField(
        _l("Last day of the period"),
        validators=[DataRequired(_l("Give the last day of the period."))],
        description=_l("Like 2027-04-05."),
    )
    gifts = SelectMultipleField(
        _l("Gifts to claim"), choices=[], validate_choice=False, validators=[Optional()]
    )
    # Sent with the list of gifts: none ticked from a list is a claim of nothing, not of every gift.
    gifts_listed = HiddenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parsed: dict[str, Any] = {}

    def validate(self, extra_validators: Any = None) -> bool:
        """As usual; and a list of gifts with none ticked is refused beside the gifts."""
        valid = super().validate(extra_validators)
        if self.gifts_listed.data and not self.gifts.data:
            self.gifts.errors = [*self.gifts.errors, _l("Tick the gifts to claim: none is ticked.")]
            return False
        return valid

    def validate_period_start(self, field: StringField) -> None:
        self.parsed["start"] = form_date(field.data, what=_t("the first day"), example="2026-04-06")

    def validate_period_end(self, field: StringField) -> None:
        self.parsed["end"] = form_date(field.data, what=_t("the last day"), example="2027-04-05")


class PaymentForm(Form):
    """The day HMRC's payment of a claim reached the bank."""

    class Meta:
        csrf = False

    paid_on = StringField(
        _l("Day the payment reached the bank"),
        validators=[DataRequired(_l("Give the day the payment arrived."))],
        description=_l("Like 2026-12-01."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parsed: dict[str, Any] = {}

    def validate_paid_on(self, field: StringField) -> None:
        self.parsed["paid_on"] = form_date(field.data, what=_t("the day"), example="2026-12-01")


class BenefitForm(Form):
    """What each pledger of a pledge receives in return, and its value (HMRC's donor benefit limits)."""

    class Meta:
        csrf = False

    value = StringField(
        MoneyText("Value to each pledger, in {name}"),
        validators=[DataRequired(_l("Give the value, or 0 if pledgers receive nothing."))],
        description=_l("What it would cost to buy. 0 if pledgers receive nothing in return."),
    )
    description = StringField(
        _l("What each pledger receives"),
        validators=[Optional(), Length(max=200)],
        description=_l("Like a ticket to the opening, or a name on the plaque."),
    )

    def __init__(self, *args: Any, currency: str = "GBP", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.parsed: dict[str, Any] = {}

    def validate_value(self, field: StringField) -> None:
        self.parsed["value"] = form_money(field.data, self.currency, what=_t("the value"), allow_zero=True)
