"""The forms of pledges and levies: starting and changing them, pledging and joining, the committee's and
the treasurer's tools."""

from __future__ import annotations

from tests.factories.seeded import CHAIR, TREASURER
from tests.helpers.bad_forms import REGISTER_HEADER, Form, Place

LATER = "2026-03-20"
CASH_KINDS = {"into": "choice", "amount": "money", "received_on": "date"}
PLEDGE_KINDS = {
    "kind": "choice",
    "fund": "choice",
    "title": "text",
    "action": "text",
    "description": "text",
    "next_steps": "text",
    "amount_kind": "choice",
    "amount": "money",
    "target_pledgers": "count",
    "target_amount": "money",
    "deadline": "date",
    "deadline_time": "time",
    "cap": "count",
}
PLEDGE_VALID = {
    "kind": "money",
    "fund": "general",
    "title": "Paint the park benches",
    "action": "paint the six park benches",
    "description": "Two coats of paint on the six benches in Elm Park.",
    "next_steps": "",
    "amount_kind": "fixed",
    "amount": "10",
    "target_pledgers": "3",
    "target_amount": "",
    "deadline": LATER,
    "deadline_time": "18:00",
    "cap": "20",
}
PLEDGE_OPTIONAL = frozenset({"action", "target_pledgers", "target_amount", "cap", "next_steps"})


def pledge_forms(place: Place) -> list[Form]:
    """Starting, changing and cancelling a pledge, pledging, offers, updates, and money received."""
    slug, fence, trees = place.slug, place.id("pledge_id"), place.id("minimum_pledge_id")
    edited, cancelled = place.id("pledge to edit"), place.id("pledge to cancel")
    cash, signup = place.id("cash pledge"), place.id("cash signup")
    sponsored, offer = place.id("sponsored pledge"), place.id("owed offer")
    hidden = place.id("comment to hide")
    into = {"into": "choice"}
    return [
        Form(
            "new pledge",
            CHAIR,
            f"/n/{slug}/pledges/new",
            f"/n/{slug}/pledges/new",
            PLEDGE_KINDS,
            PLEDGE_VALID,
            PLEDGE_OPTIONAL,
        ),
        Form(
            "edit pledge",
            CHAIR,
            f"/p/{edited}/edit",
            f"/p/{edited}/edit",
            PLEDGE_KINDS,
            {**PLEDGE_VALID, "title": "Repaint the noticeboard in green"},
            PLEDGE_OPTIONAL,
        ),
        Form(
            "cancel pledge",
            CHAIR,
            f"/p/{cancelled}",
            f"/p/{cancelled}/cancel",
            {"reason": "text"},
            {"reason": "The council is collecting the rubbish after all.", "confirm": "yes"},
        ),
        Form(
            "pledge (minimum amount)",
            CHAIR,
            f"/p/{trees}",
            f"/p/{trees}/pledge",
            {"amount": "money", "method": "choice", "shown_as": "choice"},
            {"amount": "8.50", "method": "cash", "shown_as": "name"},
        ),
        Form(
            "how a signer appears",
            "gareth@example.org",
            f"/p/{cash}",
            f"/p/{cash}/signer",
            {"shown_as": "choice"},
            {"shown_as": "neighbour"},
        ),
        Form(
            "pledge comment",
            CHAIR,
            f"/p/{trees}",
            f"/p/{trees}/comments",
            {"comment": "text"},
            {"comment": "Could one go outside the library?"},
        ),
        Form(
            "hide a comment",
            CHAIR,
            f"/p/{trees}",
            f"/p/{trees}/comments/{hidden}/hide",
            {"reason": "text"},
            {"reason": "It names a neighbour who asked not to be named."},
            suffix=f"-{hidden}",
        ),
        Form(
            "match offer",
            CHAIR,
            f"/p/{trees}",
            f"/p/{trees}/offers",
            {"sponsor_name": "text", "ratio": "ratio", "cap": "money"},
            {"sponsor_name": "Elm Park Café", "ratio": "1:1", "cap": "50"},
        ),
        Form(
            "pledge update",
            CHAIR,
            f"/p/{fence}",
            f"/p/{fence}/updates",
            {"body": "text"},
            {"body": "The posts are ordered and arrive on Friday."},
        ),
        Form(
            "pledge cash received",
            TREASURER,
            f"/p/{cash}/signups/{signup}/received",
            f"/p/{cash}/signups/{signup}/received",
            CASH_KINDS,
            {"into": "cash", "amount": "6", "received_on": "2026-03-02", "confirm": "yes"},
        ),
        Form(
            "match received",
            TREASURER,
            f"/p/{sponsored}",
            f"/p/{sponsored}/offers/{offer}/received",
            into,
            {"into": "bank"},
            hidden=frozenset(into),
        ),
    ]


def levy_forms(place: Place) -> list[Form]:
    """Starting and joining a levy, hardship, money received and the household register."""
    slug, levy = place.slug, place.id("levy_id")
    asked, recorded = place.id("charge to ask about"), place.id("charge to record")
    request = place.id("hardship request")
    return [
        Form(
            "new levy",
            CHAIR,
            f"/n/{slug}/levies/new",
            f"/n/{slug}/levies/new",
            {
                "fund": "choice",
                "name": "text",
                "purpose": "text",
                "basis": "choice",
                "amount": "money",
                "period": "choice",
                "starts_on": "date",
                "ends_on": "date",
                "threshold": "count",
            },
            {
                "fund": "general",
                "name": "Bin cleaning",
                "purpose": "Cleaning the communal bins on Elm Park Road every month.",
                "basis": "flat",
                "amount": "3",
                "period": "monthly",
                "starts_on": "2026-03-09",
                "ends_on": "",
                "threshold": "",
            },
            frozenset({"ends_on", "threshold"}),
        ),
        Form(
            "join a levy",
            CHAIR,
            f"/levies/{levy}",
            f"/levies/{levy}/join",
            {"address": "text", "band": "choice"},
            {"address": "31 Elm Park Road", "band": "C"},
        ),
        Form(
            "hardship request",
            "li@example.org",
            f"/levies/charges/{asked}/pay",
            f"/levies/charges/{asked}/hardship",
            {"reason": "text", "amount": "money"},
            {"reason": "My hours at work were cut in February.", "amount": "2"},
            frozenset({"amount"}),
        ),
        Form(
            "hardship decision",
            CHAIR,
            f"/n/{slug}/levies/accounts",
            f"/levies/hardship/{request}",
            {"decision": "choice", "amount": "money", "note": "text"},
            {"decision": "approve", "amount": "", "note": "Agreed for this month."},
            frozenset({"amount", "note"}),
            suffix=f"-{request}",
        ),
        Form(
            "levy payment received",
            TREASURER,
            f"/levies/charges/{recorded}/received",
            f"/levies/charges/{recorded}/received",
            CASH_KINDS,
            {"into": "cash", "amount": "1", "received_on": "2026-03-02", "confirm": "yes"},
        ),
        Form(
            "household register",
            CHAIR,
            f"/levies/{levy}/households",
            f"/levies/{levy}/households",
            {"file": "file"},
            {"file": REGISTER_HEADER + b"40 Elm Park Road,C\n42 Elm Park Road,D\n"},
        ),
    ]


def refund_forms(place: Place) -> list[Form]:
    """The treasurer's refund of part of a card payment (one form per payment, its fields named after it)."""
    slug, intent = place.slug, place.key("card payment")
    return [
        Form(
            "card payment refund",
            TREASURER,
            f"/n/{slug}/card-payments",
            f"/n/{slug}/card-payments/{intent}/refund",
            {"amount": "money"},
            {"amount": "2.50"},
            prefix=f"{intent}-",
        )
    ]


def money_forms(place: Place) -> list[Form]:
    """The forms of this module."""
    return [*pledge_forms(place), *levy_forms(place), *refund_forms(place)]
