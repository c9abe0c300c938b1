"""Bring the message catalogues up to date: extract every marked message into messages.pot, merge it into
each language's .po (new messages untranslated, removed ones dropped), and compile the .mo files.

    .venv/bin/python scripts/update_catalogues.py

Then write the Welsh of every new message in pledgebank/translations/cy/LC_MESSAGES/messages.po and run it
again (it compiles the .mo); scripts/check_catalogues.py says what is missing.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from catalogues import TEMPLATE, TRANSLATIONS, extract, pybabel


def main() -> int:
    """Extract, update and compile."""
    extract(TEMPLATE)
    pybabel(
        "update",
        "-i",
        str(TEMPLATE),
        "-d",
        str(TRANSLATIONS),
        "--no-fuzzy-matching",
        "--ignore-obsolete",
    )
    pybabel("compile", "-d", str(TRANSLATIONS), "--statistics")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
