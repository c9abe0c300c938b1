"""A community dividend whose outcome is a pulse measure: drafted naming a core measure (a measure that is not
one, or a percentage above 100, refused beside the field with nothing stored), the measure part of the signed
terms, and the agreement's public page and the verifier's page showing the measure round by round from the
survey's own results, withheld under five."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from pledgebank.db import unit_of_work
from pledgebank.dividends.agreements import signed_fields
from pledgebank.dividends.models import DividendAgreement
from pledgebank.errors import InvalidInput
from pledgebank.pulse.questions import CORE_KEYS
from tests.factories.dividends import VERIFIER, body_link, draft, fire_draft
from tests.factories.grants import world
from tests.factories.pulse import open_round, respond
from tests.helpers.foundation import new_client, visible_text


def influence(app, **changes):
    fields = {
        "outcome_name": "Residents who feel they can influence local decisions",
        "outcome_unit": "percent agreeing",
        "outcome_measure": "influence",
        "direction": "up",
        "baseline_value": 31,
        "target_value": 40,
        "baseline_source": "The neighbourhood pulse",
        "baseline_period": "Spring 2026",
    }
    return fire_draft(app, **{**fields, **changes})


def count(sessions) -> int:
    with unit_of_work(sessions) as session:
        return session.scalar(select(func.count()).select_from(DividendAgreement)) or 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"outcome_measure": "happiness"}, "outcome_measure"), ({"target_value": 140}, "target_value")],
)
def test_a_pulse_outcome_must_name_a_core_measure_in_percent(app, sessions, changes, field):
    w = world(sessions)
    with pytest.raises(InvalidInput) as refused:
        draft(app, w, influence(app, **changes))
    assert field in refused.value.fields
    assert count(sessions) == 0


def test_the_verifier_sees_the_measure_round_by_round_from_the_survey(app, sessions):
    w = world(sessions, members=2, residents=3)
    agreement_id = draft(app, w, influence(app))
    with unit_of_work(sessions) as session:
        agreement = session.get_one(DividendAgreement, agreement_id)
        assert (agreement.outcome_source, agreement.outcome_measure) == ("pulse", "influence")
        assert signed_fields(agreement)["outcome"]["measure"] == "influence"
    early = open_round(app, w, title="Early round")
    for person in (w.chair, w.treasurer, w.members[0], w.members[1]):
        respond(app, early, person, influence=4)
    later = open_round(app, w, title="Later round")
    for n, person in enumerate((w.chair, w.treasurer, *w.members, *w.residents)):
        respond(app, later, person, **dict.fromkeys(CORE_KEYS, 4 if n < 3 else 2))
    public = html.unescape(
        visible_text(new_client(app).get(f"/n/{w.slug}/dividends/{agreement_id}").get_data(as_text=True))
    )
    token = body_link(app, agreement_id, VERIFIER[1])
    body = html.unescape(
        visible_text(new_client(app).get(f"/dividends/{agreement_id}/body/{token}").get_data(as_text=True))
    )
    for page in (public, body):
        assert "The outcome from the neighbourhood pulse" in page
        assert "Early round" in page and "Not shown: fewer than five gave a view" in page
        assert "Later round" in page and "43%" in page  # 3 of 7 agree
        assert "100%" not in page


def test_an_agreement_on_reported_figures_keeps_its_signed_terms_unchanged(app, sessions):
    w = world(sessions)
    agreement_id = draft(app, w)
    with unit_of_work(sessions) as session:
        agreement = session.get_one(DividendAgreement, agreement_id)
        assert agreement.outcome_source == "figures"
        assert "measure" not in signed_fields(agreement)["outcome"]
    page = new_client(app).get(f"/n/{w.slug}/dividends/{agreement_id}").get_data(as_text=True)
    assert "neighbourhood pulse" not in page
