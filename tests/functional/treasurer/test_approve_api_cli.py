"""A supplier payment above the threshold approved through the API and the command line: by a second
committee member only, once however often it is sent, and refused beside the amount when the fund no longer
holds the money; the books still verify."""

from __future__ import annotations

from pledgebank.cli import main
from tests.factories.grants import THRESHOLD, give_fund, world
from tests.factories.pledges import assert_books_ok, balance
from tests.factories.treasurer import record, terms, transaction_count
from tests.helpers.grant_api import token


def _waiting(app, w, amount: int = THRESHOLD + 1) -> int:
    values = {"payee": "Oak Fencing Ltd", "purpose": "Mend the fence", "category": "repairs", "place": "bank"}
    entry_id, status, _legs = record(
        app, w.treasurer, w.slug, terms(app, "supplier_payment", amount=amount, **values)
    )
    assert status == "awaiting_approval"
    return entry_id


def test_the_api_approves_once_and_only_for_a_second_member(app, sessions):
    w = world(sessions)
    give_fund(app, w.slug, 100_000)
    entry_id = _waiting(app, w)
    client = app.test_client()
    url = f"/api/v1/neighbourhoods/{w.slug}/treasurer-entries/{entry_id}/approve"
    assert client.post(url, headers=token(sessions, w.treasurer)).status_code == 403
    assert client.post(url, headers=token(sessions, w.residents[0])).status_code == 403
    assert client.post(url, headers=token(sessions, w.members[0], "read")).status_code == 403
    assert client.post(url).status_code == 401
    member = token(sessions, w.members[0])
    first = client.post(url, headers=member)
    assert first.status_code == 200, first.get_json()
    assert first.get_json()["status"] == "posted" and first.get_json()["transaction_sequence"] == 2
    again = client.post(url, headers=member)
    assert again.status_code == 200 and again.get_json() == first.get_json()
    assert client.post(url, headers=token(sessions, w.members[1])).status_code == 409
    assert transaction_count(app) == 2
    assert balance(app, "expenses:general:repairs") == THRESHOLD + 1
    assert_books_ok(app)


def test_the_api_finds_no_entry_of_another_neighbourhood(app, sessions):
    w = world(sessions)
    other = world(sessions, prefix="oak-", name="Oak Vale")
    give_fund(app, w.slug, 100_000)
    entry_id = _waiting(app, w)
    client = app.test_client()
    wrong = f"/api/v1/neighbourhoods/{other.slug}/treasurer-entries/{entry_id}/approve"
    assert client.post(wrong, headers=token(sessions, other.members[0])).status_code == 404
    missing = f"/api/v1/neighbourhoods/{w.slug}/treasurer-entries/999999/approve"
    assert client.post(missing, headers=token(sessions, w.members[0])).status_code == 404
    assert transaction_count(app) == 1


def test_approval_rechecks_what_the_fund_holds(app, sessions):
    w = world(sessions)
    give_fund(app, w.slug, THRESHOLD + 100)
    entry_id = _waiting(app, w)
    record(app, w.treasurer, w.slug, terms(app, "bank_charges", amount=200))
    client = app.test_client()
    url = f"/api/v1/neighbourhoods/{w.slug}/treasurer-entries/{entry_id}/approve"
    refused = client.post(url, headers=token(sessions, w.members[0]))
    assert refused.status_code == 422 and "amount" in refused.get_json()["fields"], refused.get_json()
    assert transaction_count(app) == 2 and balance(app, "expenses:general:repairs") == 0
    runner = app.test_cli_runner()
    result = runner.invoke(main, ["ledger", "approve", str(entry_id), "--as", "member0@example.org"])
    assert result.exit_code == 1 and "not approved: amount:" in result.output
    give_fund(app, w.slug, 1_000, key="top-up")
    assert client.post(url, headers=token(sessions, w.members[0])).status_code == 200
    assert balance(app, "expenses:general:repairs") == THRESHOLD + 1
    assert_books_ok(app)


def test_the_command_line_approves_once_and_only_for_a_second_member(app, sessions):
    w = world(sessions)
    give_fund(app, w.slug, 100_000)
    entry_id = _waiting(app, w)
    runner = app.test_cli_runner()

    def approve(email: str, entry: int = entry_id):
        return runner.invoke(main, ["ledger", "approve", str(entry), "--as", email])

    recorder = approve("treasurer@example.org")
    assert recorder.exit_code == 1 and "not approved" in recorder.output
    assert approve("nobody@example.org").exit_code == 2
    assert approve("member0@example.org", 999999).exit_code == 1
    first = approve("member0@example.org")
    assert first.exit_code == 0, first.output
    assert f"entry {entry_id} approved and recorded as transaction 2" in first.output
    again = approve("member0@example.org")
    assert again.exit_code == 0 and "transaction 2" in again.output
    assert approve("member1@example.org").exit_code == 1
    assert transaction_count(app) == 2
    assert balance(app, "assets:bank") == 100_000 - THRESHOLD - 1
    assert_books_ok(app)
