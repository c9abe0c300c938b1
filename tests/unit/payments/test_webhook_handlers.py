"""The registry of webhook handlers: features register theirs by kind of object and by payable kind, and
payments finds the one that knows an object, or the one named by a payment attempt's subject."""

from __future__ import annotations

import pytest

from pledgebank.payments.events import Concerning
from pledgebank.payments.webhook_handlers import Handler, WebhookHandlers


def _handler(known: dict[str, int]) -> Handler:
    """A feature's handler that knows the objects in `known` (object id -> row id) and applies nothing."""
    return Handler(find=lambda session, object_id: known.get(object_id), apply=lambda *a, **k: False)


def test_the_first_registered_handler_that_knows_the_object_takes_it():
    handlers = WebhookHandlers()
    first, second = _handler({"pi_1": 11}), _handler({"pi_1": 21, "pi_2": 22})
    handlers.register(Concerning.PAYMENT, first, payable="signup")
    handlers.register(Concerning.PAYMENT, second, payable="levy-charge")
    found = handlers.find(None, "payment_intent", "pi_1")
    assert (found.handler, found.row_id) == (first, 11)
    found = handlers.find(None, "payment_intent", "pi_2")
    assert (found.handler, found.row_id) == (second, 22)
    assert handlers.find(None, "payment_intent", "pi_3") is None


def test_handlers_are_kept_apart_by_the_kind_of_object():
    handlers = WebhookHandlers()
    cards = _handler({"seti_1": 5})
    handlers.register(Concerning.CARD_SETUP, cards)
    assert handlers.find(None, "setup_intent", "seti_1").row_id == 5
    assert handlers.find(None, "payment_intent", "seti_1") is None
    # Objects no feature can own (balances, customers, charges) find no handler.
    assert handlers.find(None, "customer", "seti_1") is None
    assert handlers.find(None, "", "") is None


@pytest.mark.parametrize(
    ("subject", "row_id"),
    [
        ("signup:12", 12),
        ("levy-charge:7", 7),
        ("grant:3", None),
        ("signup:", None),
        ("signup:x1", None),
        ("", None),
    ],
)
def test_an_attempt_subject_names_the_payable_kind_and_its_row(subject, row_id):
    handlers = WebhookHandlers()
    signups, charges = _handler({}), _handler({})
    handlers.register(Concerning.PAYMENT, signups, payable="signup")
    handlers.register(Concerning.PAYMENT, charges, payable="levy-charge")
    found = handlers.by_subject(subject)
    assert (found and found.row_id) == row_id
    if found is not None:
        assert found.handler is {"signup": signups, "levy-charge": charges}[subject.partition(":")[0]]


def test_a_payable_kind_is_registered_once():
    handlers = WebhookHandlers()
    handlers.register(Concerning.PAYMENT, _handler({}), payable="signup")
    with pytest.raises(ValueError, match="signup"):
        handlers.register(Concerning.PAYMENT, _handler({}), payable="signup")


def test_the_assembled_app_has_the_pledges_and_levies_handlers(app):
    handlers = app.extensions["pledgebank.webhooks"]
    assert handlers.by_subject("signup:1") is not None
    assert handlers.by_subject("levy-charge:1") is not None
    assert handlers.by_subject("grant:1") is None
