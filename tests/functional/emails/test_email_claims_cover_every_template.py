"""The email-claims tests cover every email template there is: a new template fails this until a test sends
it to each kind of recipient it can reach and its claims are checked (see tests/helpers/email_claims.py);
and the checker itself refuses each kind of wrong claim."""

from __future__ import annotations

import pytest

from pledgebank.outbox import Email
from tests.helpers.email_claims import BANK, Sent, State, check, every_template
from tests.helpers.email_covers import (
    DIVIDEND_COVERS,
    EXAMINER_COVERS,
    GRANT_ACCOUNT_COVERS,
    LEVY_COVERS,
    PLEDGE_COVERS,
    SOCIAL_COVERS,
    TIME_PLEDGE_COVERS,
)

EVERY_COVER = (
    PLEDGE_COVERS,
    LEVY_COVERS,
    GRANT_ACCOUNT_COVERS,
    TIME_PLEDGE_COVERS,
    SOCIAL_COVERS,
    EXAMINER_COVERS,
    DIVIDEND_COVERS,
)


def test_every_email_template_is_sent_in_a_claims_test():
    covered = {template for covers in EVERY_COVER for template, _state in covers}
    assert covered == every_template(), (
        f"templates no claims test sends: {sorted(every_template() - covered)}; "
        f"covered but gone: {sorted(covered - every_template())}"
    )


WRONG = [
    ("We are now reserving £10.00 on your card ending 4242.", {"card": None}, "none saved"),
    ("Each charge is taken from your household's card ending 4242.", {"card": "0341"}, "theirs is 0341"),
    ("Save a card on the levy's page.", {"card": "4242"}, "saved already"),
    ("Pay the treasurer in cash or by bank transfer.", {"bank": BANK}, "without the bank details"),
    ("Pay the treasurer by bank transfer to the details below.", {}, "promises bank details"),
    ("The treasurer has your £10.00.", {"cash": "promised"}, "not received"),
    ("Please pay it on this page:\n\nIf paying is hard, ask.", {}, "not followed by its link"),
]


@pytest.mark.parametrize(("text", "state", "complaint"), WRONG, ids=[w[2] for w in WRONG])
def test_the_checker_refuses_an_email_that_claims_what_is_not_so(app, text, state, complaint):
    footer = "Elm Park: http://localhost/n/elm-park\nQuestions? Ask the treasurer, Tom.\n\nPledgeBank"
    body = f"Hello Ann,\n\n{text}\n\n{footer}"
    sent = Sent(
        Email("ann@example.org", "Hi", "pledges/update"), body, State("made up", slug="elm-park", **state)
    )
    with pytest.raises(AssertionError, match=complaint):
        check(app, sent)
    right = body.replace(text, "Posts ordered.")
    check(app, Sent(sent.email, right, sent.state))  # and the same email without the claim passes
