"""`pledgebank payments refund` and `refunds`: the treasurer refunds part of a card payment from the command
line, once however often it is run with its key, then the rest; bad amounts, reasons and people are refused
with nothing written; the refunds are listed as the books hold them."""

from __future__ import annotations

import pytest

from pledgebank.cli import main
from tests.factories.pledges import assert_books_ok, balance, stripe_client
from tests.helpers.app import with_stripe
from tests.helpers.refunds import counts, paid_pledge


@pytest.fixture
def app_config(app_config: dict, stripe_api: str) -> dict:
    """The test app, pointed at a freshly emptied emulator."""
    return with_stripe(app_config, stripe_api)


def run(app, *args: str):
    """Run `pledgebank payments ...`."""
    return app.test_cli_runner().invoke(main, ["payments", *args])


def test_the_treasurer_refunds_from_the_command_line_once_per_key(app, sessions):
    _, _, (first, _) = paid_pledge(app, sessions)
    by = ["--by", "chair@example.org"]
    done = run(
        app, "refund", first, *by, "--amount", "2.50", "--reason", "duplicate", "--key", "cli-key-000000001"
    )
    assert done.exit_code == 0 and "250 minor units: succeeded" in done.output, done.output
    before = counts(app)
    again = run(app, "refund", first, *by, "--amount", "2.50", "--key", "cli-key-000000001")
    assert again.exit_code == 0 and "already made" in again.output
    assert counts(app) == before
    rest = run(app, "refund", first, *by)
    assert rest.exit_code == 0 and "750 minor units" in rest.output, rest.output
    listed = run(app, "refunds", first)
    assert listed.exit_code == 0 and "0 of 1000 GBP left to refund" in listed.output
    assert listed.output.count("succeeded") == 2
    assert balance(app, "income") == -1000
    assert_books_ok(app)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--by", "chair@example.org", "--amount", "10.01"], "amount: That is more than is left"),
        (["--by", "chair@example.org", "--amount", "1.234"], "--amount"),
        (["--by", "chair@example.org", "--amount", " "], "--amount"),
        (["--by", "chair@example.org", "--reason", "because"], "--reason"),
        (["--by", "chair@example.org", "--key", "short"], "key:"),
        (["--by", "resident1@example.org"], "not refunded"),
        (["--by", "nobody@example.org"], "no user"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(app, sessions, args, says):
    _, _, (first, _) = paid_pledge(app, sessions)
    before = counts(app)
    result = run(app, "refund", first, *args)
    assert result.exit_code != 0 and says in result.output, result.output
    assert counts(app) == before
    assert stripe_client(app).v1.refunds.list(params={"payment_intent": first}).data == []
    assert run(app, "refunds", "pi_nothing").exit_code == 1
