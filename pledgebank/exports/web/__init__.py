"""The exports feature's HTTP layer: its blueprint, pages, forms, API and schemas."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Blueprint


def page_blueprints() -> list[Blueprint]:
    """Its page blueprints, for create_app to register."""
    from pledgebank.exports.web import views

    return [views.bp]
