"""Deciding when two address lines are the same household: a normal form of an address, pure."""

from __future__ import annotations

import re

_POSTCODE = re.compile(r"\s*,?\s*[a-z]{1,2}[0-9][a-z0-9]?\s*[0-9][a-z]{2}\s*$")
_NOT_WORD = re.compile(r"[^a-z0-9/]+")
_FLAT = re.compile(r"^(?:flat|apartment|apt|unit)\s+")
# Street words people abbreviate, expanded wherever they appear after the house number.
_WORDS = {
    "rd": "road",
    "st": "street",
    "ave": "avenue",
    "av": "avenue",
    "ln": "lane",
    "cl": "close",
    "cres": "crescent",
    "dr": "drive",
    "gdns": "gardens",
    "gr": "grove",
    "pl": "place",
    "sq": "square",
    "tce": "terrace",
    "ter": "terrace",
    "ct": "court",
    "hse": "house",
}
MAX_LENGTH = 200


def normalise_address(line: str) -> str:
    """The address in a normal form: case, punctuation, spacing, a trailing postcode and common
    abbreviations do not matter ("10 Elm Rd." and "10, elm road SE15 4AB" are the same household).

    "St" is read as "street" only as the last word, since "St Mary's Road" is a saint's.
    """
    text = line.casefold().replace("'", "").replace("\u2019", "")
    text = _POSTCODE.sub("", text)
    words = _NOT_WORD.sub(" ", text).split()
    if not words:
        return ""
    expanded = []
    for position, word in enumerate(words):
        last = position == len(words) - 1
        if word == "st" and not last:
            expanded.append(word)
        else:
            expanded.append(_WORDS.get(word, word))
    return _FLAT.sub("flat ", " ".join(expanded))
