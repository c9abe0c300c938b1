"""The email-claims tests cover every email template there is: a new template fails this until a test sends
it to each kind of recipient it can reach and its claims are checked (see claims.py)."""

from __future__ import annotations

from tests.functional.emails import (
    test_email_claims_grants_accounts,
    test_email_claims_levies,
    test_email_claims_pledges,
)
from tests.functional.emails.claims import every_template

MODULES = (test_email_claims_pledges, test_email_claims_levies, test_email_claims_grants_accounts)


def test_every_email_template_is_sent_in_a_claims_test():
    covered = {template for module in MODULES for template, _state in module.COVERS}
    assert covered == every_template(), (
        f"templates no claims test sends: {sorted(every_template() - covered)}; "
        f"covered but gone: {sorted(covered - every_template())}"
    )
