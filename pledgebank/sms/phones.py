"""Phone numbers as people type them, read with Google's libphonenumber (the `phonenumbers` library) and kept
in E.164 form (+447700900123)."""

from __future__ import annotations

import phonenumbers

from pledgebank.errors import InvalidInput
from pledgebank.text import _t

DEFAULT_REGION = "GB"


def e164(text: str, *, field: str = "phone_number", region: str = DEFAULT_REGION) -> str:
    """The number in E.164 form; InvalidInput naming `field` when it is not a possible phone number."""
    message = _t("Enter a phone number, like 07700 900123 or +44 7700 900123.")
    cleaned = (text or "").strip()
    if not cleaned or len(cleaned) > 32:
        raise InvalidInput.field(field, message)
    try:
        parsed = phonenumbers.parse(cleaned, region)
    except phonenumbers.NumberParseException:
        raise InvalidInput.field(field, message) from None
    if not phonenumbers.is_possible_number(parsed):
        raise InvalidInput.field(field, message)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def shown(number: str) -> str:
    """A stored number as people read it (07700 900123 for a UK one)."""
    parsed = phonenumbers.parse(number, DEFAULT_REGION)
    if parsed.country_code == 44:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
