"""The supporting documents' HTTP layer: attaching, listing, downloading and withdrawing."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Blueprint


def page_blueprints() -> list[Blueprint]:
    """Its one blueprint, for create_app to register, once every page module has added its routes to it."""
    from pledgebank.documents.web import views  # noqa: F401
    from pledgebank.documents.web.blueprint import bp

    return [bp]
