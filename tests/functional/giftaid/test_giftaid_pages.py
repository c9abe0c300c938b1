"""Gift Aid through the test client: a donor declares in HMRC's model words (refused beside its fields with
no address, nothing stored), cancels; the treasurer records the HMRC reference, makes a claim (refused for a
gift twice or an overlapping period, beside the field), downloads the schedule and records HMRC's payment;
the open money page shows the totals and no donor's name."""

from __future__ import annotations

import html
from datetime import timedelta

from sqlalchemy import func, select

from pledgebank.db import unit_of_work
from pledgebank.giftaid.eligibility import Scope
from pledgebank.giftaid.models import GiftAidCharity, GiftAidClaim, GiftAidDeclaration
from pledgebank.giftaid.schedule import MEDIA_TYPE
from tests.factories.giftaid import charity_with_gifts, declare, make_claim, today
from tests.factories.grants import world
from tests.factories.pledges import assert_books_ok
from tests.helpers.foundation import field_error, signed_in_client, visible_text

DONOR = {
    "scope": "past-four-years",
    "title": "Dr",
    "first_name": "Ann",
    "last_name": "Jones",
    "house": "12",
    "postcode": "s19 2bd",
    "confirm": "y",
}


def count(sessions, model) -> int:
    with unit_of_work(sessions) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def text(response) -> str:
    return html.unescape(visible_text(response.get_data(as_text=True)))


def test_a_donor_declares_in_the_model_words_and_missing_details_are_refused_beside_their_fields(
    app, sessions
):
    c = charity_with_gifts(app, sessions)
    donor = signed_in_client(app, sessions, c.w.residents[0])
    url = f"/n/{c.w.slug}/gift-aid/declare"
    page = text(donor.get(url))
    assert "Boost your donation by £0.25 of Gift Aid for every £1 you donate." in page
    wish = (
        "I want to Gift Aid any donations I make in the future or have made in the past 4 years to Elm Park."
    )
    assert wish in page

    refused = donor.post(url, {**DONOR, "house": "", "postcode": "", "confirm": ""})
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "house name or number" in field_error(body, "house")
    assert "postcode" in field_error(body, "postcode")
    assert "Tick the box" in field_error(body, "confirm")
    bad_postcode = donor.post(url, {**DONOR, "postcode": "12345"})
    assert bad_postcode.status_code == 422
    assert "like S19 2BD" in field_error(bad_postcode.get_data(as_text=True), "postcode")
    assert count(sessions, GiftAidDeclaration) == 0

    assert donor.post(url, DONOR).status_code == 302
    with unit_of_work(sessions) as session:
        stored = session.scalars(select(GiftAidDeclaration)).one()
        assert wish in stored.wording and stored.postcode == "S19 2BD"
        declaration_id = stored.id
    mine = text(donor.get(f"/n/{c.w.slug}/gift-aid"))
    assert "Dr Ann Jones, 12, S19 2BD" in mine and "In force" in mine

    assert donor.post(f"/n/{c.w.slug}/gift-aid/{declaration_id}/cancel").status_code == 302
    assert "Cancelled on" in text(donor.get(f"/n/{c.w.slug}/gift-aid"))
    assert donor.post(f"/n/{c.w.slug}/gift-aid/{declaration_id}/cancel").status_code == 409
    other = signed_in_client(app, sessions, c.w.residents[1])
    assert other.post(f"/n/{c.w.slug}/gift-aid/{declaration_id}/cancel").status_code == 404


def test_a_declaration_for_one_gift_is_offered_for_the_donor_s_own_pledge_only(app, sessions):
    c = charity_with_gifts(app, sessions)
    donor = signed_in_client(app, sessions, c.w.residents[0])
    url = f"/n/{c.w.slug}/gift-aid/declare?gift={c.signups[0]}"
    assert "I want to Gift Aid my donation of £10.00 to Elm Park." in text(donor.get(url))
    assert donor.post(url, {**DONOR, "scope": "this-gift"}).status_code == 302
    with unit_of_work(sessions) as session:
        assert session.scalars(select(GiftAidDeclaration.gift_ref)).one() == c.refs[0]
    assert donor.get(f"/n/{c.w.slug}/gift-aid/declare?gift={c.signups[1]}").status_code == 404
    assert donor.get(f"/n/{c.w.slug}/gift-aid/declare?gift=x").status_code == 404


def test_a_neighbourhood_without_a_reference_offers_no_declaration_and_the_reference_is_checked(
    app, sessions
):
    w = world(sessions)
    resident = signed_in_client(app, sessions, w.residents[0])
    assert resident.get(f"/n/{w.slug}/gift-aid/declare").status_code == 404
    assert resident.get(f"/n/{w.slug}/gift-aid/charity").status_code == 403
    treasurer = signed_in_client(app, sessions, w.treasurer)
    refused = treasurer.post(f"/n/{w.slug}/gift-aid/charity", {"hmrc_reference": "12345AB"})
    assert refused.status_code == 422
    assert "one or two letters" in field_error(refused.get_data(as_text=True), "hmrc_reference")
    assert count(sessions, GiftAidCharity) == 0
    assert treasurer.post(f"/n/{w.slug}/gift-aid/charity", {"hmrc_reference": "ab 12345"}).status_code == 302
    with unit_of_work(sessions) as session:
        assert session.scalars(select(GiftAidCharity.hmrc_reference)).one() == "AB12345"


def test_the_treasurer_claims_downloads_the_schedule_and_records_hmrc_s_payment(app, sessions):
    c = charity_with_gifts(app, sessions)
    day = today(app)
    start, end = (day - timedelta(days=9)).isoformat(), day.isoformat()
    treasurer = signed_in_client(app, sessions, c.w.treasurer)
    url = f"/n/{c.w.slug}/gift-aid/claims"
    preview = text(treasurer.get(url, query_string={"period_start": start, "period_end": end}))
    assert preview.count("(eligible)") == 0
    assert preview.count("(no declaration covers it)") == 2

    for resident in c.w.residents:
        declare(app, c.w.slug, resident, Scope.PAST_FOUR_YEARS)
    assert (
        text(treasurer.get(url, query_string={"period_start": start, "period_end": end})).count("(eligible)")
        == 2
    )

    twice = treasurer.post(url, {"period_start": start, "period_end": end, "gifts": [c.refs[0], c.refs[0]]})
    assert twice.status_code == 422
    assert "listed twice" in html.unescape(twice.get_data(as_text=True))
    backwards = treasurer.post(url, {"period_start": end, "period_end": start})
    assert backwards.status_code == 422
    assert "on or after" in field_error(backwards.get_data(as_text=True), "period_end")
    assert count(sessions, GiftAidClaim) == 0

    made = treasurer.post(url, {"period_start": start, "period_end": end})
    assert made.status_code == 302
    claim_url = made.headers["Location"]
    again = treasurer.post(url, {"period_start": start, "period_end": end})  # a double submit
    assert again.status_code == 409
    assert "overlaps" in field_error(again.get_data(as_text=True), "period_start")
    assert count(sessions, GiftAidClaim) == 1

    page = text(treasurer.get(claim_url))
    assert "£20.00" in page and "£5.00" in page
    ods = treasurer.get(claim_url + "/schedule.ods")
    assert ods.status_code == 200 and ods.mimetype == MEDIA_TYPE and ods.data[:2] == b"PK"
    future = (day + timedelta(days=1)).isoformat()
    refused = treasurer.post(claim_url, {"paid_on": future})
    assert refused.status_code == 422
    assert "not after today" in field_error(refused.get_data(as_text=True), "paid_on")
    assert treasurer.post(claim_url, {"paid_on": end}).status_code == 302
    assert treasurer.post(claim_url, {"paid_on": end}).status_code == 409
    assert_books_ok(app)

    money = text(signed_in_client(app, sessions, c.w.residents[0]).get(f"/n/{c.w.slug}/money"))
    assert "Claimed from HMRC £5.00" in money and "Received from HMRC £5.00" in money
    assert "Ann" not in money and "S19 2BD" not in money
    resident = signed_in_client(app, sessions, c.w.residents[0])
    assert resident.get(url).status_code == 403
    assert resident.get(claim_url + "/schedule.ods").status_code == 403


def test_a_claim_made_elsewhere_is_refused_for_its_gifts(app, sessions):
    c = charity_with_gifts(app, sessions)
    declare(app, c.w.slug, c.w.residents[0], Scope.PAST_FOUR_YEARS)
    day = today(app)
    make_claim(app, c.w.slug, c.w.treasurer, day, day)
    treasurer = signed_in_client(app, sessions, c.w.treasurer)
    response = treasurer.post(
        f"/n/{c.w.slug}/gift-aid/claims", {"period_start": day.isoformat(), "period_end": day.isoformat()}
    )
    assert response.status_code == 409


def test_a_charity_s_pledge_page_offers_its_pledger_gift_aid_for_their_pledge(app, sessions):
    c = charity_with_gifts(app, sessions)
    pledger = signed_in_client(app, sessions, c.w.residents[0])
    page = pledger.get(f"/p/{c.pledge_id}").get_data(as_text=True)
    assert f"/n/{c.w.slug}/gift-aid/declare?gift={c.signups[0]}" in page
    not_pledged = signed_in_client(app, sessions, c.w.members[0])
    assert "gift-aid-offer" not in not_pledged.get(f"/p/{c.pledge_id}").get_data(as_text=True)
    assert "Gift Aid" in text(pledger.get(f"/n/{c.w.slug}"))  # the neighbourhood's menu


def test_a_donor_reading_welsh_declares_in_welsh_and_the_welsh_words_are_stored(app, sessions):
    c = charity_with_gifts(app, sessions)
    donor = signed_in_client(app, sessions, c.w.residents[0])
    url = f"/n/{c.w.slug}/gift-aid/declare?lang=cy"
    page = text(donor.get(url))
    assert "Rhowch hwb i'ch rhodd o £0.25 o Rodd Cymorth am bob £1 a roddwch." in page
    refused = donor.post(url, {**DONOR, "postcode": ""})
    assert "Rhowch eich cod post." in field_error(refused.get_data(as_text=True), "postcode")
    assert donor.post(url, DONOR).status_code == 302
    with unit_of_work(sessions) as session:
        stored = session.scalars(select(GiftAidDeclaration)).one()
        assert "yn ystod y 4 blynedd diwethaf" in stored.wording


def test_the_committee_values_what_pledgers_receive_and_a_gift_over_the_limit_is_not_claimable(app, sessions):
    c = charity_with_gifts(app, sessions)
    for resident in c.w.residents:
        declare(app, c.w.slug, resident, Scope.PAST_FOUR_YEARS)
    url = f"/p/{c.pledge_id}/gift-aid-benefit"
    assert signed_in_client(app, sessions, c.w.residents[0]).get(url).status_code == 403
    member = signed_in_client(app, sessions, c.w.members[0])
    assert url in member.get(f"/p/{c.pledge_id}").get_data(as_text=True)
    refused = member.post(url, {"value": "-1", "description": "A tote bag"})
    assert refused.status_code == 422 and field_error(refused.get_data(as_text=True), "value")
    no_words = member.post(url, {"value": "3.00", "description": ""})
    assert no_words.status_code == 422 and "Say what each pledger receives" in field_error(
        no_words.get_data(as_text=True), "description"
    )
    assert member.post(url, {"value": "3.00", "description": "A tote bag"}).status_code == 302  # over £2.50
    day = today(app)
    treasurer = signed_in_client(app, sessions, c.w.treasurer)
    query = {"period_start": (day - timedelta(days=9)).isoformat(), "period_end": day.isoformat()}
    page = text(treasurer.get("/n/" + c.w.slug + "/gift-aid/claims", query_string=query))
    assert page.count("(the donor receives too much in return)") == 2
    assert member.post(url, {"value": "2.50", "description": "A tote bag"}).status_code == 302  # within it
    page = text(treasurer.get("/n/" + c.w.slug + "/gift-aid/claims", query_string=query))
    assert page.count("(eligible)") == 2
