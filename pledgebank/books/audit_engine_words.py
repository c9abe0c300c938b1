"""The audit log's sentences for the three engines: pledges and match offers, levies and hardship requests,
grant rounds, applications, decisions and payments (see `audit_words`)."""

from __future__ import annotations

from pledgebank.books.audit_sentences import (
    Sentence,
    after_of,
    fund_ref,
    generic,
    grant_ref,
    levy_ref,
    names_in,
    pledge_ref,
    subject_of,
    with_changes,
)
from pledgebank.books.audit_values import (
    Event,
    Facts,
    joined,
    money,
    people,
    person,
    possessive,
    value,
    words,
)

_OUTCOMES = {"award": "awarded", "part_award": "awarded in part", "defer": "deferred", "reject": "rejected"}


def pledges(e: Event, f: Facts) -> Sentence:
    """Pledges started, edited, approved and cancelled; match offers added and received; comments hidden
    (the reason shows in its own column; the comment's words never do)."""
    actor, a = person(f, e.actor_id), after_of(e)
    if e.action == "comment.hidden":
        return [actor, " hid a comment on ", pledge_ref(f, a.get("pledge"))]
    if e.action.startswith("match_offer."):
        sponsor, pledge_id = f.offers.get(subject_of(e), ("a sponsor", a.get("pledge")))
        pledge = pledge_ref(f, pledge_id)
        if e.action == "match_offer.received":
            return [
                actor,
                f" recorded {possessive(sponsor)} match money for ",
                pledge,
                f": {money(f, a.get('amount'))}",
            ]
        sponsor_part, _, pledged_part = str(a.get("ratio", "1:1")).partition(":")
        cap = f", up to {money(f, a['cap'])}" if a.get("cap") is not None else ""
        ratio = f": {sponsor_part} for every {pledged_part or '1'} pledged{cap}"
        return [actor, f" added {possessive(sponsor)} match offer to ", pledge, ratio]
    pledge = pledge_ref(f, subject_of(e), a.get("title"))
    verb = {"pledge.created": "started", "pledge.edited": "edited", "pledge.approved": "approved"}
    sentence: Sentence = [actor, f" {verb.get(e.action, 'cancelled')} the pledge ", pledge]
    if e.action == "pledge.created":
        return [*sentence, " for ", fund_ref(f, slug=a.get("fund"), fallback=a.get("fund"))]
    return with_changes(sentence, e, f)


def levies(e: Event, f: Facts) -> Sentence:
    """Levies proposed, approved, agreed, started, and their registers imported."""
    actor, a = person(f, e.actor_id), after_of(e)
    levy = levy_ref(f, subject_of(e), a.get("name"))
    match e.action:
        case "levy.created":
            terms = f": {money(f, a.get('amount'))} {words(a.get('period', ''))}, {words(a.get('basis', ''))}"
            return [actor, " proposed the levy ", levy, terms]
        case "levy.approved":
            return [
                actor,
                " approved the levy ",
                levy,
                f" as {joined(words(r) for r in names_in(a.get('roles')))}",
            ]
        case "levy.decided":
            return with_changes(
                ["The levy ", levy, f" was agreed by {people(f, a.get('approved_by'))}"], e, f
            )
        case "levy.started":
            return [
                actor,
                " started collecting the levy ",
                levy,
                f" from {a.get('households', 0)} households",
            ]
        case "levy.register_imported":
            return [
                actor,
                f" imported {a.get('households', 0)} households into the register of the levy ",
                levy,
            ]
    return generic(e, f)


def hardship(e: Event, f: Facts) -> Sentence:
    """A hardship request approved (how much off which charge) or refused."""
    actor, a = person(f, e.actor_id), after_of(e)
    found = f.hardship.get(subject_of(e))
    whose = possessive(person(f, found.requester_id)) if found else "a household's"
    if a.get("status") != "approved":
        return [actor, f" refused {whose} hardship request"]
    sentence: Sentence = [
        actor,
        f" approved {whose} hardship request: {money(f, a.get('written_off'))} off the ",
    ]
    if found is None:
        return [*sentence, "charge"]
    return [*sentence, f"{found.period_start:%B %Y} charge of ", levy_ref(f, found.levy_id)]


def grants(e: Event, f: Facts) -> Sentence:
    """Rounds opened; applications sent, withdrawn, declared on, reviewed, decided and brought back."""
    actor, a = person(f, e.actor_id), after_of(e)
    if e.action == "grant_round.opened":
        fund = fund_ref(f, slug=a.get("fund"), fallback=a.get("fund"))
        title = value(f, "title", a.get("title"))
        return [
            actor,
            f" opened the grant round {title} on ",
            fund,
            f" with a budget of {money(f, a.get('budget'))}",
        ]
    grant = grant_ref(f, subject_of(e))
    match e.action:
        case "grant_application.submitted":
            return [
                actor,
                " applied for a grant: ",
                grant,
                f", asking for {money(f, a.get('amount_requested'))}",
            ]
        case "grant_application.withdrawn":
            return [actor, " withdrew the application ", grant]
        case "grant.interest_declared":
            return with_changes([actor, f" declared {words(a.get('interest'))} in ", grant], e, f)
        case "grant.reviewed":
            return [actor, " reviewed ", grant, f", recommending: {words(a.get('recommendation'))}"]
        case "grant.decider_named":
            return [actor, f" named {person(f, a.get('decider'))} to decide on ", grant]
        case "grant.decided":
            amount = f" {money(f, a['amount'])}" if a.get("amount") is not None else ""
            return with_changes(
                [
                    actor,
                    " decided on ",
                    grant,
                    f": {_OUTCOMES.get(str(a.get('outcome')), words(a.get('outcome')))}{amount}",
                ],
                e,
                f,
            )
        case "grant.reconsidered":
            return with_changes([actor, " brought back ", grant, " to be decided again"], e, f)
    return generic(e, f)


def grant_payments(e: Event, f: Facts) -> Sentence:
    """Grants paid and approved, reported on, and money not spent returned."""
    actor, a = person(f, e.actor_id), after_of(e)
    if e.action == "grant.reported":
        grant = grant_ref(f, f.reports.get(subject_of(e)))
        spent = f": {money(f, a.get('amount_spent'))} spent, {money(f, a.get('unspent'))} not spent"
        return [actor, " reported on ", grant, f"{spent}, rated {a.get('rating', 'none')}"]
    if e.action == "grant.unspent_returned":
        grant = grant_ref(f, f.reports.get(subject_of(e)))
        return [
            actor,
            f" recorded {money(f, a.get('amount'))} not spent on ",
            grant,
            f" returned to the {words(a.get('into'))}",
        ]
    grant = grant_ref(f, f.payments.get(subject_of(e)))
    if e.action == "grant.payment_recorded":
        how = f" by {words(a.get('method'))}, {words(a.get('status'))}"
        return [actor, f" recorded paying {money(f, a.get('amount'))} for ", grant, how]
    return [actor, " approved the payment for ", grant, f", recorded by {person(f, a.get('recorded_by'))}"]


_DIVIDEND_VERBS = {
    "dividend.drafted": "drafted",
    "dividend.amended": "drafted a new version of",
    "dividend.evidence_submitted": "gave evidence for",
    "dividend.verified": "verified the outcome of",
    "dividend.disputed": "disputed the evidence for",
    "dividend.answered": "answered the dispute about",
    "dividend.paid": "recorded the body's payment of",
    "dividend.closed": "closed",
}


def dividends(e: Event, f: Facts) -> Sentence:
    """Community dividend agreements drafted, signed, evidenced, verified or disputed, paid, closed."""
    a = after_of(e)
    named = a.get("by") or a.get("signer")
    who = person(f, e.actor_id) if e.actor_id is not None or not named else str(named)
    number = subject_of(e)
    agreement = f"community dividend agreement #{number}" if number else "a community dividend agreement"
    if e.action == "dividend.signed":
        party = "the body" if a.get("party") == "body" else "the neighbourhood"
        return [who, f" signed {agreement} for {party} (terms {str(a.get('terms_hash', ''))[:12]})"]
    if e.action == "dividend.lapsed":
        return [who, f" marked {agreement} lapsed: its deadline passed without verification"]
    verb = _DIVIDEND_VERBS.get(e.action, words(e.action))
    tail = ""
    if e.action == "dividend.evidence_submitted":
        tail = f": {value(f, 'figure', a.get('value'))} for {value(f, 'period', a.get('period'))}"
    elif e.action in ("dividend.verified", "dividend.paid"):
        tail = f": {money(f, a.get('amount'))}"
    elif e.action in ("dividend.drafted", "dividend.amended") and a.get("title"):
        tail = f": {value(f, 'title', a.get('title'))}"
    return [who, f" {verb} {agreement}{tail}"]


def pulse(e: Event, f: Facts) -> Sentence:
    """A pulse survey round opened (answers are never audited: the survey is anonymous)."""
    a = after_of(e)
    dates = f" ({a.get('opens')} to {a.get('closes')})" if a.get("opens") else ""
    return [person(f, e.actor_id), f" opened the pulse round {value(f, 'title', a.get('title'))}{dates}"]


def texting(e: Event, f: Facts) -> Sentence:
    """A neighbourhood's text number set, and a pledge's text keyword."""
    actor, a = person(f, e.actor_id), after_of(e)
    if e.action == "sms.keyword_set":
        keyword = value(f, "keyword", a.get("keyword"))
        return [actor, " set the text keyword of ", pledge_ref(f, subject_of(e)), f" to {keyword}"]
    return [actor, f" set the neighbourhood's text number to {value(f, 'number', a.get('number'))}"]
