"""The gateways: the one without card payments answers every call of the protocol with "unavailable", and
test mode's extras (test cards, simulated bank checks) are reached only through a gateway in test mode."""

from __future__ import annotations

import inspect

import pytest

from pledgebank.payments.gateway import GatewayUnavailable, PaymentGateway
from pledgebank.payments.offline import NoCardPayments
from pledgebank.payments.sandbox import SandboxGateway, sandbox
from pledgebank.payments.stripe_gateway import StripeGateway

SANDBOX_ONLY = {"setup_with_test_card", "finish_test_authentication", "finish_test_payment_authentication"}


def _methods(protocol: type) -> set[str]:
    return {name for name, _ in inspect.getmembers(protocol, inspect.isfunction) if not name.startswith("_")}


def test_the_gateway_protocol_carries_no_test_mode_method():
    assert _methods(PaymentGateway).isdisjoint(SANDBOX_ONLY)
    assert _methods(SandboxGateway) - _methods(PaymentGateway) == SANDBOX_ONLY


@pytest.mark.parametrize("name", sorted(_methods(PaymentGateway)))
def test_no_card_payments_refuses_every_operation_as_unavailable(name):
    gateway = NoCardPayments()
    method = getattr(gateway, name)
    arguments = {
        parameter.name: None
        for parameter in inspect.signature(method).parameters.values()
        if parameter.default is inspect.Parameter.empty
    }
    positional = [
        arguments.pop(p.name)
        for p in inspect.signature(method).parameters.values()
        if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD and p.name in arguments
    ]
    with pytest.raises(GatewayUnavailable):
        method(*positional, **arguments)


def test_no_card_payments_has_no_test_mode_side():
    gateway = NoCardPayments()
    assert not isinstance(gateway, SandboxGateway)
    assert not hasattr(gateway, "setup_with_test_card")
    with pytest.raises(GatewayUnavailable):
        sandbox(gateway)


def test_test_mode_extras_are_refused_with_live_keys_and_offered_with_test_keys():
    live = StripeGateway(secret_key="sk_live_x", webhook_secret="whsec_x", max_retries=0)
    with pytest.raises(GatewayUnavailable):
        sandbox(live)
    test = StripeGateway(secret_key="sk_test_x", webhook_secret="whsec_x", max_retries=0)
    assert sandbox(test) is test
