"""The audit log's sentences for the neighbourhood itself, its members, funds, the treasurer's entries, the
year-end close and privacy, and the parts every sentence is made of (see `audit_words`).

Each sentence is one whole template marked for translation, its named placeholders the parts (`say`), so a
page shows it in its own language with its names still linked."""

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
    say,
    value,
    words,
)
from pledgebank.books.wording import Link
from pledgebank.text import _t

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
        return Ref(str(fallback) if fallback else str(_t("a fund")))
    return Ref(found[0], Link("fund", found[1]))


def pledge_ref(f: Facts, pledge_id: object, fallback: object = None) -> Ref:
    """A pledge by id, linked to its page; else the recorded title or "a pledge"."""
    found = as_id(pledge_id) or 0
    title = f.pledges.get(found)
    if title:
        return Ref(title, Link("pledge", found))
    return Ref(str(fallback) if fallback else str(_t("a pledge")))


def levy_ref(f: Facts, levy_id: object, fallback: object = None) -> Ref:
    """A levy by id, linked to its page; else the recorded name or "a levy"."""
    found = as_id(levy_id) or 0
    name = f.levies.get(found)
    return Ref(name, Link("levy", found)) if name else Ref(str(fallback) if fallback else str(_t("a levy")))


def grant_ref(f: Facts, application_id: object) -> Ref:
    """A grant application by id, linked to its page; else "a grant application"."""
    found = as_id(application_id) or 0
    title = f.applications.get(found)
    return Ref(f"“{title}”", Link("application", found)) if title else Ref(str(_t("a grant application")))


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
        name = value(f, "name", a.get("name"))
        return say(
            _t("%(actor)s started the neighbourhood %(name)s%(district)s"),
            actor=actor,
            name=name,
            district=district,
        )
    return with_changes(say(_t("%(actor)s changed the neighbourhood's settings"), actor=actor), e, f)


def _roles(e: Event, f: Facts) -> str:
    return joined(words(r) for r in names_in(before_of(e).get("roles"))) or str(_t("no role"))


def members(e: Event, f: Facts) -> Sentence:
    """Joining, leaving, removal, roles granted and taken away, an account closed."""
    actor, subject = person(f, e.actor_id), person(f, e.subject_id)
    before, after = set(names_in(before_of(e).get("roles"))), set(names_in(after_of(e).get("roles")))
    match e.action:
        case "member.joined":
            return say(_t("%(subject)s joined the neighbourhood"), subject=subject)
        case "member.left":
            template = _t("%(subject)s left the neighbourhood (as %(roles)s)")
            return say(template, subject=subject, roles=_roles(e, f))
        case "member.removed":
            template = _t("%(actor)s removed %(subject)s from the neighbourhood (as %(roles)s)")
            return say(template, actor=actor, subject=subject, roles=_roles(e, f))
        case "role.granted":
            added = joined(words(r) for r in sorted(after - before)) or str(_t("no new role"))
            if e.actor_id == as_id(e.subject_id) and not before:
                return say(
                    _t("%(actor)s became %(roles)s, starting the neighbourhood"), actor=actor, roles=added
                )
            return say(_t("%(actor)s made %(subject)s %(roles)s"), actor=actor, subject=subject, roles=added)
        case "role.revoked":
            taken = joined(words(r) for r in sorted(before - after)) or str(_t("no role"))
            template = _t("%(actor)s took away %(subject)s's role as %(roles)s")
            return say(template, actor=actor, subject=subject, roles=taken)
        case "account.erased":
            template = _t("%(subject)s closed their account: their personal details were erased")
            return say(template, subject=subject)
    return generic(e, f)


TRANSFER_VERBS = {
    "fund_transfer.proposed": _t("%(actor)s proposed moving %(amount)s from %(from)s to %(to)s"),
    "fund_transfer.approved": _t("%(actor)s approved moving %(amount)s from %(from)s to %(to)s"),
    "fund_transfer.cancelled": _t(
        "%(actor)s withdrew the proposal to move %(amount)s from %(from)s to %(to)s"
    ),
    "fund_transfer.declined": _t("%(actor)s declined moving %(amount)s from %(from)s to %(to)s"),
}


def funds(e: Event, f: Facts) -> Sentence:
    """Funds added and reworded, money moved between them."""
    actor, a = person(f, e.actor_id), after_of(e)
    if e.action == "fund.created":
        fund = fund_ref(f, subject_of(e), fallback=a.get("name"))
        kind = words(a.get("type", "fund"))
        return say(_t("%(actor)s added the fund %(fund)s (%(type)s)"), actor=actor, fund=fund, type=kind)
    if e.action == "fund.reworded":
        fund = fund_ref(f, subject_of(e))
        return with_changes(say(_t("%(actor)s reworded the fund %(fund)s"), actor=actor, fund=fund), e, f)
    template = TRANSFER_VERBS.get(e.action)
    if template is None:
        return generic(e, f)
    moved = {"from": fund_ref(f, a.get("from")), "to": fund_ref(f, a.get("to"))}
    sentence = say(template, actor=actor, amount=money(f, a.get("amount")), **moved)
    return [*sentence, f" ({words(a['basis'])})"] if a.get("basis") else sentence


_CATEGORY_VERBS = {
    "expense_category.added": _t("%(actor)s added the expense category “%(name)s”"),
    "expense_category.renamed": _t("%(actor)s renamed the expense category “%(name)s”"),
}
_ENTRY_VERBS = {
    (True, False): _t("%(actor)s approved %(what)s of %(amount)s%(status)s"),
    (True, True): _t("%(actor)s approved %(what)s of %(amount)s to %(payee)s%(status)s"),
    (False, False): _t("%(actor)s recorded %(what)s of %(amount)s%(status)s"),
    (False, True): _t("%(actor)s recorded %(what)s of %(amount)s to %(payee)s%(status)s"),
}


def treasurer(e: Event, f: Facts) -> Sentence:
    """The treasurer's entries and approvals, expense categories."""
    actor, a = person(f, e.actor_id), after_of(e)
    if e.action.startswith("expense_category."):
        name = f.categories.get(subject_of(e)) or str(a.get("name", "")) or str(_t("a category"))
        template = _CATEGORY_VERBS.get(e.action, _t("%(actor)s retired the expense category “%(name)s”"))
        return with_changes(say(template, actor=actor, name=name), e, f)
    entry = f.entries.get(subject_of(e))
    what = words(a.get("kind") or (entry.kind if entry else "an entry"))
    payee = entry.payee if entry and entry.payee else ""
    status = f", {words(a['status'])}" if a.get("status") not in (None, "posted") else ""
    template = _ENTRY_VERBS[(e.action == "treasurer.payment_approved", bool(payee))]
    return say(template, actor=actor, what=what, amount=money(f, a.get("amount")), payee=payee, status=status)


def bank(e: Event, f: Facts) -> Sentence:
    """Bank statements uploaded, their lines matched or posted, the bank reconciled."""
    actor, a = person(f, e.actor_id), after_of(e)
    if e.action == "statement.uploaded":
        template = _t(
            "%(actor)s uploaded a bank statement from %(first)s to %(last)s: %(read)s lines, %(added)s new"
        )
        first, last = day(f, a.get("first_day")), day(f, a.get("last_day"))
        read, added = as_id(a.get("lines_read")) or 0, as_id(a.get("lines_added")) or 0
        return say(template, actor=actor, first=first, last=last, read=str(read), added=str(added))
    if e.action == "statement.reconciled":
        template = _t(
            "%(actor)s reconciled the bank at %(day)s: the statement shows %(statement)s, the books %(books)s"
        )
        shows = {
            "statement": money(f, a.get("statement_balance")),
            "books": money(f, a.get("ledger_balance")),
        }
        return say(template, actor=actor, day=day(f, a.get("on")), **shows)
    amount = as_id(a.get("amount"))
    size = money(f, abs(amount) if amount is not None else None)
    on = day(f, a.get("booked_on"))
    if (amount or 0) > 0:
        line = str(_t("the bank line of %(day)s (%(size)s in)", day=on, size=size))
    else:
        line = str(_t("the bank line of %(day)s (%(size)s out)", day=on, size=size))
    if e.action == "statement.line_matched":
        sequence = str(as_id(a.get("sequence")) or _t("(unknown)"))
        template = _t("%(actor)s matched %(line)s to transaction %(sequence)s in the books")
        return say(template, actor=actor, line=line, sequence=sequence)
    if e.action == "statement.line_posted":
        kind = words(a.get("kind") or "an entry")
        template = _t("%(actor)s recorded %(line)s in the books as %(kind)s")
        return say(template, actor=actor, line=line, kind=kind)
    return say(_t("%(actor)s unmatched %(line)s"), actor=actor, line=line)


def year_end(e: Event, f: Facts) -> Sentence:
    """A financial year closed."""
    through = day(f, after_of(e).get("closed_through"))
    return say(_t("%(actor)s closed the books through %(day)s"), actor=person(f, e.actor_id), day=through)


def privacy(e: Event, f: Facts) -> Sentence:
    """An account closed, the retention rules run."""
    if e.action == "account.erased":
        return members(e, f)
    done = [
        str(_t("%(count)s %(what)s", count=count, what=words(kind)))
        for kind, count in after_of(e).items()
        if count
    ]
    return say(_t("The retention rules ran: %(done)s"), done=joined(done) or str(_t("nothing was due")))
