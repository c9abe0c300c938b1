"""Check that the message catalogues are in step with the code and templates, and complete:

- messages.pot holds exactly the messages marked in the code and templates today (extracted afresh);
- each language's .po holds exactly the messages of messages.pot;
- each .mo is compiled from its .po (the same translations);
- with --complete, every message has a translation whose placeholders (%(name)s) are the original's.

    .venv/bin/python scripts/check_catalogues.py [--complete]

Exits 1 naming what is wrong; scripts/update_catalogues.py fixes the first three.
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

sys.path.insert(0, str(Path(__file__).resolve().parent))

from catalogues import TEMPLATE, extract, languages, po_path

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")
UPDATE = "run scripts/update_catalogues.py"


def _read_po(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def _ids(catalog: Catalog) -> set[object]:
    return {message.id for message in catalog if message.id}


def _named(ids: Iterable[object]) -> str:
    shown = sorted(repr(one if isinstance(one, str) else one[0])[:70] for one in ids)
    return "; ".join(shown[:5]) + (f" and {len(shown) - 5} more" if len(shown) > 5 else "")


def stale() -> list[str]:
    """What is out of step: the .pot with the code, a .po with the .pot, a .mo with its .po."""
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        fresh = Path(folder) / "messages.pot"
        extract(fresh)
        marked = _ids(_read_po(fresh))
    template = _ids(_read_po(TEMPLATE))
    if marked - template:
        missing = _named(marked - template)
        problems.append(f"messages.pot lacks messages marked in the code ({UPDATE}): {missing}")
    if template - marked:
        problems.append(f"messages.pot has messages no longer marked ({UPDATE}): {_named(template - marked)}")
    for language in languages():
        problems += _stale_language(language, template)
    return problems


def _stale_language(language: str, template: set[object]) -> list[str]:
    po = _read_po(po_path(language))
    ids, problems = _ids(po), []
    if ids != template:
        gap = (template - ids) | (ids - template)
        problems.append(f"{language}/messages.po is not in step with messages.pot ({UPDATE}): {_named(gap)}")
    mo_file = po_path(language).with_suffix(".mo")
    if not mo_file.exists():
        return [*problems, f"{language}/messages.mo is missing ({UPDATE})"]
    with mo_file.open("rb") as handle:
        mo = read_mo(handle)
    wanted = {_key(m.id): _key(m.string) for m in po if m.id and "fuzzy" not in m.flags and _filled(m.string)}
    compiled = {_key(m.id): _key(m.string) for m in mo if m.id and _filled(m.string)}
    if wanted != compiled:
        gap = set(wanted.items()) ^ set(compiled.items())
        problems.append(f"{language}/messages.mo is not compiled from its .po ({UPDATE}): {_named(gap)}")
    return problems


def _key(value: object) -> object:
    return tuple(value) if isinstance(value, list | tuple) else value


def _filled(string: object) -> bool:
    return all(string) if isinstance(string, list | tuple) else bool(string)


def _placeholders(text: str) -> list[str]:
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text))


def incomplete() -> list[str]:
    """Messages without a translation, or whose translation's placeholders differ from the original's."""
    problems: list[str] = []
    for language in languages():
        for message in _read_po(po_path(language)):
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if "fuzzy" in message.flags or not all(strings):
                problems.append(f"{language}: no translation of {ids[0]!r}")
                continue
            wanted = _placeholders(ids[-1]) if len(ids) > 1 else _placeholders(ids[0])
            for string in strings:
                if _placeholders(string) != wanted and not (len(ids) > 1 and not _placeholders(string)):
                    problems.append(f"{language}: placeholders of {ids[0]!r} differ in {string!r}")
    return problems


def main(argv: list[str]) -> int:
    """Print every problem; exit 1 if there is any."""
    problems = stale() + (incomplete() if "--complete" in argv else [])
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
