"""360Giving's data-quality checks, written as in its own library (lib360dataquality, in the
ThreeSixtyGiving/dataquality repository: cove/threesixtygiving.py and check_field_present.py), which is not
on the package registry. Each check keeps the library's class name and what it looks at; `failures` runs
them all over a package and gives, for each check that fails, where (JSON paths, as the library lists them).

Two differences from the library: the organisation-identifier prefixes it reads from org-id.guide at run
time are a fixed list of the UK registers (and "360G") here, and "now" is passed in (the app's clock).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

# org-id.guide prefixes of UK registers, and the one 360Giving adds for identifiers it makes itself.
ORG_ID_PREFIXES = (
    "GB-CHC",
    "GB-SC",
    "GB-NIC",
    "GB-COH",
    "GB-EDU",
    "GB-LAE",
    "GB-LAS",
    "GB-GOR",
    "GB-MPR",
    "360G",
)
_EMAIL = re.compile(r"[\w.-]+@[\w.-]+\.[\w.-]+")
_POSTCODE = re.compile(r"^\s*[a-z]{1,2}\d[a-z\d]?\s*\d[a-z]{2}\s*$", re.IGNORECASE)
_COMPANY = re.compile(r"^\w{8}$")

Grant = dict[str, Any]
Check = Callable[[Grant, str], Iterator[str]]


def _charity_ok(number: str) -> bool:
    return len(number) in (6, 7) and number.isdigit()


def _organisations(grant: Grant, kind: str) -> Iterator[tuple[int, dict]]:
    yield from enumerate(grant.get(kind, []))


def _dates(grant: Grant) -> dict[str, str]:
    planned = (grant.get("plannedDates") or [{}])[0]
    actual = (grant.get("actualDates") or [{}])[0]
    found = {
        "awardDate": grant.get("awardDate"),
        "plannedDates/0/startDate": planned.get("startDate"),
        "plannedDates/0/endDate": planned.get("endDate"),
        "actualDates/0/startDate": actual.get("startDate"),
        "actualDates/0/endDate": actual.get("endDate"),
    }
    return {path: value for path, value in found.items() if value}


def _day(text: str) -> datetime | None:
    try:
        return datetime.strptime(text.split("T")[0], "%Y-%m-%d")
    except ValueError:
        return None


def _flatten(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in sorted(value.items()):
            yield from _flatten(item, f"{path}/{key}")
    elif isinstance(value, list):
        for number, item in enumerate(value):
            yield from _flatten(item, f"{path}/{number}")
    else:
        yield path, value


def zero_amount(grant: Grant, at: str) -> Iterator[str]:
    if grant.get("amountAwarded") == 0:
        yield f"{at}/amountAwarded"


def prefix_unrecognised(kind: str) -> Check:
    def check(grant: Grant, at: str) -> Iterator[str]:
        for n, org in _organisations(grant, kind):
            if not org["id"].lower().startswith(tuple(p.lower() for p in ORG_ID_PREFIXES)):
                yield f"{at}/{kind}/{n}/id"

    return check


def prefix_360g(kind: str) -> Check:
    def check(grant: Grant, at: str) -> Iterator[str]:
        for n, org in _organisations(grant, kind):
            if org["id"].lower().startswith("360g"):
                yield f"{at}/{kind}/{n}/id"

    return check


def charity_number(grant: Grant, at: str) -> Iterator[str]:
    for n, org in _organisations(grant, "recipientOrganization"):
        if "charityNumber" in org:
            number = str(org["charityNumber"])
            number = number[2:] if number[:2].isalpha() else number
            if not _charity_ok(number):
                yield f"{at}/recipientOrganization/{n}/charityNumber"


def company_number(grant: Grant, at: str) -> Iterator[str]:
    for n, org in _organisations(grant, "recipientOrganization"):
        if "companyNumber" in org and not _COMPANY.match(org["companyNumber"]):
            yield f"{at}/recipientOrganization/{n}/companyNumber"


def no_number(grant: Grant, at: str) -> Iterator[str]:
    for n, org in _organisations(grant, "recipientOrganization"):
        if not (org.get("companyNumber") or org.get("charityNumber")):
            yield f"{at}/recipientOrganization/{n}/id"


def incomplete(grant: Grant, at: str) -> Iterator[str]:
    for n, org in _organisations(grant, "recipientOrganization"):
        located = any(place.get("geoCode") for place in org.get("location") or [])
        if not (org.get("postalCode") or located):
            yield f"{at}/recipientOrganization/{n}/id"


def id_looks_invalid(grant: Grant, at: str) -> Iterator[str]:
    for kind in ("fundingOrganization", "recipientOrganization"):
        for n, org in _organisations(grant, kind):
            org_id = org.get("id") or ""
            charity = org_id.upper().startswith("GB-CHC-") and not _charity_ok(org_id[7:])
            company = org_id.upper().startswith("GB-COH-") and not _COMPANY.match(org_id[7:])
            if charity or company:
                yield f"{at}/{kind}/{n}/id"


def id_unexpected_chars(grant: Grant, at: str) -> Iterator[str]:
    for kind in ("fundingOrganization", "recipientOrganization"):
        for n, org in _organisations(grant, kind):
            if "\n" in (org.get("id") or ""):
                yield f"{at}/{kind}/{n}/id"


def grant_id_unexpected_chars(grant: Grant, at: str) -> Iterator[str]:
    if "\n" in grant.get("id", ""):
        yield f"{at}/id"


def looks_like_email(grant: Grant, at: str) -> Iterator[str]:
    for path, value in _flatten(grant):
        if "email" not in path and isinstance(value, str) and _EMAIL.search(value):
            yield f"{at}{path}"


def impossible_dates(grant: Grant, at: str) -> Iterator[str]:
    for path, value in _dates(grant).items():
        if _day(value) is None:
            yield f"{at}/{path}"


def start_before_end(kind: str) -> Check:
    def check(grant: Grant, at: str) -> Iterator[str]:
        dates = _dates(grant)
        start = _day(dates.get(f"{kind}/0/startDate", ""))
        end = _day(dates.get(f"{kind}/0/endDate", ""))
        if start and end and start > end:
            yield f"{at}/{kind}/0/startDate"

    return check


def too_far(kind: str, years: int, *, future: bool, now: datetime) -> Check:
    limit = now.replace(year=now.year + years) if future else now.replace(year=now.year - years)

    def check(grant: Grant, at: str) -> Iterator[str]:
        for path, value in _dates(grant).items():
            day = _day(value)
            later = day is not None and (day > limit if future else day < limit)
            if later and (kind == "any" or path.startswith(kind)):
                yield f"{at}/{path}"

    return check


def post_dated(now: datetime) -> Check:
    def check(grant: Grant, at: str) -> Iterator[str]:
        day = _day(grant.get("awardDate", ""))
        if day and day > now:
            yield f"{at}/awardDate"

    return check


def individual_dei(grant: Grant, at: str) -> Iterator[str]:
    if "recipientIndividual" in grant and "project" in grant:
        yield f"{at}/recipientIndividual/id"


def geocode_postcode(grant: Grant, at: str) -> Iterator[str]:
    if "recipientIndividual" in grant:
        for n, place in enumerate(grant.get("beneficiaryLocation", [])):
            if _POSTCODE.match(place.get("geoCode") or ""):
                yield f"{at}/beneficiaryLocation/{n}/geoCode"


def missing(field: str) -> Check:
    def check(grant: Grant, at: str) -> Iterator[str]:
        if not grant.get(field):
            yield f"{at}/{field}"

    return check


def title_same(grant: Grant, at: str) -> Iterator[str]:
    if grant.get("title") and grant.get("title") == grant.get("description"):
        yield f"{at}/title"


def title_length(grant: Grant, at: str) -> Iterator[str]:
    if len(grant.get("title", "")) > 140:
        yield f"{at}/title"


def individual_details(grant: Grant, at: str) -> Iterator[str]:
    if "recipientIndividual" in grant and "toIndividualsDetails" not in grant:
        yield f"{at}/recipientIndividual/id"


def planned_duration(grant: Grant, at: str) -> Iterator[str]:
    planned = (grant.get("plannedDates") or [{}])[0]
    if not (planned.get("duration") or (planned.get("startDate") and planned.get("endDate"))):
        yield f"{at}/id"


def name_without_code(grant: Grant, at: str) -> Iterator[str]:
    for n, place in enumerate(grant.get("beneficiaryLocation", [])):
        if place.get("name") and not place.get("geoCode"):
            yield f"{at}/beneficiaryLocation/{n}/name"


def beneficiary_not_recipient(grant: Grant, at: str) -> Iterator[str]:
    if grant.get("recipientIndividual") or not grant.get("beneficiaryLocation"):
        return
    first = grant["recipientOrganization"][0]
    if not first.get("postalCode") and not first.get("location"):
        yield f"{at}/recipientOrganization/0/id"


def recipient_not_beneficiary(grant: Grant, at: str) -> Iterator[str]:
    if grant.get("recipientIndividual"):
        return
    if grant["recipientOrganization"][0].get("location") and not grant.get("beneficiaryLocation"):
        yield f"{at}/recipientOrganization/0/location"


def per_grant_checks(now: datetime) -> dict[str, Check]:
    """The checks that look at one grant at a time, by the library's names."""
    return {
        "ZeroAmountTest": zero_amount,
        "FundingOrgUnrecognisedPrefix": prefix_unrecognised("fundingOrganization"),
        "RecipientOrgUnrecognisedPrefix": prefix_unrecognised("recipientOrganization"),
        "RecipientOrgCharityNumber": charity_number,
        "RecipientOrgCompanyNumber": company_number,
        "OrganizationIdLooksInvalid": id_looks_invalid,
        "OrganizationIdUnexpectedChars": id_unexpected_chars,
        "GrantIdUnexpectedChars": grant_id_unexpected_chars,
        "LooksLikeEmail": looks_like_email,
        "ImpossibleDates": impossible_dates,
        "PlannedStartDateBeforeEndDate": start_before_end("plannedDates"),
        "ActualStartDateBeforeEndDate": start_before_end("actualDates"),
        "FarFuturePlannedDates": too_far("plannedDates", 12, future=True, now=now),
        "FarFutureActualDates": too_far("actualDates", 5, future=True, now=now),
        "FarPastDates": too_far("any", 25, future=False, now=now),
        "PostDatedAwardDates": post_dated(now),
        "RecipientIndDEI": individual_dei,
        "GeoCodePostcode": geocode_postcode,
        "RecipientOrg360GPrefix": prefix_360g("recipientOrganization"),
        "FundingOrg360GPrefix": prefix_360g("fundingOrganization"),
        "NoRecipientOrgCompanyCharityNumber": no_number,
        "IncompleteRecipientOrg": incomplete,
        "NoGrantProgramme": missing("grantProgramme"),
        "NoBeneficiaryLocation": missing("beneficiaryLocation"),
        "TitleDescriptionSame": title_same,
        "TitleLength": title_length,
        "NoLastModified": missing("dateModified"),
        "NoDataSource": missing("dataSource"),
        "RecipientIndWithoutToIndividualsDetails": individual_details,
        "PlannedDurationNotPresent": planned_duration,
        "BeneficiaryLocationNameButNoCode": name_without_code,
        "BeneficiaryButNotRecipientGeoData": beneficiary_not_recipient,
        "RecipientGeoDataButNoBeneficiary": recipient_not_beneficiary,
    }


def _funders(grants: list[Grant]) -> dict[str, list[str]]:
    """The checks across grants: one funder, one id per funder name and one name per funder id."""
    ids_by_name: dict[str, str] = {}
    names_by_id: dict[str, str] = {}
    found: dict[str, list[str]] = {}
    distinct: list[str] = []
    for number, grant in enumerate(grants):
        for n, org in _organisations(grant, "fundingOrganization"):
            at = f"grants/{number}/fundingOrganization/{n}"
            if org["id"] not in distinct:
                distinct.append(org["id"])
            if ids_by_name.setdefault(org["name"], org["id"]) != org["id"]:
                found.setdefault("MultiFundingOrgIdsForName", []).append(f"{at}/id")
            if names_by_id.setdefault(org["id"], org["name"]) != org["name"]:
                found.setdefault("MultiFundingNamesForOrgId", []).append(f"{at}/name")
    if len(distinct) > 1:
        found["MoreThanOneFundingOrg"] = distinct
    return found


CHECK_NAMES = (
    *per_grant_checks(datetime(2000, 1, 1)),
    "MoreThanOneFundingOrg",
    "MultiFundingOrgIdsForName",
    "MultiFundingNamesForOrgId",
)


def failures(package: dict, *, now: datetime) -> dict[str, list[str]]:
    """Every check that fails on the package, with where; {} when the package passes them all."""
    found: dict[str, list[str]] = {}
    for number, grant in enumerate(package["grants"]):
        for name, check in per_grant_checks(now).items():
            found.setdefault(name, []).extend(check(grant, f"grants/{number}"))
    found.update(_funders(package["grants"]))
    return {name: where for name, where in found.items() if where}
