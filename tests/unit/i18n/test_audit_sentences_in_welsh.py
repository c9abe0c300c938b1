"""Every action of the audit log words an event in Welsh under the Welsh catalogue: each sentence is one
translated template, its words (labels, codes in words, kinds) translated too, and nothing raises."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.support import Translations

from pledgebank import text
from pledgebank.books.audit_values import EntryFacts, Facts, HardshipFacts
from pledgebank.books.audit_words import ACTIONS, KINDS, sentence

TRANSLATIONS = Path(__file__).resolve().parents[3] / "pledgebank" / "translations"
FACTS = Facts(
    currency="GBP",
    locale="cy_GB",
    people={1: "Priya Shah", 2: "Tom Okafor"},
    pledges={7: "Mend the fence"},
    levies={5: "Street lighting"},
    funds={1: ("General fund", "general"), 2: ("Street trees", "street-trees")},
    applications={11: "Youth football kit"},
    payments={21: 11},
    reports={31: 11},
    hardship={41: HardshipFacts(2, 5, date(2026, 11, 1))},
    offers={51: ("Elm Park Bakery", 7)},
    entries={61: EntryFacts("supplier_payment", "Acme Fencing", "fence panels")},
    categories={71: "Garden supplies"},
)
# One event's values, enough for any action to say everything it can.
BEFORE = {"roles": ["committee", "resident", "treasurer"], "amount": 900, "allow_cash_pledges": True}
AFTER = {
    "roles": ["resident"],
    "amount": 937,
    "allow_cash_pledges": False,
    "name": "Elm Park",
    "postcode_district": "SE15",
    "type": "restricted",
    "from": 1,
    "to": 2,
    "basis": "donors_agreed",
    "kind": "donation",
    "status": "approved",
    "written_off": 937,
    "pledge": 7,
    "ratio": "1:1",
    "cap": 5000,
    "fund": "general",
    "title": "Spring grants",
    "budget": 100000,
    "amount_requested": 937,
    "interest": "conflict",
    "recommendation": "award",
    "decider": 2,
    "outcome": "part_award",
    "approved_by": [1, 2],
    "households": 40,
    "period": "monthly",
    "method": "bank_transfer",
    "recorded_by": 2,
    "amount_spent": 900,
    "unspent": 37,
    "rating": 4,
    "into": "assets:bank",
    "party": "body",
    "terms_hash": "abcdef0123456789",
    "value": 12,
    "opens": "2026-11-01",
    "closes": "2026-11-30",
    "keyword": "FENCE",
    "number": "+447700900001",
    "first_day": "2026-11-01",
    "last_day": "2026-11-30",
    "lines_read": 12,
    "lines_added": 3,
    "on": "2026-11-30",
    "statement_balance": 937,
    "ledger_balance": 937,
    "booked_on": "2026-11-03",
    "sequence": 4,
    "closed_through": "2027-03-31",
    "year_start": "2026-04-01",
    "year_end": "2027-03-31",
    "examiner": "Sam Jones",
    "path": "/n/elm-park/books",
    "media_type": "application/pdf",
    "size": 2048,
    "sha256": "0123456789abcdef0123",
    "on_id": 61,
    "reason": "Sent twice",
    "unverified accounts deleted": 2,
}
SUBJECTS = {"levy.hardship_decided": 41, "match_offer.added": 51, "match_offer.received": 51}
# Words of the English sentences no Welsh sentence may hold.
# Words of the English sentences no Welsh sentence may hold ("a" and "grant" are Welsh words too).
ENGLISH = re.compile(
    r"\b(approved|changed|added|started|joined|moving|recorded|the|from|and|of|by|to|with|for|"
    r"November|no amount|hardship|fund|levy|pledge|role)\b"
)
# Actions whose values differ from the rest.
OWN_VALUES = {
    "examiner.refused": {"method": "GET", "path": "/n/elm-park/books", "status": 403},
    "retention.enforced": {"unverified accounts deleted": 2, "failed jobs deleted": 1},
}


class Welsh:
    """The Welsh catalogue as pledgebank.text's translator, noting each msgid asked for and any it lacks."""

    def __init__(self) -> None:
        catalogue = Translations.load(str(TRANSLATIONS), ["cy"])
        self.found: dict[str, str] = dict(catalogue._catalog)  # type: ignore[attr-defined]
        self.asked: list[str] = []
        self.missing: list[str] = []

    def __call__(self, msgid: str) -> str:
        self.asked.append(msgid)
        if self.found.get(msgid):
            return self.found[msgid]
        self.missing.append(msgid)
        return msgid


@pytest.fixture
def welsh(monkeypatch):
    monkeypatch.setattr(text, "_translator", [])
    translator = Welsh()
    text.install(translator)
    return translator


def _event(action: str, subject_id: object, before, after):
    return SimpleNamespace(
        action=action, actor_id=1, subject_type="x", subject_id=str(subject_id), before=before, after=after
    )


def _shown(parts) -> str:
    """The sentence as a Welsh page shows it (each part through str(), as the page's escaping does)."""
    return "".join(str(part) if isinstance(part, str) else str(part.text) for part in parts)


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_each_action_words_an_event_in_welsh(welsh, action):
    event = _event(action, SUBJECTS.get(action, 2), BEFORE, OWN_VALUES.get(action, AFTER))
    shown = _shown(sentence(event, FACTS))
    assert welsh.asked, f"{action}: nothing was translated: {shown}"
    assert welsh.missing == [], (action, welsh.missing)
    assert not ENGLISH.search(shown.replace("Mend the fence", "").replace("General fund", "")), (
        action,
        shown,
    )


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_each_action_words_an_event_with_nothing_recorded_in_welsh(welsh, action):
    shown = _shown(sentence(_event(action, "x", None, None), Facts(locale="cy_GB")))
    assert shown
    assert welsh.missing == [], (action, welsh.missing)


def test_the_kinds_read_in_welsh(welsh):
    labels = [str(kind.label) for kind in KINDS]
    assert welsh.missing == [], welsh.missing
    assert "Ceisiadau caledi" in labels
