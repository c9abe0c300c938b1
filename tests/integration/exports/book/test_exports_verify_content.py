"""`verify-export` checks what people read: every transaction of OLD must show the same date, description and
postings in NEW, whatever the two formats, and the first difference is named (sequence, what, old, new).

A date moved, a description reworded or an amount made ten times larger, in OLD or in NEW, is refused for
every pair of formats (NEW must carry sealed bytes, so it is never CSV); so is a rewrite whose hashes were
recomputed to match. Run on the generated book of 1,100 transactions (conftest.py beside this file).
"""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest

from pledgebank.cli import main
from pledgebank.exports import formats
from pledgebank.exports.verify_export import verify_extension
from tests.helpers.export_tampering import (
    LEDGER_FORMATS,
    SEALED_FORMATS,
    add_csv_column,
    change_amount,
    change_date,
    change_description,
    rehash_rewrite,
)

PAIRS = list(itertools.product(LEDGER_FORMATS, SEALED_FORMATS))
TARGET = 25
EXTENSIONS = {"csv": "csv", "jsonl": "jsonl", "beancount": "beancount", "hledger": "journal"}


@pytest.fixture(scope="module")
def made(shared_app, tmp_path_factory) -> dict[str, Path]:
    """One export of the whole book in each ledger format."""
    folder = tmp_path_factory.mktemp("verify-content")
    runner = shared_app.test_cli_runner()
    paths = {}
    for fmt in LEDGER_FORMATS:
        path = folder / f"book.{EXTENSIONS[fmt]}"
        result = runner.invoke(main, ["export", "--format", fmt, "--output", str(path)])
        assert result.exit_code == 0, result.output
        paths[fmt] = path
    return paths


def _copy(made: dict[str, Path], fmt: str, folder: Path, name: str) -> Path:
    path = folder / f"{name}.{EXTENSIONS[fmt]}"
    shutil.copyfile(made[fmt], path)
    return path


def _problem(old: Path, new: Path) -> str | None:
    verdict = verify_extension(formats.read_export(old), formats.read_export(new))
    return verdict.problems[0] if verdict.problems else None


def _refused(old: Path, new: Path, what: str, before: str, after: str) -> str:
    problem = _problem(old, new)
    assert problem is not None, f"{old.name} -> {new.name}: a changed {what} was not noticed"
    assert f"sequence {TARGET}" in problem, problem
    assert what in problem, problem
    assert before in problem and after in problem, problem
    return problem


@pytest.mark.parametrize(("old_fmt", "new_fmt"), PAIRS)
def test_untouched_exports_agree_in_every_pair_of_formats(made, old_fmt, new_fmt):
    assert _problem(made[old_fmt], made[new_fmt]) is None


CHANGES = {
    "date": lambda path, fmt: change_date(path, fmt, TARGET, days=2),
    "description": lambda path, fmt: change_description(path, fmt, TARGET, "Paid to the treasurer's cousin"),
    "amount": lambda path, fmt: change_amount(path, fmt, TARGET),
}


@pytest.mark.parametrize("what", list(CHANGES))
@pytest.mark.parametrize(("old_fmt", "new_fmt"), PAIRS)
def test_a_changed_date_description_or_amount_is_refused(made, tmp_path, old_fmt, new_fmt, what):
    change = CHANGES[what]
    old = _copy(made, old_fmt, tmp_path, "old")
    before, after = change(old, old_fmt)
    assert before != after
    _refused(old, made[new_fmt], what, before, after)

    new = _copy(made, new_fmt, tmp_path, "new")
    before, after = change(new, new_fmt)
    _refused(made[old_fmt], new, what, before, after)


def test_an_old_csv_with_an_amount_changed_names_the_difference(shared_app, made, tmp_path):
    old = _copy(made, "csv", tmp_path, "old")
    before, after = change_amount(old, "csv", TARGET)
    result = shared_app.test_cli_runner().invoke(main, ["verify-export", str(old), str(made["jsonl"])])
    assert result.exit_code == 1, result.output
    assert f"NEW differs from OLD at sequence {TARGET}: the amount of posting 1" in result.output
    # OLD was changed: OLD shows the changed amount, NEW the sealed one
    assert f"is {after} GBP in OLD, {before} GBP in NEW" in result.output


@pytest.mark.parametrize(("old_fmt", "new_fmt"), PAIRS)
def test_a_rewrite_with_its_hashes_recomputed_is_refused(made, tmp_path, old_fmt, new_fmt):
    new = _copy(made, new_fmt, tmp_path, "new")
    before, after = rehash_rewrite(new, new_fmt, TARGET, made["jsonl"])
    # the forged file is consistent in itself: it re-hashes from its own sealed bytes
    assert _problem(new, new) is None
    _refused(made[old_fmt], new, "amount", before, after)

    old = _copy(made, old_fmt, tmp_path, "old")
    before, after = rehash_rewrite(old, old_fmt, TARGET, made["jsonl"])
    _refused(old, made[new_fmt], "amount", before, after)


def test_columns_and_directives_it_does_not_know_are_passed_over(made, tmp_path):
    old = _copy(made, "csv", tmp_path, "old")
    add_csv_column(old, "document", "receipt-1.pdf")
    new = _copy(made, "beancount", tmp_path, "new")
    text = new.read_text(encoding="utf-8")
    marker = "  seq: 30\n"
    at = text.index("\n\n", text.index(marker)) + 2
    new.write_text(text[:at] + '2025-03-01 document Assets:Bank "receipts/receipt-1.pdf"\n\n' + text[at:])
    assert _problem(old, new) is None
    before, after = change_amount(old, "csv", TARGET)
    assert f"is {after} GBP in OLD, {before} GBP in NEW" in (_problem(old, new) or "")
