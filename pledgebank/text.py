"""Text that services write for people, translatable without Flask.

A service marks a sentence with `_t("You have already pledged to %(title)s.", title=pledge.title)`: the
result is a `Message`, a `str` whose value is the English sentence (so logs, the JSON API and comparisons
read it as before) that also remembers its msgid and named values. Where it is shown to a person (a page, an
email) it is looked up in the message catalogue by the translator the web layer installs (`install`), in the
language of that page or email: `str(message)` and Jinja's autoescape (`__html__`) both translate.

`pybabel extract -k _t` finds the marked sentences (scripts/update_catalogues.py passes it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from html import escape
from typing import Any

Translator = Callable[[str], str]

_translator: list[Translator] = []


def install(translator: Translator) -> None:
    """Use translator (msgid -> the current language's msgstr) for every Message shown from now on."""
    _translator[:] = [translator]


def _translate(msgid: str) -> str:
    return _translator[0](msgid) if _translator else msgid


class Message(str):
    """An English sentence that knows its msgid and named values, and translates when shown."""

    msgid: str
    values: dict[str, Any]

    def __new__(cls, msgid: str, values: Mapping[str, Any] | None = None) -> Message:
        named = dict(values or {})
        english = msgid % named if named else msgid
        message = super().__new__(cls, english)
        message.msgid, message.values = msgid, named
        return message

    def __str__(self) -> str:
        translated = _translate(self.msgid)
        return translated % self.values if self.values else translated

    def __html__(self) -> str:
        return escape(str(self), quote=True)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Message, (self.msgid, self.values))


def _t(msgid: str, **values: Any) -> Message:
    """Mark msgid (with named `%(name)s` values) as text for people; translated where it is shown."""
    return Message(msgid, values)


def to_plain(text: str) -> str | dict[str, Any]:
    """JSON-plain form of text for a queued job: a Message keeps its msgid and values, to translate later."""
    if isinstance(text, Message):
        return {"msgid": text.msgid, "values": text.values}
    return str.__str__(text)


def from_plain(plain: str | Mapping[str, Any]) -> str:
    """The text to_plain stored."""
    if isinstance(plain, Mapping):
        return Message(plain["msgid"], plain.get("values") or {})
    return plain
