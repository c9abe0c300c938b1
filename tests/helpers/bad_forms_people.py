"""The forms of accounts, neighbourhoods, members, funds, closing a year and exports."""

from __future__ import annotations

from pledgebank import demo
from tests.factories.seeded import CHAIR, TREASURER
from tests.helpers.bad_forms import Form, Place
from tests.helpers.seeded_tools import LEAVER

PASSPHRASE = "a long and memorable passphrase"


def account_forms(place: Place) -> list[Form]:
    """Registering, signing in, passwords and API tokens."""
    return [
        Form(
            "register",
            None,
            "/register",
            "/register",
            {"email": "text", "display_name": "text", "password": "text", "confirm": "text"},
            {
                "email": "new.neighbour@example.org",
                "display_name": "New Neighbour",
                "password": PASSPHRASE,
                "confirm": PASSPHRASE,
            },
        ),
        Form(
            "alerts about new pledges",
            None,
            "/alerts",
            "/alerts",
            {"email": "text", "district": "text", "frequency": "choice"},
            {"email": "new.neighbour@example.org", "district": "SE15", "frequency": "weekly"},
        ),
        Form(
            "sign in",
            None,
            "/login",
            "/login",
            {"email": "text", "password": "text"},
            # Someone not yet signed in anywhere, so that signing in records the time.
            {"email": "ben@example.org", "password": demo.DEMO_PASSWORD},
        ),
        Form(
            "forgot password",
            None,
            "/password/forgot",
            "/password/forgot",
            {"email": "text"},
            {"email": CHAIR},
            writes=False,  # the link is emailed, and nothing is stored
        ),
        Form(
            "reset password",
            None,
            f"/password/reset/{place.reset_token}",
            f"/password/reset/{place.reset_token}",
            {"password": "text", "confirm": "text"},
            {"password": PASSPHRASE, "confirm": PASSPHRASE},
        ),
        Form(
            "change password",
            "gareth@example.org",
            "/account",
            "/account/password",
            {"current_password": "text", "new_password": "text", "confirm": "text"},
            {"current_password": demo.DEMO_PASSWORD, "new_password": PASSPHRASE, "confirm": PASSPHRASE},
        ),
        Form(
            "API token",
            CHAIR,
            "/account",
            "/account/tokens",
            {"name": "text", "scope": "choice"},
            {"name": "Spreadsheet", "scope": "read"},
            success=(201,),
        ),
        Form(
            "close account",
            LEAVER,
            "/account/close",
            "/account/close",
            {"password": "text"},
            {"password": demo.DEMO_PASSWORD, "confirm": "y"},
        ),
    ]


def neighbourhood_forms(place: Place) -> list[Form]:
    """Neighbourhoods, their members and funds."""
    slug = place.slug
    leaving, promoted = place.person("ben@example.org"), place.person("li@example.org")
    return [
        Form(
            "new neighbourhood",
            CHAIR,
            "/neighbourhoods/new",
            "/neighbourhoods/new",
            {"name": "text", "postcode_district": "text", "description": "text"},
            {"name": "Oak Vale", "postcode_district": "SE22", "description": "The streets around Oak Vale."},
            frozenset({"description"}),
        ),
        Form(
            "neighbourhood settings",
            CHAIR,
            f"/n/{slug}/settings",
            f"/n/{slug}/settings",
            {
                "description": "text",
                "collection_window_hours": "count",
                "controller_name": "text",
                "controller_contact": "text",
                "bank_details": "text",
                "area_code": "text",
                "area_name": "text",
                "charity_number": "text",
                "default_language": "choice",
            },
            {
                "description": "The streets around Elm Park.",
                "collection_window_hours": "48",
                "controller_name": "Elm Park Residents' Association",
                "controller_contact": "privacy@elmpark.example.org",
                "bank_details": "Elm Park RA, sort code 12-34-56, account 12345678, reference: your address",
                "area_code": "E05013806",
                "area_name": "Peckham ward",
                "charity_number": "1190001",
                "default_language": "cy",
            },
            frozenset(
                {
                    "description",
                    "controller_name",
                    "controller_contact",
                    "bank_details",
                    "area_code",
                    "area_name",
                    "charity_number",
                    "default_language",
                }
            ),
        ),
        Form(
            "member removal",
            CHAIR,
            f"/n/{slug}/members",
            f"/n/{slug}/members/{leaving}/remove",
            {"reason": "text"},
            {"reason": "Moved away from Elm Park."},
            suffix=f"-{leaving}",
        ),
        Form(
            "member role",
            CHAIR,
            f"/n/{slug}/members",
            f"/n/{slug}/members/{promoted}/roles",
            {"role": "choice", "change": "choice"},
            {"role": "committee", "change": "grant"},
            hidden=frozenset({"change"}),
            suffix=f"-{promoted}",
        ),
        Form(
            "new fund",
            CHAIR,
            f"/n/{slug}/funds",
            f"/n/{slug}/funds",
            {"name": "text", "description": "text", "fund_type": "choice", "purpose": "text"},
            {
                "name": "Tree fund",
                "description": "Street trees and their care.",
                "fund_type": "designated",
                "purpose": "",
            },
            frozenset({"description", "purpose"}),
        ),
    ]


def books_forms(place: Place) -> list[Form]:
    """Closing a financial year and downloading the books."""
    slug = place.slug
    return [
        Form(
            "close year",
            CHAIR,
            f"/n/{slug}/ledger/close-year",
            f"/n/{slug}/ledger/close-year",
            {"through": "date"},
            {"through": "2025-03-31"},
            hidden=frozenset({"through"}),
        ),
        Form(
            "export",
            TREASURER,
            f"/n/{slug}/exports",
            f"/n/{slug}/exports/download",
            {"format": "choice", "fund": "choice", "date_from": "date", "date_to": "date"},
            {"format": "csv", "fund": "general", "date_from": "2026-01-01", "date_to": "2026-03-01"},
            frozenset({"fund", "date_from", "date_to"}),
            success=(200,),
        ),
    ]


def people_forms(place: Place) -> list[Form]:
    """The forms of this module."""
    return [*account_forms(place), *neighbourhood_forms(place), *books_forms(place)]
