"""Which (email template, reader's state) pairs each email-claims test sends: the coverage test compares
their union with the template folder."""

from __future__ import annotations

# test_email_claims_pledges
DECLINING = "card saved, declines when held"  # saved, activates the pledge, and its hold is declined at once
GOES_AHEAD = {
    ("pledges/cash_promised", "cash promised"),
    ("pledges/cash_received", "cash received"),
    ("pledges/card_saved", DECLINING),
    ("pledges/card_saved", "card saved, pledge collecting"),
    ("pledges/card_saved", "card saved, pledge succeeded"),
    *(
        ("pledges/activated", label)
        for label in ("no card saved", DECLINING, "cash promised", "cash received")
    ),
    ("pledges/action_needed", DECLINING),
    *(
        ("pledges/update", label)
        for label in ("no card saved", "hold declined", "cash promised", "cash received")
    ),
    *(
        ("pledges/succeeded", label)
        for label in ("no card saved", "card held", "cash promised", "cash received")
    ),
    ("pledges/succeeded", "hold declined"),
    ("pledges/paid", "card held"),
    ("pledges/paid", "card saved, pledge succeeded"),
    ("pledges/cash_promised", "cash promised, pledge succeeded"),
    ("pledges/cash_received", "cash received, pledge succeeded"),
}
STATES = ("no card saved", "card saved", "cash promised", "cash received")
CLOSES = {(template, label) for template in ("pledges/withdrawn", "pledges/cancelled") for label in STATES}
FAILS = {
    *(("pledges/failed", label) for label in STATES),
    ("pledges/cash_promised", "cash promised"),
    ("pledges/cash_received", "cash received"),
    ("pledges/card_saved", "card saved, pledge open"),
}
LAPSES = {
    ("pledges/card_saved", "card saved, pledge collecting"),
    ("pledges/action_needed", "card needing the bank's check"),
    ("pledges/lapsed", "hold released at Stripe"),
}
PLEDGE_COVERS = GOES_AHEAD | CLOSES | FAILS | LAPSES


# test_email_claims_levies
LEVY_COVERS = {
    ("levies/joined", "no card"),
    ("levies/joined", "card for another levy"),
    ("levies/started", "no card"),
    ("levies/started", "card on file"),
    ("levies/paid", "card on file"),
    ("levies/paid", "paid in cash"),
    ("levies/due", "no card"),
    ("levies/declined", "card declining"),
    ("levies/authenticate", "card needing the bank's check"),
    ("levies/arrears", "no card"),
    ("levies/arrears", "card declining"),
    ("levies/arrears", "card needing the bank's check"),
    ("levies/hardship_decided", "hardship approved in part"),
    ("levies/hardship_decided", "hardship refused"),
    ("levies/left", "card on file"),
}


# test_email_claims_grants_accounts
GRANTS = {
    ("grants/submitted", "applied"),
    *(("grants/decision", outcome) for outcome in ("award", "part_award", "reduce", "defer", "reject")),
    *(("grants/paid", f"paid {method}") for method in ("bank_transfer", "cheque", "cash")),
}
ACCOUNTS = {
    ("accounts/verify", "registering"),
    ("accounts/already_registered", "registered"),
    ("accounts/reset", "registered"),
    ("accounts/password_changed", "registered"),
}
GRANT_ACCOUNT_COVERS = GRANTS | ACCOUNTS

# test_email_claims_time_pledges
TIME_PLEDGE_COVERS = {
    ("pledges/time_signed", "signed up to a pledge of time"),
    ("pledges/time_succeeded", "signed up to a pledge of time"),
}

# test_email_claims_social
SOCIAL_COVERS = {
    ("alerts/confirm", "asking"),
    ("alerts/new_pledge", "subscribed"),
    ("alerts/digest", "subscribed"),
    ("pledges/comment", "creator"),
    ("pledges/comment_hidden", "author"),
}

# test_email_claims_examiners
EXAMINER_COVERS = {
    ("examiners/invited", "invited, no account"),
    ("examiners/invited", "invited, with an account"),
}

# test_email_claims_dividends
DIVIDEND_COVERS = {
    ("dividends/invitation", "signatory"),
    ("dividends/invitation", "verifier"),
    ("dividends/invitation", "signs and verifies"),
}
