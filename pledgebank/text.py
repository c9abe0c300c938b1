"""Text that services write for people, translatable without Flask.

A service marks a sentence with `_t("You have already pledged to %(title)s.", title=pledge.title)`: the
result is a `Message`, a `str` whose value is the English sentence (so logs, the JSON API and comparisons
read it as before) that also remembers its msgid and named values. Where it is shown to a person (a page, an
email) it is looked up in the message catalogue by the translator the web layer installs (`install`), in the
language of that page or email: `str(message)` and Jinja's autoescape (`__html__`) both translate.

A sentence whose words depend on a number ("1 person", "5 people") is marked with `_tn(singular, plural, n,
**values)`, the counterpart of ngettext: a `PluralMessage`, whose English is the singular or the plural by n
and whose translation is the catalogue's form for n in the page's language (Welsh has six), looked up by the
plural translator the web layer installs beside the other.

`pybabel extract -k _t -k _tn:1,2` finds the marked sentences (scripts/update_catalogues.py passes them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from markupsafe import escape

Translator = Callable[[str], str]
# (singular msgid, plural msgid, n) -> the current language's msgstr for n
PluralTranslator = Callable[[str, str, int], str]

_translator: list[Translator] = []
_plural_translator: list[PluralTranslator] = []


def install(translator: Translator, plural: PluralTranslator | None = None) -> None:
    """Use translator (msgid -> the current language's msgstr) for every Message shown from now on, and
    plural, when given, ((singular, plural, n) -> the msgstr for n) for every PluralMessage (the one installed
    before stays otherwise; with none ever installed, PluralMessages show their English forms)."""
    _translator[:] = [translator]
    if plural is not None:
        _plural_translator[:] = [plural]


def _translate(msgid: str) -> str:
    return _translator[0](msgid) if _translator else msgid


def _english_form(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


def _translate_plural(singular: str, plural: str, n: int) -> str:
    return (
        _plural_translator[0](singular, plural, n)
        if _plural_translator
        else _english_form(singular, plural, n)
    )


def _english(values: dict[str, Any]) -> dict[str, Any]:
    """Values as they go into a message's English: a Message by its English value (`%s` would call its
    `__str__`, which translates into the language of the page being made)."""
    return {name: str.__str__(v) if isinstance(v, Message) else v for name, v in values.items()}


class Message(str):
    """An English sentence that knows its msgid and named values, and translates when shown."""

    msgid: str
    values: dict[str, Any]

    def __new__(cls, msgid: str, values: Mapping[str, Any] | None = None) -> Message:
        named = dict(values or {})
        english = msgid % _english(named) if named else msgid
        message = super().__new__(cls, english)
        message.msgid, message.values = msgid, named
        return message

    def __str__(self) -> str:
        translated = _translate(self.msgid)
        return translated % self.values if self.values else translated

    def __html__(self) -> str:
        return _escape(str(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return (Message, (self.msgid, self.values))


class PluralMessage(Message):
    """A Message whose words follow a number: English is the singular form when n is 1, else the plural;
    shown, it is the form for n in the current language. (Not kept by to_plain: made and shown in a page.)"""

    plural: str
    n: int

    def __new__(
        cls, singular: str, plural: str, n: int, values: Mapping[str, Any] | None = None
    ) -> PluralMessage:
        named = dict(values or {})
        english = _english_form(singular, plural, n)
        message = str.__new__(cls, english % _english(named) if named else english)
        message.msgid, message.values, message.plural, message.n = singular, named, plural, n
        return message

    def __str__(self) -> str:
        translated = _translate_plural(self.msgid, self.plural, self.n)
        return translated % self.values if self.values else translated

    def __reduce__(self) -> tuple[Any, ...]:
        return (PluralMessage, (self.msgid, self.plural, self.n, self.values))


def _escape(shown: str) -> str:
    """Text as HTML, escaped by markupsafe just as Jinja's autoescape escapes a plain str, so a page reads the
    same, byte for byte, whether a text is a Message or not."""
    return str(escape(shown))


def _t(msgid: str, **values: Any) -> Message:
    """Mark msgid (with named `%(name)s` values) as text for people; translated where it is shown."""
    return Message(msgid, values)


def _tn(singular: str, plural: str, n: int, **values: Any) -> PluralMessage:
    """Mark a sentence that follows the number n (ngettext's counterpart): singular for one, plural otherwise
    in English, the language's own form for n where it is shown. The number is not put in for you: pass it
    as one of the named values (`_tn("%(count)s person", "%(count)s people", n, count=n)`)."""
    return PluralMessage(singular, plural, n, values)


def to_plain(text: str) -> str | dict[str, Any]:
    """JSON-plain form of text for a queued job: a Message keeps its msgid and values (a value that is itself
    a Message, such as the subject in "%(subject)s: %(title)s", kept the same way), to translate later."""
    if isinstance(text, Message):
        values = {name: to_plain(v) if isinstance(v, Message) else v for name, v in text.values.items()}
        return {"msgid": text.msgid, "values": values}
    return str.__str__(text)


def from_plain(plain: str | Mapping[str, Any]) -> str:
    """The text to_plain stored."""
    if isinstance(plain, Mapping):
        values = {
            name: from_plain(v) if isinstance(v, Mapping) and "msgid" in v else v
            for name, v in (plain.get("values") or {}).items()
        }
        return Message(plain["msgid"], values)
    return plain
