"""The levy pages through the test client: the committee defines and approves a levy, residents join and
save cards, pay from the emailed link, ask for hardship help; the treasurer's page and the register upload."""

from __future__ import annotations

import io

from pledgebank.db import unit_of_work
from pledgebank.levies.models import HardshipRequest, HouseholdResident
from pledgebank.payments.gateway import TestCard
from tests.factories.levies import (
    active_levy,
    charge_of,
    join,
    join_with_card,
    levy_world,
    make_levy,
)
from tests.factories.pledges import assert_books_ok, due
from tests.helpers.foundation import signed_in_client
from tests.helpers.pledge_pages import error_beside, text_of

NEW = {
    "fund": "general",
    "name": "Street lighting",
    "purpose": "Keeping the lamps on along the footpath behind Elm Road.",
    "basis": "banded",
    "amount": "9",
    "period": "monthly",
    "starts_on": "2026-03-02",
    "ends_on": "",
    "threshold": "",
    "prorate": "y",
}


def test_the_committee_defines_a_levy_and_two_of_them_approve_it(app, sessions):
    slug, chair, member, (ann, _, _) = levy_world(sessions)
    committee, chair_client, resident = (signed_in_client(app, sessions, who) for who in (member, chair, ann))
    assert resident.get(f"/n/{slug}/levies/new").status_code == 403
    page = committee.get(f"/n/{slug}/levies/new")
    assert page.status_code == 200 and 'value="2026-03-02"' in page.get_data(as_text=True)

    wrong = committee.post(f"/n/{slug}/levies/new", {**NEW, "amount": "nine", "starts_on": "2026-02-01"})
    assert wrong.status_code == 422
    body = wrong.get_data(as_text=True)
    assert "Enter the amount as a number of pounds" in error_beside(body, "amount")
    wrong = committee.post(f"/n/{slug}/levies/new", {**NEW, "starts_on": "2026-02-01", "threshold": "5"})
    body = wrong.get_data(as_text=True)
    assert wrong.status_code == 422
    assert error_beside(body, "starts_on") == "Error: The first period cannot start in the past."
    assert "Only a voluntary levy waits" in error_beside(body, "threshold")

    made = committee.post(f"/n/{slug}/levies/new", NEW)
    assert made.status_code == 302
    levy_url = made.headers["Location"]
    page = text_of(committee.get(levy_url))
    assert "band D, and each other band its share" in page
    assert "Band A Band B Band C Band D Band E Band F Band G Band H £6.00 £7.00 £8.00 £9.00 £11.00" in page
    assert "Waiting for the committee" in page
    assert resident.get(levy_url).status_code == 404  # drafts are for the committee
    assert committee.post(f"{levy_url}/approve").status_code == 302
    assert "the chair and another committee member" in text_of(committee.get(levy_url))
    assert resident.post(f"{levy_url}/approve").status_code == 403
    assert chair_client.post(f"{levy_url}/approve").status_code == 302
    assert "Running." in text_of(resident.get(levy_url))
    assert "Approved by Committee Member and Chair Person" in text_of(chair_client.get(levy_url))
    assert f'href="{levy_url}"' in resident.get(f"/n/{slug}/levies").get_data(as_text=True)


def test_a_resident_joins_saves_a_card_pays_and_gets_a_receipt(app, sessions, outbox):
    slug, chair, member, (ann, ben, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member, basis="banded", amount=900)
    client, neighbour = signed_in_client(app, sessions, ann), signed_in_client(app, sessions, ben)

    wrong = client.post(f"/levies/{levy}/join", {"address": "", "band": ""})
    assert wrong.status_code == 422
    assert error_beside(wrong.get_data(as_text=True), "band") == "Error: Choose your council-tax band."
    assert client.post(f"/levies/{levy}/join", {"address": "12 Elm Road", "band": "E"}).status_code == 302
    page = text_of(client.get(f"/levies/{levy}"))
    assert "12 Elm Road, band E: in this levy since 2 March 2026" in page and "No card is saved" in page
    shared = neighbour.post(
        f"/levies/{levy}/join", {"address": "12 elm rd", "band": "E"}, follow_redirects=True
    )
    assert "already joined: you share its charges" in text_of(shared)

    assert "Visa 4242 4242 4242 4242" in text_of(client.get(f"/levies/{levy}/card"))
    saved = client.post(f"/levies/{levy}/card", {"card": "succeeds"})
    assert saved.status_code == 302
    assert "card ending 4242" in text_of(client.get(f"/levies/{levy}"))
    due(app)
    page = text_of(client.get(f"/levies/{levy}"))
    assert "£11.00 Paid by card on 2 March 2026" in page
    receipt = charge_of_user(app, ann)
    body = text_of(client.get(f"/levies/charges/{receipt}/receipt"))
    assert "£11.00 by card on 2 March 2026" in body and "Transaction #" in body
    assert neighbour.get(f"/levies/charges/{receipt}/receipt").status_code == 200  # the same household
    outsider = signed_in_client(app, sessions, member)
    assert outsider.get(f"/levies/charges/{receipt}/receipt").status_code == 403
    mail = outbox.last("resident0@example.org")
    assert (
        mail.subject == "Receipt: Street lighting paid"
        and mail.path("/receipt") == f"/levies/charges/{receipt}/receipt"
    )
    mine = text_of(client.get(f"/n/{slug}/levies/mine"))
    assert "Street lighting 2 Mar 2026 £11.00 Paid by card" in mine
    assert_books_ok(app)


def charge_of_user(app, user_id: int) -> int:
    """The id of the only charge of the user's household."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        household = session.query(HouseholdResident).filter_by(user_id=user_id).one().household_id
    return charge_of(app, household).id


def test_the_pay_page_from_a_decline_email_and_a_hardship_request(app, sessions, outbox):
    slug, chair, member, (ann, _, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member)
    home = join_with_card(app, levy, ann, "1 Elm Road", card=TestCard.DECLINES_AT_CHARGE)
    due(app)
    link = outbox.last("resident0@example.org").path("/pay")
    client = signed_in_client(app, sessions, ann)
    page = text_of(client.get(link))
    assert "the card was declined, trying again 3 March" in page
    assert "Pay £10.00 now with the card ending 0341" in page
    again = client.post(link)
    assert again.status_code == 422 and "did not go through" in text_of(again)
    assert charge_of(app, home).attempts == 2

    wrong = client.post(f"{link.removesuffix('/pay')}/hardship", {"reason": "short"})
    assert wrong.status_code == 422
    assert "10 to 2000 characters" in error_beside(wrong.get_data(as_text=True), "reason")
    asked = client.post(
        f"{link.removesuffix('/pay')}/hardship", {"reason": "I lost my job in March.", "amount": "4"}
    )
    assert asked.status_code == 302
    assert "with the committee" in text_of(client.get(link))
    assert due(app, days=1) == {}

    treasurer = signed_in_client(app, sessions, chair)
    accounts = text_of(treasurer.get(f"/n/{slug}/levies/accounts"))
    assert "Resident 0: Street lighting" in accounts and "a reduction of £4.00 of £10.00" in accounts
    assert signed_in_client(app, sessions, ann).get(f"/n/{slug}/levies/accounts").status_code == 403
    with unit_of_work(sessions) as session:
        request_id = session.query(HardshipRequest).one().id
    missing = treasurer.post(f"/levies/hardship/{request_id}", {"decision": "refuse", "note": ""})
    assert missing.status_code == 422 and "Say why the request is refused" in text_of(missing)
    decided = signed_in_client(app, sessions, member).post(
        f"/levies/hardship/{request_id}", {"decision": "approve", "amount": "", "note": "Agreed."}
    )
    assert decided.status_code == 302
    charge = charge_of(app, home)
    assert (charge.waived_amount, charge.amount_due, charge.paused) == (400, 600, False)
    assert outbox.last("resident0@example.org").subject == "Your hardship request: Street lighting"
    recorded = treasurer.post(
        f"/levies/charges/{charge.id}/received",
        {"into": "bank", "amount": "6", "received_on": "2026-03-02", "confirm": "yes"},
        follow_redirects=True,
    )
    assert "Recorded: £6.00 received. The charge is paid." in text_of(recorded)
    totals = text_of(treasurer.get(f"/n/{slug}/levies/accounts"))
    assert "Total 1 £10.00 £6.00 £4.00 £0.00" in totals
    assert_books_ok(app)


def test_the_register_upload_reports_lines_and_refuses_duplicates(app, sessions):
    slug, chair, member, (ann, _, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member)
    join(app, levy, ann, "2 Elm Road", "C")
    committee = signed_in_client(app, sessions, member)
    url = f"/levies/{levy}/households"
    assert signed_in_client(app, sessions, ann).get(url).status_code == 403

    def upload(text: str):
        data = {"file": (io.BytesIO(text.encode()), "register.csv")}
        form = {"csrf_token": committee.csrf_token(url), **data}
        return committee.client.post(url, data=form, content_type="multipart/form-data")

    bad = upload("address,band\n1 Elm Road,A\n2 elm road,C\n3 Elm Road,Q\n")
    assert bad.status_code == 422
    page = text_of(bad)
    assert "The register was not imported" in page
    assert "3 2 Elm Road is already in this levy (a duplicate household)." in page
    assert "4 The band must be one of A to H, not 'Q'." in page
    assert text_of(committee.get(url)).count("Elm Road") == 1  # nothing was imported
    good = upload("address,band\n1 Elm Road,A\n3 Elm Road,B\n")
    assert good.status_code == 302
    assert "1 Elm Road A 2 March 2026" in text_of(committee.get(url))
    assert upload("").status_code == 422


def test_joining_a_levy_not_taking_households_is_a_clash_not_bad_input(app, sessions):
    slug, _, member, _ = levy_world(sessions)
    levy = make_levy(app, slug, member)  # a draft: the committee has not approved it
    committee = signed_in_client(app, sessions, member)

    refused = committee.post(f"/levies/{levy}/join", {"address": "3 Elm Road", "band": "D"})
    assert refused.status_code == 409, "a clash with the levy's state, as on a pledge, is not bad input"
    assert "This levy is not taking households." in text_of(refused)
    assert error_beside(refused.get_data(as_text=True), "address") == ""
    wrong = committee.post(f"/levies/{levy}/join", {"address": "3 Elm Road", "band": ""})
    assert wrong.status_code == 422, "a field left empty is still bad input"
    assert_books_ok(app)
