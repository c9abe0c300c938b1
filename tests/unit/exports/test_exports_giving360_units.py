"""360Giving records made from the input dataclass: valid against the vendored official schema (remote
references resolved locally); a broken record is refused."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from pledgebank.exports.giving360 import SCHEMA_DIR, AwardedGrant, grant_json, problems

MODIFIED = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def grant(**changes) -> AwardedGrant:
    """An award of £250.50 to a group."""
    values = {
        "identifier": "360G-pledgebank-elm-park-grant-7",
        "title": "Bulbs for the verges",
        "description": "Crocus bulbs along Victoria Road.",
        "currency": "GBP",
        "amount_awarded": 25_050,
        "award_date": date(2026, 3, 2),
        "recipient_id": "360G-pledgebank-elm-park-recipient-7",
        "recipient_name": "Friends of Elm Park",
        "recipient_is_individual": False,
        "funder_id": "360G-pledgebank-elm-park",
        "funder_name": "Elm Park",
        "fund_slug": "general",
        "fund_name": "General fund",
        "round_code": "360G-pledgebank-elm-park-round-1",
        "round_title": "Spring small grants",
    }
    values.update(changes)
    return AwardedGrant(**values)


def package(*grants: AwardedGrant) -> dict:
    """A package of the grants."""
    return {
        "version": "1.4",
        "publisher": {"name": "Elm Park"},
        "grants": [json.loads(grant_json(g, modified=MODIFIED)) for g in grants],
    }


def test_records_for_a_group_and_an_individual_are_valid():
    person = grant(
        identifier="360G-x-grant-8", recipient_is_individual=True, recipient_name="Individual recipient"
    )
    document = package(grant(), person)
    assert problems(document) == []
    assert document["grants"][0]["amountAwarded"] == 250.5
    assert grant_json(grant(), modified=MODIFIED).startswith('{"amountAwarded":250.50,"id":')
    assert document["grants"][1]["recipientIndividual"] == {
        "id": "360G-pledgebank-elm-park-recipient-7",
        "name": "Individual recipient",
    }


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
        json.loads(grant_json(grant(), modified=MODIFIED)) | {"awardDate": "2026-13-01"}, whole_package=False
    )


def test_the_schema_is_vendored_with_its_licence_and_attribution():
    names = sorted(path.name for path in Path(SCHEMA_DIR).iterdir())
    assert names == ["360-giving-package-schema.json", "360-giving-schema.json", "LICENSE.md", "README.md"]
    assert "CC BY 4.0" in (SCHEMA_DIR / "README.md").read_text()
