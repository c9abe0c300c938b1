"""Forms for the pulse: the committee's new round, and a resident's answers (a form made for each round).

The app-wide CSRF protection checks every POST before a view runs, so the forms do not check it again. The
answer form takes any value a radio button sends: the service refuses one off the scale, beside its question.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from pledgebank.pulse.models import PulseRound
from pledgebank.pulse.questions import MAX_TEXT, SCALE, QuestionKind, statement_of
from pledgebank.pulse.responses import Answer, field_name
from pledgebank.text import _t
from pledgebank.web.fields import form_date
from pledgebank.web.form_base import Form


class RoundForm(Form):
    """Open a round: its title, dates and any questions of the committee's own."""

    class Meta:
        csrf = False

    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Give the round a title.")), Length(max=120)],
        description=_l("Like 'Winter 2026'."),
    )
    opens = StringField(
        _l("Opens on"),
        validators=[DataRequired(_l("Give the day it opens."))],
        description=_l("Like 2026-12-01."),
    )
    closes = StringField(
        _l("Closes on"),
        validators=[DataRequired(_l("Give the day it closes."))],
        description=_l("Like 2027-02-28."),
    )
    extra_scale = TextAreaField(
        _l("Statements of your own, answered on the agree scale"),
        validators=[Optional()],
        description=_l("One a line. The core measures are asked every time."),
    )
    extra_text = TextAreaField(
        _l("Questions of your own, answered in words"),
        validators=[Optional()],
        description=_l("One a line. Only the committee reads the answers, never with a name."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parsed: dict[str, Any] = {}

    def validate_opens(self, field: StringField) -> None:
        self.parsed["opens"] = form_date(field.data, what=_t("the day it opens"))

    def validate_closes(self, field: StringField) -> None:
        self.parsed["closes"] = form_date(field.data, what=_t("the day it closes"))


def lines(text: str | None) -> list[str]:
    """The non-blank lines of a text area, trimmed."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def answer_form(found: PulseRound, own: dict[int, Answer], formdata: Any) -> Form:
    """A form with a field per question of the round, filled with the resident's own earlier answers."""

    class AnswerForm(Form):
        class Meta:
            csrf = False

    choices = [SelectChoice(str(value), label) for value, label in SCALE]
    for question in found.questions:
        if question.kind == QuestionKind.SCALE:
            label = statement_of(question.key, question.text)
            field: Any = RadioField(label, choices=choices, validate_choice=False)
        else:
            field = TextAreaField(question.text, validators=[Optional(), Length(max=MAX_TEXT)])
        setattr(AnswerForm, field_name(question.id), field)
    # Sent answers replace the earlier ones entirely (a browser sends every checked answer again).
    if formdata is not None:
        return AnswerForm(formdata=formdata)
    return AnswerForm(formdata=None, data={field_name(qid): str(given) for qid, given in own.items()})


def answers_of_form(found: PulseRound, form: Form) -> dict[int, Answer]:
    """The answers given, by question id: whole numbers for the scale (anything else passed on as given)."""
    answers: dict[int, Answer] = {}
    for question in found.questions:
        given = (getattr(form, field_name(question.id)).data or "").strip()
        if question.kind == QuestionKind.SCALE and given.lstrip("-").isdigit() and len(given) < 6:
            answers[question.id] = int(given)
        else:
            answers[question.id] = given
    return answers
