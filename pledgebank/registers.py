"""Numbers from public registers, as people type them: charity and company numbers, postcodes and ONS area
codes. Each is checked for its shape and written one way (upper case, no stray spaces), and an organisation's
registered number gives its identifier in the Organisation Identifier standard (org-id.guide) that 360Giving
uses: GB-CHC- (Charity Commission for England and Wales), GB-SC- (Scottish Charity Regulator), GB-COH-
(Companies House).

The functions raise ValueError with a sentence for the person who typed the value; services turn it into an
error beside the field.
"""

from __future__ import annotations

import re

# England and Wales: 6 or 7 digits; Scotland: SC and 6 digits.
_CHARITY = re.compile(r"\d{6,7}|SC\d{6}")
# Companies House: 8 digits (shorter ones are padded with zeros), or 2 letters and 6 digits (SC, NI, OC...).
_COMPANY = re.compile(r"\d{8}|[A-Z]{2}\d{6}")
# A UK postcode: outward code (area, district) and inward code (sector, unit).
_POSTCODE = re.compile(r"([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})")
# ONS Government Statistical Service codes: a country letter, a two-digit entity type and six digits (E05 is
# an English electoral ward, W05 a Welsh one, S13 a Scottish one, E06 a unitary authority...).
_GSS = re.compile(r"[EWSNK]\d{2}\d{6}")


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def charity_number(text: str) -> str:
    """A registered charity number as written in the register (England and Wales, or SC... for Scotland)."""
    number = _squeezed(text)
    if not _CHARITY.fullmatch(number):
        raise ValueError(
            "Give the registered charity number: 6 or 7 digits (England and Wales), or SC and 6 digits "
            "(Scotland)."
        )
    return number


def company_number(text: str) -> str:
    """A Companies House number: 8 characters (a shorter number of digits gets its leading zeros)."""
    number = _squeezed(text)
    if number.isdigit() and 6 <= len(number) < 8:
        number = number.zfill(8)
    if not _COMPANY.fullmatch(number):
        raise ValueError("Give the company number: 8 digits, or 2 letters and 6 digits, like SC123456.")
    return number


def postcode(text: str) -> str:
    """A UK postcode in capitals with one space before its last three characters."""
    found = _POSTCODE.fullmatch(_squeezed(text))
    if found is None:
        raise ValueError("Give a UK postcode, like SE1 7PB.")
    return f"{found[1]} {found[2]}"


def area_code(text: str) -> str:
    """An ONS (GSS) area code: a letter and eight digits, like E05013806 for a ward."""
    code = _squeezed(text)
    if not _GSS.fullmatch(code):
        raise ValueError(
            "Give the area's ONS code: a letter and eight digits, like E05013806 (find it on the ONS "
            "postcode directory or your council's ward page)."
        )
    return code


def org_id(*, charity: str | None = None, company: str | None = None) -> str | None:
    """The organisation identifier its registered number gives (the charity number first), or None."""
    if charity:
        return f"GB-SC-{charity}" if charity.startswith("SC") else f"GB-CHC-{charity}"
    if company:
        return f"GB-COH-{company}"
    return None
