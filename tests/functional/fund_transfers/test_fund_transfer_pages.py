"""Transfers between funds on the web, the API and the command line: proposed once however often sent, posted
only when the chair and a committee member agree, too much refused beside the amount with nothing written."""

from __future__ import annotations

import re

from pledgebank.cli import main
from pledgebank.neighbourhoods.models import FundType
from tests.factories.fund_transfers import add_fund, counts
from tests.factories.grants import give_fund, world
from tests.factories.pledges import assert_books_ok, balance
from tests.helpers.grant_api import token

_KEY = re.compile(r'name="form_key" type="hidden" value="([^"]+)"')
_APPROVE = re.compile(r'action="(/n/[^"]+/ledger/transfers/\d+/approve)"')


def _world(app, sessions):
    w = world(sessions)
    give_fund(app, w.slug, 50_000)
    add_fund(app, w.slug, "repairs", FundType.DESIGNATED)
    add_fund(app, w.slug, "trees", FundType.RESTRICTED, purpose="Plant twenty street trees")
    give_fund(app, w.slug, 10_000, fund="trees", key="trees")
    return w


def _form(web, slug: str) -> dict[str, str]:
    page = web.get(f"/n/{slug}/ledger/transfers")
    assert page.status_code == 200, page.get_data(as_text=True)[:500]
    key = _KEY.search(page.get_data(as_text=True))
    assert key, "the form carries a one-time key"
    return {"form_key": key.group(1), "from_fund": "general", "to_fund": "repairs", "place": "bank"}


def test_a_member_proposes_once_and_the_chair_approves_on_the_page(app, sessions, web):
    w = _world(app, sessions)
    web.login("member0@example.org")
    data = {**_form(web, w.slug), "amount": "120.00", "reason": "Set aside for the hall roof"}
    first = web.post(f"/n/{w.slug}/ledger/transfers", data)
    assert first.status_code == 302, first.get_data(as_text=True)[:3000]
    assert web.post(f"/n/{w.slug}/ledger/transfers", data).status_code == 302
    assert counts(app)[0] == 1
    page = web.get(f"/n/{w.slug}/ledger/transfers").get_data(as_text=True)
    assert "Set aside for the hall roof" in page and "Withdraw this transfer" in page
    assert not _APPROVE.search(page), "the proposer is offered no approve button"
    web.logout()
    web.login("member1@example.org")
    action = _APPROVE.search(web.get(f"/n/{w.slug}/ledger/transfers").get_data(as_text=True)).group(1)
    refused = web.post(action)
    assert refused.status_code == 403 and "chair" in refused.get_data(as_text=True)
    assert balance(app, "assets:bank:repairs") == 0
    web.logout()
    web.login("chair@example.org")
    assert web.post(action).status_code == 302
    assert web.post(action).status_code == 302
    assert balance(app, "assets:bank:repairs") == 12_000 and balance(app, "assets:bank:general") == 38_000
    assert "In the ledger" in web.get(f"/n/{w.slug}/ledger/transfers").get_data(as_text=True)
    assert_books_ok(app)


def test_too_much_and_a_missing_basis_are_shown_beside_their_fields(app, sessions, web):
    w = _world(app, sessions)
    web.login("chair@example.org")
    base = {**_form(web, w.slug), "reason": "Set aside"}
    before = counts(app)
    page = web.post(f"/n/{w.slug}/ledger/transfers", {**base, "amount": "500.01"})
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and 'id="amount-error"' in html
    assert "has only £500.00 available to transfer" in html
    for amount in ("-5", "0", "1.234", "lots"):
        page = web.post(f"/n/{w.slug}/ledger/transfers", {**base, "amount": amount})
        assert page.status_code == 422 and 'id="amount-error"' in page.get_data(as_text=True), amount
    page = web.post(f"/n/{w.slug}/ledger/transfers", {**base, "amount": "5", "from_fund": "trees"})
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and 'id="basis-error"' in html and 'id="basis_note-error"' in html
    page = web.post(f"/n/{w.slug}/ledger/transfers", {**base, "amount": "5", "reason": ""})
    assert page.status_code == 422 and 'id="reason-error"' in page.get_data(as_text=True)
    assert counts(app) == before


def test_the_page_is_for_officers_and_labels_its_choices(app, sessions, web):
    w = _world(app, sessions)
    web.login("resident0@example.org")
    assert web.get(f"/n/{w.slug}/ledger/transfers").status_code == 403
    web.logout()
    web.login("treasurer@example.org")
    page = web.get(f"/n/{w.slug}/ledger/transfers").get_data(as_text=True)
    assert "Propose a transfer" not in page
    refused = web.post(f"/n/{w.slug}/ledger/transfers", {"amount": "5", "reason": "x"})
    assert refused.status_code == 403 and counts(app)[0] == 0
    web.logout()
    web.login("chair@example.org")
    page = web.get(f"/n/{w.slug}/ledger/transfers").get_data(as_text=True)
    assert "<legend>Where the money is held</legend>" in page
    assert "<legend>Basis for moving restricted money (restricted funds only)</legend>" in page
    for name in ("from_fund", "to_fund", "amount", "reason", "basis_note"):
        assert f'for="{name}"' in page, name


def test_the_api_proposes_once_approves_and_names_bad_fields(app, sessions):
    w = _world(app, sessions)
    client = app.test_client()
    url = f"/api/v1/neighbourhoods/{w.slug}/fund-transfers"
    body = {
        "idempotency_key": "release-tree-money-01",
        "from_fund": "trees",
        "to_fund": "general",
        "amount": 2_500,
        "reason": "Trees planted; money left over",
        "basis": "purpose_met",
        "basis_note": "Twenty trees planted on 14 February",
    }
    member = token(sessions, w.members[0])
    first = client.post(url, json=body, headers=member)
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["status"] == "proposed" and first.get_json()["transaction_sequence"] is None
    assert client.post(url, json=body, headers=member).get_json()["id"] == first.get_json()["id"]
    for bad in ({"amount": -1}, {"amount": 1.5}, {"basis": "why-not"}, {"reason": ""}, {"place": "stripe"}):
        refused = client.post(
            url, json={**body, "idempotency_key": "another-key-0001", **bad}, headers=member
        )
        assert refused.status_code == 422, bad
        assert set(bad) <= set(refused.get_json()["fields"]), refused.get_json()
    too_much = client.post(
        url, json={**body, "idempotency_key": "too-much-key-00001", "amount": 10_001}, headers=member
    )
    assert too_much.status_code == 422 and "amount" in too_much.get_json()["fields"]
    approve = f"{url}/{first.get_json()['id']}/approve"
    assert client.post(approve, headers=member).status_code == 403
    done = client.post(approve, headers=token(sessions, w.chair))
    assert done.status_code == 200 and done.get_json()["status"] == "posted"
    assert done.get_json()["transaction_sequence"] == 3
    listed = client.get(url, headers=token(sessions, w.treasurer, "read"))
    assert [t["status"] for t in listed.get_json()] == ["posted"]
    assert balance(app, "assets:bank:trees") == 7_500
    assert_books_ok(app)


def test_the_command_line_proposes_approves_and_refuses(app, sessions):
    w = _world(app, sessions)
    runner = app.test_cli_runner()
    common = ["--neighbourhood", w.slug]
    propose = [
        "ledger", "transfer", "propose", *common, "--by", "chair@example.org",
        "--from", "general", "--to", "repairs", "--amount", "75.00", "--reason", "Set aside for paint",
    ]  # fmt: skip
    result = runner.invoke(main, propose)
    assert result.exit_code == 0, result.output
    assert "transfer 1 proposed" in result.output
    own = runner.invoke(main, ["ledger", "transfer", "approve", *common, "--by", "chair@example.org", "1"])
    assert own.exit_code == 1 and "not the one who proposed" in own.output
    done = runner.invoke(main, ["ledger", "transfer", "approve", *common, "--by", "member0@example.org", "1"])
    assert done.exit_code == 0 and "recorded as transaction" in done.output, done.output
    too_much = runner.invoke(main, [*propose[:-4], "--amount", "9000.00", "--reason", "All of it"])
    assert too_much.exit_code == 1 and "amount: " in too_much.output
    listed = runner.invoke(main, ["ledger", "transfer", "list", *common, "--by", "member1@example.org"])
    assert "posted\tgeneral -> repairs\t£75.00" in listed.output
    assert balance(app, "assets:bank:repairs") == 7_500
    assert_books_ok(app)
