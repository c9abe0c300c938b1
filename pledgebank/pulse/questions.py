"""The pulse's questions: the core measures asked in every round, and the answer scale.

The wording follows the UK Community Life Survey (Department for Culture, Media and Sport, 2021/22 and later
waves), recast where needed as statements on one 5-point agree scale so every measure is read the same way:

- area: "Overall, how satisfied or dissatisfied are you with your local area as a place to live?"
- services: the survey's satisfaction with local services, asked of the area's services as a whole;
- influence: "Do you agree or disagree that you personally can influence decisions affecting your local area?"
- capability: the survey's "how confident would you be ... to get involved to improve your area", as a
  statement of one's own confidence to take part and get things done;
- rely_on: "If I needed help, there are people who would be there for me";
- cope: being able, with others, to cope with a local problem (the survey's neighbourhood-resilience items);
- trust: "Would you say that many of the people in your neighbourhood can be trusted ...?"
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pledgebank.text import _t


class QuestionKind(StrEnum):
    """A question answered on the agree scale, or in the resident's own words."""

    SCALE = "scale"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class CoreQuestion:
    """A measure asked in every round: its key, the statement and a short name for tables and charts."""

    key: str
    text: str
    measure: str


CORE: tuple[CoreQuestion, ...] = (
    CoreQuestion(
        "area", _t("I am satisfied with my local area as a place to live."), _t("Satisfied with the area")
    ),
    CoreQuestion(
        "services",
        _t("I am satisfied with the local services in my area."),
        _t("Satisfied with local services"),
    ),
    CoreQuestion(
        "influence",
        _t("I personally can influence decisions affecting my local area."),
        _t("Can influence decisions"),
    ),
    CoreQuestion(
        "capability",
        _t("I feel confident I could take part and get things done to improve my local area."),
        _t("Confident to get things done"),
    ),
    CoreQuestion(
        "rely_on",
        _t("If I needed help, there are people who would be there for me."),
        _t("People to rely on"),
    ),
    CoreQuestion(
        "cope",
        _t("If a problem affected my local area, such as flooding or a power cut, I would be able to cope."),
        _t("Able to cope with a local problem"),
    ),
    CoreQuestion(
        "trust", _t("Many of the people in my neighbourhood can be trusted."), _t("Trust in neighbours")
    ),
)
CORE_KEYS = tuple(q.key for q in CORE)
EXTRA = "extra"

DONT_KNOW = 0
# The agree scale, strongly disagree (1) to strongly agree (5); 0 is "don't know", which gives no view.
SCALE: tuple[tuple[int, str], ...] = (
    (5, _t("Strongly agree")),
    (4, _t("Agree")),
    (3, _t("Neither agree nor disagree")),
    (2, _t("Disagree")),
    (1, _t("Strongly disagree")),
    (DONT_KNOW, _t("Don't know")),
)
SCALE_VALUES = frozenset(v for v, _ in SCALE)
AGREEING = frozenset({4, 5})
MAX_TEXT = 2000


def statement_of(key: str, text: str) -> str:
    """A question's statement as asked: a core measure's marked words (read in the reader's language) when the
    round asked them unchanged, else the words the round stored."""
    for question in CORE:
        if question.key == key and question.text == text:
            return question.text
    return text


def measure_name(key: str, text: str) -> str:
    """The short name of a core measure, or an extra question's own words."""
    for question in CORE:
        if question.key == key:
            return question.measure
    return text
