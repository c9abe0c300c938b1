"""The audit log's sentences for the independent examiner (appointed, accepting, ending, the pages they
opened or were refused) and for supporting documents attached and withdrawn (see `audit_words`)."""

from __future__ import annotations

from pledgebank.books.audit_sentences import Sentence, after_of, generic, grant_ref
from pledgebank.books.audit_values import Event, Facts, as_id, day, person, say, words
from pledgebank.text import _t


def examination(e: Event, f: Facts) -> Sentence:
    """An examiner appointed, accepting, ended or lapsed; the pages they opened or were refused."""
    actor, a = person(f, e.actor_id), after_of(e)
    start, end = day(f, a.get("year_start")), day(f, a.get("year_end"))
    year = str(_t("the year %(start)s to %(end)s", start=start, end=end))
    examiner = str(a.get("examiner") or _t("an examiner"))
    match e.action:
        case "examiner.appointed":
            template = _t("%(actor)s invited %(examiner)s to examine the accounts of %(year)s")
            return say(template, actor=actor, examiner=examiner, year=year)
        case "examiner.accepted":
            template = _t("%(actor)s accepted the invitation to examine the accounts of %(year)s")
            return say(template, actor=actor, year=year)
        case "examiner.ended":
            template = _t("%(actor)s ended %(examiner)s's appointment as examiner of %(year)s")
            return say(template, actor=actor, examiner=examiner, year=year)
        case "examiner.lapsed":
            template = _t(
                "%(actor)s ended %(examiner)s's appointment as examiner of %(year)s, its period over"
            )
            return say(template, actor=actor, examiner=examiner, year=year)
        case "examiner.viewed":
            page = str(a.get("path") or _t("a page"))
            return say(_t("%(actor)s (examiner) opened %(page)s"), actor=actor, page=page)
        case "examiner.refused":
            page = str(a.get("path") or _t("a page"))
            attempt = f"{a.get('method', 'GET')} {page}"
            template = _t("%(actor)s (examiner) was refused %(attempt)s (status %(status)s)")
            return say(template, actor=actor, attempt=attempt, status=str(a.get("status", 403)))
    return generic(e, f)


_DOCUMENT_KINDS = {
    "invoice": _t("an invoice"),
    "receipt": _t("a receipt"),
    "grant_evidence": _t("evidence of how a grant was spent"),
    "bank_statement": _t("a bank statement"),
}
_THE_DOCUMENT = {
    "invoice": _t("the invoice"),
    "receipt": _t("the receipt"),
    "grant_evidence": _t("the evidence of how a grant was spent"),
    "bank_statement": _t("the bank statement"),
}
_MEDIA = {"application/pdf": _t("a PDF"), "image/png": _t("a PNG image"), "image/jpeg": _t("a JPEG image")}


def _attached_to(f: Facts, on: object, on_id: object) -> Sentence:
    found = as_id(on_id) or 0
    if on == "grant_payment":
        return say(_t("the payment for %(grant)s"), grant=grant_ref(f, f.payments.get(found)))
    if on == "grant_report":
        return say(_t("the grantee's report on %(grant)s"), grant=grant_ref(f, f.reports.get(found)))
    entry = f.entries.get(found)
    if entry is None:
        return [str(_t("an entry of the treasurer's"))]
    if entry.payee:
        return [str(_t("the payment to %(payee)s", payee=entry.payee))]
    return [words(entry.kind)]


def documents(e: Event, f: Facts) -> Sentence:
    """A supporting document attached (what, how big, its fingerprint, and to what) or withdrawn (and why)."""
    a = after_of(e)
    actor, kind = person(f, e.actor_id), str(a.get("kind"))
    fingerprint = str(a.get("sha256", ""))[:16] or str(_t("unknown"))
    on = _attached_to(f, a.get("on"), a.get("on_id"))
    if e.action == "document.withdrawn":
        document = str(_THE_DOCUMENT.get(kind, _t("the document")))
        reason = str(a.get("reason", "")).strip()
        template = _t("%(actor)s withdrew %(document)s (fingerprint %(fingerprint)s) from %(on)s: %(reason)s")
        return say(template, actor=actor, document=document, fingerprint=fingerprint, on=on, reason=reason)
    size = as_id(a.get("size"))
    kilobytes = f"{size / 1024:.1f}" if size is not None else ""
    shown = str(_t("%(size)s KB", size=kilobytes)) if size is not None else str(_t("unknown size"))
    media = str(_MEDIA.get(str(a.get("media_type")), _t("a file")))
    document = str(_DOCUMENT_KINDS.get(kind, _t("a document")))
    template = _t(
        "%(actor)s attached %(document)s (%(media)s of %(size)s, fingerprint %(fingerprint)s) to %(on)s"
    )
    return say(
        template, actor=actor, document=document, media=media, size=shown, fingerprint=fingerprint, on=on
    )
