"""360Giving records made from the input dataclass: valid against the vendored official schema (remote
references resolved locally); a broken record is refused."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from pledgebank.exports.giving360 import AwardedGrant, Publication, grant_json, problems
from pledgebank.exports.giving360_grants import Recipient
from pledgebank.exports.giving360_schema import SCHEMA_DIR

MODIFIED = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


GROUP = Recipient("GB-CHC-1100123", "Friends of Elm Park", False, "1100123", None, "SE15 4QL")
PERSON = Recipient("360G-pledgebank-elm-park-individual-8", "Individual recipient", True)
PUBLICATION = Publication("https://pledgebank.example/n/elm-park/grants", "E05099001", "Elm Park ward")


def grant(**changes) -> AwardedGrant:
    """An award of £250.50 to a group, of £300.00 asked for, paid in full."""
    values = {
        "identifier": "360G-pledgebank-elm-park-grant-7",
        "title": "Bulbs for the verges",
        "description": "Crocus bulbs along Victoria Road.",
        "currency": "GBP",
        "amount_awarded": 25_050,
        "amount_applied_for": 30_000,
        "award_date": date(2026, 1, 31),
        "recipient": GROUP,
        "funder_id": "GB-CHC-1190001",
        "funder_name": "Elm Park",
        "fund_slug": "general",
        "fund_name": "General fund",
        "round_code": "360G-pledgebank-elm-park-round-1",
        "round_title": "Spring small grants",
        "project_months": 1,
        "modified": MODIFIED,
        "disbursements": ((3, 25_050, date(2026, 2, 2)),),
    }
    values.update(changes)
    return AwardedGrant(**values)


def package(*grants: AwardedGrant) -> dict:
    """A package of the grants."""
    return {
        "version": "1.4",
        "publisher": {"name": "Elm Park"},
        "grants": [json.loads(grant_json(g, PUBLICATION)) for g in grants],
    }


def test_records_for_a_group_and_an_individual_are_valid():
    person = grant(identifier="360G-x-grant-8", recipient=PERSON, disbursements=())
    document = package(grant(), person)
    assert problems(document) == []
    first, second = document["grants"]
    assert (first["amountAwarded"], first["amountAppliedFor"], first["amountDisbursed"]) == (
        250.5,
        300,
        250.5,
    )
    text = grant_json(grant(), PUBLICATION)
    assert text.startswith('{"amountAwarded":250.50,"amountAppliedFor":300.00,"amountDisbursed":250.50,"')
    assert first["disbursementTransaction"] == [
        {
            "id": "360G-pledgebank-elm-park-grant-7-payment-3",
            "value": 250.5,
            "currency": "GBP",
            "transactionDate": "2026-02-02",
        }
    ]
    # a month from 31 January ends on the last day of February
    assert first["plannedDates"] == [{"startDate": "2026-01-31", "endDate": "2026-02-27", "duration": 1}]
    assert first["recipientOrganization"] == [
        {
            "id": "GB-CHC-1100123",
            "name": "Friends of Elm Park",
            "charityNumber": "1100123",
            "postalCode": "SE15 4QL",
        }
    ]
    assert first["beneficiaryLocation"] == [
        {"geoCode": "E05099001", "name": "Elm Park ward", "countryCode": "GB", "geoCodeType": "WD"}
    ]
    assert (first["fromOpenCall"], first["dateModified"]) == ("Yes", "2026-03-02T10:00:00+00:00")
    assert first["dataSource"] == "https://pledgebank.example/n/elm-park/grants"
    assert second["recipientIndividual"] == {
        "id": "360G-pledgebank-elm-park-individual-8",
        "name": "Individual recipient",
    }
    assert second["toIndividualsDetails"] == {"primaryGrantReason": "GTIR120", "grantPurpose": ["GTIP160"]}
    assert "amountDisbursed" not in second and "recipientOrganization" not in second


def test_a_broken_record_fails_validation():
    document = package(grant())
    del document["grants"][0]["title"]
    [message] = problems(document)
    assert message.startswith("grants/0: ") and message.endswith(
        "is not valid under any of the given schemas"
    )
    document = package(grant())
    document["grants"][0]["currency"] = "pounds"
    assert problems(document)
    assert problems({"grants": []})
    assert problems(
        json.loads(grant_json(grant(), PUBLICATION)) | {"awardDate": "2026-13-01"}, whole_package=False
    )


def test_the_schema_is_vendored_with_its_licence_and_attribution():
    names = sorted(path.name for path in Path(SCHEMA_DIR).iterdir())
    assert names == ["360-giving-package-schema.json", "360-giving-schema.json", "LICENSE.md", "README.md"]
    assert "CC BY 4.0" in (SCHEMA_DIR / "README.md").read_text()
