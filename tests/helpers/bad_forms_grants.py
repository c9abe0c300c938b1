"""The forms of grants: opening a round, applying, and the tools on an application's page (each posted with
its form's prefix)."""

from __future__ import annotations

from pledgebank.documents import samples
from tests.factories.seeded import CHAIR, TREASURER
from tests.helpers.bad_forms import Form, Place

APPLICATION_KINDS = {
    "title": "text",
    "summary": "text",
    "amount_requested": "money",
    "budget_lines": "lines",
    "group_name": "text",
    "charity_number": "text",
    "company_number": "text",
    "postcode": "text",
}
APPLICATION_VALID = {
    "title": "Bird boxes",
    "summary": "Ten bird boxes for the trees along the park's edge.",
    "amount_requested": "50",
    "budget_lines": "Ten boxes: 50",
    "group_name": "Park Road Gardeners",
    "charity_number": "1100123",
    "company_number": "09876543",
    "postcode": "SE15 4QL",
}
APPLICATION_OPTIONAL = frozenset({"group_name", "charity_number", "company_number", "postcode"})


def _tool(name: str, who: str, application: int, path: str, kinds, valid, optional=()) -> Form:
    """A tool on the application's page."""
    page = f"/grants/applications/{application}"
    return Form(name, who, page, f"{page}/{path}", kinds, valid, frozenset(optional))


def application_forms(place: Place) -> list[Form]:
    """Opening a round, applying and changing a draft."""
    slug, round_id, draft = place.slug, place.id("round_id"), place.id("application_id")
    return [
        Form(
            "new grant round",
            CHAIR,
            f"/n/{slug}/grants/rounds/new",
            f"/n/{slug}/grants/rounds/new",
            {
                "fund": "choice",
                "title": "text",
                "description": "text",
                "eligibility": "text",
                "budget": "money",
                "max_award": "money",
                "opens_on": "date",
                "closes_on": "date",
                "criteria": "lines",
                "quorum_rule": "choice",
                "quorum_minimum": "count",
                "project_months": "count",
            },
            {
                "fund": "general",
                "title": "Autumn small grants",
                "description": "Small grants for autumn projects that bring Elm Park together.",
                "eligibility": "Anyone living in Elm Park.",
                "budget": "500",
                "max_award": "100",
                "opens_on": "2026-03-03",
                "closes_on": "2026-03-31",
                "criteria": "Benefit to the neighbourhood: 3",
                "quorum_rule": "majority",
                "quorum_minimum": "2",
                "project_months": "12",
            },
            frozenset({"eligibility"}),
        ),
        Form(
            "grant application",
            CHAIR,
            f"/grants/rounds/{round_id}/apply",
            f"/grants/rounds/{round_id}/apply",
            APPLICATION_KINDS,
            APPLICATION_VALID,
            APPLICATION_OPTIONAL,
        ),
        Form(
            "edit grant application",
            CHAIR,
            f"/grants/applications/{draft}/edit",
            f"/grants/applications/{draft}/edit",
            APPLICATION_KINDS,
            {**APPLICATION_VALID, "title": "Hanging baskets for the whole road"},
            APPLICATION_OPTIONAL,
        ),
    ]


def committee_forms(place: Place) -> list[Form]:
    """Declaring, scoring, naming the decider, deciding, reducing and reconsidering."""
    submitted, under_review = place.id("submitted application"), place.id("application under review")
    scores = {f"review-score_{place.id(f'criterion {n}')}": "4" for n in (1, 2, 3)}
    return [
        _tool(
            "grant declaration",
            CHAIR,
            submitted,
            "declare",
            {"declare-interest": "choice", "declare-reason": "text"},
            {"declare-interest": "none", "declare-reason": ""},
            {"declare-reason"},
        ),
        _tool(
            "grant review",
            TREASURER,
            under_review,
            "review",
            {
                **dict.fromkeys(scores, "choice"),
                "review-recommendation": "choice",
                "review-recommended_amount": "money",
                "review-comment": "text",
            },
            {
                **scores,
                "review-recommendation": "award",
                "review-recommended_amount": "",
                "review-comment": "Bulbs come back every year.",
            },
            {"review-recommended_amount", "review-comment"},
        ),
        _tool(
            "grant decider",
            CHAIR,
            under_review,
            "decider",
            {"decider-member": "choice"},
            {"decider-member": str(place.person("aisha@example.org"))},
        ),
        _tool(
            "grant decision",
            CHAIR,
            place.id("application to decide"),
            "decide",
            {
                "decision-outcome": "choice",
                "decision-amount": "money",
                "decision-reason": "text",
                "decision-defer_until": "date",
            },
            {
                "decision-outcome": "award",
                "decision-amount": "",
                "decision-reason": "",
                "decision-defer_until": "",
            },
            {"decision-amount", "decision-reason", "decision-defer_until"},
        ),
        _tool(
            "grant reduce",
            CHAIR,
            place.id("award to reduce"),
            "reduce",
            {"reduce-amount": "money", "reduce-reason": "text"},
            {"reduce-amount": "40", "reduce-reason": "One item is given by a neighbour."},
        ),
        _tool(
            "grant reconsider",
            CHAIR,
            place.id("deferred application"),
            "reconsider",
            {"reconsider-round": "choice"},
            {"reconsider-round": str(place.id("round_id"))},
        ),
    ]


def money_tools(place: Place) -> list[Form]:
    """Paying an award, the grantee's report, and unspent money returned."""
    return [
        _tool(
            "grant payment",
            TREASURER,
            place.id("award to pay"),
            "payment",
            {"payment-paid_on": "date", "payment-method": "choice", "payment-reference": "text"},
            {"payment-paid_on": "2026-03-02", "payment-method": "bank_transfer", "payment-reference": "EP-9"},
            {"payment-reference"},
        ),
        _tool(
            "grant report",
            "sofia@example.org",
            place.id("paid award"),
            "report",
            {"report-amount_spent": "money", "report-what_happened": "text", "report-rating": "choice"},
            {
                "report-amount_spent": "250",
                "report-what_happened": "The team plays in the new shirts every Saturday.",
                "report-rating": "4",
            },
        ),
        Form(
            "grant return",
            TREASURER,
            f"/grants/applications/{place.id('reported award')}",
            f"/grants/applications/{place.id('reported award')}/return",
            {"into": "choice"},
            {"into": "bank"},
            hidden=frozenset({"into"}),
        ),
    ]


def document_forms(place: Place) -> list[Form]:
    """Attaching a document to a grant payment (the same form serves every payment and report), and
    withdrawing one. The upload's name is the suite's own (register.csv): the type is decided from the
    content, never the name."""
    payment = place.id("paid grant payment")
    page = f"/n/{place.slug}/documents/grant-payment/{payment}"
    return [
        Form(
            "attach a document",
            TREASURER,
            page,
            page,
            {"kind": "choice", "file": "file"},
            {
                "form_key": "bad-input-suite-document-0001",
                "kind": "grant_evidence",
                "file": samples.pdf(["Award"]),
            },
        ),
        Form(
            "withdraw a document",
            TREASURER,
            f"/n/{place.slug}/documents/{place.id('document to withdraw')}/withdraw",
            f"/n/{place.slug}/documents/{place.id('document to withdraw')}/withdraw",
            {"reason": "text"},
            {"reason": "The wrong invoice: this one is for the hall."},
        ),
    ]


def grant_forms(place: Place) -> list[Form]:
    """The forms of this module."""
    return [*application_forms(place), *committee_forms(place), *money_tools(place), *document_forms(place)]
