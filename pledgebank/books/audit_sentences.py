"""The audit log's sentences for the neighbourhood itself, its members, funds, the treasurer's entries, the
year-end close and privacy, and the parts every sentence is made of (see `audit_words`)."""

from __future__ import annotations

from pledgebank.books.audit_values import (
    Event,
    Facts,
    Part,
    Ref,
    as_id,
    changes,
    day,
    joined,
    money,
    person,
    possessive,
    value,
    words,
)
from pledgebank.books.wording import Link

Sentence = list[Part]


def after_of(e: Event) -> dict[str, object]:
    """The values recorded after the action (none: empty)."""
    return dict(e.after or {})


def before_of(e: Event) -> dict[str, object]:
    """The values recorded before the action (none: empty)."""
    return dict(e.before or {})


def with_changes(sentence: Sentence, e: Event, f: Facts) -> Sentence:
    """The sentence, and what changed in brackets when the event recorded both sides."""
    changed = changes(f, e.before, e.after)
    return [*sentence, f" ({changed})"] if changed else sentence


def subject_of(e: Event) -> int:
    """The subject's id (0 when it is not a number)."""
    return as_id(e.subject_id) or 0


def fund_ref(f: Facts, fund_id: object = None, slug: object = None, fallback: object = None) -> Ref:
    """A fund by id or slug, linked to its open books; else the recorded name or "a fund"."""
    found = f.funds.get(as_id(fund_id) or 0)
    if found is None and slug is not None:
        found = next((n for n in f.funds.values() if n[1] == slug), None)
    if found is None:
        return Ref(str(fallback) if fallback else "a fund")
    return Ref(found[0], Link("fund", found[1]))


def pledge_ref(f: Facts, pledge_id: object, fallback: object = None) -> Ref:
    """A pledge by id, linked to its page; else the recorded title or "a pledge"."""
    found = as_id(pledge_id) or 0
    title = f.pledges.get(found)
    return Ref(title, Link("pledge", found)) if title else Ref(str(fallback) if fallback else "a pledge")


def levy_ref(f: Facts, levy_id: object, fallback: object = None) -> Ref:
    """A levy by id, linked to its page; else the recorded name or "a levy"."""
    found = as_id(levy_id) or 0
    name = f.levies.get(found)
    return Ref(name, Link("levy", found)) if name else Ref(str(fallback) if fallback else "a levy")


def grant_ref(f: Facts, application_id: object) -> Ref:
    """A grant application by id, linked to its page; else "a grant application"."""
    found = as_id(application_id) or 0
    title = f.applications.get(found)
    return Ref(f"“{title}”", Link("application", found)) if title else Ref("a grant application")


def generic(e: Event, f: Facts) -> Sentence:
    """Any action, known or not: who, the action in words, and what changed."""
    return with_changes([person(f, e.actor_id), f": {words(e.action)}"], e, f)


def names_in(found: object) -> list[str]:
    """The strings of a recorded list (nothing for anything else)."""
    return [str(item) for item in found] if isinstance(found, list) else []


def neighbourhood(e: Event, f: Facts) -> Sentence:
    """The neighbourhood started, its settings changed."""
    actor, a = person(f, e.actor_id), after_of(e)
    if e.action == "neighbourhood.created":
        district = f" ({a['postcode_district']})" if a.get("postcode_district") else ""
        return [actor, f" started the neighbourhood {value(f, 'name', a.get('name'))}{district}"]
    return with_changes([actor, " changed the neighbourhood's settings"], e, f)


def _roles(e: Event, f: Facts) -> str:
    return joined(words(r) for r in names_in(before_of(e).get("roles"))) or "no role"


def members(e: Event, f: Facts) -> Sentence:
    """Joining, leaving, removal, roles granted and taken away, an account closed."""
    actor, subject = person(f, e.actor_id), person(f, e.subject_id)
    before, after = set(names_in(before_of(e).get("roles"))), set(names_in(after_of(e).get("roles")))
    match e.action:
        case "member.joined":
            return [subject, " joined the neighbourhood"]
        case "member.left":
            return [subject, f" left the neighbourhood (as {_roles(e, f)})"]
        case "member.removed":
            return [actor, f" removed {subject} from the neighbourhood (as {_roles(e, f)})"]
        case "role.granted":
            added = joined(words(r) for r in sorted(after - before)) or "no new role"
            if e.actor_id == as_id(e.subject_id) and not before:
                return [actor, f" became {added}, starting the neighbourhood"]
            return [actor, f" made {subject} {added}"]
        case "role.revoked":
            taken = joined(words(r) for r in sorted(before - after)) or "no role"
            return [actor, f" took away {possessive(subject)} role as {taken}"]
        case "account.erased":
            return [subject, " closed their account: their personal details were erased"]
    return generic(e, f)


TRANSFER_VERBS = {
    "fund_transfer.proposed": "proposed moving",
    "fund_transfer.approved": "approved moving",
    "fund_transfer.cancelled": "withdrew the proposal to move",
    "fund_transfer.declined": "declined moving",
}


def funds(e: Event, f: Facts) -> Sentence:
    """Funds added and reworded, money moved between them."""
    actor, a = person(f, e.actor_id), after_of(e)
    if e.action == "fund.created":
        fund = fund_ref(f, subject_of(e), fallback=a.get("name"))
        return [actor, " added the fund ", fund, f" ({words(a.get('type', 'fund'))})"]
    if e.action == "fund.reworded":
        return with_changes([actor, " reworded the fund ", fund_ref(f, subject_of(e))], e, f)
    verb = TRANSFER_VERBS.get(e.action, words(e.action))
    sentence: Sentence = [actor, f" {verb} {money(f, a.get('amount'))} from ", fund_ref(f, a.get("from"))]
    sentence += [" to ", fund_ref(f, a.get("to"))]
    return [*sentence, f" ({words(a['basis'])})"] if a.get("basis") else sentence


def treasurer(e: Event, f: Facts) -> Sentence:
    """The treasurer's entries and approvals, expense categories."""
    actor, a = person(f, e.actor_id), after_of(e)
    if e.action.startswith("expense_category."):
        name = f.categories.get(subject_of(e)) or str(a.get("name", "")) or "a category"
        verb = {"expense_category.added": "added", "expense_category.renamed": "renamed"}.get(
            e.action, "retired"
        )
        return with_changes([actor, f" {verb} the expense category “{name}”"], e, f)
    entry = f.entries.get(subject_of(e))
    what = words(a.get("kind") or (entry.kind if entry else "an entry"))
    to = f" to {entry.payee}" if entry and entry.payee else ""
    verb = "approved" if e.action == "treasurer.payment_approved" else "recorded"
    status = f", {words(a['status'])}" if a.get("status") not in (None, "posted") else ""
    return [actor, f" {verb} {what} of {money(f, a.get('amount'))}{to}{status}"]


def bank(e: Event, f: Facts) -> Sentence:
    """Bank statements uploaded, their lines matched or posted, the bank reconciled."""
    actor, a = person(f, e.actor_id), after_of(e)
    if e.action == "statement.uploaded":
        return [
            actor,
            f" uploaded a bank statement from {day(a.get('first_day'))} to {day(a.get('last_day'))}: "
            f"{as_id(a.get('lines_read')) or 0} lines, {as_id(a.get('lines_added')) or 0} new",
        ]
    if e.action == "statement.reconciled":
        return [
            actor,
            f" reconciled the bank at {day(a.get('on'))}: the statement shows "
            f"{money(f, a.get('statement_balance'))}, the books {money(f, a.get('ledger_balance'))}",
        ]
    amount = as_id(a.get("amount"))
    size = money(f, abs(amount) if amount is not None else None)
    way = "in" if (amount or 0) > 0 else "out"
    line = f"the bank line of {day(a.get('booked_on'))} ({size} {way})"
    if e.action == "statement.line_matched":
        sequence = as_id(a.get("sequence")) or "(unknown)"
        return [actor, f" matched {line} to transaction {sequence} in the books"]
    if e.action == "statement.line_posted":
        return [actor, f" recorded {line} in the books as {words(a.get('kind') or 'an entry')}"]
    return [actor, f" unmatched {line}"]


def year_end(e: Event, f: Facts) -> Sentence:
    """A financial year closed."""
    return [person(f, e.actor_id), f" closed the books through {day(after_of(e).get('closed_through'))}"]


def privacy(e: Event, f: Facts) -> Sentence:
    """An account closed, the retention rules run."""
    if e.action == "account.erased":
        return members(e, f)
    done = [f"{count} {words(kind)}" for kind, count in after_of(e).items() if count]
    return [f"The retention rules ran: {joined(done) or 'nothing was due'}"]


def examination(e: Event, f: Facts) -> Sentence:
    """An examiner appointed, accepting, ended or lapsed; the pages they opened or were refused."""
    actor, a = person(f, e.actor_id), after_of(e)
    year = f"the year {day(a.get('year_start'))} to {day(a.get('year_end'))}"
    examiner = str(a.get("examiner") or "an examiner")
    match e.action:
        case "examiner.appointed":
            return [actor, f" invited {examiner} to examine the accounts of {year}"]
        case "examiner.accepted":
            return [actor, f" accepted the invitation to examine the accounts of {year}"]
        case "examiner.ended":
            return [actor, f" ended {possessive(examiner)} appointment as examiner of {year}"]
        case "examiner.lapsed":
            return [
                actor,
                f" ended {possessive(examiner)} appointment as examiner of {year}, its period over",
            ]
        case "examiner.viewed":
            return [actor, f" (examiner) opened {a.get('path', 'a page')}"]
        case "examiner.refused":
            attempt = f"{a.get('method', 'GET')} {a.get('path', 'a page')}"
            return [actor, f" (examiner) was refused {attempt} (status {a.get('status', 403)})"]
    return generic(e, f)


_DOCUMENT_KINDS = {
    "invoice": "an invoice",
    "receipt": "a receipt",
    "grant_evidence": "evidence of how a grant was spent",
    "bank_statement": "a bank statement",
}
_MEDIA = {"application/pdf": "a PDF", "image/png": "a PNG image", "image/jpeg": "a JPEG image"}


def _attached_to(f: Facts, on: object, on_id: object) -> Sentence:
    found = as_id(on_id) or 0
    if on == "grant_payment":
        return ["the payment for ", grant_ref(f, f.payments.get(found))]
    if on == "grant_report":
        return ["the grantee's report on ", grant_ref(f, f.reports.get(found))]
    entry = f.entries.get(found)
    if entry is None:
        return ["an entry of the treasurer's"]
    return [f"the payment to {entry.payee}" if entry.payee else words(entry.kind)]


def documents(e: Event, f: Facts) -> Sentence:
    """A supporting document attached (what, how big, its fingerprint, and to what) or withdrawn (and why)."""
    a = after_of(e)
    if e.action == "document.withdrawn":
        kind = _DOCUMENT_KINDS.get(str(a.get("kind")), "a document").removeprefix("an ").removeprefix("a ")
        fingerprint = str(a.get("sha256", ""))[:16] or "unknown"
        lead = f" withdrew the {kind} (fingerprint {fingerprint}) from "
        reason = str(a.get("reason", "")).strip()
        return [person(f, e.actor_id), lead, *_attached_to(f, a.get("on"), a.get("on_id")), f": {reason}"]
    size = as_id(a.get("size"))
    shown = f"{size / 1024:.1f} KB" if size is not None else "unknown size"
    media = _MEDIA.get(str(a.get("media_type")), "a file")
    kind = _DOCUMENT_KINDS.get(str(a.get("kind")), "a document")
    fingerprint = str(a.get("sha256", ""))[:16] or "unknown"
    lead = f" attached {kind} ({media} of {shown}, fingerprint {fingerprint}) to "
    return [person(f, e.actor_id), lead, *_attached_to(f, a.get("on"), a.get("on_id"))]
