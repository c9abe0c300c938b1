"""The bank statements' HTTP layer: its blueprint, pages and forms."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Blueprint


def page_blueprints() -> list[Blueprint]:
    """Its one blueprint, for create_app to register, once every page module has added its routes to it."""
    from pledgebank.statements.web import reconcile_views, views  # noqa: F401
    from pledgebank.statements.web.blueprint import bp

    return [bp]
