"""The forms of the ledger pages: closing a financial year, expense categories."""

from __future__ import annotations

from wtforms import DateField, StringField
from wtforms.validators import DataRequired

from pledgebank.web.form_base import Form


class CloseYearForm(Form):
    """Close the books through a date (the last day of a financial year)."""

    through = DateField(
        "Close the books through",
        validators=[DataRequired("Give the last day of the year to close, like 2026-03-31.")],
        description="The last day of the financial year. Nothing dated on or before it can be posted later.",
    )


class CloseYearChoiceForm(CloseYearForm):
    """Choose the date to preview (a GET form: it changes nothing, so it carries no token)."""

    class Meta:
        csrf = False


class CategoryForm(Form):
    """Add an expense category, or give one a new name."""

    name = StringField(
        "Name",
        validators=[DataRequired("Give the category a name.")],
        description="Like “Garden supplies”. Its account code is made from the name it is first given.",
    )
