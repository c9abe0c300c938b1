"""The task queue's HTTP layer: the failed-jobs page."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Blueprint


def page_blueprints() -> list[Blueprint]:
    """Its one blueprint, for create_app to register, once every page module has added its routes to it."""
    from pledgebank.tasks.web import views  # noqa: F401
    from pledgebank.tasks.web.blueprint import bp

    return [bp]
