"""Find user-facing text a template shows without marking it for translation.

Each template is read with Jinja's own lexer: what is outside `{{ }}`/`{% %}` (and outside `{% trans %}`
blocks) is the template's own text. In HTML that text is parsed: any text between tags with a word in it, and
the attributes people read (alt, title, aria-label, placeholder, and the value of an input button), is
unmarked text. In a text email everything outside the tags is.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from jinja2 import Environment

# A Jinja expression or statement, in the skeleton the HTML parser reads: it holds no letters.
HOLE = "\x00"
WORD = re.compile(r"[^\W\d_]{2,}")
# Names that are the same in every language.
SAME_IN_EVERY_LANGUAGE = {"PledgeBank", "English", "Cymraeg", "OpenAPI", "API", "CSV", "JSON", "QR", "Stripe"}
READ_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "aria-description", "aria-roledescription"}
# Only its lexer is used: nothing is rendered.
_ENV = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)


def skeleton(source: str) -> str:
    """The template's own text, with every expression, statement and `{% trans %}` block a HOLE."""
    parts: list[str] = []
    depth, tokens = 0, list(_ENV.lex(source))
    for index, (_line, kind, value) in enumerate(tokens):
        if kind == "block_begin":
            name = next((v for _l, k, v in tokens[index + 1 : index + 3] if k == "name"), "")
            depth += name == "trans"
            depth -= name == "endtrans"
        if kind == "data" and depth == 0:
            parts.append(value)
        elif not parts or parts[-1] != HOLE:
            parts.append(HOLE)
    return "".join(parts)


def _words(text: str) -> list[str]:
    return [word for word in WORD.findall(text) if word not in SAME_IN_EVERY_LANGUAGE]


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        named = dict(attrs)
        read = set(READ_ATTRIBUTES)
        if tag == "input" and named.get("type") in ("submit", "button", "reset"):
            read.add("value")
        for name, value in attrs:
            if name in read and value and _words(value):
                self.found.append(f'<{tag} {name}="{value.strip()}">')

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden = max(0, self._hidden - 1)

    def handle_data(self, data: str) -> None:
        if not self._hidden and _words(data):
            self.found.append(" ".join(data.split()))


def unmarked_text(path: Path) -> list[str]:
    """The unmarked user-facing text of one template (HTML, or a text email)."""
    text = skeleton(path.read_text(encoding="utf-8"))
    if path.suffix == ".txt":
        return [" ".join(line.replace(HOLE, "…").split()) for line in text.splitlines() if _words(line)]
    finder = _Finder()
    # A single letter, so that a hole may stand for a tag's name or an attribute without breaking the tag,
    # and is never a word (spaced, so that it never joins one either).
    holes = text.replace("</" + HOLE, "</x").replace("<" + HOLE, "<x").replace(HOLE, " x ")
    finder.feed(holes)
    finder.close()
    return finder.found
