"""Welsh and English: Flask-Babel's message catalogues (`pledgebank/translations`) and the language a page or
an email is shown in.

A page's language is, in order: `?lang=cy|en` on the address; the signed-in person's choice; the choice this
browser made (a cookie); the default language of the neighbourhood the page belongs to; the browser's
Accept-Language; English. The language switch in every page's header posts to `/language`, which remembers the
choice (the cookie, and the person's own setting when signed in) and goes back to the same page.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Flask, current_app, g, has_app_context, has_request_context, redirect, request
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, get_locale, get_translations, gettext
from flask_login import current_user
from sqlalchemy.orm import Session, sessionmaker

from pledgebank import languages, text
from pledgebank.extensions import babel
from pledgebank.web.forms import safe_next
from pledgebank.web.session import transaction

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
LANGUAGES = languages.LANGUAGES
COOKIE = "pledgebank_language"
COOKIE_AGE = 365 * 24 * 3600
# The Babel locale each language formats dates and money in.
LOCALES = {languages.ENGLISH: "en_GB", languages.WELSH: "cy_GB"}

PageLanguage = Callable[[Session, Any], "str | None"]
# How to find the neighbourhood default of a page from one of its address's values (`slug`, `pledge_id` ...).
PAGE_LANGUAGE: dict[str, PageLanguage] = {"slug": languages.language_by_slug}

bp = Blueprint("language", __name__)


def page_language_from(view_arg: str, finder: PageLanguage) -> None:
    """Let pages whose address has view_arg take their neighbourhood's default language through finder."""
    PAGE_LANGUAGE[view_arg] = finder


def _asked() -> str | None:
    return languages.known(request.args.get("lang"))


def _may_look_up(value: object) -> bool:
    """Whether an address's value can be looked up: text no slug or code can hold (a NUL, which PostgreSQL
    refuses in text, or hundreds of characters) finds nothing, and the page refuses it itself."""
    return not isinstance(value, str) or ("\x00" not in value and len(value) <= 200)


def _neighbourhood_default() -> str | None:
    """The default language of the neighbourhood the page belongs to, if it has one."""
    finders = [
        (PAGE_LANGUAGE[name], value)
        for name, value in (request.view_args or {}).items()
        if name in PAGE_LANGUAGE and _may_look_up(value)
    ]
    if not finders:
        return None
    factory: sessionmaker[Session] = current_app.extensions["pledgebank.sessions"]
    with factory() as session:
        for finder, value in finders:
            found = finder(session, value)
            if found:
                return found
    return None


def _note_page_default() -> None:
    """Before the page's own work, read its neighbourhood's default language, in a session of its own that
    is closed at once: looked up later, it would wait on the write lock the request's unit of work (on
    SQLite) may hold by then. Not needed when the address or this browser has chosen, nor for the JSON API,
    which answers in English."""
    if request.path.startswith("/api/"):
        return
    if _asked() is None and languages.known(request.cookies.get(COOKIE)) is None:
        g.page_language = _neighbourhood_default()


def request_language() -> str:
    """The language of this request ('en' or 'cy'), by the order the module's docstring gives."""
    if not has_request_context():
        return languages.ENGLISH
    user: Any = current_user
    signed_in = languages.known(getattr(user, "language", None)) if user.is_authenticated else None
    return (
        _asked()
        or signed_in
        or languages.known(request.cookies.get(COOKIE))
        or g.get("page_language")
        or request.accept_languages.best_match(LANGUAGES)
        or languages.ENGLISH
    )


def select_locale() -> str:
    """Flask-Babel's locale: the request's language as a Babel locale (en_GB, cy_GB)."""
    if not has_request_context():
        return str(current_app.config["LOCALE"])
    return LOCALES[request_language()]


def locale_name() -> str:
    """The locale dates and money are formatted in: the page's or email's, else the configured one."""
    locale = get_locale()
    return str(locale) if locale is not None else str(current_app.config["LOCALE"])


def html_lang() -> str:
    """The page's `lang` attribute: 'cy' in Welsh, 'en-GB' in English."""
    return "cy" if locale_name().startswith("cy") else "en-GB"


def in_language(language: str | None) -> Any:
    """A context in which text, dates and money are in language (an email's recipient's, say)."""
    return force_locale(LOCALES.get(languages.known(language) or "", str(current_app.config["LOCALE"])))


@bp.post("/language")
def switch() -> ResponseReturnValue:
    """Remember the language chosen (this browser, and the signed-in person) and go back to the same page."""
    chosen = languages.known(request.form.get("lang")) or languages.ENGLISH
    user: Any = current_user
    if user.is_authenticated:
        with transaction() as session:
            languages.choose_language(session, user.id, chosen)
    response = redirect(safe_next((request.form.get("next") or "").strip(), "/"), code=303)
    response.set_cookie(COOKIE, chosen, max_age=COOKIE_AGE, secure=request.is_secure, samesite="Lax")
    return response


def _remember_asked(response: Any) -> Any:
    """A `?lang=` on an address is remembered by this browser, as the switch would."""
    asked = _asked()
    if asked and request.cookies.get(COOKIE) != asked:
        response.set_cookie(COOKIE, asked, max_age=COOKIE_AGE, secure=request.is_secure, samesite="Lax")
    return response


def _switch_context() -> dict[str, Any]:
    if not has_request_context():
        return {}
    here = request.path
    if request.method == "GET":
        # The same page with the same query, but for `lang`, which would undo the switch.
        kept = [(name, value) for name, value in request.args.items(multi=True) if name != "lang"]
        here += "?" + urlencode(kept) if kept else ""
    return {"html_lang": html_lang, "language_names": languages.NAMES, "language_here": here}


def init_app(app: Flask) -> None:
    """Bind Flask-Babel: `_()` and `{% trans %}` in templates, catalogues from the package, the language
    switch, and the translator of the messages services write (pledgebank.text)."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", app.config["LOCALE"])
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", app.config["TIMEZONE"])
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    app.config["WTF_I18N_ENABLED"] = True
    babel.init_app(app, locale_selector=select_locale)
    # Whitespace inside `{% trans %}` in HTML is collapsed, so the msgid is one line for translators.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    text.install(_translate, _translate_plural)
    app.register_blueprint(bp)
    app.before_request(_note_page_default)
    app.after_request(_remember_asked)
    app.context_processor(_switch_context)
    app.add_template_global(request_language, "current_language")


def _translate(msgid: str) -> str:
    """The msgid in the current page's or email's language (itself outside any app)."""
    return str(gettext(msgid)) if has_app_context() else msgid


def _translate_plural(singular: str, plural: str, n: int) -> str:
    """The form for n of a message with plural forms, in the current page's or email's language (English
    forms outside any app). The catalogue's own lookup, as ngettext's would format the text itself."""
    if not has_app_context():
        return singular if n == 1 else plural
    return str(get_translations().ngettext(singular, plural, n))
