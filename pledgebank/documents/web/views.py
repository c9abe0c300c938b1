"""A payment's (or report's) documents: the list with download links, and the "Attach a document" form."""

from __future__ import annotations

from urllib.parse import quote

from flask import abort, current_app, render_template, request, url_for
from flask_login import login_required

from pledgebank.documents import queries, services
from pledgebank.documents.models import KIND_NAMES, Subject
from pledgebank.documents.storage import app_store
from pledgebank.documents.subjects import SubjectInfo, may_attach, require_attach, require_view, subject_info
from pledgebank.documents.web.blueprint import bp
from pledgebank.documents.web.forms import AttachForm, WithdrawForm, new_form_key
from pledgebank.documents.withdrawals import withdraw_document, withdrawals_of
from pledgebank.errors import NotFound
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.web.auth import current_user_id, signed_in_user_id
from pledgebank.web.session import db_session, now
from pledgebank.web.submit import go_to, submit

SUBJECTS = {subject.slug: subject for subject in Subject}
# Room for the form's other fields and the multipart framing around the largest file accepted.
_FRAMING = 256 * 1024


@bp.url_value_preprocessor
def _room_for_uploads(endpoint: str | None, _values: dict | None) -> None:
    """The attach form may carry a file up to PLEDGEBANK_DOCUMENT_MAX_BYTES (other requests keep the app's
    smaller limit); set before the request guard reads the body. A larger body is the app's 413 page."""
    if endpoint == "documents.attach":
        request.max_content_length = current_app.config["DOCUMENT_MAX_BYTES"] + _FRAMING
        # A text field as long as any urlencoded form may send, so it is refused beside its field, not 413.
        request.max_form_memory_size = current_app.config["MAX_CONTENT_LENGTH"]


def _subject(slug: str, subject_name: str, subject_id: int) -> tuple[SubjectInfo, object]:
    subject = SUBJECTS.get(subject_name)
    if subject is None:
        abort(404)
    session = db_session()
    neighbourhood = get_neighbourhood(session, slug)
    info = subject_info(session, subject, subject_id)
    if info.neighbourhood_id != neighbourhood.id:
        raise NotFound("There is no such payment or report.")
    require_view(session, info, current_user_id())
    return info, neighbourhood


def _back(info: SubjectInfo, slug: str) -> str:
    if info.application_id is not None:
        return url_for("grants.show_application", application_id=info.application_id)
    return url_for("treasurer.record_money", slug=slug)


def _page(info: SubjectInfo, neighbourhood, form: AttachForm, status: int = 200):
    session = db_session()
    documents = queries.documents_of(session, info.subject, info.subject_id)
    return render_template(
        "documents/page.html",
        info=info,
        neighbourhood=neighbourhood,
        form=form,
        documents=documents,
        withdrawals=withdrawals_of(session, [document.id for document in documents]),
        kind_names=KIND_NAMES,
        may_attach=may_attach(session, info, current_user_id()),
        back=_back(info, neighbourhood.slug),
        max_bytes=current_app.config["DOCUMENT_MAX_BYTES"],
    ), status


@bp.get("/n/<slug>/documents/<subject_name>/<int:subject_id>")
@login_required
def page(slug: str, subject_name: str, subject_id: int):
    """The documents supporting a payment, an entry or a grantee's report."""
    info, neighbourhood = _subject(slug, subject_name, subject_id)
    form = AttachForm(info.subject, formdata=None, form_key=new_form_key())
    return _page(info, neighbourhood, form)


@bp.post("/n/<slug>/documents/<subject_name>/<int:subject_id>")
@login_required
def attach(slug: str, subject_name: str, subject_id: int):
    """Attach the chosen file; a second sending of the same form attaches it once."""
    info, neighbourhood = _subject(slug, subject_name, subject_id)
    form = AttachForm(info.subject)
    max_bytes = current_app.config["DOCUMENT_MAX_BYTES"]

    def work(session):
        upload = request.files.get("file")
        return services.attach_document(
            session,
            app_store(current_app),
            actor_id=signed_in_user_id(),
            subject=info.subject,
            subject_id=info.subject_id,
            kind=form.kind.data or "",
            filename=upload.filename if upload else None,
            data=upload.read(max_bytes + 1) if upload else b"",
            form_key=form.form_key.data or "",
            max_bytes=max_bytes,
            now=now(),
        )

    here = url_for("documents.page", slug=slug, subject_name=subject_name, subject_id=subject_id)
    return submit(
        form,
        work,
        done=go_to(here, "Attached. Its fingerprint (SHA-256) is sealed in the audit log."),
        page=lambda status: _page(info, neighbourhood, form, status),
    )


@bp.get("/n/<slug>/documents/<int:document_id>/file")
@login_required
def download(slug: str, document_id: int):
    """The document's file, as it was attached (checked against its sealed hash before it is sent)."""
    session = db_session()
    document = queries.get_document(session, document_id)
    _subject(slug, document.subject_type.slug, document.subject_id)  # NotFound or Forbidden unless visible
    data = app_store(current_app).get(document.storage_key)
    if data is None or services.digest_of(data) != document.sha256:
        current_app.logger.error("document %s: its file is missing or does not match its hash", document.id)
        abort(503)
    response = current_app.response_class(data, mimetype=document.media_type)
    response.headers["Content-Disposition"] = _disposition(document.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _disposition(filename: str) -> str:
    plain = "".join(char if char.isascii() and char not in '"\\;' else "_" for char in filename)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename)}"


def _withdraw_page(document, info: SubjectInfo, neighbourhood, form: WithdrawForm, status: int = 200):
    return render_template(
        "documents/withdraw.html",
        document=document,
        info=info,
        neighbourhood=neighbourhood,
        form=form,
        kind_names=KIND_NAMES,
        back=url_for(
            "documents.page",
            slug=neighbourhood.slug,
            subject_name=info.subject.slug,
            subject_id=info.subject_id,
        ),
    ), status


@bp.route("/n/<slug>/documents/<int:document_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(slug: str, document_id: int):
    """Withdraw a document, saying why: a new event in the audit log; the document and its file stay."""
    document = queries.get_document(db_session(), document_id)
    info, neighbourhood = _subject(slug, document.subject_type.slug, document.subject_id)
    form = WithdrawForm()

    def work(session):
        return withdraw_document(
            session,
            actor_id=signed_in_user_id(),
            document_id=document_id,
            reason=form.reason.data or "",
            now=now(),
        )

    def guard() -> None:
        require_attach(db_session(), info, current_user_id())

    if not form.is_submitted():
        guard()
    back = url_for("documents.page", slug=slug, subject_name=info.subject.slug, subject_id=info.subject_id)
    return submit(
        form,
        work,
        done=go_to(back, "Withdrawn. The document stays listed, marked withdrawn, and its file is kept."),
        page=lambda status: _withdraw_page(document, info, neighbourhood, form, status),
        guard=guard,
    )
