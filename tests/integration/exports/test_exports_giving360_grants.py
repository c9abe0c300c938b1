"""360Giving export of grants awarded through the real grant workflow: valid against the official package
schema, one record per award (none for a rejection), individuals never named, and a broken record refused."""

from __future__ import annotations

import json
from datetime import date

import pytest

from pledgebank.books.services import book_by_slug
from pledgebank.cli import main
from pledgebank.db import unit_of_work
from pledgebank.errors import InvalidInput
from pledgebank.exports import giving360
from pledgebank.exports.reader import Filters
from tests.factories.grants import apply, decide, declare, give_fund, make_round, reviewed, world

PREFIX = "360G-pledgebank"


def _awarded(app, sessions):
    w = world(sessions, residents=3)
    give_fund(app, w.slug, 100_000)
    round_id = make_round(app, w)
    group = apply(app, round_id, w.residents[0], 20_000, group="Friends of Elm Park")
    person = apply(app, round_id, w.residents[1], 12_550, title="Tools for the community garden")
    turned_down = apply(app, round_id, w.residents[2], 9_000, title="A party")
    for application in (group, person, turned_down):
        reviewed(app, application, w.members)
        declare(app, application, w.chair)
    decide(app, group, w.chair, "award")
    decide(app, person, w.chair, "award")
    decide(app, turned_down, w.chair, "reject", reason="Outside the round's criteria.")
    return w, group, person


def _package(app, slug: str, filters: Filters | None = None) -> dict:
    filters = filters or Filters()
    now = app.extensions["pledgebank.clock"].now()
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        package = giving360.open_package(
            session,
            book=book_by_slug(session, slug),
            filters=filters,
            now=now,
            prefix=PREFIX,
            zone="Europe/London",
        )
        return json.loads("".join(package.chunks))


def test_awarded_grants_make_a_valid_package_without_naming_individuals_and_breaking_one_fails(app, sessions):
    w, group, person = _awarded(app, sessions)
    package = _package(app, w.slug)
    assert giving360.problems(package) == []
    assert package["publisher"] == {"identifier": f"{PREFIX}-{w.slug}", "name": "Elm Park"}
    first, second = package["grants"]
    assert (first["id"], first["amountAwarded"], first["currency"]) == (
        f"{PREFIX}-{w.slug}-grant-{group}",
        200,
        "GBP",
    )
    assert first["recipientOrganization"] == [
        {"id": f"{PREFIX}-{w.slug}-org-friends-of-elm-park", "name": "Friends of Elm Park"}
    ]
    assert first["fundingOrganization"] == [{"id": f"{PREFIX}-{w.slug}", "name": "Elm Park"}]
    assert first["grantProgramme"][0]["title"] == "Spring small grants"
    assert first["classifications"] == [
        {"vocabulary": "pledgebank-fund", "code": "general", "title": "General fund"}
    ]
    assert first["awardDate"] == "2026-03-02"
    assert second["recipientIndividual"] == {
        "id": f"{PREFIX}-{w.slug}-individual-{person}",
        "name": "Individual recipient",
    }
    assert second["amountAwarded"] == 125.5
    assert "recipientOrganization" not in second
    text = json.dumps(package)
    assert "Resident 1" not in text and "resident1@example.org" not in text
    assert "A party" not in text

    broken = json.loads(json.dumps(package))
    del broken["grants"][0]["fundingOrganization"]
    assert giving360.problems(broken)
    wrong = json.loads(json.dumps(package))
    wrong["grants"][1]["awardDate"] = "2 March 2026"
    assert any("awardDate" in message for message in giving360.problems(wrong))
    text = json.loads(json.dumps(package))
    text["grants"][0]["amountAwarded"] = "200.00"
    assert any("amountAwarded" in message for message in giving360.problems(text))


def test_filters_and_the_command_line(app, sessions, tmp_path):
    w, _group, _person = _awarded(app, sessions)
    with pytest.raises(InvalidInput):
        _package(app, w.slug, Filters(date_from=date(2026, 3, 3)))
    output = tmp_path / "grants.json"
    result = app.test_cli_runner().invoke(main, ["export", "--format", "360giving", "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert "2 awarded grant(s) in 360Giving JSON" in result.output
    assert giving360.problems(json.loads(output.read_text())) == []
