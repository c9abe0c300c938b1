"""360Giving of publishable quality: the demo's grants pass 360Giving's own data-quality checks (written as in
its library, tests/helpers/giving360_quality.py) and the schema; a grant to an individual carries no personal
data; one organisation keeps one identifier across its grants; what was paid comes from the ledger's grant
payments, and each grant's dateModified is its own last change, not the time of the export."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from pledgebank.cli import main
from pledgebank.db import unit_of_work
from pledgebank.demo import seed
from pledgebank.errors import InvalidInput
from pledgebank.exports import giving360
from pledgebank.grants.demo import seed_grants
from pledgebank.neighbourhoods.services import get_neighbourhood, update_settings
from tests.factories.grants import apply, decide, declare, give_fund, make_round, pay, reviewed, world
from tests.helpers.giving360_quality import CHECK_NAMES, failures

PREFIX = "360G-pledgebank"


def _export(app, tmp_path, *extra: str) -> dict:
    output = tmp_path / "grants.json"
    result = app.test_cli_runner().invoke(
        main, ["export", "--format", "360giving", "--output", str(output), *extra]
    )
    assert result.exit_code == 0, result.output
    return json.loads(output.read_text())


def _naive(clock):
    return clock.now().replace(tzinfo=None)


def test_the_demo_grants_pass_the_data_quality_checks_and_the_schema(app, sessions, clock, tmp_path):
    with unit_of_work(sessions) as session:
        ids = seed(session, at=clock.now(), currency="GBP")
    seed_grants(app, ids)
    clock.advance(timedelta(days=3))
    package = _export(app, tmp_path)

    assert giving360.problems(package) == []
    assert len(CHECK_NAMES) == 36
    assert failures(package, now=_naive(clock)) == {}
    assert package["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert package["publisher"]["identifier"] == "GB-CHC-1190001"
    kit, benches = package["grants"]
    assert kit["recipientOrganization"] == [
        {
            "id": "GB-CHC-1100123",
            "name": "Elm Park Juniors",
            "charityNumber": "1100123",
            "postalCode": "SE15 4QL",
        }
    ]
    assert benches["recipientOrganization"][0]["id"] == "GB-COH-09876543"
    assert kit["beneficiaryLocation"] == [
        {"geoCode": "E05099001", "name": "Elm Park ward", "countryCode": "GB", "geoCodeType": "WD"}
    ]
    assert (kit["amountAppliedFor"], kit["amountAwarded"], kit["amountDisbursed"]) == (250, 250, 250)
    assert kit["disbursementTransaction"][0]["transactionDate"] == "2026-03-02"
    assert kit["plannedDates"] == [{"startDate": "2026-03-02", "endDate": "2027-03-01", "duration": 12}]
    assert kit["fromOpenCall"] == "Yes"
    assert kit["dataSource"].endswith("/n/elm-park/grants")
    assert kit["dateModified"].startswith("2026-03-02T")  # paid then; exported three days later

    # the checks can fail: the file as it was made before fails them on every grant
    before = json.loads(json.dumps(package))
    for grant in before["grants"]:
        for field in ("beneficiaryLocation", "dataSource", "plannedDates", "dateModified"):
            del grant[field]
        grant["recipientOrganization"] = [
            {"id": f"{PREFIX}-elm-park-recipient-1", "name": "Elm Park Juniors"}
        ]
    assert set(failures(before, now=_naive(clock))) == {
        "NoBeneficiaryLocation",
        "NoDataSource",
        "PlannedDurationNotPresent",
        "NoLastModified",
        "RecipientOrg360GPrefix",
        "NoRecipientOrgCompanyCharityNumber",
        "IncompleteRecipientOrg",
    }


def _neighbourhood_published(sessions, w) -> None:
    with unit_of_work(sessions) as session:
        place = get_neighbourhood(session, w.slug)
        update_settings(
            session,
            actor_id=w.chair,
            neighbourhood=place,
            description=place.description,
            allow_cash_pledges=place.allow_cash_pledges,
            pledges_need_approval=place.pledges_need_approval,
            collection_window_hours=place.collection_window_hours,
            now=place.created_at,
            area_code="E05013806",
            area_name="Peckham ward",
            charity_number="1190001",
        )


def _award(app, w, application_id: int) -> None:
    reviewed(app, application_id, w.members)
    declare(app, application_id, w.chair)
    decide(app, application_id, w.chair, "award")


def test_a_grant_to_an_individual_carries_no_personal_data(app, sessions, clock, tmp_path):
    w = world(sessions, residents=2)
    _neighbourhood_published(sessions, w)
    give_fund(app, w.slug, 100_000)
    round_id = make_round(app, w)
    with pytest.raises(InvalidInput) as refused:
        apply(app, round_id, w.residents[1], 12_550, postcode="SE15 4QL")
    assert set(refused.value.fields) == {"postcode"}
    group = apply(
        app, round_id, w.residents[0], 20_000, group="Friends of Elm Park", charity_number="1100123"
    )
    person = apply(app, round_id, w.residents[1], 12_550, title="Tools for the community garden")
    for application in (group, person):
        _award(app, w, application)
    package = _export(app, tmp_path)
    individual = package["grants"][1]

    assert individual["recipientIndividual"] == {
        "id": f"{PREFIX}-{w.slug}-individual-{person}",
        "name": "Individual recipient",
    }
    assert individual["toIndividualsDetails"] == {
        "primaryGrantReason": "GTIR120",
        "grantPurpose": ["GTIP160"],
    }
    assert "recipientOrganization" not in individual
    keys = json.dumps(individual)
    for personal in ("postalCode", "streetAddress", "location", "email", "telephone", "contactName"):
        assert f'"{personal}"' not in keys
    text = json.dumps(package)
    assert "Resident 1" not in text and "resident1@example.org" not in text
    # the area the grants benefit is the neighbourhood's ward, never where the person lives
    assert individual["beneficiaryLocation"] == package["grants"][0]["beneficiaryLocation"]
    assert giving360.problems(package) == []
    assert "GeoCodePostcode" not in failures(package, now=_naive(clock))


def test_one_organisation_keeps_one_identifier_across_its_grants(app, sessions, clock, tmp_path):
    w = world(sessions, residents=3)
    give_fund(app, w.slug, 200_000)
    round_id = make_round(app, w)
    friends = [
        apply(app, round_id, w.residents[0], 10_000, group="Friends of Elm Park", title="Bulbs"),
        apply(app, round_id, w.residents[1], 11_000, group="Friends of Elm Park ", title="Benches"),
    ]
    oak = [
        apply(app, round_id, w.residents[2], 12_000, group="Oak Road Residents", title="Street party"),
        apply(
            app,
            round_id,
            w.residents[2],
            13_000,
            group="Oak Road Residents",
            title="Planters",
            company_number="9876543",
            postcode="se15 3ab",
        ),
    ]
    for application in friends + oak:
        _award(app, w, application)
    grants = {grant["title"]: grant for grant in _export(app, tmp_path)["grants"]}
    ids = {title: grant["recipientOrganization"][0]["id"] for title, grant in grants.items()}

    assert ids["Bulbs"] == ids["Benches"] == f"{PREFIX}-{w.slug}-org-friends-of-elm-park"
    # the number one of its applications gave identifies the group on all of them
    assert ids["Street party"] == ids["Planters"] == "GB-COH-09876543"
    assert grants["Planters"]["recipientOrganization"][0]["postalCode"] == "SE15 3AB"
    assert len(set(ids.values())) == 2


def test_date_modified_is_the_grants_own_last_change_and_payments_come_from_the_ledger(
    app, sessions, clock, tmp_path
):
    w = world(sessions, residents=2)
    give_fund(app, w.slug, 100_000)
    round_id = make_round(app, w)
    paid = apply(app, round_id, w.residents[0], 20_000, group="Friends of Elm Park")
    unpaid = apply(app, round_id, w.residents[1], 15_000, group="Oak Road Residents")
    _award(app, w, paid)
    _award(app, w, unpaid)
    awarded_at = clock.now()
    clock.advance(timedelta(days=2))
    assert pay(app, paid, w.treasurer) == "paid"
    paid_at = clock.now()
    clock.advance(timedelta(days=5))
    first, second = _export(app, tmp_path)["grants"]

    assert first["dateModified"] == paid_at.isoformat()
    assert second["dateModified"] == awarded_at.isoformat()
    assert (first["amountAwarded"], first["amountDisbursed"]) == (200, 200)
    assert first["disbursementTransaction"] == [
        {
            "id": f"{PREFIX}-{w.slug}-grant-{paid}-payment-1",
            "value": 200,
            "currency": "GBP",
            "transactionDate": paid_at.date().isoformat(),
        }
    ]
    assert "amountDisbursed" not in second and "disbursementTransaction" not in second
    assert second["amountAppliedFor"] == 150
