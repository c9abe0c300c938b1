"""360Giving: a neighbourhood's awarded grants as a 360Giving data package, checked against the schema.

The schema (360Giving Data Standard 1.4.3, CC BY 4.0, see schema/360giving/README.md) is vendored and its
remote references resolved locally. What each grant says is read by giving360_grants (stable recipient
identifiers; individuals never named); this module writes it, with the area the grants benefit, the data
source, and the package's licence and publisher, so that it passes 360Giving's data-quality checks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pledgebank.books.models import Book
from pledgebank.errors import InvalidInput
from pledgebank.exports.exportfiles import Peek
from pledgebank.exports.format_base import ExportRequest
from pledgebank.exports.giving360_grants import (
    INDIVIDUAL_PURPOSE,
    INDIVIDUAL_REASON,
    AwardedGrant,
    awarded_grants,
    conditions,
    funder_id,
)
from pledgebank.exports.giving360_schema import problems
from pledgebank.exports.naming import major
from pledgebank.exports.reader import Filters
from pledgebank.grants.models import GrantApplication, GrantRound
from pledgebank.neighbourhoods.models import Fund, Neighbourhood

STANDARD_VERSION = "1.4"
NAME = "360giving"
MEDIA_TYPE = "application/json; charset=utf-8"
EXTENSION = "json"
# The package's licence: Creative Commons Attribution 4.0, which 360Giving recommends for grants data.
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
# 360Giving's geoCodeType codes for the kinds of ONS area a neighbourhood is likely to name, by GSS prefix.
GEO_CODE_TYPES = {
    "E04": "PAR",
    "E05": "WD",
    "W05": "WD",
    "S13": "WD",
    "E06": "UA",
    "W06": "UA",
    "E07": "NMD",
    "E08": "MD",
    "E09": "LONB",
    "E01": "LSOA",
    "W01": "LSOA",
    "E02": "MSOA",
    "W02": "MSOA",
    "S12": "CA",
    "W04": "COM",
}
_NUMBER = "\u0000number:"
_PLACEHOLDER = re.compile(r'"\\u0000number:(-?\d+(?:\.\d+)?)"')


@dataclass(slots=True)
class Package:
    """A 360Giving package ready to stream: how many grants it holds and its JSON text in chunks.

    Set `progress` before streaming to be told of each grant written.
    """

    book_slug: str
    grants: int
    filename: str
    chunks: Iterator[str]
    media_type: str = MEDIA_TYPE
    progress: Callable[[int], None] | None = None

    @property
    def total(self) -> int:
        """How many grants the package holds (what `progress` counts)."""
        return self.grants

    @property
    def summary(self) -> str:
        """The book and how many grants the package holds, in one line."""
        return f"{self.book_slug}: {self.grants} awarded grant(s) in 360Giving JSON"


@dataclass(frozen=True, slots=True)
class Publication:
    """What every grant of a package says besides its own facts: where the data comes from (a web page) and
    the area the grants benefit (its ONS code and name; none until the chair enters them)."""

    data_source: str = ""
    area_code: str = ""
    area_name: str = ""


def _number(amount: int, currency: str) -> str:
    """A placeholder for an exact decimal number, written in place of a JSON string by `_numbers`."""
    return _NUMBER + major(amount, currency)


def _numbers(text: str) -> str:
    return _PLACEHOLDER.sub(r"\1", text)


def _recipient(grant: AwardedGrant) -> dict[str, Any]:
    person = grant.recipient
    if person.is_individual:
        return {
            "recipientIndividual": {"id": person.id, "name": person.name},
            "toIndividualsDetails": {
                "primaryGrantReason": INDIVIDUAL_REASON,
                "grantPurpose": [INDIVIDUAL_PURPOSE],
            },
        }
    organisation = {"id": person.id, "name": person.name}
    for key, value in (
        ("charityNumber", person.charity_number),
        ("companyNumber", person.company_number),
        ("postalCode", person.postcode),
    ):
        if value:
            organisation[key] = value
    return {"recipientOrganization": [organisation]}


def _location(publication: Publication) -> dict[str, Any]:
    if not publication.area_code:
        return {}
    place = {"geoCode": publication.area_code, "name": publication.area_name, "countryCode": "GB"}
    kind = GEO_CODE_TYPES.get(publication.area_code[:3])
    return {"beneficiaryLocation": [place | ({"geoCodeType": kind} if kind else {})]}


def _money(grant: AwardedGrant) -> dict[str, Any]:
    money: dict[str, Any] = {
        "amountAwarded": _number(grant.amount_awarded, grant.currency),
        "amountAppliedFor": _number(grant.amount_applied_for, grant.currency),
    }
    if grant.disbursements:
        money["amountDisbursed"] = _number(grant.amount_disbursed, grant.currency)
        money["disbursementTransaction"] = [
            {
                "id": f"{grant.identifier}-payment-{payment}",
                "value": _number(amount, grant.currency),
                "currency": grant.currency,
                "transactionDate": day.isoformat(),
            }
            for payment, amount, day in grant.disbursements
        ]
    return money


def grant_json(grant: AwardedGrant, publication: Publication) -> str:
    """One grant as 360Giving JSON (amounts written as exact decimal numbers)."""
    document = {
        **_money(grant),
        "id": grant.identifier,
        "title": grant.title,
        "description": grant.description,
        "currency": grant.currency,
        "awardDate": grant.award_date.isoformat(),
        "plannedDates": [
            {
                "startDate": grant.award_date.isoformat(),
                "endDate": grant.planned_end.isoformat(),
                "duration": grant.project_months,
            }
        ],
        **_recipient(grant),
        **_location(publication),
        "fundingOrganization": [{"id": grant.funder_id, "name": grant.funder_name}],
        "grantProgramme": [{"code": grant.round_code, "title": grant.round_title}],
        "fromOpenCall": "Yes",
        "classifications": [
            {"vocabulary": "pledgebank-fund", "code": grant.fund_slug, "title": grant.fund_name}
        ],
        "dateModified": grant.modified.isoformat(),
    }
    if publication.data_source:
        document["dataSource"] = publication.data_source
    return _numbers(json.dumps(document, ensure_ascii=False, separators=(",", ":")))


def _count(session: Session, neighbourhood: Neighbourhood, filters: Filters, zone: str) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(GrantApplication)
            .join(GrantRound, GrantRound.id == GrantApplication.round_id)
            .join(Fund, Fund.id == GrantRound.fund_id)
            .where(*conditions(neighbourhood, filters, zone))
        )
        or 0
    )


def open_package(
    session: Session,
    *,
    book: Book,
    filters: Filters,
    now: datetime,
    prefix: str,
    zone: str,
    base_url: str = "",
) -> Package:
    """Prepare the package of awarded grants; raises InvalidInput when there is none to publish.

    Each grant is checked against the schema as it is written, and the package's own fields with the first.
    The package carries its licence and its publisher (the neighbourhood, with its web page when `base_url`
    is given); every grant names that page of grants as its data source.
    """
    neighbourhood = session.get_one(Neighbourhood, book.neighbourhood_id)
    count = _count(session, neighbourhood, filters, zone)
    if not count:
        raise InvalidInput("There are no awarded grants to publish for that choice.")
    page = f"{base_url.rstrip('/')}/n/{neighbourhood.slug}" if base_url else ""
    publisher = {"identifier": funder_id(neighbourhood, prefix), "name": neighbourhood.name}
    meta = {
        "version": STANDARD_VERSION,
        "title": f"Grants awarded by {neighbourhood.name}",
        "description": f"Micro-grants awarded by {neighbourhood.name} through PledgeBank.",
        "issued": now.astimezone(ZoneInfo(zone)).date().isoformat(),
        "modified": now.isoformat(),
        "identifier": f"{prefix}-{neighbourhood.slug}-grants",
        "license": LICENSE,
        "publisher": publisher | ({"website": page} if page else {}),
    }
    publication = Publication(
        data_source=f"{page}/grants" if page else "",
        area_code=neighbourhood.area_code,
        area_name=neighbourhood.area_name,
    )
    grants = awarded_grants(session, neighbourhood=neighbourhood, filters=filters, prefix=prefix, zone=zone)
    package = Package(book.slug, count, f"{book.slug}-grants-{NAME}.{EXTENSION}", iter(()))

    def chunks() -> Iterator[str]:
        yield json.dumps(meta, ensure_ascii=False, separators=(",", ":"))[:-1] + ',"grants":[\n'
        for number, grant in enumerate(grants):
            text = grant_json(grant, publication)
            document = json.loads(text)
            found = (
                problems({**meta, "grants": [document]})
                if number == 0
                else problems(document, whole_package=False)
            )
            if found:
                raise ValueError(f"grant {grant.identifier} breaks the 360Giving schema: {found[0]}")
            yield ("" if number == 0 else ",\n") + text
            if package.progress is not None:
                package.progress(1)
        yield "\n]}\n"

    package.chunks = chunks()
    return package


@dataclass(frozen=True, slots=True)
class Giving360Format:
    """The registry's entry for 360Giving: written from the grants awarded, not read back."""

    name: str = NAME
    label: str = "360Giving JSON: the grants awarded"
    media_type: str = MEDIA_TYPE
    extension: str = EXTENSION
    sealed: bool = False
    read: None = None

    def sniff(self, peek: Peek) -> bool:
        """A package written here opens its list of grants at the end of its first line."""
        return peek.first_line.startswith('{"version":') and peek.first_line.endswith('"grants":[')

    def open(self, session: Session, request: ExportRequest) -> Package:
        """Prepare the package of the grants the request's choice covers (see open_package)."""
        return open_package(
            session,
            book=request.book,
            filters=request.filters,
            now=request.now,
            prefix=request.grants_prefix,
            zone=request.zone,
            base_url=request.base_url,
        )


FORMAT = Giving360Format()
