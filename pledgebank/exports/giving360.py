"""360Giving: a neighbourhood's awarded grants as a 360Giving data package, checked against the schema.

The schema (360Giving Data Standard 1.4.3, CC BY 4.0, see schema/360giving/README.md) is vendored and its
remote references resolved locally. Individuals are never named: a grant to a person carries
recipientIndividual with the generic name "Individual recipient" and an identifier made from the grant's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pledgebank.books.models import Book
from pledgebank.errors import InvalidInput
from pledgebank.exports.exportfiles import Peek
from pledgebank.exports.format_base import ExportRequest
from pledgebank.exports.naming import major
from pledgebank.exports.reader import Filters
from pledgebank.grants.models import INDIVIDUAL_RECIPIENT, GrantApplication, GrantRound
from pledgebank.grants.states import WITH_AWARD
from pledgebank.neighbourhoods.models import Fund, Neighbourhood

SCHEMA_DIR = Path(__file__).parent / "schema" / "360giving"
PACKAGE_SCHEMA = "360-giving-package-schema.json"
GRANT_SCHEMA = "360-giving-schema.json"
STANDARD_VERSION = "1.4"
NAME = "360giving"
MEDIA_TYPE = "application/json; charset=utf-8"
EXTENSION = "json"
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})")


@dataclass(frozen=True, slots=True)
class AwardedGrant:
    """One awarded grant, as 360Giving describes it (the amount in minor units)."""

    identifier: str
    title: str
    description: str
    currency: str
    amount_awarded: int
    award_date: date
    recipient_id: str
    recipient_name: str
    recipient_is_individual: bool
    funder_id: str
    funder_name: str
    fund_slug: str
    fund_name: str
    round_code: str
    round_title: str


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


def _date_time(value: object) -> bool:
    if not isinstance(value, str) or not _DATE_TIME.fullmatch(value):
        return False
    try:
        datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return False
    return True


@cache
def validators() -> tuple[Draft202012Validator, Draft202012Validator]:
    """Validators for the package and for one grant, with the remote references resolved to local files."""
    package = json.loads((SCHEMA_DIR / PACKAGE_SCHEMA).read_text(encoding="utf-8"))
    grant = json.loads((SCHEMA_DIR / GRANT_SCHEMA).read_text(encoding="utf-8"))
    resource = DRAFT202012.create_resource(grant)
    # The package refers to the grant schema of release 1.4.2 by URL; the vendored file is 1.4.3's.
    referenced = package["properties"]["grants"]["items"]["$ref"]
    registry = Registry().with_resources([(grant["$id"], resource), (referenced, resource)])
    checker = FormatChecker(formats=())
    checker.checks("date-time")(_date_time)
    return (
        Draft202012Validator(package, registry=registry, format_checker=checker),
        Draft202012Validator(grant, registry=registry, format_checker=checker),
    )


def problems(document: dict[str, Any], *, whole_package: bool = True) -> list[str]:
    """Every way a package (or, with whole_package=False, one grant) breaks the schema, as messages."""
    package, grant = validators()
    validator = package if whole_package else grant
    return [
        f"{'/'.join(str(part) for part in error.absolute_path) or '(top)'}: {error.message}"
        for error in sorted(validator.iter_errors(document), key=lambda error: list(error.absolute_path))
    ]


def grant_json(grant: AwardedGrant, *, modified: datetime) -> str:
    """One grant as 360Giving JSON (amountAwarded written as an exact decimal number)."""
    recipient: dict[str, Any] = (
        {"recipientIndividual": {"id": grant.recipient_id, "name": grant.recipient_name}}
        if grant.recipient_is_individual
        else {"recipientOrganization": [{"id": grant.recipient_id, "name": grant.recipient_name}]}
    )
    document = {
        "id": grant.identifier,
        "title": grant.title,
        "description": grant.description,
        "currency": grant.currency,
        "awardDate": grant.award_date.isoformat(),
        **recipient,
        "fundingOrganization": [{"id": grant.funder_id, "name": grant.funder_name}],
        "grantProgramme": [{"code": grant.round_code, "title": grant.round_title}],
        "classifications": [
            {"vocabulary": "pledgebank-fund", "code": grant.fund_slug, "title": grant.fund_name}
        ],
        "dateModified": modified.isoformat(),
    }
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return '{"amountAwarded":' + major(grant.amount_awarded, grant.currency) + "," + text[1:]


def awarded_grants(
    session: Session, *, book: Book, filters: Filters, prefix: str, zone: str
) -> Iterator[AwardedGrant]:
    """Map the book's awarded grant applications (optionally one fund's, awarded between two dates)."""
    neighbourhood = session.get_one(Neighbourhood, book.neighbourhood_id)
    application, round_ = GrantApplication, GrantRound
    statement = (
        select(application, round_.title, round_.id, Fund.slug, Fund.name)
        .join(round_, round_.id == application.round_id)
        .join(Fund, Fund.id == round_.fund_id)
        .where(*_conditions(neighbourhood, filters, zone))
        .order_by(application.awarded_at, application.id)
    )
    base = f"{prefix}-{neighbourhood.slug}"
    for row, round_title, round_id, fund_slug, fund_name in session.execute(statement):
        assert row.awarded_at is not None and row.awarded_amount is not None  # chosen by their award
        award_day = row.awarded_at.astimezone(ZoneInfo(zone)).date()
        yield AwardedGrant(
            identifier=f"{base}-grant-{row.id}",
            title=row.title,
            description=row.summary,
            currency=row.currency,
            amount_awarded=row.awarded_amount,
            award_date=award_day,
            recipient_id=f"{base}-recipient-{row.id}",
            recipient_name=INDIVIDUAL_RECIPIENT if row.is_individual else row.recipient_name,
            recipient_is_individual=row.is_individual,
            funder_id=base,
            funder_name=neighbourhood.name,
            fund_slug=fund_slug,
            fund_name=fund_name,
            round_code=f"{base}-round-{round_id}",
            round_title=round_title,
        )


def _conditions(neighbourhood: Neighbourhood, filters: Filters, zone: str) -> list:
    conditions = [
        GrantApplication.neighbourhood_id == neighbourhood.id,
        GrantApplication.status.in_([status.value for status in WITH_AWARD]),
        GrantApplication.awarded_amount.is_not(None),
        GrantApplication.awarded_at.is_not(None),
    ]
    if filters.fund is not None:
        conditions.append(Fund.slug == filters.fund)
    local = ZoneInfo(zone)
    if filters.date_from is not None:
        start = datetime.combine(filters.date_from, time(), tzinfo=local).astimezone(UTC)
        conditions.append(GrantApplication.awarded_at >= start)
    if filters.date_to is not None:
        end = datetime.combine(filters.date_to + timedelta(days=1), time(), tzinfo=local).astimezone(UTC)
        conditions.append(GrantApplication.awarded_at < end)
    return conditions


def open_package(
    session: Session, *, book: Book, filters: Filters, now: datetime, prefix: str, zone: str
) -> Package:
    """Prepare the package of awarded grants; raises InvalidInput when there is none to publish.

    Each grant is checked against the schema as it is written, and the package's own fields with the first.
    """
    neighbourhood = session.get_one(Neighbourhood, book.neighbourhood_id)
    count = session.scalar(
        select(func.count())
        .select_from(GrantApplication)
        .join(GrantRound, GrantRound.id == GrantApplication.round_id)
        .join(Fund, Fund.id == GrantRound.fund_id)
        .where(*_conditions(neighbourhood, filters, zone))
    )
    if not count:
        raise InvalidInput("There are no awarded grants to publish for that choice.")
    meta = {
        "version": STANDARD_VERSION,
        "title": f"Grants awarded by {neighbourhood.name}",
        "description": f"Micro-grants awarded by {neighbourhood.name} through PledgeBank.",
        "issued": now.astimezone(ZoneInfo(zone)).date().isoformat(),
        "modified": now.isoformat(),
        "identifier": f"{prefix}-{neighbourhood.slug}-grants",
        "publisher": {"identifier": f"{prefix}-{neighbourhood.slug}", "name": neighbourhood.name},
    }
    grants = awarded_grants(session, book=book, filters=filters, prefix=prefix, zone=zone)
    package = Package(book.slug, count, f"{book.slug}-grants-{NAME}.{EXTENSION}", iter(()))

    def chunks() -> Iterator[str]:
        yield json.dumps(meta, ensure_ascii=False, separators=(",", ":"))[:-1] + ',"grants":[\n'
        for number, grant in enumerate(grants):
            text = grant_json(grant, modified=now)
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
        )


FORMAT = Giving360Format()
