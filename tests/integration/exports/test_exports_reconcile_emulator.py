"""`pledgebank reconcile stripe` against the Stripe emulator through the real SDK: the balance transactions of
captured pledge payments (with their fees) are read from Stripe and matched to the ledger."""

from __future__ import annotations

import pytest

from pledgebank import create_app
from pledgebank.cli import main
from pledgebank.exports.cli import terminal_words
from pledgebank.exports.naming import major
from pledgebank.payments.emulator import stripe_fee
from pledgebank.payments.gateway import PaymentRefused
from tests.factories.pledges import (
    assert_books_ok,
    due,
    make_pledge,
    neighbourhood_with,
    pledge_with_card,
)
from tests.helpers.app import with_stripe


@pytest.fixture
def app_config(app_config: dict, stripe_api: str) -> dict:
    """The test app, pointed at a freshly emptied emulator."""
    return with_stripe(app_config, stripe_api)


def test_captured_card_payments_read_from_stripe_match_the_ledger(app, sessions):
    slug, chair, (ann, ben, _) = neighbourhood_with(sessions)
    pledge = make_pledge(app, slug, chair, target_pledgers=2, amount=1000)
    pledge_with_card(app, pledge, ann)
    pledge_with_card(app, pledge, ben)
    due(app)
    assert due(app, hours=73)["payments captured"] == 2

    result = app.test_cli_runner().invoke(main, ["reconcile", "stripe", "--since", "2026-03-01"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert sum(line.strip().startswith("matched") and " charge " in line for line in lines) == 2
    assert "0 missing in ledger, 0 missing in Stripe, 0 amount mismatch" in result.output
    net = major(2 * (1000 - stripe_fee(1000)), "GBP")
    assert f"{slug}: Stripe clearing holds {net} GBP; Stripe has {net} GBP not yet paid out: agrees" in lines
    assert_books_ok(app)


def test_without_stripe_keys_reconciliation_says_so(app_config):
    plain = create_app({**app_config, "STRIPE_SECRET_KEY": ""})
    result = plain.test_cli_runner().invoke(main, ["reconcile", "stripe", "--since", "2026-03-01"])
    assert result.exit_code == 2
    assert "card payments are not configured" in result.output
    plain.extensions["pledgebank.engine"].dispose()


def test_a_stripe_refusal_is_worded_for_a_terminal():
    # What the web says of a refusal ("reload the page and try again") means nothing in a terminal.
    refused = PaymentRefused(stripe_code="resource_missing")
    assert "reload the page" in refused.message
    words = terminal_words(refused)
    assert "reload" not in words and "page" not in words
    assert words.startswith("Stripe refused the request (resource_missing)")
    assert words.endswith("then run the command again")


def test_stripe_out_of_reach_on_the_command_line_is_worded_for_a_terminal(app_config):
    away = create_app(with_stripe(app_config, "http://127.0.0.1:9"))
    result = away.test_cli_runner().invoke(main, ["reconcile", "stripe", "--since", "2026-03-01"])
    assert result.exit_code == 2, result.output
    assert "could not reach Stripe" in result.output and "run the command again" in result.output
    away.extensions["pledgebank.engine"].dispose()
