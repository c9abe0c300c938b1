"""The bank statement forms (upload with its column mapping, recording a line, reconciling), as the bad-input
suite sees them."""

from __future__ import annotations

from tests.factories.seeded import TREASURER
from tests.helpers.bad_forms import Form, Place

UPLOAD_KINDS = {
    "file": "file",
    "bank": "text",
    "date_column": "text",
    "date_format": "choice",
    "description_column": "text",
    "amount_column": "text",
    "paid_in_column": "text",
    "paid_out_column": "text",
    "reference_column": "text",
    "balance_column": "text",
}
UPLOAD_VALID: dict[str, str | bytes] = {
    "file": b"Date,Details,Value,Ref\n2026-03-01,FETE TAKINGS PAID IN,25.00,FETE\n",
    "bank": "Test Bank",
    "date_column": "Date",
    "date_format": "%Y-%m-%d",
    "description_column": "Details",
    "amount_column": "Value",
    "paid_in_column": "",
    "paid_out_column": "",
    "reference_column": "Ref",
    "balance_column": "",
}


def statement_forms(place: Place) -> list[Form]:
    """Uploading a CSV statement, recording the seeded interest line, reconciling at the seeded day."""
    line = place.id("statement_line") if place.seeded else 1
    day = str(place.key("statement_day")) if place.seeded else "2026-03-02"
    return [
        Form(
            "bank statement upload",
            TREASURER,
            f"/n/{place.slug}/bank",
            f"/n/{place.slug}/bank/upload",
            UPLOAD_KINDS,
            UPLOAD_VALID,
            optional=frozenset({"paid_in_column", "paid_out_column", "reference_column", "balance_column"}),
        ),
        Form(
            "bank line record",
            TREASURER,
            f"/n/{place.slug}/bank",
            f"/n/{place.slug}/bank/lines/{line}/post",
            {"kind": "choice", "fund": "choice", "remember": "text"},
            {"kind": "bank_interest", "fund": "general", "remember": "CREDIT INTEREST"},
            optional=frozenset({"remember"}),
            prefix=f"line{line}-",
        ),
        Form(
            "bank reconciliation",
            TREASURER,
            f"/n/{place.slug}/bank/reconcile?on={day}",
            f"/n/{place.slug}/bank/reconcile",
            {"on": "date", "statement_balance": "money"},
            {"on": day, "statement_balance": ""},
            optional=frozenset({"statement_balance"}),
            hidden=frozenset({"on"}),
        ),
    ]
