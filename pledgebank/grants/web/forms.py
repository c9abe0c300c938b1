"""Forms for grants: opening a round and applying (the application page's tools are in tool_forms).

The app-wide CSRF protection checks every POST before a view runs, so the forms do not check it again.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Field, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from pledgebank.inputs import MAX_LINES
from pledgebank.text import _t
from pledgebank.web.fields import form_count, form_date, form_money
from pledgebank.web.form_base import Form, MoneyText

MONEY_INPUT = {"inputmode": "decimal", "spellcheck": "false"}


class GrantForm(Form):
    """A form that parses money and dates into `parsed`, by field name (without any prefix)."""

    class Meta:
        csrf = False

    def __init__(self, *args, currency: str = "GBP", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.parsed: dict[str, Any] = {}  # each field's parsed value, of that field's type

    def _money(self, field: Field, what: str) -> None:
        self.parsed[field.short_name] = form_money(field.data, self.currency, what=what)

    def _date(self, field: Field) -> None:
        self.parsed[field.short_name] = form_date(field.data)


def _lines(text: str | None) -> list[tuple[int, str]]:
    """The non-blank lines with their numbers; refuses more than MAX_LINES."""
    lines = [(number, raw.strip()) for number, raw in enumerate((text or "").splitlines(), start=1)]
    lines = [(number, line) for number, line in lines if line]
    if len(lines) > MAX_LINES:
        raise ValidationError(_("Give at most %(count)s lines.", count=MAX_LINES))
    return lines


def parse_lines(text: str | None, currency: str) -> list[tuple[str, int]]:
    """Budget or criteria lines, one per line: "what: number". Raises ValidationError naming the bad line."""
    lines = []
    for number, line in _lines(text):
        what, colon, cost = line.rpartition(":")
        if not colon or not what.strip() or not cost.strip():
            raise ValidationError(
                _("Line %(number)s: end it with a colon and a number, like 'Paint: 45'.", number=number)
            )
        amount = form_money(cost, currency, what=_t("the amount on line %(number)s", number=number))
        assert amount is not None  # the cost is not blank
        lines.append((what.strip(), amount))
    return lines


def parse_criteria(text: str | None) -> list[tuple[str, int]]:
    """Criteria, one per line: "name: weight" (the weight 1 to 10; 1 when left out)."""
    criteria = []
    for number, line in _lines(text):
        name, colon, weight = line.rpartition(":")
        if not colon:
            name, weight = line, "1"
        try:
            value = form_count(
                weight, what=_t("the weight on line %(number)s", number=number), maximum=10, example=3
            )
        except ValidationError:
            raise ValidationError(
                _("Line %(number)s: end it with a colon and a weight from 1 to 10.", number=number)
            ) from None
        if value is None:
            raise ValidationError(
                _("Line %(number)s: end it with a colon and a weight from 1 to 10.", number=number)
            )
        criteria.append((name.strip(), value))
    return criteria


class RoundForm(GrantForm):
    """Open a grant round."""

    fund = SelectField(_l("Fund"), validators=[DataRequired(_l("Choose a fund."))], validate_choice=False)
    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Give the round a title.")), Length(max=120)]
    )
    description = TextAreaField(
        _l("What the round is for"),
        validators=[DataRequired(_l("Describe the round.")), Length(max=4000)],
    )
    eligibility = TextAreaField(
        _l("Who can apply"), validators=[Optional(), Length(max=4000)], description=_l("Shown to applicants.")
    )
    budget = StringField(
        MoneyText("Budget, in {name}"),
        validators=[DataRequired(_l("Give the budget."))],
        render_kw=MONEY_INPUT,
    )
    max_award = StringField(
        MoneyText("Largest award, in {name}"),
        validators=[DataRequired(_l("Give the largest award."))],
        render_kw=MONEY_INPUT,
    )
    opens_on = StringField(
        _l("Opens on"), validators=[DataRequired(_l("Give the opening date."))], render_kw={"type": "date"}
    )
    closes_on = StringField(
        _l("Closes at the end of"),
        validators=[DataRequired(_l("Give the closing date."))],
        render_kw={"type": "date"},
        description=_l("UK time: applications can be submitted until midnight."),
    )
    criteria = TextAreaField(
        _l("Scoring criteria"),
        validators=[DataRequired(_l("Give at least one criterion."))],
        description=_l("One per line with its weight from 1 to 10, like 'Benefit to the neighbourhood: 3'."),
    )
    quorum_rule = RadioField(
        _l("Quorum"),
        choices=[
            SelectChoice("majority", _l("A majority of the committee members without a conflict")),
            SelectChoice("all", _l("Every committee member without a conflict")),
            SelectChoice("fixed", _l("A fixed number of members")),
        ],
        default="majority",
        validators=[DataRequired(_l("Choose a quorum."))],
    )
    quorum_minimum = StringField(
        _l("At least this many reviews"),
        default="2",
        validators=[DataRequired(_l("Give the smallest number of reviews."))],
        render_kw={"inputmode": "numeric"},
        description=_l("Never fewer than 2."),
    )
    project_months = StringField(
        _l("How long funded projects run, in months"),
        default="12",
        validators=[DataRequired(_l("Give how many months projects run."))],
        render_kw={"inputmode": "numeric"},
        description=_l("From the award; published with each grant as its planned dates."),
    )

    def validate_budget(self, field: Field) -> None:
        """Pounds and pence, above zero."""
        self._money(field, _t("the budget"))

    def validate_max_award(self, field: Field) -> None:
        """Pounds and pence, above zero."""
        self._money(field, _t("the largest award"))

    def validate_opens_on(self, field: Field) -> None:
        """A calendar date."""
        self._date(field)

    def validate_closes_on(self, field: Field) -> None:
        """A calendar date."""
        self._date(field)

    def validate_criteria(self, field: Field) -> None:
        """Lines of "name: weight"."""
        self.parsed["criteria"] = parse_criteria(field.data)

    def validate_quorum_minimum(self, field: Field) -> None:
        """A whole number."""
        self.parsed["quorum_minimum"] = form_count(
            field.data, what=_t("the number of reviews"), maximum=1000, example=2
        )

    def validate_project_months(self, field: Field) -> None:
        """A whole number of months."""
        self.parsed["project_months"] = form_count(field.data, what=_t("the months"), maximum=60, example=12)


class ApplicationForm(GrantForm):
    """Apply for a grant (or change a draft)."""

    title = StringField(
        _l("Title"), validators=[DataRequired(_l("Give your application a title.")), Length(max=120)]
    )
    summary = TextAreaField(
        _l("What the money is for"),
        validators=[DataRequired(_l("Say what the money is for.")), Length(max=4000)],
        description=_l("What you will do, who it helps, and when."),
    )
    amount_requested = StringField(
        MoneyText("Amount requested, in {name}"),
        validators=[DataRequired(_l("Give the amount you are asking for."))],
        render_kw=MONEY_INPUT,
    )
    budget_lines = TextAreaField(
        _l("Budget"),
        validators=[DataRequired(_l("Give your budget."))],
        description=_l(
            "One item per line with its cost, like 'Paint and brushes: 45'. They must add up to "
            "the amount requested."
        ),
    )
    group_name = StringField(
        _l("Group's name"),
        validators=[Optional(), Length(max=120)],
        description=_l("If you apply for a group. Only groups are named on the public list of grants."),
    )
    charity_number = StringField(
        _l("Group's registered charity number"),
        validators=[Optional(), Length(max=20)],
        description=_l(
            "If the group is a registered charity: it identifies the group in published grants data."
        ),
    )
    company_number = StringField(
        _l("Group's company number"),
        validators=[Optional(), Length(max=20)],
        description=_l("If the group is a registered company (Companies House)."),
    )
    postcode = StringField(
        _l("Group's postcode"),
        validators=[Optional(), Length(max=10)],
        description=_l(
            "Where the group is based; published with the grant. Leave blank when you apply for yourself."
        ),
    )

    def validate_amount_requested(self, field: Field) -> None:
        """Pounds and pence, above zero."""
        self._money(field, _t("the amount"))

    def validate_budget_lines(self, field: Field) -> None:
        """Lines of "item: cost"."""
        self.parsed["budget_lines"] = parse_lines(field.data, self.currency)
