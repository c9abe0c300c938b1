"""Pledges of time on the web: started with the form (money fields refused beside them), signed with one
button, what happens next shown to signers once it succeeds; the neighbourhood dashboard and the home page's
local pledges."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from pledgebank import demo
from pledgebank.accounts.models import User
from pledgebank.db import unit_of_work
from pledgebank.pledges.extras import post_update
from pledgebank.pledges.models import Pledge
from tests.factories.pledges import make_pledge, neighbourhood_with, quick_user, sign
from tests.factories.time_pledges import NEXT_STEPS, TITLE, time_pledge
from tests.helpers.app import make_neighbourhood
from tests.helpers.foundation import signed_in_client
from tests.helpers.pledge_pages import error_beside, text_of


def form_for(app, **changes) -> dict[str, str]:
    day = (app.extensions["pledgebank.clock"].now() + timedelta(days=10)).date().isoformat()
    return {
        "kind": "time",
        "fund": "+own",
        "title": TITLE,
        "description": "Two hours clearing litter and weeding the beds.",
        "next_steps": NEXT_STEPS,
        "amount_kind": "fixed",
        "amount": "",
        "target_pledgers": "2",
        "target_amount": "",
        "deadline": day,
        "deadline_time": "18:00",
        "cap": "",
        **changes,
    }


def test_a_pledge_of_time_is_started_with_the_form_and_money_is_refused_beside_its_field(app, sessions):
    slug, chair, _ = neighbourhood_with(sessions, residents=0)
    web = signed_in_client(app, sessions, chair)
    refused = web.post(f"/n/{slug}/pledges/new", form_for(app, amount="5"))
    assert refused.status_code == 422
    assert "asks for no money" in error_beside(refused.get_data(as_text=True), "amount")
    money_blank = web.post(f"/n/{slug}/pledges/new", form_for(app, kind="money", next_steps=""))
    assert "Enter the amount" in error_beside(money_blank.get_data(as_text=True), "amount")

    made = web.post(f"/n/{slug}/pledges/new", form_for(app))
    assert made.status_code == 302
    with unit_of_work(sessions) as session:
        pledge = session.scalars(select(Pledge)).one()
        assert (pledge.kind, pledge.amount, pledge.fund_id, pledge.next_steps) == (
            "time",
            0,
            None,
            NEXT_STEPS,
        )
    page = text_of(web.get(made.headers["Location"]))
    assert "Nobody is held to it unless 2 people sign up by" in page
    assert "No money is involved" in page and "0 of 2 people signed up" in page
    assert "£" not in page and "The money goes to" not in page and "sponsor" not in page.lower()


def test_residents_sign_a_pledge_of_time_with_one_button_and_signers_see_what_happens_next(app, sessions):
    slug, chair, (ann, ben, cat) = neighbourhood_with(sessions, residents=3)
    pledge = time_pledge(app, slug, chair, target_pledgers=2)
    ann_web = signed_in_client(app, sessions, ann)
    signed = ann_web.post(f"/p/{pledge}/pledge")
    assert signed.status_code == 302
    page = text_of(ann_web.get(f"/p/{pledge}"))
    assert "You have signed up" in page and "1 of 2 people signed up" in page
    assert NEXT_STEPS not in page

    signed_in_client(app, sessions, ben).post(f"/p/{pledge}/pledge")
    page = text_of(ann_web.get(f"/p/{pledge}"))
    assert "Succeeded: it is going ahead" in page and "What happens next" in page and NEXT_STEPS in page
    stranger = text_of(signed_in_client(app, sessions, cat).get(f"/p/{pledge}"))
    assert NEXT_STEPS not in stranger and "Sign up: I will too" in stranger
    assert NEXT_STEPS not in text_of(app.test_client().get(f"/p/{pledge}"))


def test_the_neighbourhood_page_is_a_dashboard(app, sessions):
    slug, chair, (ann,) = neighbourhood_with(sessions, residents=1)
    money = make_pledge(app, slug, chair, target_pledgers=40)
    time = time_pledge(app, slug, chair)
    sign(app, time, ann, method="time")
    now = app.extensions["pledgebank.clock"].now()
    with unit_of_work(sessions) as session:
        post_update(
            session,
            actor_id=chair,
            pledge=session.get_one(Pledge, money),
            body="Posts ordered from the yard.",
            now=now,
        )
    page = text_of(app.test_client().get(f"/n/{slug}"))
    assert "Live pledges" in page
    assert "Mend the playground fence" in page and "0 of 40 people, £0 pledged" in page
    assert TITLE in page and "1 of 3 people signed up" in page
    assert "Received £0.00" in page and "Left £0.00" in page
    assert "No grant round is open just now" in page and "No levy is being charged just now" in page
    assert "Posts ordered from the yard." in page


def test_the_home_page_features_pledges_near_a_postcode_district(app, sessions):
    slug, chair, _ = neighbourhood_with(sessions, residents=0)  # Elm Park, SE15
    time_pledge(app, slug, chair)
    other_chair = quick_user(sessions, "north@example.org", "North Chair")
    north = make_neighbourhood(sessions, other_chair, name="Holloway", district="N7")
    make_pledge(app, north, other_chair, title="Fix the bus shelter", target_pledgers=5)
    client = app.test_client()

    everywhere = text_of(client.get("/"))
    assert "Live pledges" in everywhere and TITLE in everywhere and "Fix the bus shelter" in everywhere

    near = text_of(client.get("/?district=se15 4ab"))
    assert "Pledges near SE15" in near and TITLE in near and "Elm Park, SE15" in near
    assert "Fix the bus shelter" not in near
    assert TITLE in text_of(client.get("/?district=SE22"))  # the same area
    assert "No live pledges near W1" in text_of(client.get("/?district=W1"))

    bad = client.get("/?district=<script>")
    assert bad.status_code == 422
    assert "Enter a postcode district such as SE15" in error_beside(bad.get_data(as_text=True), "district")


def test_the_demo_has_a_pledge_of_time_a_resident_can_sign_from_the_home_page(app, sessions, clock):
    with unit_of_work(sessions) as session:
        ids = demo.seed(session, at=clock.now(), currency="GBP")
    demo.seed_pledges(app, ids)
    client = app.test_client()
    near = text_of(client.get("/?district=SE15"))
    assert "Volunteer two hours at the spring clean-up" in near and "2 of 3 people signed up" in near
    with unit_of_work(sessions) as session:
        clean_up = session.scalars(select(Pledge).where(Pledge.kind == "time")).one()
        pledge_id = clean_up.id
    ben = signed_in_client(app, sessions, ids["ben@example.org"])
    assert ben.post(f"/p/{pledge_id}/pledge").status_code == 302
    page = text_of(ben.get(f"/p/{pledge_id}"))
    assert "What happens next" in page and "Meet at the park gates" in page


def test_the_account_page_lists_a_pledge_of_time_in_its_own_words(app, sessions):
    slug, chair, (ann,) = neighbourhood_with(sessions, residents=1)
    pledge = time_pledge(app, slug, chair)
    sign(app, pledge, ann, method="time")
    page = text_of(signed_in_client(app, sessions, ann).get("/account"))
    assert TITLE in page and "You have signed up (no money involved)." in page and "£0" not in page


def test_a_pledge_of_time_is_changed_before_anyone_signs_but_never_into_money(app, sessions):
    slug, chair, _ = neighbourhood_with(sessions, residents=0)
    pledge = time_pledge(app, slug, chair)
    web = signed_in_client(app, sessions, chair)
    form = web.get(f"/p/{pledge}/edit")
    assert form.status_code == 200 and NEXT_STEPS in form.get_data(as_text=True)
    into_money = web.post(f"/p/{pledge}/edit", form_for(app, kind="money", amount="5", next_steps=""))
    assert into_money.status_code == 422
    assert "cannot change" in error_beside(into_money.get_data(as_text=True), "kind")
    changed = web.post(f"/p/{pledge}/edit", form_for(app, next_steps="Meet at the library at 9:30 instead."))
    assert changed.status_code == 302
    with unit_of_work(sessions) as session:
        row = session.get_one(Pledge, pledge)
        assert (row.kind, row.fund_id, row.next_steps) == (
            "time",
            None,
            "Meet at the library at 9:30 instead.",
        )


def test_a_signer_of_a_pledge_of_time_chooses_how_they_appear_in_the_list(app, sessions):
    slug, chair, (ann, ben) = neighbourhood_with(sessions, residents=2)
    with unit_of_work(sessions) as session:
        session.get_one(User, ann).display_name = "Ann Lee"
        session.get_one(User, ben).display_name = "Ben Cole"
    pledge = time_pledge(app, slug, chair, target_pledgers=3)
    ann_web = signed_in_client(app, sessions, ann)
    form = ann_web.get(f"/p/{pledge}").get_data(as_text=True)
    assert 'name="shown_as"' in form  # the choice is offered with the one button
    assert ann_web.post(f"/p/{pledge}/pledge", {"shown_as": "name"}).status_code == 302
    assert signed_in_client(app, sessions, ben).post(f"/p/{pledge}/pledge", {}).status_code == 302

    listed = app.test_client().get(f"/p/{pledge}").get_data(as_text=True)
    signers = listed.split('id="signer-list"')[1].split("</ul>")[0]
    assert "Ann L." in signers and "Ann Lee" not in signers  # first name and initial, as she chose
    assert "Ben" not in signers  # counted, not named: he chose nothing
    assert "2 people" in text_of(app.test_client().get(f"/p/{pledge}"))

    refused = signed_in_client(app, sessions, chair).post(f"/p/{pledge}/pledge", {"shown_as": "everyone"})
    assert refused.status_code == 422
    assert "Choose how you appear" in error_beside(refused.get_data(as_text=True), "shown_as")
