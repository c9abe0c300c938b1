"""`pledgebank verify-export OLD NEW`: a later export extends an earlier one; a rewritten, truncated or
reordered history is refused, whichever format OLD is in."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from pledgebank.books.services import book_by_slug, post
from pledgebank.cli import main
from pledgebank.db import unit_of_work
from pledgebank.ledger import chart, rules
from pledgebank.ledger.canonical import GENESIS_HASH, chain_hash
from pledgebank.ledger.money import Money
from tests.factories.pledges import assert_books_ok

NOW = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


def _export(app, fmt: str, path: Path, *extra: str) -> Path:
    result = app.test_cli_runner().invoke(main, ["export", "--format", fmt, "--output", str(path), *extra])
    assert result.exit_code == 0, result.output
    return path


def _verify(app, old: Path, new: Path):
    return app.test_cli_runner().invoke(main, ["verify-export", str(old), str(new)])


def _post_more(sessions, count: int) -> None:
    with unit_of_work(sessions) as session:
        book = book_by_slug(session, "elm-park")
        for n in range(count):
            entry = rules.cash_received(
                amount=Money(1_000 + n, "GBP"),
                fund="general",
                income_source="donations",
                key=f"later:{n}",
                on=date(2026, 5, 1),
                source={"receipt": f"later-{n}"},
                into=chart.BANK,
            )
            post(session, book=book, entry=entry, now=NOW)


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _write(path: Path, lines: list[dict]) -> Path:
    path.write_text("".join(json.dumps(line, separators=(",", ":")) + "\n" for line in lines))
    return path


@pytest.fixture
def old_and_new(app, sessions, tmp_path):
    """An export, three more transactions, and a later export (both JSON Lines), plus OLD as CSV."""
    old = _export(app, "jsonl", tmp_path / "old.jsonl")
    old_csv = _export(app, "csv", tmp_path / "old.csv")
    _post_more(sessions, 3)
    new = _export(app, "jsonl", tmp_path / "new.jsonl")
    return old, old_csv, new


def test_a_later_export_extends_an_earlier_one_in_any_pair_of_formats(app, sessions, tmp_path, old_and_new):
    old, old_csv, new = old_and_new
    accepted = _verify(app, old, new)
    assert accepted.exit_code == 0, accepted.output
    assert accepted.output.startswith("NEW extends OLD: OLD covers sequences 1 to 1100")
    assert "NEW covers 1 to 1103" in accepted.output
    assert "1100 of OLD's hashes found unchanged in NEW" in accepted.output
    assert _lines(new)[0]["previous_export"]["last_sequence"] == 1100

    assert _verify(app, old_csv, new).exit_code == 0
    beancount = _export(app, "beancount", tmp_path / "new.beancount")
    journal = _export(app, "hledger", tmp_path / "new.journal")
    assert _verify(app, old_csv, beancount).exit_code == 0
    assert _verify(app, old, journal).exit_code == 0
    assert _verify(app, beancount, journal).exit_code == 0
    fund = _export(app, "jsonl", tmp_path / "fund.jsonl", "--fund", "tree-planting")
    assert _verify(app, fund, new).exit_code == 0
    latest = _export(app, "jsonl", tmp_path / "latest.jsonl", "--from", "2026-05-01")
    assert _lines(latest)[0]["first_sequence"] == 1101
    following = _verify(app, old, latest)
    assert following.exit_code == 0, following.output
    assert "NEW covers 1101 to 1103" in following.output
    assert _verify(app, new, latest).exit_code == 0
    gap = _verify(app, fund, latest)
    assert gap.exit_code == 1
    assert "NEW starts after OLD ends (sequence 1095): the history between is missing" in gap.output
    assert_books_ok(app)


def test_a_rewritten_history_is_refused(app, old_and_new, tmp_path):
    old, _old_csv, new = old_and_new
    lines = _lines(new)
    target = lines[7]
    canonical = json.loads(target["canonical"])
    canonical["memo"] = "rewritten"
    target["canonical"] = json.dumps(canonical, sort_keys=True, separators=(",", ":"))
    target["memo"] = "rewritten"
    previous = GENESIS_HASH
    for line in lines[1:-1]:
        line["prev_hash"] = previous.hex()
        previous = chain_hash(previous, line["canonical"].encode("ascii"))
        line["hash"] = previous.hex()
    lines[-1]["head_hash"] = previous.hex()
    forged = _write(tmp_path / "forged.jsonl", lines)
    refused = _verify(app, old, forged)
    assert refused.exit_code == 1
    assert "NEW differs from OLD at sequence 7: history was rewritten" in refused.output

    lines = _lines(new)
    lines[7]["postings"][0]["amount"] = "0.01"
    lines[7]["postings"][0]["minor"] = 1
    refused = _verify(app, old, _write(tmp_path / "shown.jsonl", lines))
    assert "sequence 7: the postings shown differ from the postings sealed" in refused.output


def test_a_truncated_or_cut_short_export_is_refused(app, old_and_new, tmp_path):
    old, old_csv, new = old_and_new
    shorter = _verify(app, new, old)
    assert shorter.exit_code == 1
    assert "NEW ends at sequence 1100 but OLD goes on to 1101: NEW is truncated" in shorter.output
    assert _verify(app, new, old_csv).exit_code == 1

    cut = _write(tmp_path / "cut.jsonl", _lines(new)[:-3])
    refused = _verify(app, old, cut)
    assert refused.exit_code == 1
    assert "NEW has no trailer: the file is cut short" in refused.output


def test_a_reordered_history_is_refused(app, old_and_new, tmp_path):
    old, _old_csv, new = old_and_new
    lines = _lines(new)
    lines[20], lines[21] = lines[21], lines[20]
    refused = _verify(app, old, _write(tmp_path / "reordered.jsonl", lines))
    assert refused.exit_code == 1
    assert "NEW: sequence 21 follows 19: the history is reordered or has a gap" in refused.output
    lines = _lines(new)
    del lines[30]
    refused = _verify(app, old, _write(tmp_path / "gap.jsonl", lines))
    assert "NEW: sequence 31 follows 29: the history is reordered or has a gap" in refused.output
    lines = _lines(new)
    lines.insert(31, lines[10])
    refused = _verify(app, old, _write(tmp_path / "replayed.jsonl", lines))
    assert "NEW: sequence 10 comes after 30: the history is reordered" in refused.output


def test_new_must_be_a_whole_chain_that_carries_its_sealed_bytes(app, old_and_new, tmp_path):
    old, old_csv, _new = old_and_new
    refused = _verify(app, old, old_csv)
    assert refused.exit_code == 1
    assert "NEW is a CSV export" in refused.output
    fund = _export(app, "jsonl", tmp_path / "fund.jsonl", "--fund", "general")
    assert "NEW is not a whole chain" in _verify(app, old, fund).output
    junk = tmp_path / "junk.txt"
    junk.write_text("hello\n")
    unreadable = _verify(app, old, junk)
    assert unreadable.exit_code == 2
    assert "junk.txt is not a PledgeBank ledger export" in unreadable.output
