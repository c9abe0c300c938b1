"""The Gift Aid blueprint on its own, so every module of its pages can import it without the others."""

from flask import Blueprint

bp = Blueprint("giftaid", __name__)
