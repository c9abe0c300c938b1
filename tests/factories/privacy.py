"""A person who has done everything the service offers, for the right of access and erasure tests: pledged
cash to a pledge that succeeded, started a pledge and posted an update on it, joined a levy and paid a charge,
applied for a grant that was awarded, paid and reported on, made API tokens and signed out once."""

from __future__ import annotations

from dataclasses import dataclass

from pledgebank.accounts.api_tokens import create_api_token
from pledgebank.accounts.models import User
from pledgebank.accounts.sessions import new_session_id, sign_out
from pledgebank.db import unit_of_work
from pledgebank.pledges.extras import post_update
from pledgebank.pledges.services import get_pledge
from tests.factories.grants import (
    World,
    apply,
    decide,
    declare,
    give_fund,
    make_round,
    pay,
    report,
    reviewed,
    world,
)
from tests.factories.levies import active_levy, charge_of, join
from tests.factories.levies import record_cash as record_levy_cash
from tests.factories.pledges import due, make_pledge, pledge_state, quick_user, record_cash, sign
from tests.helpers.app import add_member

EMAIL = "rosa.marsh@example.org"
NAME = "Rosa Marsh"
ADDRESS = "7 Willow Lane"
TOKEN_NAME = "Rosa's spreadsheet sync"
UPDATE = "The timber for the bench arrives on Saturday."


@dataclass(frozen=True, slots=True)
class Everything:
    """The neighbourhood, the person's id and the rows they made."""

    w: World
    person: int
    pledge_id: int
    own_pledge_id: int
    signup_id: int
    levy_id: int
    household_id: int
    application_id: int
    token_secret: str


def everything(app, sessions) -> Everything:
    """Build the neighbourhood and have the person do everything."""
    w = world(sessions)
    person = quick_user(sessions, EMAIL, NAME)
    add_member(sessions, w.slug, person)
    give_fund(app, w.slug, 100_000)
    application_id = apply(app, make_round(app, w), person, 20_000)
    reviewed(app, application_id, w.members)
    declare(app, application_id, w.chair)
    decide(app, application_id, w.chair, "award")
    assert pay(app, application_id, w.treasurer) == "paid"
    report(app, application_id, person, 20_000)

    pledge_id = make_pledge(app, w.slug, w.chair, target_pledgers=1)
    signup_id = sign(app, pledge_id, person, method="cash")
    record_cash(app, signup_id, w.treasurer)
    due(app, hours=73)
    assert pledge_state(app, pledge_id) == "succeeded"
    own_pledge_id = make_pledge(app, w.slug, person, title="A bench by the pond")
    now = app.extensions["pledgebank.clock"].now()
    with unit_of_work(sessions) as session:
        post_update(session, actor_id=person, pledge=get_pledge(session, own_pledge_id), body=UPDATE, now=now)

    levy_id = active_levy(app, w.slug, w.chair, w.members[0])
    household_id = join(app, levy_id, person, ADDRESS, band="C")
    due(app)
    record_levy_cash(app, charge_of(app, household_id).id, w.treasurer)

    with unit_of_work(sessions) as session:
        _token, secret = create_api_token(
            session, user_id=person, name=TOKEN_NAME, scope="read-write", now=now
        )
        create_api_token(session, user_id=person, name="Old laptop", scope="read", now=now)
        sign_out(session, new_session_id(session.get(User, person)), now=now)
    return Everything(
        w, person, pledge_id, own_pledge_id, signup_id, levy_id, household_id, application_id, secret
    )
