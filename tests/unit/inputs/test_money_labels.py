"""Forms name the configured currency in their labels and hints: pounds by default, euros when the service
is set up in euros in France."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import Babel

from pledgebank.payments.web.refund_forms import RefundForm
from pledgebank.pledges.web.forms import OfferForm
from pledgebank.web.cash_form import CashReceivedForm


def _forms(currency: str, locale: str):
    app = Flask(__name__)
    app.config.update(SECRET_KEY="test", WTF_CSRF_ENABLED=False, CURRENCY=currency, LOCALE=locale)
    Babel(app, default_locale=locale)  # forms read their words in the page's language
    with app.test_request_context():
        return CashReceivedForm(), RefundForm(), OfferForm()


@pytest.mark.parametrize(
    ("currency", "locale", "label", "hint", "ratio"),
    [
        (
            "GBP",
            "en_GB",
            "Amount received, in pounds",
            "Pounds and pence, up to what is left of the payment.",
            "The sponsor's pounds for every pound pledged: 1:1 matches pound for pound, "
            "1:2 gives £1 for every £2.",
        ),
        (
            "EUR",
            "fr_FR",
            "Amount received, in euros",
            "Euros and cents, up to what is left of the payment.",
            "The sponsor's euros for every euro pledged: 1:1 matches euro for euro, "
            "1:2 gives 1\xa0€ for every 2\xa0€.",
        ),
    ],
)
def test_labels_and_hints_follow_the_configured_currency(currency, locale, label, hint, ratio):
    cash, refund, offer = _forms(currency, locale)
    assert cash.amount.label.text == label
    assert f">{label}</label>" in str(cash.amount.label)
    assert refund.amount.description == hint
    assert offer.ratio.description == ratio
    assert offer.cap.label.text == label.replace("Amount received", "Most the sponsor will give")
