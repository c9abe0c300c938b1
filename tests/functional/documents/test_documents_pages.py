"""The documents pages: the treasurer attaches from the payment's page and downloads what was attached; bad
files are refused beside the file field with nothing stored; who may see and attach; links from the pages
where payments and reports are recorded."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from pledgebank.db import unit_of_work
from pledgebank.documents.models import Document
from pledgebank.documents.storage import app_store
from tests.factories.documents import jpeg, paid_world, pdf, png
from tests.factories.grants import world
from tests.helpers.document_pages import documents_url, form_key, upload
from tests.helpers.foundation import signed_in_client
from tests.helpers.pledge_pages import error_beside, text_of

LIMIT = 64 * 1024


@pytest.fixture
def app_config(app_config):
    return {**app_config, "DOCUMENT_MAX_BYTES": LIMIT}


def _stored(app) -> tuple[int, int]:
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        rows = session.scalar(select(func.count()).select_from(Document))
    return rows, len(list(app_store(app).iter()))


def test_the_treasurer_attaches_a_receipt_and_downloads_it(app, sessions):
    paid = paid_world(app, sessions)
    treasurer = signed_in_client(app, sessions, paid.w.treasurer)
    record = treasurer.get(f"/n/{paid.w.slug}/ledger/record").get_data(as_text=True)
    url = documents_url(paid.w.slug, "treasurer-entry", paid.entry_id)
    assert f'href="{url}"' in record
    page = treasurer.get(url)
    assert page.status_code == 200 and "No document is attached yet" in text_of(page)
    sent = upload(treasurer, url, pdf(), "Oak Fencing invoice 17.pdf")
    assert sent.status_code == 302, text_of(sent)[:500]
    shown = treasurer.get(url).get_data(as_text=True)
    assert "Oak Fencing invoice 17.pdf" in shown
    with unit_of_work(sessions) as session:
        document = session.scalars(select(Document)).one()
    download = treasurer.get(f"/n/{paid.w.slug}/documents/{document.id}/file")
    assert download.status_code == 200 and download.data == pdf()
    assert download.mimetype == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Disposition"].startswith(
        'attachment; filename="Oak Fencing invoice 17.pdf"'
    )


def test_the_grant_pages_link_to_their_documents_and_the_grantee_attaches_to_the_report(app, sessions):
    paid = paid_world(app, sessions)
    grantee = signed_in_client(app, sessions, paid.grantee)
    with unit_of_work(sessions) as session:
        from pledgebank.grants.models import GrantReport

        application_id = session.get(GrantReport, paid.grant_report_id).application_id
    grant_page = grantee.get(f"/grants/applications/{application_id}").get_data(as_text=True)
    payment_url = documents_url(paid.w.slug, "grant-payment", paid.grant_payment_id)
    report_url = documents_url(paid.w.slug, "grant-report", paid.grant_report_id)
    assert f'href="{payment_url}"' in grant_page and f'href="{report_url}"' in grant_page
    assert "Attach a document" not in text_of(grantee.get(payment_url))  # the treasurer's to attach
    assert upload(grantee, payment_url, png(), "x.png", form_key="a-key-of-my-own-0001").status_code == 403
    assert upload(grantee, report_url, jpeg(), "receipt.jpg", kind="receipt").status_code == 302
    assert _stored(app) == (1, 1)


@pytest.mark.parametrize(
    ("data", "filename", "words"),
    [
        (b"Dear treasurer, here is the invoice.", "invoice.pdf", "not a PDF, PNG or JPEG file"),
        (b"%PDF-1.4\n1 0 obj\n<<>>\n", "invoice.pdf", "not a readable PDF"),
        (b"", "invoice.pdf", "empty"),
        (None, "", "no name"),
        (b"%PDF-1.4\n" + b"0" * (LIMIT + 10), "big.pdf", "larger than 64 KB"),
        (pdf(), "../../invoice.pdf", "may not contain"),
        (pdf(), "invoice\u0007.pdf", "control character"),
    ],
    ids=["not-pdf", "broken-pdf", "empty", "no-file", "too-big", "separators", "control"],
)
def test_bad_files_are_refused_beside_the_field_and_nothing_is_stored(app, sessions, data, filename, words):
    paid = paid_world(app, sessions)
    treasurer = signed_in_client(app, sessions, paid.w.treasurer)
    url = documents_url(paid.w.slug, "treasurer-entry", paid.entry_id)
    refused = upload(treasurer, url, data, filename)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert words in error_beside(page, "file"), error_beside(page, "file")
    assert "There is a problem" in page
    assert _stored(app) == (0, 0)


def test_a_body_far_over_the_limit_is_the_too_large_page(app, sessions):
    paid = paid_world(app, sessions)
    treasurer = signed_in_client(app, sessions, paid.w.treasurer)
    url = documents_url(paid.w.slug, "treasurer-entry", paid.entry_id)
    refused = upload(treasurer, url, b"%PDF-1.4\n" + b"0" * (LIMIT + 512 * 1024), "huge.pdf")
    assert refused.status_code == 413
    assert _stored(app) == (0, 0)


def test_the_same_form_sent_twice_attaches_once(app, sessions):
    paid = paid_world(app, sessions)
    treasurer = signed_in_client(app, sessions, paid.w.treasurer)
    url = documents_url(paid.w.slug, "treasurer-entry", paid.entry_id)
    key = form_key(treasurer, url)
    assert upload(treasurer, url, pdf(), form_key=key).status_code == 302
    assert upload(treasurer, url, pdf(), form_key=key).status_code == 302
    assert _stored(app) == (1, 1)
    clash = upload(treasurer, url, png(), "other.png", form_key=key)
    assert clash.status_code == 409 and _stored(app) == (1, 1)


def test_who_may_see_and_attach(app, sessions):
    paid = paid_world(app, sessions)
    w = paid.w
    url = documents_url(w.slug, "treasurer-entry", paid.entry_id)
    treasurer = signed_in_client(app, sessions, w.treasurer)
    assert upload(treasurer, url, pdf()).status_code == 302
    with unit_of_work(sessions) as session:
        document_id = session.scalars(select(Document.id)).one()
    file_url = f"/n/{w.slug}/documents/{document_id}/file"
    committee = signed_in_client(app, sessions, w.members[0])
    assert committee.get(file_url).status_code == 200
    seen = committee.get(url)
    assert seen.status_code == 200 and "Attach a document" not in text_of(seen)
    assert upload(committee, url, png(), "x.png", form_key="a-key-of-my-own-0002").status_code == 403
    resident = signed_in_client(app, sessions, w.residents[1])
    assert resident.get(url).status_code == 403 and resident.get(file_url).status_code == 403
    signed_out = app.test_client()
    assert signed_out.get(file_url).status_code == 302
    elsewhere = world(sessions, prefix="other-", name="Nunhead")
    outsider = signed_in_client(app, sessions, elsewhere.treasurer)
    assert outsider.get(url).status_code == 403 and outsider.get(file_url).status_code == 403
    # Another neighbourhood's address for this payment or document: not found.
    assert outsider.get(documents_url(elsewhere.slug, "treasurer-entry", paid.entry_id)).status_code == 404
    assert outsider.get(f"/n/{elsewhere.slug}/documents/{document_id}/file").status_code == 404
    assert treasurer.get(documents_url(w.slug, "levy", 1)).status_code == 404
    assert treasurer.get(documents_url(w.slug, "treasurer-entry", 99999)).status_code == 404
    assert _stored(app) == (1, 1)


def test_the_treasurer_withdraws_a_document_with_a_reason(app, sessions):
    paid = paid_world(app, sessions)
    treasurer = signed_in_client(app, sessions, paid.w.treasurer)
    url = documents_url(paid.w.slug, "treasurer-entry", paid.entry_id)
    assert upload(treasurer, url, pdf(), "wrong invoice.pdf").status_code == 302
    with unit_of_work(sessions) as session:
        document_id = session.scalars(select(Document.id)).one()
    withdraw_url = f"/n/{paid.w.slug}/documents/{document_id}/withdraw"
    assert f'href="{withdraw_url}"' in treasurer.get(url).get_data(as_text=True)
    committee = signed_in_client(app, sessions, paid.w.members[0])
    assert committee.get(withdraw_url).status_code == 403
    assert committee.post(withdraw_url, {"reason": "Not mine to withdraw."}).status_code == 403
    assert treasurer.get(withdraw_url).status_code == 200
    refused = treasurer.post(withdraw_url, {"reason": ""})
    assert refused.status_code == 422 and "3 to 500" in error_beside(refused.get_data(as_text=True), "reason")
    assert treasurer.post(withdraw_url, {"reason": "This invoice is for the hall."}).status_code == 302
    shown = text_of(treasurer.get(url))
    assert "wrong invoice.pdf" in shown and "This invoice is for the hall." in shown and "Withdrawn" in shown
    again = treasurer.post(withdraw_url, {"reason": "Twice."})
    assert again.status_code == 409
    assert _stored(app) == (1, 1)
