"""The kind strings that label journal entries, one per kind of money movement."""

CARD_PAYMENT_RECEIVED = "card_payment_received"
CASH_RECEIVED = "cash_received"
REFUND = "refund"
PAYOUT = "payout"
CASH_BANKED = "cash_banked"
RECEIVABLE_RAISED = "receivable_raised"
RECEIVABLE_SETTLED = "receivable_settled"
RECEIVABLE_WRITTEN_OFF = "receivable_written_off"
GRANT_AWARDED = "grant_awarded"
GRANT_PAID = "grant_paid"
GRANT_RETURNED = "grant_returned"
MATCH_OWED = "match_owed"
MATCH_RECEIVED = "match_received"
REVERSAL = "reversal"
PLEDGE_CASH_HELD = "pledge_cash_held"
PLEDGE_CASH_RECOGNISED = "pledge_cash_recognised"
PLEDGE_CASH_RETURNED = "pledge_cash_returned"
YEAR_CLOSED = "year_closed"
DISPUTE_FUNDS_WITHDRAWN = "dispute_funds_withdrawn"
DISPUTE_FUNDS_REINSTATED = "dispute_funds_reinstated"
REFUND_FAILED = "refund_failed"
DONATION_RECEIVED = "donation_received"
SUPPLIER_PAID = "supplier_paid"
BANK_CHARGES = "bank_charges"
BANK_INTEREST = "bank_interest"
OPENING_BALANCE = "opening_balance"
# The one-off move of book-level balances, posted before money was attributed to funds, into the funds'
# shares (an upgrade step, not an everyday movement, so not in KINDS).
LEGACY_ATTRIBUTED = "legacy_attributed"
FUND_TRANSFER = "fund_transfer"
# A community dividend: money a body owes a fund for an outcome it agreed to pay for, and its arrival.
DIVIDEND_EARNED = "dividend_earned"
DIVIDEND_RECEIVED = "dividend_received"
# Gift Aid: a claim made to HMRC (a receivable), and HMRC's payment of it.
GIFT_AID_CLAIMED = "gift_aid_claimed"
GIFT_AID_RECEIVED = "gift_aid_received"

KINDS: tuple[str, ...] = (
    CARD_PAYMENT_RECEIVED,
    CASH_RECEIVED,
    REFUND,
    PAYOUT,
    CASH_BANKED,
    RECEIVABLE_RAISED,
    RECEIVABLE_SETTLED,
    RECEIVABLE_WRITTEN_OFF,
    GRANT_AWARDED,
    GRANT_PAID,
    GRANT_RETURNED,
    MATCH_OWED,
    MATCH_RECEIVED,
    REVERSAL,
    PLEDGE_CASH_HELD,
    PLEDGE_CASH_RECOGNISED,
    PLEDGE_CASH_RETURNED,
    YEAR_CLOSED,
    DISPUTE_FUNDS_WITHDRAWN,
    DISPUTE_FUNDS_REINSTATED,
    REFUND_FAILED,
    FUND_TRANSFER,
)
# The treasurer's everyday entries (cash banked and corrections use CASH_BANKED and REVERSAL above).
TREASURER_KINDS: tuple[str, ...] = (
    DONATION_RECEIVED,
    SUPPLIER_PAID,
    BANK_CHARGES,
    BANK_INTEREST,
    OPENING_BALANCE,
)
# The community dividends' entries, apart like the treasurer's: a receivable raised, then settled.
DIVIDEND_KINDS: tuple[str, ...] = (DIVIDEND_EARNED, DIVIDEND_RECEIVED)
# Gift Aid's entries, apart like the dividends': a claim raised on HMRC, then settled.
GIFT_AID_KINDS: tuple[str, ...] = (GIFT_AID_CLAIMED, GIFT_AID_RECEIVED)
