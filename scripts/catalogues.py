"""The message catalogues' one definition: where they are and how pybabel extracts, updates and compiles them
(used by update_catalogues.py and check_catalogues.py)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.frontend import CommandLineInterface

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "pledgebank" / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
# `_l` is Flask-Babel's lazy gettext (form labels), `_t` marks text services write (pledgebank/text.py),
# `_tn` the same with singular and plural forms, `MoneyText` a form's label that names the currency
# (web/form_base.py).
KEYWORDS = ("_l", "_t", "_tn:1,2", "MoneyText")


def pybabel(*args: str) -> None:
    """Run one pybabel command from the repository's root, quietly."""
    CommandLineInterface().run(["pybabel", "-q", *args])


def extract(to: Path) -> None:
    """Extract every marked message of the code and templates into the template catalogue at to."""
    keywords = [arg for word in KEYWORDS for arg in ("-k", word)]
    pybabel(
        "extract",
        "-F",
        str(ROOT / "babel.cfg"),
        *keywords,
        "-o",
        str(to),
        "--no-location",
        "--sort-output",
        "--project",
        "pledgebank",
        "--ignore-dirs=.venv .* _* node_modules",
        str(ROOT),
    )


def languages() -> list[str]:
    """The languages with a catalogue (a folder under pledgebank/translations)."""
    return sorted(path.name for path in TRANSLATIONS.iterdir() if (path / "LC_MESSAGES").is_dir())


def po_path(language: str) -> Path:
    """The translations of language."""
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
