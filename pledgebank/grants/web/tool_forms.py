"""The application page's tools: declaring, scoring, naming the decider, deciding, reducing, reconsidering,
paying and reporting. They share one page, so each is built there with its own prefix (ids stay unique)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, Field, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from pledgebank.grants.web.forms import MONEY_INPUT, GrantForm
from pledgebank.text import _t
from pledgebank.web.fields import form_money
from pledgebank.web.form_base import MoneyText


class DeclareForm(GrantForm):
    """Declare an interest before seeing the scores."""

    interest = RadioField(
        _l("Do you have a conflict of interest in this application?"),
        choices=[
            SelectChoice("none", _l("No, I have no conflict of interest")),
            SelectChoice("conflict", _l("Yes, I have a conflict of interest")),
        ],
        validators=[DataRequired(_l("Say whether you have a conflict of interest."))],
    )
    reason = TextAreaField(
        _l("The conflict"),
        validators=[Optional(), Length(max=2000)],
        description=_l(
            "If you have one: for example, the applicant is a relative or you belong to the group."
        ),
    )


SCORES = [SelectChoice("", _l("Choose a score")), *(SelectChoice(str(n), str(n)) for n in range(6))]


class ReviewForm(GrantForm):
    """Score each criterion and recommend an outcome (criterion fields are added per round)."""

    recommendation = RadioField(
        _l("Your recommendation"),
        choices=[
            SelectChoice("award", _l("Award in full")),
            SelectChoice("part_award", _l("Award in part")),
            SelectChoice("defer", _l("Defer")),
            SelectChoice("reject", _l("Do not fund")),
        ],
        validators=[DataRequired(_l("Recommend an outcome."))],
    )
    recommended_amount = StringField(
        MoneyText("Amount you recommend, in {name}"),
        validators=[Optional()],
        description=_l("Only for an award in part."),
        render_kw=MONEY_INPUT,
    )
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=4000)])

    def validate_recommended_amount(self, field: Field) -> None:
        """Pounds and pence, or blank."""
        self._money(field, _t("the amount"))


def review_form(criteria, formdata=None, **kwargs) -> ReviewForm:
    """A review form with a 0-5 score field for each of the round's criteria (named score_<id>)."""

    class _Review(ReviewForm):
        pass

    for criterion in criteria:
        setattr(
            _Review,
            f"score_{criterion.id}",
            SelectField(
                _l("%(criterion)s (weight %(weight)s)", criterion=criterion.name, weight=criterion.weight),
                choices=SCORES,
                validators=[DataRequired(_l("Score %(criterion)s from 0 to 5.", criterion=criterion.name))],
                description=_l("0 (not at all) to 5 (fully)."),
            ),
        )
    return _Review(formdata=formdata, **kwargs)


class DeciderForm(GrantForm):
    """The chair names who records the decision."""

    member = SelectField(
        _l("Member who decides"), validators=[DataRequired(_l("Choose a member."))], coerce=str
    )


class DecisionForm(GrantForm):
    """Record the decision."""

    outcome = RadioField(
        _l("Decision"),
        choices=[
            SelectChoice("award", _l("Award in full")),
            SelectChoice("part_award", _l("Award in part")),
            SelectChoice("defer", _l("Defer")),
            SelectChoice("reject", _l("Do not fund")),
        ],
        validators=[DataRequired(_l("Choose the decision."))],
    )
    amount = StringField(
        MoneyText("Amount awarded, in {name}"),
        validators=[Optional()],
        description=_l("For an award in part."),
        render_kw=MONEY_INPUT,
    )
    reason = TextAreaField(
        _l("Reason"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Needed for an award in part and for not funding; the applicant is told."),
    )
    defer_until = StringField(
        _l("Defer until"),
        validators=[Optional()],
        render_kw={"type": "date"},
        description=_l("For a deferral."),
    )
    next_round = BooleanField(_l("Defer to the next round"))

    def validate_amount(self, field: Field) -> None:
        """Pounds and pence, or blank."""
        self._money(field, _t("the amount awarded"))

    def validate_defer_until(self, field: Field) -> None:
        """A calendar date, or blank."""
        self._date(field)


class ReduceForm(GrantForm):
    """Lower an award before it is paid."""

    amount = StringField(
        MoneyText("New amount, in {name}"),
        validators=[DataRequired(_l("Give the new amount."))],
        render_kw=MONEY_INPUT,
    )
    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(_l("Give the reason.")), Length(max=2000)],
        description=_l("The applicant is told."),
    )

    def validate_amount(self, field: Field) -> None:
        """Pounds and pence, above zero."""
        self._money(field, _t("the new amount"))


class ReconsiderForm(GrantForm):
    """Take a deferred application back under review."""

    round = SelectField(_l("Review it in"), validators=[DataRequired(_l("Choose a round."))], coerce=str)


class PaymentForm(GrantForm):
    """The treasurer records paying the award."""

    paid_on = StringField(
        _l("Paid on"), validators=[DataRequired(_l("Give the date."))], render_kw={"type": "date"}
    )
    method = RadioField(
        _l("How it was paid"),
        choices=[
            SelectChoice("bank_transfer", _l("Bank transfer")),
            SelectChoice("cheque", _l("Cheque")),
            SelectChoice("cash", _l("Cash")),
        ],
        validators=[DataRequired(_l("Choose how it was paid."))],
        default="bank_transfer",
    )
    reference = StringField(
        _l("Bank reference or cheque number"),
        validators=[Optional(), Length(max=60)],
        description=_l("Not needed for cash."),
    )

    def validate_paid_on(self, field: Field) -> None:
        """A calendar date."""
        self._date(field)


class ReportForm(GrantForm):
    """The grantee's report."""

    amount_spent = StringField(
        MoneyText("Amount spent, in {name}"),
        validators=[DataRequired(_l("Give the amount spent."))],
        render_kw=MONEY_INPUT,
    )
    what_happened = TextAreaField(
        _l("What happened"), validators=[DataRequired(_l("Say what happened.")), Length(max=4000)]
    )
    rating = RadioField(
        _l("How much did it help the neighbourhood?"),
        choices=[
            SelectChoice("1", _l("1: not at all")),
            SelectChoice("2", _l("2: a little")),
            SelectChoice("3", _l("3: somewhat")),
            SelectChoice("4", _l("4: a lot")),
            SelectChoice("5", _l("5: enormously")),
        ],
        validators=[DataRequired(_l("Choose from 1 to 5."))],
    )

    def validate_amount_spent(self, field: Field) -> None:
        """Pounds and pence; nothing at all is "0"."""
        self.parsed[field.short_name] = form_money(
            field.data, self.currency, what=_t("the amount spent"), allow_zero=True
        )
