"""Exports name the supporting documents: beancount `document` directives linked to their transactions
(bean-check passes with the files copied beside the export, and finds them missing otherwise), and a
`documents` column in CSV, on every row of the transaction; verify-export still reads both."""

from __future__ import annotations

import csv
import re

from pledgebank.documents.models import Subject
from tests.factories.documents import attach, jpeg, paid_world, pdf, png
from tests.helpers.accounting_tools import _bean_check
from tests.helpers.backups import cli


def _attached(app, sessions):
    paid = paid_world(app, sessions)
    w = paid.w
    invoice = attach(app, w.treasurer, Subject.TREASURER_ENTRY, paid.entry_id, pdf(), "Oak invoice.pdf")
    award = attach(app, w.treasurer, Subject.GRANT_PAYMENT, paid.grant_payment_id, png(), "award.png")
    receipt = attach(
        app, paid.grantee, Subject.GRANT_REPORT, paid.grant_report_id, jpeg(), "receipt.jpg", kind="receipt"
    )
    return paid, invoice, award, receipt


def test_beancount_export_has_document_directives_and_bean_check_passes(app, sessions, tmp_path):
    paid, invoice, award, receipt = _attached(app, sessions)
    folder = tmp_path / "export"
    folder.mkdir()
    path = folder / "books.beancount"
    assert cli(app, "export", "--format", "beancount", "--output", str(path)).exit_code == 0
    text = path.read_text()
    directives = re.findall(
        r'^(\d{4}-\d\d-\d\d) document (\S+) "documents/([0-9a-f]{64})\.(\w+)" \^seq-(\d+)$', text, re.M
    )
    assert {(sha, ext) for _day, _account, sha, ext, _seq in directives} == {
        (invoice[1], "pdf"),
        (award[1], "png"),
        (receipt[1], "jpg"),
    }
    assert f'  document_id: {invoice[0]}\n  document_name: "Oak invoice.pdf"' in text
    # The grant's payment carries the award and the grantee's receipt, on the same transaction.
    by_hash = {sha: seq for _day, _account, sha, _ext, seq in directives}
    assert by_hash[award[1]] == by_hash[receipt[1]] != by_hash[invoice[1]]

    missing = _bean_check(path)
    assert missing.returncode != 0 and "does not exist" in missing.stdout + missing.stderr

    copied = cli(app, "documents", "copy", "--book", paid.w.slug, "--into", str(folder))
    assert copied.exit_code == 0, copied.output
    assert (folder / "documents" / f"{invoice[1]}.pdf").read_bytes() == pdf()
    checked = _bean_check(path)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    again = folder / "again.beancount"
    assert cli(app, "export", "--format", "beancount", "--output", str(again)).exit_code == 0
    verified = cli(app, "verify-export", str(path), str(again))
    assert verified.exit_code == 0, verified.output


def test_csv_export_has_a_documents_column(app, sessions, tmp_path):
    _paid, invoice, award, receipt = _attached(app, sessions)
    path = tmp_path / "books.csv"
    assert cli(app, "export", "--format", "csv", "--output", str(path)).exit_code == 0
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    assert list(rows[0])[-2:] == ["hash", "documents"]
    cells = {}
    for row in rows:
        cells.setdefault(row["sequence"], set()).add(row["documents"])
    assert all(len(found) == 1 for found in cells.values())  # the same on every row of a transaction
    filled = sorted(next(iter(found)) for found in cells.values() if next(iter(found)))
    assert filled == sorted(
        [
            f"#{invoice[0]} Oak invoice.pdf sha256:{invoice[1]}",
            f"#{award[0]} award.png sha256:{award[1]}; #{receipt[0]} receipt.jpg sha256:{receipt[1]}",
        ]
    )
    again = tmp_path / "again.jsonl"  # a CSV holds no sealed bytes: it is checked against a jsonl export
    assert cli(app, "export", "--format", "jsonl", "--output", str(again)).exit_code == 0
    verified = cli(app, "verify-export", str(path), str(again))
    assert verified.exit_code == 0, verified.output
