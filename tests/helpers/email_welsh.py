"""The Welsh side of the email-claims tests: each email is rendered once more in Welsh, from the same email
(subject, template and context) the services queued, and checked against its English render: no English
sentence is left (a line the same in both may hold only names, amounts, links and the sign-off), and the
facts the English claims — every link, amount, card ending, name and bank detail — are there in Welsh too."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import Any

from flask_babel import force_locale, gettext

from pledgebank.outbox import Email
from pledgebank.web import mailer

WELSH = "cy"
_URL = re.compile(r"https?://\S+")
_MONEY = re.compile(r"£[\d,]+\.\d\d")
_DIGITS = re.compile(r"\b\d{4}\b")
# Lines ending in a colon that introduce text, not a link (as in the English checker).
_INTRODUCES_TEXT = ("Newyddion am", "I dalu drwy drosglwyddiad banc")


def render_welsh(email: Email) -> tuple[str, str]:
    """The email's subject and body as a reader who chose Welsh gets them."""
    message = mailer.render_email(replace(email, language=WELSH))
    return str(message.subject), str(message.body)


def check_welsh(email: Email, english: str, english_subject: str, welsh_subject: str, welsh: str) -> None:
    """The Welsh render says what the English one says, in Welsh."""
    given = _strings(email.context) | _strings(getattr(email.subject, "values", {}))
    with force_locale(WELSH):  # a sentence of the service's own, such as why a pledge failed, is translated
        values = sorted((text for text in given if gettext(text) == text), key=len, reverse=True)
    assert _wordy(welsh_subject, values) == "" or welsh_subject != english_subject, (
        f"the subject is still in English: {welsh_subject!r}"
    )
    english_lines = set(english.splitlines())
    for line in welsh.splitlines():
        if line in english_lines:
            assert not _wordy(line, values), f"an English line in the Welsh email: {line!r}"
    for pattern in (_URL, _MONEY, _DIGITS):
        assert Counter(pattern.findall(welsh)) == Counter(pattern.findall(english)), (
            f"the Welsh gives other {pattern.pattern} than the English: "
            f"{pattern.findall(welsh)} != {pattern.findall(english)}"
        )
    for value in values:
        if value in english:
            assert value in welsh, f"the English names {value!r}, the Welsh does not"
    _readable(welsh)
    english_tail, welsh_tail = english.strip().splitlines()[-4:], welsh.strip().splitlines()[-4:]
    assert welsh_tail[-1] == english_tail[-1], "does not end as the English does"


def _strings(value: Any) -> set[str]:
    """Every name, title and other text the email was given (they stay as they are in Welsh)."""
    if isinstance(value, str):  # a name or title, not a code such as 'card' or 'monthly'
        return {value} if len(value.strip()) > 1 and value != value.lower() else set()
    if isinstance(value, dict):
        return {text for item in value.values() for text in _strings(item)}
    if isinstance(value, list | tuple):
        return {text for item in value for text in _strings(item)}
    return set()


def _wordy(line: str, values: list[str]) -> str:
    """What is left of a line once its links, given values, amounts, numbers and the brand are taken out:
    the words someone wrote for it."""
    rest = _URL.sub(" ", line)
    for value in values:
        rest = rest.replace(value, " ")
    rest = _MONEY.sub(" ", rest).replace("PledgeBank", " ")
    return re.sub(r"[^A-Za-zÀ-ÿŵŷŴŶ]+", "", rest)


def _readable(body: str) -> None:
    for bad in ("{{", "{%", "{#", "None", "&amp;", "&#", "<", "..\n", "%("):
        assert bad not in body, f"{bad!r} in the Welsh text"
    assert "\n\n\n" not in body.strip(), "two blank lines in a row"
    for line in body.splitlines():
        assert line == line.rstrip(), f"trailing spaces: {line!r}"
        if not _URL.search(line):
            assert len(line) <= 120, f"a line too long to read in plain text: {line!r}"
        if line.endswith(":") and not line.startswith(_INTRODUCES_TEXT):
            following = body.split(line, 1)[1].strip().splitlines()
            assert following and _URL.match(following[0]), f"{line!r} is not followed by its link"
