"""The neighbourhood pulse's HTTP layer: the public results, answering a round, opening one."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Blueprint


def page_blueprints() -> list[Blueprint]:
    """Its one blueprint, for create_app to register, once every page module has added its routes to it."""
    from pledgebank.pulse.web import manage_views, views  # noqa: F401
    from pledgebank.pulse.web.blueprint import bp

    return [bp]
