"""Short codes for pledges' short links (/p/<code>)."""

from __future__ import annotations

import re
import secrets

# Lower-case letters without i, l and o (easily misread on a printed flyer); never digits, so a code is never
# taken for a pledge number. 23**7 is about 3.4 billion codes.
ALPHABET = "abcdefghjkmnpqrstuvwxyz"
LENGTH = 7
SHORT_CODE = re.compile(f"^[{ALPHABET}]{{{LENGTH}}}$")


def new_short_code() -> str:
    """A fresh random short code."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def is_short_code(text: str) -> bool:
    """Whether text has the shape of a short code (case-insensitive, as people type them)."""
    return bool(SHORT_CODE.match(text.lower()))
