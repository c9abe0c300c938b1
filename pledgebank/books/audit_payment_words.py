"""The audit log's sentences for grant payments and reports, community dividends, the pulse survey and the
text-message numbers and keywords (see `audit_words`)."""

from __future__ import annotations

from pledgebank.books.audit_sentences import Sentence, after_of, grant_ref, pledge_ref, subject_of
from pledgebank.books.audit_values import Event, Facts, money, person, say, value, words
from pledgebank.text import _t


def grant_payments(e: Event, f: Facts) -> Sentence:
    """Grants paid and approved, reported on, and money not spent returned."""
    actor, a = person(f, e.actor_id), after_of(e)
    if e.action == "grant.reported":
        grant = grant_ref(f, f.reports.get(subject_of(e)))
        spent = {"spent": money(f, a.get("amount_spent")), "unspent": money(f, a.get("unspent"))}
        rating = str(a["rating"]) if "rating" in a else str(_t("none"))
        template = _t(
            "%(actor)s reported on %(grant)s: %(spent)s spent, %(unspent)s not spent, rated %(rating)s"
        )
        return say(template, actor=actor, grant=grant, rating=rating, **spent)
    if e.action == "grant.unspent_returned":
        grant = grant_ref(f, f.reports.get(subject_of(e)))
        template = _t("%(actor)s recorded %(amount)s not spent on %(grant)s returned to the %(into)s")
        return say(
            template, actor=actor, amount=money(f, a.get("amount")), grant=grant, into=words(a.get("into"))
        )
    grant = grant_ref(f, f.payments.get(subject_of(e)))
    if e.action == "grant.payment_recorded":
        how = {"method": words(a.get("method")), "status": words(a.get("status"))}
        template = _t("%(actor)s recorded paying %(amount)s for %(grant)s by %(method)s, %(status)s")
        return say(template, actor=actor, amount=money(f, a.get("amount")), grant=grant, **how)
    template = _t("%(actor)s approved the payment for %(grant)s, recorded by %(recorder)s")
    return say(template, actor=actor, grant=grant, recorder=person(f, a.get("recorded_by")))


_DIVIDEND_VERBS = {
    "dividend.drafted": _t("%(actor)s drafted %(agreement)s%(tail)s"),
    "dividend.amended": _t("%(actor)s drafted a new version of %(agreement)s%(tail)s"),
    "dividend.evidence_submitted": _t("%(actor)s gave evidence for %(agreement)s%(tail)s"),
    "dividend.verified": _t("%(actor)s verified the outcome of %(agreement)s%(tail)s"),
    "dividend.disputed": _t("%(actor)s disputed the evidence for %(agreement)s%(tail)s"),
    "dividend.answered": _t("%(actor)s answered the dispute about %(agreement)s%(tail)s"),
    "dividend.paid": _t("%(actor)s recorded the body's payment of %(agreement)s%(tail)s"),
    "dividend.closed": _t("%(actor)s closed %(agreement)s%(tail)s"),
}


def dividends(e: Event, f: Facts) -> Sentence:
    """Community dividend agreements drafted, signed, evidenced, verified or disputed, paid, closed."""
    a = after_of(e)
    named = a.get("by") or a.get("signer")
    who = person(f, e.actor_id) if e.actor_id is not None or not named else str(named)
    number = subject_of(e)
    if number:
        agreement = str(_t("community dividend agreement #%(number)s", number=number))
    else:
        agreement = str(_t("a community dividend agreement"))
    if e.action == "dividend.signed":
        terms = str(a.get("terms_hash", ""))[:12]
        if a.get("party") == "body":
            template = _t("%(actor)s signed %(agreement)s for the body (terms %(terms)s)")
        else:
            template = _t("%(actor)s signed %(agreement)s for the neighbourhood (terms %(terms)s)")
        return say(template, actor=who, agreement=agreement, terms=terms)
    if e.action == "dividend.lapsed":
        template = _t("%(actor)s marked %(agreement)s lapsed: its deadline passed without verification")
        return say(template, actor=who, agreement=agreement)
    tail = ""
    if e.action == "dividend.evidence_submitted":
        figure, period = value(f, "figure", a.get("value")), value(f, "period", a.get("period"))
        tail = str(_t(": %(figure)s for %(period)s", figure=figure, period=period))
    elif e.action in ("dividend.verified", "dividend.paid"):
        tail = f": {money(f, a.get('amount'))}"
    elif e.action in ("dividend.drafted", "dividend.amended") and a.get("title"):
        tail = f": {value(f, 'title', a.get('title'))}"
    verb = _DIVIDEND_VERBS.get(e.action)
    if verb is None:
        return [who, f" {words(e.action)} {agreement}{tail}"]
    return say(verb, actor=who, agreement=agreement, tail=tail)


def pulse(e: Event, f: Facts) -> Sentence:
    """A pulse survey round opened (answers are never audited: the survey is anonymous)."""
    a = after_of(e)
    title = value(f, "title", a.get("title"))
    if a.get("opens"):
        opens, closes = str(a.get("opens")), str(a.get("closes"))
        template = _t("%(actor)s opened the pulse round %(title)s (%(opens)s to %(closes)s)")
        return say(template, actor=person(f, e.actor_id), title=title, opens=opens, closes=closes)
    return say(_t("%(actor)s opened the pulse round %(title)s"), actor=person(f, e.actor_id), title=title)


def texting(e: Event, f: Facts) -> Sentence:
    """A neighbourhood's text number set, and a pledge's text keyword."""
    actor, a = person(f, e.actor_id), after_of(e)
    if e.action == "sms.keyword_set":
        keyword = value(f, "keyword", a.get("keyword"))
        template = _t("%(actor)s set the text keyword of %(pledge)s to %(keyword)s")
        return say(template, actor=actor, pledge=pledge_ref(f, subject_of(e)), keyword=keyword)
    number = value(f, "number", a.get("number"))
    return say(_t("%(actor)s set the neighbourhood's text number to %(number)s"), actor=actor, number=number)
