"""Every audit action the code can write reads as a sentence: names not ids, pounds not pence, words not
codes, what changed where the event recorded it; unknown actions and odd values fall back safely."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from pledgebank.books.audit_values import EntryFacts, Facts, HardshipFacts
from pledgebank.books.audit_words import ACTIONS, KINDS, actions_of, sentence
from pledgebank.books.fund_transfer_models import CANCELLED, DECLINED

PACKAGE = Path(__file__).resolve().parents[3] / "pledgebank"
# What f"fund_transfer.{outcome}" can be: fund_transfers.decline_transfer sets outcome to one of these.
FORMATTED = {"fund_transfer.": {f"fund_transfer.{CANCELLED}", f"fund_transfer.{DECLINED}"}}
ACTION_SHAPE = re.compile(r"^[a-z_]+\.[a-z_]+$")


def _strings(node: ast.AST) -> set[str]:
    """The action strings an expression can give: literals, both arms of an if, formatted ones expanded."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _strings(node.body) | _strings(node.orelse)
    if isinstance(node, ast.JoinedStr):
        head = node.values[0]
        assert isinstance(head, ast.Constant), ast.unparse(node)
        assert head.value in FORMATTED, f"a new formatted audit action: {ast.unparse(node)}"
        return FORMATTED[head.value]
    return set()


def written_actions() -> set[str]:
    """Every action string passed to record_event, to a module's _audit helper, or kept as ACTION."""
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name == "record_event":
                    for keyword in node.keywords:
                        if keyword.arg == "action":
                            found |= _strings(keyword.value)
                elif name == "_audit":
                    for arg in node.args:
                        found |= {s for s in _strings(arg) if ACTION_SHAPE.match(s)}
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "ACTION" for t in node.targets
            ):
                found |= _strings(node.value)
    return found


def test_the_registry_holds_exactly_the_actions_the_code_writes():
    written = written_actions()
    assert len(written) >= 40
    assert written - set(ACTIONS) == set(), "actions written but not worded"
    assert set(ACTIONS) - written == set(), "actions worded but never written"


FACTS = Facts(
    currency="GBP",
    people={1: "Priya Shah", 2: "Tom Okafor", 3: "Former member #3"},
    pledges={7: "Mend the fence"},
    levies={5: "Street lighting"},
    funds={1: ("General fund", "general"), 2: ("Street trees", "street-trees")},
    applications={11: "Youth football kit"},
    rounds={4: "Spring grants"},
    payments={21: 11},
    reports={31: 11},
    hardship={41: HardshipFacts(2, 5, date(2026, 11, 1))},
    offers={51: ("Elm Park Bakery", 7)},
    entries={61: EntryFacts("supplier_payment", "Acme Fencing", "fence panels")},
    categories={71: "Garden supplies"},
)
PENCE = 937  # every amount below: it must read £9.37, never 937
STATUS = {"status": "under_review"}

# action: (subject type, subject id, before, after, words the sentence must hold)
SAMPLES: dict[str, tuple[str, int, dict | None, dict | None, tuple[str, ...]]] = {
    "neighbourhood.created": (
        "neighbourhood",
        1,
        None,
        {"name": "Elm Park", "postcode_district": "SE15"},
        ("Elm Park", "SE15"),
    ),
    "settings.changed": (
        "neighbourhood",
        1,
        {"allow_cash_pledges": True, "collection_window_hours": 48},
        {"allow_cash_pledges": False, "collection_window_hours": 72},
        ("cash pledges allowed: yes → no", "48 hours → 72 hours"),
    ),
    "member.joined": ("user", 2, None, {"roles": ["resident"]}, ("Tom Okafor joined",)),
    "member.left": ("user", 2, {"roles": ["resident", "treasurer"]}, None, ("Tom Okafor left", "treasurer")),
    "member.removed": ("user", 3, {"roles": ["resident"]}, None, ("removed Former member #3",)),
    "role.granted": (
        "user",
        2,
        {"roles": ["resident"]},
        {"roles": ["resident", "treasurer"]},
        ("made Tom Okafor treasurer",),
    ),
    "role.revoked": (
        "user",
        2,
        {"roles": ["committee", "resident"]},
        {"roles": ["resident"]},
        ("Tom Okafor's role as committee member",),
    ),
    "account.erased": ("user", 3, None, None, ("Former member #3 closed their account",)),
    "retention.enforced": (
        "retention",
        0,
        None,
        {"unverified accounts deleted": 2, "sign-out records deleted": 0},
        ("2 unverified accounts deleted",),
    ),
    "fund.created": (
        "fund",
        2,
        None,
        {"name": "Street trees", "slug": "street-trees", "type": "restricted"},
        ("added the fund Street trees", "restricted"),
    ),
    "fund.reworded": (
        "fund",
        2,
        {"name": "Trees", "purpose": "Trees"},
        {"name": "Street trees", "purpose": "Trees"},
        ("name: “Trees” → “Street trees”",),
    ),
    "fund_transfer.proposed": (
        "fund_transfer",
        9,
        None,
        {"from": 2, "to": 1, "amount": PENCE, "basis": "purpose_met", "status": "proposed"},
        ("proposed moving £9.37 from Street trees to General fund", "its purpose was met"),
    ),
    "fund_transfer.approved": (
        "fund_transfer",
        9,
        None,
        {"from": 2, "to": 1, "amount": PENCE, "status": "posted"},
        ("approved moving £9.37",),
    ),
    "fund_transfer.cancelled": (
        "fund_transfer",
        9,
        None,
        {"from": 2, "to": 1, "amount": PENCE, "status": "cancelled"},
        ("withdrew the proposal to move £9.37",),
    ),
    "fund_transfer.declined": (
        "fund_transfer",
        9,
        None,
        {"from": 2, "to": 1, "amount": PENCE, "status": "declined"},
        ("declined moving £9.37",),
    ),
    "pledge.created": (
        "pledge",
        7,
        None,
        {"title": "Mend the fence", "status": "draft", "fund": "general"},
        ("started the pledge Mend the fence for General fund",),
    ),
    "pledge.edited": (
        "pledge",
        7,
        {"title": "Fence", "amount": 1000, "deadline": "2026-12-01T00:00:00+00:00"},
        {"title": "Mend the fence", "amount": PENCE, "deadline": "2026-12-08T00:00:00+00:00"},
        ("£10.00 → £9.37", "1 December 2026 → 8 December 2026"),
    ),
    "pledge.approved": (
        "pledge",
        7,
        {"status": "draft"},
        {"status": "open"},
        ("approved the pledge Mend the fence", "draft → open"),
    ),
    "pledge.cancelled": ("pledge", 7, {"status": "open"}, {"status": "cancelled"}, ("cancelled the pledge",)),
    "comment.hidden": ("pledge_comment", 12, None, {"pledge": 7}, ("hid a comment on Mend the fence",)),
    "match_offer.added": (
        "match_offer",
        51,
        None,
        {"pledge": 7, "ratio": "1:2", "cap": PENCE},
        ("Elm Park Bakery's match offer to Mend the fence", "up to £9.37"),
    ),
    "match_offer.received": (
        "match_offer",
        51,
        {"status": "owed"},
        {"status": "received", "amount": PENCE},
        ("Elm Park Bakery's match money", "£9.37"),
    ),
    "levy.created": (
        "levy",
        5,
        None,
        {"name": "Street lighting", "basis": "flat", "amount": PENCE, "period": "monthly"},
        ("proposed the levy Street lighting: £9.37 a month",),
    ),
    "levy.approved": (
        "levy",
        5,
        None,
        {"roles": ["chair", "resident"]},
        ("approved the levy Street lighting as chair and resident",),
    ),
    "levy.decided": (
        "levy",
        5,
        {"status": "draft"},
        {"status": "open", "approved_by": [1, 2]},
        ("agreed by Priya Shah and Tom Okafor", "draft → open"),
    ),
    "levy.started": (
        "levy",
        5,
        {"status": "open"},
        {"status": "active", "households": 42},
        ("from 42 households",),
    ),
    "levy.register_imported": ("levy", 5, None, {"households": 42}, ("imported 42 households",)),
    "levy.hardship_decided": (
        "hardship_request",
        41,
        {"status": "pending", "amount_due": 1000},
        {"status": "approved", "written_off": PENCE, "charge": 3},
        (
            "Priya Shah approved Tom Okafor's hardship request: £9.37 off the November 2026 charge of "
            "Street lighting",
        ),
    ),
    "grant_round.opened": (
        "grant_round",
        4,
        None,
        {"title": "Spring grants", "fund": "general", "budget": PENCE},
        ("opened the grant round “Spring grants” on General fund with a budget of £9.37",),
    ),
    "grant_application.submitted": (
        "grant_application",
        11,
        None,
        {"status": "submitted", "amount_requested": PENCE},
        ("applied for a grant: “Youth football kit”, asking for £9.37",),
    ),
    "grant_application.withdrawn": (
        "grant_application",
        11,
        {"status": "submitted"},
        {"status": "withdrawn"},
        ("withdrew the application “Youth football kit”",),
    ),
    "grant.interest_declared": (
        "grant_application",
        11,
        {"interest": "none"},
        {"interest": "conflict"},
        ("declared a conflict of interest in", "no interest → a conflict of interest"),
    ),
    "grant.reviewed": (
        "grant_application",
        11,
        None,
        {"recommendation": "part_award"},
        ("recommending: award in part",),
    ),
    "grant.decider_named": (
        "grant_application",
        11,
        {"decider": None},
        {"decider": 2},
        ("named Tom Okafor to decide on",),
    ),
    "grant.decided": (
        "grant_application",
        11,
        STATUS,
        {"status": "part_awarded", "outcome": "part_award", "amount": PENCE, "decision": 8},
        ("awarded in part £9.37", "under review → awarded in part"),
    ),
    "grant.reconsidered": (
        "grant_application",
        11,
        {"status": "deferred", "round": 4},
        {"status": "submitted", "round": 4},
        ("brought back “Youth football kit”", "deferred → submitted"),
    ),
    "grant.payment_recorded": (
        "grant_payment",
        21,
        None,
        {"amount": PENCE, "method": "bank_transfer", "status": "awaiting_approval"},
        ("recorded paying £9.37 for “Youth football kit” by bank transfer, waiting for a second approval",),
    ),
    "grant.payment_approved": (
        "grant_payment",
        21,
        {"status": "awaiting_approval"},
        {"status": "paid", "recorded_by": 2},
        ("approved the payment for “Youth football kit”, recorded by Tom Okafor",),
    ),
    "grant.reported": (
        "grant_report",
        31,
        None,
        {"amount_spent": 1000, "unspent": PENCE, "rating": 4},
        ("£10.00 spent, £9.37 not spent", "rated 4"),
    ),
    "grant.unspent_returned": (
        "grant_report",
        31,
        None,
        {"amount": PENCE, "into": "assets:bank"},
        ("£9.37 not spent on “Youth football kit” returned to the bank",),
    ),
    "treasurer.entry_recorded": (
        "treasurer_entry",
        61,
        None,
        {"kind": "supplier_payment", "amount": PENCE, "status": "awaiting_approval"},
        ("recorded a payment to a supplier of £9.37 to Acme Fencing, waiting for a second approval",),
    ),
    "treasurer.payment_approved": (
        "treasurer_entry",
        61,
        None,
        {"kind": "supplier_payment", "amount": PENCE, "status": "posted"},
        ("approved a payment to a supplier of £9.37 to Acme Fencing",),
    ),
    "treasurer.correction_recorded": (
        "treasurer_entry",
        61,
        None,
        {"kind": "correction", "amount": PENCE, "status": "posted"},
        ("recorded a correction of £9.37",),
    ),
    "expense_category.added": (
        "expense_category",
        71,
        None,
        {"slug": "garden", "name": "Garden supplies"},
        ("added the expense category “Garden supplies”",),
    ),
    "expense_category.renamed": (
        "expense_category",
        71,
        {"name": "Garden"},
        {"name": "Garden supplies"},
        ("renamed", "“Garden” → “Garden supplies”"),
    ),
    "expense_category.retired": (
        "expense_category",
        71,
        None,
        {"retired": True},
        ("retired the expense category “Garden supplies”",),
    ),
    "document.attached": (
        "document",
        81,
        None,
        {
            "document_id": 81,
            "filename": "fence-invoice.pdf",
            "size": 20480,
            "sha256": "3f2a9c1e0b7d4a55" + "0" * 48,
            "media_type": "application/pdf",
            "kind": "invoice",
            "on": "treasurer_entry",
            "on_id": 61,
        },
        (
            "attached an invoice (a PDF of 20.0 KB, fingerprint 3f2a9c1e0b7d4a55) to the payment to "
            "Acme Fencing",
        ),
    ),
    "document.withdrawn": (
        "document",
        81,
        None,
        {
            "document_id": 81,
            "filename": "fence-invoice.pdf",
            "sha256": "3f2a9c1e0b7d4a55" + "0" * 48,
            "kind": "invoice",
            "on": "grant_payment",
            "on_id": 21,
            "reason": "The wrong invoice: this one is for the hall.",
        },
        (
            "withdrew the invoice (fingerprint 3f2a9c1e0b7d4a55) from the payment for “Youth football kit”: "
            "The wrong invoice: this one is for the hall.",
        ),
    ),
    "statement.uploaded": (
        "bank_statement",
        1,
        None,
        {
            "format": "csv",
            "lines_read": 22,
            "lines_added": 17,
            "first_day": "2025-01-03",
            "last_day": "2025-12-30",
        },
        ("uploaded a bank statement from 3 January 2025 to 30 December 2025", "22 lines, 17 new"),
    ),
    "statement.line_matched": (
        "bank_statement_line",
        2,
        None,
        {"amount": 25_000, "booked_on": "2025-01-03", "sequence": 2},
        ("matched the bank line of 3 January 2025 (£250.00 in) to transaction 2",),
    ),
    "statement.line_posted": (
        "bank_statement_line",
        3,
        None,
        {"amount": -500, "booked_on": "2025-01-28", "kind": "bank_charges", "fund": "general"},
        ("recorded the bank line of 28 January 2025 (£5.00 out) in the books as bank charges",),
    ),
    "statement.line_unmatched": (
        "bank_statement_line",
        2,
        None,
        {"amount": 25_000, "booked_on": "2025-01-03"},
        ("unmatched the bank line of 3 January 2025",),
    ),
    "statement.reconciled": (
        "bank_reconciliation",
        1,
        None,
        {"on": "2025-12-31", "statement_balance": 161_412, "ledger_balance": 155_412},
        ("reconciled the bank at 31 December 2025", "£1,614.12", "£1,554.12"),
    ),
    "year.closed": (
        "closed_period",
        1,
        None,
        {"closed_through": "2026-03-31", "transaction_id": 40},
        ("closed the books through 31 March 2026",),
    ),
    **{
        f"examiner.{step}": (
            "examiner_appointment",
            81,
            None,
            {"examiner": "Helen Marsh", "year_start": "2025-04-01", "year_end": "2026-03-31"},
            (said, "the year 1 April 2025 to 31 March 2026"),
        )
        for step, said in (
            ("appointed", "invited Helen Marsh to examine the accounts of"),
            ("accepted", "accepted the invitation to examine the accounts of"),
            ("ended", "ended Helen Marsh's appointment as examiner of"),
            ("lapsed", "ended Helen Marsh's appointment as examiner of"),
        )
    },
    "examiner.viewed": (
        "examiner_appointment",
        81,
        None,
        {"path": "/n/elm-park/ledger", "method": "GET", "status": 200},
        ("(examiner) opened /n/elm-park/ledger",),
    ),
    "examiner.refused": (
        "examiner_appointment",
        81,
        None,
        {"path": "/n/elm-park/funds", "method": "POST", "status": 403},
        ("(examiner) was refused POST /n/elm-park/funds (status 403)",),
    ),
    "dividend.drafted": ("dividend_agreement", 3, None, {"title": "Fewer fires", "version": 1}, ("drafted",)),
    "dividend.amended": (
        "dividend_agreement",
        4,
        None,
        {"title": "Fewer fires", "version": 2},
        ("new version",),
    ),
    "dividend.signed": (
        "dividend_agreement",
        3,
        None,
        {"party": "body", "signer": "Sam Reed", "terms_hash": "ab" * 32},
        ("signed community dividend agreement #3 for the body",),
    ),
    "dividend.evidence_submitted": (
        "dividend_agreement",
        3,
        None,
        {"period": "Spring 2027", "value": 12},
        ("gave evidence", "Spring 2027"),
    ),
    "dividend.verified": ("dividend_agreement", 3, None, {"by": "Sam Reed", "amount": PENCE}, ("£9.37",)),
    "dividend.disputed": ("dividend_agreement", 3, None, {"by": "Sam Reed"}, ("disputed the evidence",)),
    "dividend.answered": ("dividend_agreement", 3, None, {}, ("answered the dispute",)),
    "dividend.paid": ("dividend_agreement", 3, None, {"amount": PENCE}, ("payment", "£9.37")),
    "dividend.closed": ("dividend_agreement", 3, None, {}, ("closed community dividend agreement #3",)),
    "dividend.lapsed": (
        "dividend_agreement",
        3,
        {"status": "agreed"},
        {"status": "lapsed", "deadline": "2027-03-31"},
        ("lapsed",),
    ),
    "pulse.round_opened": (
        "pulse_round",
        4,
        None,
        {"title": "Winter 2026", "opens": "2026-12-01", "closes": "2027-01-31"},
        ("opened the pulse round", "Winter 2026", "2026-12-01 to 2027-01-31"),
    ),
    "sms.number_set": (
        "neighbourhood",
        1,
        None,
        {"number": "+447700900001"},
        ("set the neighbourhood's text number to +447700900001",),
    ),
    "sms.keyword_set": (
        "pledge",
        5,
        {"keyword": "GATE"},
        {"keyword": "FENCE"},
        ("set the text keyword of", "to FENCE"),
    ),
}


def _event(action: str, subject_type: str, subject_id: object, before, after, actor_id: int | None = 1):
    return SimpleNamespace(
        action=action,
        actor_id=actor_id,
        subject_type=subject_type,
        subject_id=str(subject_id),
        before=before,
        after=after,
    )


def _text(parts) -> str:
    return "".join(part if isinstance(part, str) else part.text for part in parts)


def _readable(text: str) -> None:
    assert "{" not in text and "}" not in text and "[" not in text, text
    assert "_" not in text, text
    assert not re.search(r"\b(937|1000)\b", text), text
    assert not re.search(r"\b[a-z]+\.[a-z]+\b", text), text


def test_the_table_covers_every_action():
    assert set(SAMPLES) == set(ACTIONS)


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_each_action_reads_as_a_sentence(action):
    subject_type, subject_id, before, after, expected = SAMPLES[action]
    actor = None if action == "retention.enforced" else 1
    parts = sentence(_event(action, subject_type, subject_id, before, after, actor), FACTS)
    text = _text(parts)
    _readable(text)
    for words in expected:
        assert words in text, (words, text)
    if actor is not None and not action.startswith(
        ("member.joined", "member.left", "account.", "levy.decided")
    ):
        assert text.startswith("Priya Shah "), text


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_each_action_reads_even_when_its_records_are_gone_or_its_values_are_odd(action):
    subject_type, _, before, _, _ = SAMPLES[action]
    for odd_before, odd_after in ((None, None), (before, {"amount": "lots", "roles": "chair"}), ([1], [2])):
        text = _text(sentence(_event(action, subject_type, "x", odd_before, odd_after, 99), Facts()))
        assert text and "{" not in text and "_" not in text, text


def test_an_unknown_action_falls_back_on_its_words_and_what_changed():
    event = _event("levy.something_new", "levy", 5, {"amount": 900}, {"amount": PENCE})
    assert _text(sentence(event, FACTS)) == "Priya Shah: levy something new (amount: £9.00 → £9.37)"
    assert _text(sentence(_event("odd", "x", 1, None, None, None), FACTS)) == "PledgeBank: odd"


def test_names_link_to_their_pages():
    parts = sentence(_event("match_offer.added", *SAMPLES["match_offer.added"][:4]), FACTS)
    links = [(p.text, p.link.kind, p.link.ref) for p in parts if not isinstance(p, str) and p.link]
    assert links == [("Mend the fence", "pledge", 7)]
    parts = sentence(_event("levy.hardship_decided", *SAMPLES["levy.hardship_decided"][:4]), FACTS)
    assert [(p.link.kind, p.link.ref) for p in parts if not isinstance(p, str) and p.link] == [("levy", 5)]


def test_every_kind_has_actions_and_every_action_one_kind():
    assert all(actions_of(kind.key) for kind in KINDS)
    assert sorted(a for kind in KINDS for a in actions_of(kind.key)) == sorted(ACTIONS)
    assert actions_of("no-such-kind") == []
