"""In a real browser, a grant's whole journey: the chair opens a round, a resident applies, committee members
declare and score, the chair decides, the treasurer pays, and the grantee reports; every grant page on the way
passes axe-core at WCAG 2.2 AA, and the books verify at the end."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories.grants import give_fund, reviewed, status, world
from tests.factories.pledges import assert_books_ok
from tests.helpers.app import PASSWORD
from tests.helpers.axe import assert_accessible

pytestmark = pytest.mark.browser


def _sign_in(page, address: str) -> None:
    page.goto("/login")
    page.get_by_label("Email address").fill(address)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/neighbourhoods$"))


def _sign_out(page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()


def _open_application(page, slug: str) -> None:
    page.goto(f"/n/{slug}/grants")
    page.get_by_role("link", name="Summer small grants").click()
    page.get_by_role("link", name="Bulbs for the verges").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bulbs for the verges")


def _declare_and_score(page, score: str) -> None:
    page.get_by_label("No, I have no conflict of interest").check()
    page.get_by_role("button", name="Declare").click()
    expect(page.get_by_role("status").first).to_contain_text("Your declaration is recorded")
    page.get_by_label("Benefit to the neighbourhood (weight 3)").select_option(score)
    page.get_by_label("Value for money (weight 1)").select_option(score)
    page.get_by_role("group", name="Your recommendation").get_by_label("Award in full").check()
    page.get_by_role("button", name="Save my review").click()
    expect(page.get_by_role("status").first).to_contain_text("Your review is saved")


def test_apply_declare_score_decide_pay_and_report(page, app, sessions, outbox):
    w = world(sessions)
    give_fund(app, w.slug, 80_000)

    _sign_in(page, "chair@example.org")
    page.goto(f"/n/{w.slug}")
    page.get_by_role("navigation", name="Elm Park").get_by_role("link", name="Grants").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grants in Elm Park")
    assert_accessible(page, "the grants page")
    page.get_by_role("link", name="Open a grant round").click()
    page.get_by_role("button", name="Open the round").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert_accessible(page, "the new round form with errors")
    page.get_by_label("Title").fill("Summer small grants")
    page.get_by_label("What the round is for").fill("Money for street parties and planting this summer.")
    page.get_by_label("Budget, in pounds").fill("500")
    page.get_by_label("Largest award, in pounds").fill("200")
    page.get_by_label("Scoring criteria").fill("Benefit to the neighbourhood: 3\nValue for money: 1")
    page.get_by_role("button", name="Open the round").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Summer small grants")
    assert_accessible(page, "the round page")
    _sign_out(page)

    _sign_in(page, "resident0@example.org")
    page.goto(f"/n/{w.slug}/grants")
    page.get_by_role("link", name="Summer small grants").click()
    page.get_by_role("link", name="Apply for a grant").click()
    page.get_by_label("Title").fill("Bulbs for the verges")
    page.get_by_label("What the money is for").fill(
        "Crocus bulbs along Victoria Road, planted by volunteers."
    )
    page.get_by_label("Amount requested, in pounds").fill("150")
    page.get_by_label("Budget").fill("Bulbs: 100\nCompost: 40")
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.get_by_role("alert")).to_contain_text("must add up to the amount requested")
    assert_accessible(page, "the application form with errors")
    page.get_by_label("Budget").fill("Bulbs: 100\nCompost: 50")
    page.get_by_label("Group's name").fill("Victoria Road Gardeners")
    page.get_by_role("button", name="Save as a draft").click()
    expect(page.get_by_text("Draft.", exact=True)).to_be_visible()
    assert_accessible(page, "a draft application")
    page.get_by_role("button", name="Submit the application").click()
    expect(page.get_by_text("Submitted.", exact=True)).to_be_visible()
    grant = int(re.search(r"/grants/applications/(\d+)", page.url).group(1))
    _sign_out(page)

    _sign_in(page, "member0@example.org")
    _open_application(page, w.slug)
    expect(page.get_by_text("0 of the 2 reviews needed")).to_be_visible()
    assert_accessible(page, "the application page before declaring")
    _declare_and_score(page, "4")
    expect(page.get_by_role("table", name="Scores (0 to 5)")).to_contain_text("80%")
    assert_accessible(page, "the application page with scores")
    _sign_out(page)
    reviewed(app, grant, [w.members[1]])

    _sign_in(page, "chair@example.org")
    _open_application(page, w.slug)
    expect(page.get_by_text("2 reviews in (2 needed)")).to_contain_text("The quorum is met")
    _declare_and_score(page, "5")
    decision = page.get_by_role("group", name="Decision")
    decision.get_by_label("Award in part").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("alert")).to_contain_text("Give the amount awarded")
    assert_accessible(page, "the decision form with errors")
    page.get_by_role("group", name="Decision").get_by_label("Award in full").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Awarded in full: £150.00")).to_be_visible()
    page.get_by_role("link", name="ledger transaction #2").click()
    expect(page).to_have_url(re.compile(rf"/n/{w.slug}/money/t/2$"))
    expect(page.get_by_role("heading", name="Transaction #2")).to_be_visible()
    expect(page.get_by_text(re.compile("^Grant to "))).to_be_visible()
    _sign_out(page)

    _sign_in(page, "treasurer@example.org")
    _open_application(page, w.slug)
    assert_accessible(page, "the payment form")
    page.get_by_label("Bank reference or cheque number").fill("EP-GRANT-1")
    page.get_by_role("button", name="Record the payment").click()
    expect(page.get_by_text("£150.00 paid by bank transfer on 2 March 2026")).to_be_visible()
    _sign_out(page)

    _sign_in(page, "resident0@example.org")
    page.goto(f"/grants/applications/{grant}")
    assert_accessible(page, "the report form")
    page.get_by_label("Amount spent, in pounds").fill("150")
    page.get_by_label("What happened").fill(
        "Three hundred crocuses came up in March; twelve neighbours helped."
    )
    page.get_by_label("5: enormously").check()
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_text("it helped the neighbourhood 5 out of 5")).to_be_visible()
    assert_accessible(page, "a reported grant")
    page.goto(f"/n/{w.slug}/grants")
    awards = page.get_by_role("table", name="Grants awarded, newest first")
    expect(awards).to_contain_text("Victoria Road Gardeners")
    assert_accessible(page, "the grants page with an award")

    assert status(app, grant) == "reported"
    subjects = [mail.subject for mail in outbox.to("resident0@example.org")]
    assert subjects == [
        "Application received: Bulbs for the verges",
        "Decision on your application: Bulbs for the verges",
        "Your grant is paid: Bulbs for the verges",
    ]
    assert_books_ok(app)
