"""The treasurer records money received towards a levy charge: the first press asks for the amount and the
day, a part payment leaves the rest owed, the same form sent twice records the money once, and bad amounts
and days are refused beside their fields with nothing written."""

from __future__ import annotations

from pledgebank.ledger import chart
from tests.factories.levies import active_levy, charge_of, join, levy_world
from tests.factories.pledges import assert_books_ok, balance, due
from tests.helpers.foundation import signed_in_client
from tests.helpers.pledge_pages import error_beside, text_of


def _form(owed: int, amount: str, on: str = "2026-03-02", into: str = "cash") -> dict[str, str]:
    return {"into": into, "amount": amount, "received_on": on, "owed": str(owed), "confirm": "yes"}


def test_a_part_payment_leaves_the_rest_owed_and_a_second_send_records_nothing(app, sessions, outbox):
    slug, chair, member, (ann, _, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member)
    home = join(app, levy, ann, "1 Elm Road")
    due(app)
    charge = charge_of(app, home)
    assert charge.amount_due == 1000
    treasurer = signed_in_client(app, sessions, chair)
    url = f"/levies/charges/{charge.id}/received"

    asked = treasurer.post(url, {"into": "cash"})
    assert asked.status_code == 200, "the button on the accounts page only opens the form"
    page = text_of(asked)
    assert "1 Elm Road: Street lighting" in page and "£10.00 is owed" in page
    assert "A part payment leaves the rest owed" in page
    assert 'name="amount"' in asked.get_data(as_text=True) and 'value="10.00"' in asked.get_data(as_text=True)
    assert charge_of(app, home).part_paid == 0 and balance(app, chart.CASH) == 0

    part = treasurer.post(url, _form(1000, "4"), follow_redirects=True)
    assert "Recorded: £4.00 received. £6.00 is still owed." in text_of(part)
    charge = charge_of(app, home)
    assert (charge.status, charge.part_paid, charge.amount_due) == ("due", 400, 600)
    assert balance(app, chart.CASH) == 400
    accounts = text_of(treasurer.get(f"/n/{slug}/levies/accounts"))
    assert "£6.00 still owed (£4.00 paid so far)" in accounts

    twice = treasurer.post(url, _form(1000, "4"))
    assert twice.status_code == 409, "the same form sent again (or from another tab) records nothing"
    assert "£6.00 is owed now. Nothing was recorded." in text_of(twice)
    assert charge_of(app, home).part_paid == 400 and balance(app, chart.CASH) == 400

    rest = treasurer.post(url, _form(600, "6", into="bank"), follow_redirects=True)
    assert "Recorded: £6.00 received. The charge is paid." in text_of(rest)
    charge = charge_of(app, home)
    assert (charge.status, charge.collected) == ("paid", 1000)
    assert (balance(app, chart.CASH), balance(app, chart.BANK)) == (400, 600)
    receipt = text_of(signed_in_client(app, sessions, ann).get(f"/levies/charges/{charge.id}/receipt"))
    assert "£10.00 by bank transfer" in receipt and "£4.00 of it in earlier part payments" in receipt
    assert "Total 1 £10.00 £10.00 £0.00 £0.00" in text_of(treasurer.get(f"/n/{slug}/levies/accounts"))
    assert_books_ok(app)


def test_bad_amounts_and_days_are_refused_beside_their_fields(app, sessions):
    slug, chair, member, (ann, ben, _) = levy_world(sessions)
    levy = active_levy(app, slug, chair, member)
    home = join(app, levy, ann, "1 Elm Road")
    due(app)
    charge = charge_of(app, home)
    url = f"/levies/charges/{charge.id}/received"
    assert signed_in_client(app, sessions, ben).post(url, _form(1000, "4")).status_code == 403
    assert signed_in_client(app, sessions, ben).get(url).status_code == 403
    treasurer = signed_in_client(app, sessions, chair)
    cases = [
        ("amount", _form(1000, "10.01"), "at most the £10.00 owed"),
        ("amount", _form(1000, "0"), "above zero"),
        ("amount", _form(1000, "4.001"), ""),
        ("amount", _form(1000, "€4"), ""),
        ("received_on", _form(1000, "4", on="2026-03-03"), "cannot be in the future"),
        ("received_on", _form(1000, "4", on="2026-02-30"), ""),
        ("into", _form(1000, "4", into="sofa"), ""),
    ]
    for name, form, words in cases:
        refused = treasurer.post(url, form)
        assert refused.status_code == 422, (name, form)
        beside = error_beside(refused.get_data(as_text=True), name)
        assert beside and words in beside, (name, form, beside)
    assert charge_of(app, home).part_paid == 0 and balance(app, chart.CASH) == 0
    assert_books_ok(app)
