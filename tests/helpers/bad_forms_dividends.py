"""The forms of community dividends: drafting an agreement and a new version of one, the evidence, the answer
to a dispute, the treasurer's record of the payment, and the verifier's dispute through their link."""

from __future__ import annotations

from tests.factories.seeded import CHAIR, TREASURER
from tests.helpers.bad_forms import Form, Place

AGREEMENT_KINDS = {
    "title": "text",
    "body_name": "text",
    "body_kind": "choice",
    "fund_slug": "choice",
    "outcome_name": "text",
    "outcome_unit": "text",
    "outcome_measure": "choice",
    "direction": "choice",
    "baseline_value": "count",
    "baseline_source": "text",
    "baseline_period": "text",
    "target_value": "count",
    "deadline": "date",
    "evidence_required": "text",
    "terms_kind": "choice",
    "amount": "money",
    "floor_value": "count",
    "tiers": "lines",
    "cap": "money",
    "signatory_name": "text",
    "signatory_email": "text",
    "verifier_name": "text",
    "verifier_email": "text",
}
AGREEMENT_VALID = {
    "title": "Less litter on the green",
    "body_name": "Elm Park Council",
    "body_kind": "council",
    "fund_slug": "general",
    "outcome_name": "Litter reports",
    "outcome_unit": "reports a year",
    "outcome_measure": "",
    "direction": "down",
    "baseline_value": "120",
    "baseline_source": "The council's street cleaning log",
    "baseline_period": "2025",
    "target_value": "80",
    "deadline": "2027-03-01",
    "evidence_required": "The council's log of reports.",
    "terms_kind": "fixed",
    "amount": "1000",
    "floor_value": "",
    "tiers": "35: 1000",
    "cap": "1000",
    "signatory_name": "Lee Grant",
    "signatory_email": "lee.grant@council.example",
    "verifier_name": "Lee Grant",
    "verifier_email": "lee.grant@council.example",
}
OPTIONAL = frozenset({"amount", "floor_value", "tiers", "outcome_measure"})


def dividend_forms(place: Place) -> list[Form]:
    """Every dividend form, on the seeded agreements."""
    slug = place.slug
    in_force, disputed = place.id("dividend in force"), place.id("dividend disputed")
    earned, to_verify = place.id("dividend earned"), place.id("dividend to verify")
    token = place.key("dividend verifier token")
    body_page = f"/dividends/{to_verify}/body/{token}"
    drafts = (("new dividend agreement", "new"), ("new version of a dividend agreement", f"{in_force}/amend"))
    return [
        *(
            Form(
                name,
                CHAIR,
                f"/n/{slug}/dividends/{path}",
                f"/n/{slug}/dividends/{path}",
                AGREEMENT_KINDS,
                AGREEMENT_VALID,
                OPTIONAL,
            )
            for name, path in drafts
        ),
        Form(
            "dividend evidence",
            CHAIR,
            f"/n/{slug}/dividends/{in_force}",
            f"/dividends/{in_force}/evidence",
            {"period": "text", "value": "count", "notes": "text"},
            {"period": "First quarter", "value": "31", "notes": ""},
            frozenset({"notes"}),
        ),
        Form(
            "answer to a dividend dispute",
            CHAIR,
            f"/n/{slug}/dividends/{disputed}",
            f"/dividends/{disputed}/answer",
            {"reply": "text"},
            {"reply": "Both fires were accidental."},
        ),
        Form(
            "dividend payment",
            TREASURER,
            f"/n/{slug}/dividends/{earned}",
            f"/dividends/{earned}/payment",
            {"paid_on": "date", "reference": "text"},
            {"paid_on": "2026-03-02", "reference": "SLFS"},
            frozenset({"reference"}),
        ),
        Form(
            "dividend dispute",
            None,
            body_page,
            f"{body_page}/dispute",
            {"reasons": "text"},
            {"reasons": "Two fires in March are missing."},
        ),
    ]
