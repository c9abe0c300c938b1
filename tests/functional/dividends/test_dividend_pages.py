"""The dividend pages through the test client: the committee drafts an agreement (and is told beside each
field what is wrong with bad terms, with nothing stored), the body signs and verifies through its link,
the chair signs, the evidence and the payment; the public pages, the body's page and the exports; and the
clashes: a second signature by one person, a link of another agreement, evidence after the deadline."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import timedelta

from sqlalchemy import func, select

from pledgebank.db import unit_of_work
from pledgebank.dividends.models import DividendAgreement
from tests.factories.dividends import SIGNATORY, VERIFIER, agreed, body_link, draft, evidence, fire_draft
from tests.factories.grants import today, world
from tests.factories.pledges import assert_books_ok, quick_user
from tests.helpers.app import WebClient
from tests.helpers.foundation import field_error, signed_in_client, visible_text


def page(response) -> str:
    return response.get_data(as_text=True)


def text(response) -> str:
    return html.unescape(visible_text(page(response)))


def form(app, **changes) -> dict[str, str]:
    fields = {
        "title": "Fewer deliberate fires on the estates",
        "body_name": "South London Fire Service",
        "body_kind": "fire_service",
        "fund_slug": "general",
        "outcome_name": "Deliberate fires",
        "outcome_unit": "fires a year",
        "direction": "down",
        "baseline_value": "40",
        "baseline_source": "Fire service incident records",
        "baseline_period": "April 2025 to March 2026",
        "target_value": "30",
        "deadline": (today(app) + timedelta(days=365)).isoformat(),
        "evidence_required": "The fire service's count of deliberate fires, by quarter.",
        "terms_kind": "fixed",
        "amount": "5,000",
        "cap": "5,000",
        "signatory_name": SIGNATORY[0],
        "signatory_email": SIGNATORY[1],
        "verifier_name": VERIFIER[0],
        "verifier_email": VERIFIER[1],
    }
    return {**fields, **changes}


def stored(sessions) -> int:
    with unit_of_work(sessions) as session:
        return session.scalar(select(func.count()).select_from(DividendAgreement))


def test_bad_terms_are_refused_beside_their_fields_and_nothing_is_stored(app, sessions):
    w = world(sessions)
    member = signed_in_client(app, sessions, w.members[0])
    url = f"/n/{w.slug}/dividends/new"
    assert member.get(url).status_code == 200
    cases = [
        ({"target_value": "45"}, "target_value", "the target must be below the baseline"),
        ({"cap": "4,999.99"}, "cap", "The cap cannot be below the fixed payment."),
        (
            {"terms_kind": "tiered", "amount": "", "tiers": "30: 2000\n35: 3000"},
            "tiers",
            "Each tier must need a better outcome and pay more than the one before it.",
        ),
        ({"tiers": "thirty five"}, "tiers", "give the outcome, a colon and the payment"),
        (
            {"terms_kind": "pro_rata", "floor_value": "29"},
            "floor_value",
            "between the baseline and the target",
        ),
        ({"deadline": today(app).isoformat()}, "deadline", "The deadline must be after today."),
        ({"signatory_email": "dana"}, "signatory_email", "email address"),
    ]
    for changes, field, message in cases:
        wrong = member.post(url, form(app, **changes))
        assert wrong.status_code == 422, (changes, text(wrong)[:500])
        assert message in field_error(page(wrong), field), (field, field_error(page(wrong), field))
    assert stored(sessions) == 0
    resident = signed_in_client(app, sessions, w.residents[0])
    assert resident.post(url, form(app)).status_code == 403
    assert stored(sessions) == 0


def test_drafted_on_the_page_signed_through_the_emailed_link_and_verified(app, sessions, outbox):
    w = world(sessions)
    member = signed_in_client(app, sessions, w.members[0])
    made = member.post(f"/n/{w.slug}/dividends/new", form(app))
    assert made.status_code == 302
    [agreement_id] = [int(n) for n in re.findall(r"/dividends/(\d+)$", made.headers["Location"])]
    link = re.search(r"http://localhost(/dividends/\S+)", outbox.last(SIGNATORY[1]).body).group(1)
    body = WebClient(app.test_client())
    shown = body.get(link)
    assert shown.status_code == 200 and "Sign for South London Fire Service" in text(shown)
    terms = re.search(r'name="terms_hash" value="([0-9a-f]{64})"', page(shown)).group(1)
    assert body.post(f"{link}/sign", {"terms_hash": "0" * 64}).status_code == 409
    assert body.post(f"{link}/sign", {"terms_hash": terms}).status_code == 302
    assert body.post(f"{link}/sign", {"terms_hash": terms}).status_code == 409  # the same person again
    chair = signed_in_client(app, sessions, w.chair)
    assert chair.post(f"/dividends/{agreement_id}/sign", {"terms_hash": terms}).status_code == 302
    shown = member.get(f"/n/{w.slug}/dividends/{agreement_id}")
    assert "Agreed, waiting for evidence" in text(shown)

    evidence_url = f"/dividends/{agreement_id}/evidence"
    wrong = member.post(evidence_url, {"period": "2026-27", "value": "twenty"})
    assert wrong.status_code == 422 and "whole number" in field_error(page(wrong), "value")
    assert (
        member.post(
            evidence_url, {"period": "2026-27", "value": "28", "notes": "Quarterly counts."}
        ).status_code
        == 302
    )
    verifier_link = re.search(r"http://localhost(/dividends/\S+)", outbox.last(VERIFIER[1]).body).group(1)
    assert body.post(f"{verifier_link}/verify", {}).status_code == 302
    shown = text(member.get(f"/n/{w.slug}/dividends/{agreement_id}"))
    assert "Earned, waiting for the body to pay" in shown and "Earned: £5,000.00" in shown

    treasurer = signed_in_client(app, sessions, w.treasurer)
    wrong = treasurer.post(f"/dividends/{agreement_id}/payment", {"paid_on": "soon"})
    assert wrong.status_code == 422
    paid = treasurer.post(
        f"/dividends/{agreement_id}/payment", {"paid_on": today(app).isoformat(), "reference": "SLFS"}
    )
    assert paid.status_code == 302
    assert "Received: £5,000.00" in text(member.get(f"/n/{w.slug}/dividends/{agreement_id}"))
    money = WebClient(app.test_client()).get(f"/n/{w.slug}/money")
    title = "South London Fire Service: Fewer deliberate fires on the estates"
    assert f"Community dividend received from {title}" in text(money)
    assert f'href="/n/{w.slug}/dividends/{agreement_id}"' in page(money)
    assert_books_ok(app)


def test_a_second_signature_by_the_same_person_is_a_clash(app, sessions):
    w = world(sessions)
    agreement_id = draft(app, w, fire_draft(app, signatory_email="chair@example.org"))
    chair = signed_in_client(app, sessions, w.chair)
    terms = page(chair.get(f"/n/{w.slug}/dividends/{agreement_id}"))
    signed_hash = re.search(r'name="terms_hash" value="([0-9a-f]{64})"', terms).group(1)
    assert chair.post(f"/dividends/{agreement_id}/sign", {"terms_hash": signed_hash}).status_code == 302
    link = f"/dividends/{agreement_id}/body/{body_link(app, agreement_id, 'chair@example.org')}"
    again = WebClient(app.test_client()).post(f"{link}/sign", {"terms_hash": signed_hash})
    assert again.status_code == 409
    assert "You have signed this agreement already" in text(again)


def test_a_link_for_another_agreement_and_evidence_after_the_deadline_are_refused(app, sessions, clock):
    w = world(sessions)
    first = agreed(app, w, fire_draft(app, deadline=today(app) + timedelta(days=5)))
    second = agreed(app, w, fire_draft(app, title="Fewer fires, part two"))
    evidence(app, w, second, 29)
    someone = WebClient(app.test_client())
    wrong_link = f"/dividends/{second}/body/{body_link(app, first, VERIFIER[1])}"
    assert someone.get(wrong_link).status_code == 409
    assert someone.post(f"{wrong_link}/verify", {}).status_code == 409
    assert someone.get(f"/dividends/{second}/body/not-a-token").status_code == 403
    clock.advance(timedelta(days=6))
    member = signed_in_client(app, sessions, w.members[0])
    late = member.post(f"/dividends/{first}/evidence", {"period": "Late", "value": "20"})
    assert late.status_code == 422
    assert "evidence can no longer be given" in field_error(page(late), "period")


def test_the_public_pages_the_body_page_and_the_exports(app, sessions):
    w = world(sessions)
    agreement_id = agreed(app, w)
    evidence(app, w, agreement_id, 33)
    visitor = WebClient(app.test_client())
    listed = visitor.get(f"/n/{w.slug}/dividends")
    assert listed.status_code == 200 and "Fewer deliberate fires on the estates" in text(listed)
    shown = visitor.get(f"/n/{w.slug}/dividends/{agreement_id}")
    assert shown.status_code == 200
    assert "<svg" in page(shown) and "Deliberate fires, period by period" in text(shown)
    assert "Give evidence" not in text(shown)
    body = visitor.get("/bodies/south-london-fire-service")
    assert body.status_code == 200 and "Elm Park" in text(body)
    rows = list(csv.DictReader(io.StringIO(page(visitor.get(f"/n/{w.slug}/dividends.csv")))))
    assert [(r["title"], r["status"], r["latest_figure"], r["outcomes"]) for r in rows] == [
        ("Fewer deliberate fires on the estates", "evidence_submitted", "33", "April 2026 to March 2027: 33")
    ]
    data = visitor.get(f"/n/{w.slug}/dividends.json").get_json()
    assert data["agreements"][0]["outcomes"] == [{"period": "April 2026 to March 2027", "figure": 33}]
    assert data["agreements"][0]["outcome_source"] == "figures"


def test_the_verifier_with_an_account_reaches_the_body_page_from_the_agreement(app, sessions):
    w = world(sessions)
    agreement_id = agreed(app, w)
    verifier = signed_in_client(app, sessions, quick_user(sessions, VERIFIER[1], VERIFIER[0]))
    shown = verifier.get(f"/n/{w.slug}/dividends/{agreement_id}")
    assert "Act for South London Fire Service" in text(shown)
    found = verifier.get(f"/dividends/{agreement_id}/as-body")
    assert found.status_code == 302 and f"/dividends/{agreement_id}/body/" in found.headers["Location"]
    assert verifier.get(found.headers["Location"]).status_code == 200
    resident = signed_in_client(app, sessions, w.residents[0])
    assert "Act for" not in text(resident.get(f"/n/{w.slug}/dividends/{agreement_id}"))
    assert resident.get(f"/dividends/{agreement_id}/as-body").status_code == 403
