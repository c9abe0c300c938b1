"""Migration 0021 carries existing saved cards over: each levy a household with a card is in now gets a
consent for that levy only, in the name of the resident who saved the card, as of joining; nothing for a
levy it left, and nothing for a household without a card. Undone and done again, it gives the same."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from pledgebank.db import make_engine, make_session_factory, unit_of_work
from pledgebank.levies import services
from pledgebank.levies.models import Household, LevyCardConsent, LevyHousehold
from pledgebank.migrate import downgrade, upgrade
from tests.helpers.app import WHEN, make_neighbourhood, make_user, neighbourhood


def _levy(session, slug: str, chair: int, name: str) -> int:
    terms = services.LevyTerms(
        fund_slug="general",
        name=name,
        purpose="Keeping the lamps on.",
        basis="flat",
        amount=1000,
        period="monthly",
        starts_on=date(2026, 3, 2),
        ends_on=None,
        voluntary=True,
        threshold=None,
        prorate=False,
    )
    return services.create_levy(
        session,
        actor_id=chair,
        neighbourhood=neighbourhood(session, slug),
        terms=terms,
        retry_days="1,3,7",
        now=WHEN,
        zone="Europe/London",
    ).id


def _household(session, slug: str, address: str, payer: int, card: str | None) -> int:
    household = Household(
        neighbourhood_id=neighbourhood(session, slug).id,
        address=address,
        address_key=address.lower(),
        band="D",
        payer_id=payer if card else None,
        payment_method_id=card,
        card_last4="4242" if card else None,
        created_by_id=payer,
        created_at=WHEN,
    )
    session.add(household)
    session.flush()
    return household.id


def test_saved_cards_become_a_consent_for_each_levy_their_household_is_in(database_url):
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    chair = make_user(sessions, "chair@example.org", "Chair")
    ann = make_user(sessions, "ann@example.org", "Ann")
    slug = make_neighbourhood(sessions, chair)
    with unit_of_work(sessions) as session:
        lighting, garden = (
            _levy(session, slug, chair, "Street lighting"),
            _levy(session, slug, chair, "Garden"),
        )
        carded = _household(session, slug, "1 Elm Road", ann, "pm_ann")
        cardless = _household(session, slug, "2 Elm Road", chair, None)
        for levy_id, household_id, left_on in (
            (lighting, carded, None),
            (garden, carded, date(2026, 3, 5)),  # left before the upgrade: no consent
            (lighting, cardless, None),
        ):
            session.add(
                LevyHousehold(
                    levy_id=levy_id,
                    household_id=household_id,
                    joined_on=date(2026, 3, 2),
                    left_on=left_on,
                    added_by_id=chair,
                    created_at=WHEN,
                )
            )
    engine.dispose()

    for _ in range(2):
        downgrade(database_url, "0022")
        upgrade(database_url)
        with unit_of_work(sessions) as session:
            consents = list(session.scalars(select(LevyCardConsent)))
            assert [
                (
                    c.levy_id,
                    c.household_id,
                    c.user_id,
                    c.payment_method_id,
                    c.card_last4,
                    c.given_at,
                    c.ended_at,
                )
                for c in consents
            ] == [(lighting, carded, ann, "pm_ann", "4242", WHEN, None)]
            assert "It pays Street lighting's charges only." in consents[0].wording
        engine.dispose()
