"""The authorisation policy, action by role, in a person's own neighbourhood and in another one.

The expected tables are written out by hand (not derived from policy.RULES): changing who may do what must
change this file too, and an officer of one neighbourhood is shown to have no power over another.
"""

from __future__ import annotations

import pytest
from sqlalchemy import update

from pledgebank.accounts.models import User
from pledgebank.db import unit_of_work
from pledgebank.errors import EmailNotVerified, Forbidden, NotAuthenticated
from pledgebank.neighbourhoods import services
from pledgebank.neighbourhoods.models import Role
from pledgebank.policy import Action, allows, can, require
from tests.factories.examiners import appoint
from tests.helpers.app import add_member, make_neighbourhood, make_user

COLUMNS = (
    "resident",
    "committee",
    "treasurer",
    "chair",
    "non_member",
    "unverified",
    "signed_out",
    "closed",
    "examiner",
)

# Y = allowed. "closed" is a chair whose account has been deactivated: they count as signed out.
OWN = """
                     resident committee treasurer chair non_member unverified signed_out closed examiner
view_neighbourhood   Y        Y         Y         Y     Y          Y          Y          Y      Y
join                 .        .         .         .     Y          .          .          .      .
view_members         Y        Y         Y         Y     .          .          .          .      .
leave                Y        Y         Y         Y     .          .          .          .      .
edit_neighbourhood   .        .         .         Y     .          .          .          .      .
manage_roles         .        .         .         Y     .          .          .          .      .
view_audit_log       .        Y         Y         Y     .          .          .          .      Y
manage_funds         .        Y         .         Y     .          .          .          .      .
view_ledger          .        Y         Y         Y     .          .          .          .      Y
export_ledger        .        .         Y         Y     .          .          .          .      .
record_payment       .        .         Y         .     .          .          .          .      .
create_pledge        Y        Y         Y         Y     .          .          .          .      .
pledge               Y        Y         Y         Y     .          .          .          .      .
comment              Y        Y         Y         Y     .          .          .          .      .
manage_pledges       .        Y         .         Y     .          .          .          .      .
join_levy            Y        Y         Y         Y     .          .          .          .      .
manage_levies        .        Y         .         Y     .          .          .          .      .
apply_for_grant      Y        Y         Y         Y     .          .          .          .      .
manage_grant_rounds  .        Y         .         Y     .          .          .          .      .
view_grant_applications .     Y         Y         Y     .          .          .          .      .
review_grants        .        Y         .         Y     .          .          .          .      .
decide_grants        .        .         .         Y     .          .          .          .      .
approve_grant_payment .       Y         .         Y     .          .          .          .      .
create_endowment_fund .       .         .         Y     .          .          .          .      .
close_year           .        .         Y         Y     .          .          .          .      .
record_money         .        .         Y         Y     .          .          .          .      .
approve_payment      .        Y         .         Y     .          .          .          .      .
manage_expense_categories . .       Y         Y     .          .          .          .      .
transfer_funds       .        Y         .         Y     .          .          .          .      .
appoint_examiner  . . . Y . . . . .
examine_books  . Y Y Y . . . . Y
manage_dividends     .        Y         .         Y     .          .          .          .      .
sign_dividend        .        .         .         Y     .          .          .          .      .
reconcile_bank       .        .         Y         Y     .          .          .          .      .
view_bank            .        Y         Y         Y     .          .          .          .      Y
manage_pulse         .        Y         .         Y     .          .          .          .      .
answer_pulse         Y        Y         Y         Y     .          .          .          .      .
"""

# The same people in a neighbourhood where none of them is a member: they may look, and join if verified.
OTHER = """
                     resident committee treasurer chair non_member unverified signed_out closed examiner
view_neighbourhood   Y        Y         Y         Y     Y          Y          Y          Y      Y
join                 Y        Y         Y         Y     Y          .          .          .      Y
view_members         .        .         .         .     .          .          .          .      .
leave                .        .         .         .     .          .          .          .      .
edit_neighbourhood   .        .         .         .     .          .          .          .      .
manage_roles         .        .         .         .     .          .          .          .      .
view_audit_log       .        .         .         .     .          .          .          .      .
manage_funds         .        .         .         .     .          .          .          .      .
view_ledger          .        .         .         .     .          .          .          .      .
export_ledger        .        .         .         .     .          .          .          .      .
record_payment       .        .         .         .     .          .          .          .      .
create_pledge        .        .         .         .     .          .          .          .      .
pledge               .        .         .         .     .          .          .          .      .
comment              .        .         .         .     .          .          .          .      .
manage_pledges       .        .         .         .     .          .          .          .      .
join_levy            .        .         .         .     .          .          .          .      .
manage_levies        .        .         .         .     .          .          .          .      .
apply_for_grant      .        .         .         .     .          .          .          .      .
manage_grant_rounds  .        .         .         .     .          .          .          .      .
view_grant_applications .     .         .         .     .          .          .          .      .
review_grants        .        .         .         .     .          .          .          .      .
decide_grants        .        .         .         .     .          .          .          .      .
approve_grant_payment .       .         .         .     .          .          .          .      .
create_endowment_fund .       .         .         .     .          .          .          .      .
close_year           .        .         .         .     .          .          .          .      .
record_money         .        .         .         .     .          .          .          .      .
approve_payment      .        .         .         .     .          .          .          .      .
manage_expense_categories . .       .         .     .          .          .          .      .
transfer_funds       .        .         .         .     .          .          .          .      .
appoint_examiner  . . . . . . . . .
examine_books  . . . . . . . . .
manage_dividends     .        .         .         .     .          .          .          .      .
sign_dividend        .        .         .         .     .          .          .          .      .
reconcile_bank       .        .         .         .     .          .          .          .      .
view_bank            .        .         .         .     .          .          .          .      .
manage_pulse         .        .         .         .     .          .          .          .      .
answer_pulse         .        .         .         .     .          .          .          .      .
"""


def _parse(table: str) -> dict[tuple[str, str], bool]:
    header, *rows = [line.split() for line in table.strip().splitlines()]
    assert tuple(header) == COLUMNS
    return {
        (row[0], column): mark == "Y" for row in rows for column, mark in zip(COLUMNS, row[1:], strict=True)
    }


EXPECTED = {"own": _parse(OWN), "other": _parse(OTHER)}


def test_the_tables_cover_every_action():
    for place, table in EXPECTED.items():
        assert {action for action, _ in table} == {action.value for action in Action}, place


# The pure decision, for the roles it is given (no database): one case per action.
_PURE_CALLS = {
    "resident": {"roles": frozenset({Role.RESIDENT}), "signed_in": True, "verified": True},
    "committee": {"roles": frozenset({Role.RESIDENT, Role.COMMITTEE}), "signed_in": True, "verified": True},
    "treasurer": {"roles": frozenset({Role.RESIDENT, Role.TREASURER}), "signed_in": True, "verified": True},
    "chair": {"roles": frozenset({Role.RESIDENT, Role.CHAIR}), "signed_in": True, "verified": True},
    "non_member": {"roles": None, "signed_in": True, "verified": True},
    "unverified": {"roles": None, "signed_in": True, "verified": False},
    "signed_out": {"roles": None, "signed_in": False, "verified": False},
    "examiner": {"roles": frozenset({Role.EXAMINER}), "signed_in": True, "verified": True},
}


@pytest.mark.parametrize("action", list(Action), ids=str)
def test_pure_decision_for_each_action(action):
    wrong = [
        f"{who}: expected {EXPECTED['own'][(action.value, who)]}"
        for who, call in _PURE_CALLS.items()
        if allows(action, **call) != EXPECTED["own"][(action.value, who)]
    ]
    assert not wrong, f"{action}: " + "; ".join(wrong)


def _world(app, sessions) -> tuple[dict[str, int | None], dict[str, int]]:
    """One person per column, members (where they are members) of 'own' and of nothing else; the examiner
    appointed for 'own' only, and a member of nothing."""
    chair = make_user(sessions, "chair@example.org")
    other_chair = make_user(sessions, "other-chair@example.org")
    own = make_neighbourhood(sessions, chair, "Elm Park", "SE15")
    other = make_neighbourhood(sessions, other_chair, "Oak Vale", "N4")
    people: dict[str, int | None] = {"chair": chair, "signed_out": None}
    for role in ("resident", "committee", "treasurer"):
        people[role] = make_user(sessions, f"{role}@example.org")
        add_member(sessions, own, people[role], *(() if role == "resident" else (role,)))
    people["non_member"] = make_user(sessions, "outsider@example.org")
    people["unverified"] = make_user(sessions, "unverified@example.org", verified=False)
    people["closed"] = make_user(sessions, "closed@example.org")
    add_member(sessions, own, people["closed"], "chair")
    with unit_of_work(sessions) as session:
        session.execute(update(User).where(User.id == people["closed"]).values(is_active=False))
        ids = {
            place: services.get_neighbourhood(session, slug).id
            for place, slug in (("own", own), ("other", other))
        }
    people["examiner"] = make_user(sessions, "examiner@example.org")
    appoint(app, chair, ids["own"], people["examiner"])
    return people, ids


def test_every_action_for_every_role_in_own_and_other_neighbourhood(app, sessions):
    people, neighbourhood_ids = _world(app, sessions)
    wrong = []
    with unit_of_work(sessions) as session:
        for place, neighbourhood_id in neighbourhood_ids.items():
            for action in Action:
                for who in COLUMNS:
                    expected = EXPECTED[place][(action.value, who)]
                    decided = can(session, people[who], neighbourhood_id, action)
                    if decided != expected:
                        wrong.append(
                            f"{who} {action.value} in {place}: policy says {decided}, table {expected}"
                        )
    assert not wrong, "\n".join(wrong)

    # require() refuses with the reason a page or the API shows.
    refusals = [
        (None, "own", Action.VIEW_MEMBERS, NotAuthenticated),
        (people["closed"], "own", Action.VIEW_MEMBERS, Forbidden),
        (people["unverified"], "own", Action.JOIN, EmailNotVerified),
        (people["unverified"], "own", Action.VIEW_MEMBERS, Forbidden),
        (people["committee"], "own", Action.MANAGE_ROLES, Forbidden),
        (people["chair"], "other", Action.VIEW_LEDGER, Forbidden),
        (people["treasurer"], "other", Action.RECORD_PAYMENT, Forbidden),
        (people["examiner"], "own", Action.RECORD_MONEY, Forbidden),
        (people["examiner"], "other", Action.VIEW_LEDGER, Forbidden),
    ]
    with unit_of_work(sessions) as session:
        for user_id, place, action, error in refusals:
            with pytest.raises(error) as raised:
                require(session, user_id, neighbourhood_ids[place], action)
            assert type(raised.value) is error, (user_id, place, action)
        require(session, people["treasurer"], neighbourhood_ids["own"], Action.RECORD_PAYMENT)
        require(session, people["committee"], neighbourhood_ids["other"], Action.JOIN)
