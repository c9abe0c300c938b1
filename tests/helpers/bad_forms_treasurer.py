"""The "Record money" form and the transfers-between-funds form, as the bad-input suite sees them."""

from __future__ import annotations

from tests.factories.seeded import CHAIR, TREASURER
from tests.helpers.bad_forms import Form, Place

RECORD_KINDS = {
    "kind": "choice",
    "on": "date",
    "fund": "choice",
    "amount": "money",
    "place": "choice",
    "description": "text",
    "donor": "text",
    "payee": "text",
    "purpose": "text",
    "category": "choice",
    "cash_amount": "money",
    "transaction": "count",
}
# A donation: the supplier-payment, opening-balance and correction fields are left blank. The one-time key is
# fixed here (the page makes a new one each time), so the refusals are for the bad field, not the key.
RECORD_VALID = {
    "form_key": "bad-input-suite-donation-0001",
    "kind": "donation",
    "on": "2026-03-02",
    "fund": "general",
    "amount": "5.00",
    "place": "cash",
    "description": "Collection at the spring fete",
    "donor": "",
    "payee": "",
    "purpose": "",
    "category": "",
    "cash_amount": "",
    "transaction": "",
}

TRANSFER_KINDS = {
    "from_fund": "choice",
    "to_fund": "choice",
    "amount": "money",
    "place": "choice",
    "reason": "text",
    "basis": "choice",
    "basis_note": "text",
}
# Designating £5 of the general fund's bank money for the playground: no basis, as the general fund is not
# restricted.
TRANSFER_VALID = {
    "form_key": "bad-input-suite-transfer-0001",
    "from_fund": "general",
    "to_fund": "playground-fund",
    "amount": "5.00",
    "place": "bank",
    "reason": "Set aside for the playground fence",
    "basis": "",
    "basis_note": "",
}


def treasurer_forms(place: Place) -> list[Form]:
    """Recording money: a donation, with every other kind's fields there to be refused; expense categories."""
    return [
        Form(
            "expense category",
            TREASURER,
            f"/n/{place.slug}/ledger/categories",
            f"/n/{place.slug}/ledger/categories",
            {"name": "text"},
            {"name": "Garden supplies"},
        ),
        Form(
            "expense category rename",
            TREASURER,
            f"/n/{place.slug}/ledger/categories",
            f"/n/{place.slug}/ledger/categories/repairs/rename",
            {"name": "text"},
            {"name": "Building repairs"},
            suffix="-repairs",
        ),
        Form(
            "record money",
            TREASURER,
            f"/n/{place.slug}/ledger/record",
            f"/n/{place.slug}/ledger/record",
            RECORD_KINDS,
            RECORD_VALID,
            frozenset({"donor", "payee", "purpose", "category", "cash_amount", "transaction"}),
        ),
        Form(
            "transfer between funds",
            CHAIR,
            f"/n/{place.slug}/ledger/transfers",
            f"/n/{place.slug}/ledger/transfers",
            TRANSFER_KINDS,
            TRANSFER_VALID,
            frozenset({"basis", "basis_note"}),
        ),
    ]
