"""The forms of the ledger pages: closing a financial year, expense categories, the open books' filter."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, ValidationError

from pledgebank.web.form_base import Form


class CloseYearForm(Form):
    """Close the books through a date (the last day of a financial year)."""

    through = DateField(
        _l("Close the books through"),
        validators=[DataRequired(_l("Give the last day of the year to close, like 2026-03-31."))],
        description=_l(
            "The last day of the financial year. Nothing dated on or before it can be posted later."
        ),
    )


class CloseYearChoiceForm(CloseYearForm):
    """Choose the date to preview (a GET form: it changes nothing, so it carries no token)."""

    class Meta:
        csrf = False


class CategoryForm(Form):
    """Add an expense category, or give one a new name."""

    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Give the category a name."))],
        description=_l("Like “Garden supplies”. Its account code is made from the name it is first given."),
    )


class MoneyFilterForm(Form):
    """Choose a fund and a month of the open books (a GET form: it changes nothing, so no token)."""

    class Meta:
        csrf = False

    fund = SelectField(_l("Fund"), choices=[], validate_choice=True)
    month = StringField(
        _l("Month"),
        description=_l("Like 2026-11, or leave empty for every month."),
        render_kw={"type": "month", "inputmode": "numeric"},
    )

    def validate_month(self, field: StringField) -> None:
        """A month as YYYY-MM, or nothing."""
        text = (field.data or "").strip()
        if not text:
            field.data = ""
            return
        try:
            day = date.fromisoformat(f"{text}-01") if len(text) == 7 else None
        except ValueError:
            day = None
        if day is None or day.year < 1900:
            raise ValidationError(_l("Give a month like 2026-11."))
        field.data = text

    @property
    def first_day(self) -> date | None:
        """The first day of the chosen month, or None for every month."""
        return date.fromisoformat(f"{self.month.data}-01") if self.month.data else None
