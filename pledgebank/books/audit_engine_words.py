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
    month,
    people,
    person,
    say,
    value,
    words,
)
from pledgebank.text import _t

_OUTCOMES = {
    "award": _t("awarded"),
    "part_award": _t("awarded in part"),
    "defer": _t("deferred"),
    "reject": _t("rejected"),
}


def pledges(e: Event, f: Facts) -> Sentence:
    """Pledges started, edited, approved and cancelled; match offers added and received; comments hidden
    (the reason shows in its own column; the comment's words never do)."""
    actor, a = person(f, e.actor_id), after_of(e)
    if e.action == "comment.hidden":
        return say(
            _t("%(actor)s hid a comment on %(pledge)s"), actor=actor, pledge=pledge_ref(f, a.get("pledge"))
        )
    if e.action.startswith("match_offer."):
        sponsor, pledge_id = f.offers.get(subject_of(e), (str(_t("a sponsor")), a.get("pledge")))
        pledge = pledge_ref(f, pledge_id)
        if e.action == "match_offer.received":
            template = _t("%(actor)s recorded %(sponsor)s's match money for %(pledge)s: %(amount)s")
            return say(
                template, actor=actor, sponsor=sponsor, pledge=pledge, amount=money(f, a.get("amount"))
            )
        given, _, pledged = str(a.get("ratio", "1:1")).partition(":")
        ratio = str(_t("%(given)s for every %(pledged)s pledged", given=given, pledged=pledged or "1"))
        if a.get("cap") is not None:
            ratio = str(_t("%(ratio)s, up to %(cap)s", ratio=ratio, cap=money(f, a["cap"])))
        template = _t("%(actor)s added %(sponsor)s's match offer to %(pledge)s: %(ratio)s")
        return say(template, actor=actor, sponsor=sponsor, pledge=pledge, ratio=ratio)
    pledge = pledge_ref(f, subject_of(e), a.get("title"))
    if e.action == "pledge.created":
        fund = fund_ref(f, slug=a.get("fund"), fallback=a.get("fund"))
        return say(
            _t("%(actor)s started the pledge %(pledge)s for %(fund)s"), actor=actor, pledge=pledge, fund=fund
        )
    template = {
        "pledge.edited": _t("%(actor)s edited the pledge %(pledge)s"),
        "pledge.approved": _t("%(actor)s approved the pledge %(pledge)s"),
    }.get(e.action, _t("%(actor)s cancelled the pledge %(pledge)s"))
    return with_changes(say(template, actor=actor, pledge=pledge), e, f)


def levies(e: Event, f: Facts) -> Sentence:
    """Levies proposed, approved, agreed, started, and their registers imported."""
    actor, a = person(f, e.actor_id), after_of(e)
    levy = levy_ref(f, subject_of(e), a.get("name"))
    households = str(a.get("households", 0))
    match e.action:
        case "levy.created":
            template = _t("%(actor)s proposed the levy %(levy)s: %(amount)s %(period)s, %(basis)s")
            terms = {"period": words(a.get("period", "")), "basis": words(a.get("basis", ""))}
            return say(template, actor=actor, levy=levy, amount=money(f, a.get("amount")), **terms)
        case "levy.approved":
            roles = joined(words(r) for r in names_in(a.get("roles")))
            return say(
                _t("%(actor)s approved the levy %(levy)s as %(roles)s"), actor=actor, levy=levy, roles=roles
            )
        case "levy.decided":
            template = _t("The levy %(levy)s was agreed by %(people)s")
            return with_changes(say(template, levy=levy, people=people(f, a.get("approved_by"))), e, f)
        case "levy.started":
            template = _t("%(actor)s started collecting the levy %(levy)s from %(households)s households")
            return say(template, actor=actor, levy=levy, households=households)
        case "levy.register_imported":
            template = _t(
                "%(actor)s imported %(households)s households into the register of the levy %(levy)s"
            )
            return say(template, actor=actor, levy=levy, households=households)
    return generic(e, f)


def hardship(e: Event, f: Facts) -> Sentence:
    """A hardship request approved (how much off which charge) or refused."""
    actor, a = person(f, e.actor_id), after_of(e)
    found = f.hardship.get(subject_of(e))
    requester = person(f, found.requester_id) if found else ""
    if a.get("status") != "approved":
        if found is None:
            return say(_t("%(actor)s refused a household's hardship request"), actor=actor)
        return say(_t("%(actor)s refused %(owner)s's hardship request"), actor=actor, owner=requester)
    amount = money(f, a.get("written_off"))
    if found is None:
        return say(
            _t("%(actor)s approved a household's hardship request: %(amount)s off the charge"),
            actor=actor,
            amount=amount,
        )
    template = _t(
        "%(actor)s approved %(owner)s's hardship request: %(amount)s off the %(month)s charge of %(levy)s"
    )
    charged, levy = month(f, found.period_start), levy_ref(f, found.levy_id)
    return say(template, actor=actor, owner=requester, amount=amount, month=charged, levy=levy)


def grants(e: Event, f: Facts) -> Sentence:
    """Rounds opened; applications sent, withdrawn, declared on, reviewed, decided and brought back."""
    actor, a = person(f, e.actor_id), after_of(e)
    if e.action == "grant_round.opened":
        fund = fund_ref(f, slug=a.get("fund"), fallback=a.get("fund"))
        title, budget = value(f, "title", a.get("title")), money(f, a.get("budget"))
        template = _t("%(actor)s opened the grant round %(title)s on %(fund)s with a budget of %(budget)s")
        return say(template, actor=actor, title=title, fund=fund, budget=budget)
    grant = grant_ref(f, subject_of(e))
    match e.action:
        case "grant_application.submitted":
            template = _t("%(actor)s applied for a grant: %(grant)s, asking for %(amount)s")
            return say(template, actor=actor, grant=grant, amount=money(f, a.get("amount_requested")))
        case "grant_application.withdrawn":
            return say(_t("%(actor)s withdrew the application %(grant)s"), actor=actor, grant=grant)
        case "grant.interest_declared":
            template = _t("%(actor)s declared %(interest)s in %(grant)s")
            return with_changes(
                say(template, actor=actor, interest=words(a.get("interest")), grant=grant), e, f
            )
        case "grant.reviewed":
            template = _t("%(actor)s reviewed %(grant)s, recommending: %(recommendation)s")
            return say(template, actor=actor, grant=grant, recommendation=words(a.get("recommendation")))
        case "grant.decider_named":
            template = _t("%(actor)s named %(decider)s to decide on %(grant)s")
            return say(template, actor=actor, decider=person(f, a.get("decider")), grant=grant)
        case "grant.decided":
            found = _OUTCOMES.get(str(a.get("outcome")))
            outcome = str(found) if found is not None else words(a.get("outcome"))
            amount = f" {money(f, a['amount'])}" if a.get("amount") is not None else ""
            template = _t("%(actor)s decided on %(grant)s: %(outcome)s%(amount)s")
            return with_changes(say(template, actor=actor, grant=grant, outcome=outcome, amount=amount), e, f)
        case "grant.reconsidered":
            template = _t("%(actor)s brought back %(grant)s to be decided again")
            return with_changes(say(template, actor=actor, grant=grant), e, f)
    return generic(e, f)
