"""Demo data for pledges: three pledges in Elm Park.

- "Mend the playground fence" (Priya): three residents have pledged with a test card (one listed by name,
  one as a neighbour, one hidden; only when the demo runs with a gateway), and Li's question on it has
  Priya's answer;
- "Plant twenty street trees" (Tom), with the Elm Park Bakery's offer to match it;
- "Volunteer two hours at the spring clean-up" (Priya), a pledge of time two committee members have signed up
  to: one more and it goes ahead.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy.orm import Session

from pledgebank.accounts.demo import PEOPLE
from pledgebank.db import unit_of_work
from pledgebank.jobs import payments_context
from pledgebank.neighbourhoods.demo import DEMO_SLUG
from pledgebank.neighbourhoods.models import Neighbourhood
from pledgebank.neighbourhoods.services import get_neighbourhood
from pledgebank.payments.gateway import TestCard
from pledgebank.pledges import cards, comments, extras, signers, signups
from pledgebank.pledges.models import Pledge
from pledgebank.pledges.services import PledgeTerms, create_pledge, get_pledge


def seed_pledges(app: Flask, ids: dict[str, int]) -> None:
    """Create the three pledges, the fence's question and answer, then sign the fence with test cards."""
    now = app.extensions["pledgebank.clock"].now()
    sessions = app.extensions["pledgebank.sessions"]
    chair, treasurer = ids[PEOPLE[0].email], ids[PEOPLE[1].email]
    with unit_of_work(sessions) as session:
        place = get_neighbourhood(session, DEMO_SLUG)
        fence = create_pledge(
            session,
            actor_id=chair,
            neighbourhood=place,
            now=now,
            terms=PledgeTerms(
                fund_slug="playground-fund",
                title="Mend the playground fence",
                action="mend the playground fence",
                description="Replace the broken posts and panels on the north side of the playground.",
                amount_kind="fixed",
                amount=1000,
                target_pledgers=5,
                target_amount=None,
                deadline=now + timedelta(days=14),
            ),
        )
        _seed_trees(session, place, chair, treasurer, now)
        fence_id = fence.id
        _seed_question(session, fence, ids[PEOPLE[-1].email], chair, now)
        _seed_time_pledge(session, place, [ids[p.email] for p in PEOPLE], now)
    if app.extensions["pledgebank.gateway"].available:
        _sign_fence(app, ids, fence_id, now)


def _seed_trees(session: Session, place: Neighbourhood, chair: int, treasurer: int, now: datetime) -> None:
    """The treasurer's street trees, for at least a sum, with the bakery's match offer."""
    trees = create_pledge(
        session,
        actor_id=treasurer,
        neighbourhood=place,
        now=now,
        terms=PledgeTerms(
            fund_slug="street-trees",
            title="Plant twenty street trees",
            action="plant twenty street trees on Victoria Road",
            description="Twenty young limes and rowans along Victoria Road, planted by volunteers.",
            amount_kind="minimum",
            amount=500,
            target_pledgers=None,
            target_amount=30_000,
            deadline=now + timedelta(days=30),
        ),
    )
    extras.add_match_offer(
        session,
        actor_id=chair,
        pledge=trees,
        sponsor_name="Elm Park Bakery",
        ratio="1:2",
        cap=10_000,
        now=now,
    )


def _seed_question(session: Session, fence: Pledge, resident: int, chair: int, now: datetime) -> None:
    """A resident's question on the fence, and the chair's answer."""
    question = comments.add_comment(
        session,
        actor_id=resident,
        pledge=fence,
        body="Will the new posts be treated against rot?",
        parent_id=None,
        now=now,
    )
    comments.add_comment(
        session,
        actor_id=chair,
        pledge=fence,
        body="Yes: pressure-treated timber, guaranteed for 15 years.",
        parent_id=question.id,
        now=now,
    )


def _sign_fence(app: Flask, ids: dict[str, int], fence_id: int, now: datetime) -> None:
    """The three residents pledge to the fence with a card that succeeds, each shown their own way."""
    sessions = app.extensions["pledgebank.sessions"]
    ctx = payments_context(app)
    for shown_as, person in zip(("name", "neighbour", "hidden"), PEOPLE[4:], strict=False):
        with unit_of_work(sessions) as session:
            signup_id = signups.sign(
                session,
                actor_id=ids[person.email],
                pledge=get_pledge(session, fence_id),
                amount=None,
                method="card",
                card_payments=True,
                now=now,
            ).id
            signers.change(session, actor_id=ids[person.email], pledge_id=fence_id, shown_as=shown_as)
        cards.use_test_card(
            ctx,
            signup_id=signup_id,
            user_id=ids[person.email],
            card=TestCard.SUCCEEDS,
            return_url=app.config["BASE_URL"],
            now=now,
        )


def _seed_time_pledge(session: Session, place: Neighbourhood, people: list[int], now: datetime) -> None:
    """A pledge of time (no money): two committee members have signed up; one more and it goes ahead."""
    clean_up = create_pledge(
        session,
        actor_id=people[0],
        neighbourhood=place,
        now=now,
        terms=PledgeTerms(
            kind="time",
            title="Volunteer two hours at the spring clean-up",
            action="volunteer two hours at the spring clean-up on Elm Park Road",
            description="Two hours litter-picking and weeding the beds along Elm Park Road and in the park.",
            next_steps="Meet at the park gates on Elm Park Road at 10:00 on the first Saturday after the "
            "deadline. Gloves, pickers and bags are provided; wear old shoes. Ask for Priya.",
            amount_kind="fixed",
            amount=0,
            target_pledgers=3,
            target_amount=None,
            allow_cash=False,
            deadline=now + timedelta(days=21),
        ),
    )
    for person in people[2:4]:
        signups.sign(
            session,
            actor_id=person,
            pledge=clean_up,
            amount=None,
            method="time",
            card_payments=False,
            now=now,
        )
