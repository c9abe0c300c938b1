"""The grants feature's HTTP layer: its blueprint, pages, forms, API and schemas."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Blueprint


def page_blueprints() -> list[Blueprint]:
    """Its page blueprints, for create_app to register; importing every page module adds its routes."""
    from pledgebank.grants.web import manage_views, views

    del manage_views  # their routes are on the same blueprint
    return [views.bp]


def api_blueprints() -> list[Any]:
    """Its API blueprints (flask-smorest), for create_app to register."""
    from pledgebank.grants.web import api

    return [api.blp]
