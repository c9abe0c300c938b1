"""The grants feature's HTTP layer: its blueprint, pages, forms, API and schemas."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Blueprint


def page_blueprints() -> list[Blueprint]:
    """Its one blueprint, for create_app to register, once every page module has added its routes to it."""
    from pledgebank.grants.web import manage_views, views  # noqa: F401
    from pledgebank.grants.web.blueprint import bp

    return [bp]


def api_blueprints() -> list[Any]:
    """Its API blueprints (flask-smorest), for create_app to register."""
    from pledgebank.grants.web import api

    return [api.blp]
