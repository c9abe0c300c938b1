"""The examiners feature's HTTP layer: appointing examiners, the invitation, the checklist, the page log."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Blueprint


def page_blueprints() -> list[Blueprint]:
    """Its one blueprint, for create_app to register, once every page module has added its routes to it."""
    from pledgebank.examiners.web import views, watch  # noqa: F401
    from pledgebank.examiners.web.blueprint import bp

    return [bp]
