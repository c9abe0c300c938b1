"""The community dividends' HTTP layer: agreements, the body's pages, the committee's pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Blueprint


def page_blueprints() -> list[Blueprint]:
    """Its one blueprint, for create_app to register, once every page module has added its routes to it."""
    from pledgebank.dividends.web import body_views, manage_views, views  # noqa: F401
    from pledgebank.dividends.web.blueprint import bp

    return [bp]
