"""The funds a pledge or a levy can pay into are offered in the page's language: the pledge's own restricted
fund, and each fund's kind or purpose beside its name (the names are the committee's own)."""

from __future__ import annotations

import html
import re

from pledgebank.neighbourhoods.models import FundType
from tests.factories.fund_transfers import add_fund
from tests.helpers.pledge_pages import people


def _choices(page: str, name: str) -> list[str]:
    found = re.findall(rf'<label for="{name}-[0-9]+">([^<]*)</label>', html.unescape(page))
    return [re.sub(r"\s+", " ", label).strip() for label in found]


def test_the_pledge_forms_fund_choices_read_in_welsh(app, sessions):
    world = people(sessions, "ann")
    add_fund(app, world.slug, "repairs", FundType.RESTRICTED, purpose="Mending the hall roof")
    page = world.client(app, sessions, "chair").get(f"/n/{world.slug}/pledges/new?lang=cy")
    choices = _choices(page.get_data(as_text=True), "fund")
    assert choices[0].startswith("Cronfa gyfyngedig newydd ar gyfer yr addewid hwn")
    assert "Repairs (wedi'i chyfyngu i: Mending the hall roof)" in choices
    assert any(choice.startswith("General fund (anghyfyngedig:") for choice in choices), choices
    assert not any("restricted" in choice for choice in choices), choices


def test_the_same_choices_stay_english_on_an_english_page(app, sessions):
    world = people(sessions, "ann")
    add_fund(app, world.slug, "repairs", FundType.RESTRICTED, purpose="Mending the hall roof")
    page = world.client(app, sessions, "chair").get(f"/n/{world.slug}/pledges/new")
    choices = _choices(page.get_data(as_text=True), "fund")
    assert choices[0].startswith("A new restricted fund for this pledge")
    assert "Repairs (restricted to: Mending the hall roof)" in choices
