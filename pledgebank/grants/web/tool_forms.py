"""The application page's tools: declaring, scoring, naming the decider, deciding, reducing, reconsidering,
paying and reporting. They share one page, so each is built there with its own prefix (ids stay unique)."""

from __future__ import annotations

from wtforms import BooleanField, Field, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from pledgebank.grants.web.forms import MONEY_INPUT, GrantForm
from pledgebank.web.fields import form_money
from pledgebank.web.form_base import MoneyText


class DeclareForm(GrantForm):
    """Declare an interest before seeing the scores."""

    interest = RadioField(
        "Do you have a conflict of interest in this application?",
        choices=[
            SelectChoice("none", "No, I have no conflict of interest"),
            SelectChoice("conflict", "Yes, I have a conflict of interest"),
        ],
        validators=[DataRequired("Say whether you have a conflict of interest.")],
    )
    reason = TextAreaField(
        "The conflict",
        validators=[Optional(), Length(max=2000)],
        description="If you have one: for example, the applicant is a relative or you belong to the group.",
    )


SCORES = [SelectChoice("", "Choose a score"), *(SelectChoice(str(n), str(n)) for n in range(6))]


class ReviewForm(GrantForm):
    """Score each criterion and recommend an outcome (criterion fields are added per round)."""

    recommendation = RadioField(
        "Your recommendation",
        choices=[
            SelectChoice("award", "Award in full"),
            SelectChoice("part_award", "Award in part"),
            SelectChoice("defer", "Defer"),
            SelectChoice("reject", "Do not fund"),
        ],
        validators=[DataRequired("Recommend an outcome.")],
    )
    recommended_amount = StringField(
        MoneyText("Amount you recommend, in {name}"),
        validators=[Optional()],
        description="Only for an award in part.",
        render_kw=MONEY_INPUT,
    )
    comment = TextAreaField("Comment", validators=[Optional(), Length(max=4000)])

    def validate_recommended_amount(self, field: Field) -> None:
        """Pounds and pence, or blank."""
        self._money(field, "the amount")


def review_form(criteria, formdata=None, **kwargs) -> ReviewForm:
    """A review form with a 0-5 score field for each of the round's criteria (named score_<id>)."""

    class _Review(ReviewForm):
        pass

    for criterion in criteria:
        setattr(
            _Review,
            f"score_{criterion.id}",
            SelectField(
                f"{criterion.name} (weight {criterion.weight})",
                choices=SCORES,
                validators=[DataRequired(f"Score {criterion.name} from 0 to 5.")],
                description="0 (not at all) to 5 (fully).",
            ),
        )
    return _Review(formdata=formdata, **kwargs)


class DeciderForm(GrantForm):
    """The chair names who records the decision."""

    member = SelectField("Member who decides", validators=[DataRequired("Choose a member.")], coerce=str)


class DecisionForm(GrantForm):
    """Record the decision."""

    outcome = RadioField(
        "Decision",
        choices=[
            SelectChoice("award", "Award in full"),
            SelectChoice("part_award", "Award in part"),
            SelectChoice("defer", "Defer"),
            SelectChoice("reject", "Do not fund"),
        ],
        validators=[DataRequired("Choose the decision.")],
    )
    amount = StringField(
        MoneyText("Amount awarded, in {name}"),
        validators=[Optional()],
        description="For an award in part.",
        render_kw=MONEY_INPUT,
    )
    reason = TextAreaField(
        "Reason",
        validators=[Optional(), Length(max=2000)],
        description="Needed for an award in part and for not funding; the applicant is told.",
    )
    defer_until = StringField(
        "Defer until", validators=[Optional()], render_kw={"type": "date"}, description="For a deferral."
    )
    next_round = BooleanField("Defer to the next round")

    def validate_amount(self, field: Field) -> None:
        """Pounds and pence, or blank."""
        self._money(field, "the amount awarded")

    def validate_defer_until(self, field: Field) -> None:
        """A calendar date, or blank."""
        self._date(field)


class ReduceForm(GrantForm):
    """Lower an award before it is paid."""

    amount = StringField(
        MoneyText("New amount, in {name}"),
        validators=[DataRequired("Give the new amount.")],
        render_kw=MONEY_INPUT,
    )
    reason = TextAreaField(
        "Reason",
        validators=[DataRequired("Give the reason."), Length(max=2000)],
        description="The applicant is told.",
    )

    def validate_amount(self, field: Field) -> None:
        """Pounds and pence, above zero."""
        self._money(field, "the new amount")


class ReconsiderForm(GrantForm):
    """Take a deferred application back under review."""

    round = SelectField("Review it in", validators=[DataRequired("Choose a round.")], coerce=str)


class PaymentForm(GrantForm):
    """The treasurer records paying the award."""

    paid_on = StringField("Paid on", validators=[DataRequired("Give the date.")], render_kw={"type": "date"})
    method = RadioField(
        "How it was paid",
        choices=[
            SelectChoice("bank_transfer", "Bank transfer"),
            SelectChoice("cheque", "Cheque"),
            SelectChoice("cash", "Cash"),
        ],
        validators=[DataRequired("Choose how it was paid.")],
        default="bank_transfer",
    )
    reference = StringField(
        "Bank reference or cheque number",
        validators=[Optional(), Length(max=60)],
        description="Not needed for cash.",
    )

    def validate_paid_on(self, field: Field) -> None:
        """A calendar date."""
        self._date(field)


class ReportForm(GrantForm):
    """The grantee's report."""

    amount_spent = StringField(
        MoneyText("Amount spent, in {name}"),
        validators=[DataRequired("Give the amount spent.")],
        render_kw=MONEY_INPUT,
    )
    what_happened = TextAreaField(
        "What happened", validators=[DataRequired("Say what happened."), Length(max=4000)]
    )
    rating = RadioField(
        "How much did it help the neighbourhood?",
        choices=[
            SelectChoice("1", "1: not at all"),
            SelectChoice("2", "2: a little"),
            SelectChoice("3", "3: somewhat"),
            SelectChoice("4", "4: a lot"),
            SelectChoice("5", "5: enormously"),
        ],
        validators=[DataRequired("Choose from 1 to 5.")],
    )

    def validate_amount_spent(self, field: Field) -> None:
        """Pounds and pence; nothing at all is "0"."""
        self.parsed[field.short_name] = form_money(
            field.data, self.currency, what="the amount spent", allow_zero=True
        )
