"""The documents blueprint (its pages are in views.py)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("documents", __name__)
