"""The forms on a page, read the way a browser reads them: action, and each field's name, kind and value."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class FormField:
    """One named control: its kind (text, money, count, date, time, choice, boolean, hidden, file,
    button) and
    value."""

    name: str
    kind: str
    value: str = ""
    required: bool = False
    options: list[str] = field(default_factory=list)


@dataclass
class PageForm:
    """A form on a page, with its fields in order."""

    action: str
    method: str
    fields: dict[str, FormField] = field(default_factory=dict)

    def values(self) -> dict[str, str]:
        """What a browser would submit untouched (checked boxes only, no button pressed)."""
        return {
            name: f.value
            for name, f in self.fields.items()
            if f.kind != "button" and (f.kind != "boolean" or f.value == "y")
        }


def _kind(tag: str, attrs: dict[str, str]) -> str:
    kind = attrs.get("type", "text")
    if tag == "textarea":
        return "text"
    if tag == "select" or kind == "radio":
        return "choice"
    if kind == "checkbox":
        return "boolean"
    if kind in ("hidden", "date", "time", "file"):
        return kind
    if kind == "number" or attrs.get("inputmode") == "numeric":
        return "count"
    if attrs.get("inputmode") == "decimal":
        return "money"
    return "text"


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[PageForm] = []
        self._text: FormField | None = None
        self._select: FormField | None = None

    def handle_starttag(self, tag: str, attrs_list) -> None:
        attrs = {key: value or "" for key, value in attrs_list}
        if tag == "form":
            self.forms.append(PageForm(attrs.get("action", ""), attrs.get("method", "get").lower()))
            return
        if tag == "option" and self._select is not None:
            self._select.options.append(attrs.get("value", ""))
            if "selected" in attrs or not self._select.value:
                self._select.value = attrs.get("value", "")
            return
        if not self.forms or tag not in ("input", "textarea", "select", "button"):
            return
        name = attrs.get("name")
        if not name:
            return
        if tag == "button" or attrs.get("type") in ("submit", "button"):
            # A named button sends its value when pressed: a choice made by clicking.
            pressed = self.forms[-1].fields.setdefault(name, FormField(name, "button"))
            pressed.options.append(attrs.get("value", ""))
            return
        required = "required" in attrs or attrs.get("aria-required") == "true"
        found = self.forms[-1].fields.setdefault(name, FormField(name, _kind(tag, attrs), required=required))
        if found.kind == "choice" and tag == "input":
            found.options.append(attrs.get("value", ""))
            if "checked" in attrs:
                found.value = attrs.get("value", "")
        elif found.kind == "boolean":
            found.value = "y" if "checked" in attrs else ""
        elif tag == "input":
            found.value = attrs.get("value", "")
        if tag == "textarea":
            self._text = found
        if tag == "select":
            self._select = found

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._text = None
        if tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            # A browser drops one newline straight after <textarea>.
            self._text.value += data if self._text.value else data.removeprefix("\r").removeprefix("\n")


def forms_on(html: str) -> list[PageForm]:
    """Every form on the page."""
    reader = _Reader()
    reader.feed(html)
    return reader.forms
