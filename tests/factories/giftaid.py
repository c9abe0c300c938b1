"""Helpers for Gift Aid tests: a charity with pledged cash kept for two donors, declarations and claims, all
through the real services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from pledgebank.db import unit_of_work
from pledgebank.giftaid import claims, declarations
from pledgebank.giftaid.eligibility import Scope
from pledgebank.giftaid.gifts import pledge_gift_ref
from pledgebank.giftaid.wording import as_text, declaration_words
from pledgebank.neighbourhoods.services import get_neighbourhood
from tests.factories.grants import World, world
from tests.factories.pledges import FUND, due, make_pledge, record_cash, sign


@dataclass(frozen=True)
class Charity:
    """A world registered as a charity, with a pledge each of two residents paid in cash that was kept."""

    w: World
    pledge_id: int
    signups: list[int]

    @property
    def fund(self) -> str:
        """The slug of the restricted fund the pledge opened."""
        return FUND

    @property
    def refs(self) -> list[str]:
        """The gift references of the two pledges."""
        return [pledge_gift_ref(s) for s in self.signups]


def today(app) -> date:
    """The app's calendar day in its time zone."""
    return app.extensions["pledgebank.clock"].now().astimezone(ZoneInfo(app.config["TIMEZONE"])).date()


def set_reference(app, slug: str, actor: int, reference: str = "AB12345") -> None:
    """Record the neighbourhood's HMRC charity reference."""
    now = app.extensions["pledgebank.clock"].now()
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        declarations.set_charity_reference(
            session,
            actor_id=actor,
            neighbourhood=get_neighbourhood(session, slug),
            reference=reference,
            now=now,
        )


def charity_with_gifts(app, sessions, *, prefix: str = "", amount: int = 1000) -> Charity:
    """A charity whose pledge of £10 each (or `amount`) succeeded with two residents' cash, kept by it."""
    w = world(sessions, prefix=prefix)
    set_reference(app, w.slug, w.treasurer)
    pledge = make_pledge(app, w.slug, w.chair, target_pledgers=2, amount=amount)
    signups = [sign(app, pledge, resident, method="cash") for resident in w.residents]
    for signup in signups:
        record_cash(app, signup, w.treasurer)
    due(app)
    due(app, hours=73)
    return Charity(w, pledge, signups)


def declare(app, slug: str, user_id: int, scope: Scope = Scope.FROM_TODAY, **details) -> int:
    """Make a declaration with the model words, as the page does; returns its id."""
    donor = {
        "title": "Ms",
        "first_name": "Ann",
        "last_name": "Jones-Smith",
        "house": "12",
        "postcode": "s19 2bd",
    }
    donor.update(details.pop("donor", {}))
    now = app.extensions["pledgebank.clock"].now()
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        place = get_neighbourhood(session, slug)
        words = as_text(declaration_words(scope, charity=place.name, amount="£10.00"))
        return declarations.declare(
            session,
            user_id=user_id,
            neighbourhood=place,
            scope=scope,
            donor=declarations.Donor(**donor),
            wording=words,
            now=now,
            today=details.pop("on", today(app)),
            gift_ref=details.pop("gift_ref", None),
        ).id


def make_claim(app, slug: str, actor: int, start: date, end: date, gift_refs=None) -> int:
    """Make a claim for a period; returns its id."""
    now = app.extensions["pledgebank.clock"].now()
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        return claims.make_claim(
            session,
            actor_id=actor,
            neighbourhood=get_neighbourhood(session, slug),
            start=start,
            end=end,
            now=now,
            today=today(app),
            gift_refs=gift_refs,
        ).id


def record_payment(app, slug: str, actor: int, claim_id: int, paid_on: date) -> None:
    """Record HMRC's payment of a claim."""
    now = app.extensions["pledgebank.clock"].now()
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        claims.record_payment(
            session,
            actor_id=actor,
            neighbourhood=get_neighbourhood(session, slug),
            claim_id=claim_id,
            paid_on=paid_on,
            now=now,
            today=today(app),
        )
