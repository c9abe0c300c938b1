"""Welsh and English: Flask-Babel's message catalogues (`pledgebank/translations`) and the language a page or
an email is shown in."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from pledgebank.extensions import babel

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
LANGUAGES = ("en", "cy")


def select_locale() -> str:
    """The language of this request: the service's configured locale."""
    return str(current_app.config["LOCALE"])


def init_app(app: Flask) -> None:
    """Bind Flask-Babel: `_()` and `{% trans %}` in templates, catalogues from the package."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", app.config["LOCALE"])
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", app.config["TIMEZONE"])
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    babel.init_app(app, locale_selector=select_locale)
