"""One function per kind of money movement, each returning a validated JournalEntry.

Every leg is attributable to a fund: money sits in the fund's sub-accounts of bank, cash, Stripe clearing,
receivables and the liabilities (`assets:bank:<fund>`), so each entry's legs for one fund sum to zero. Callers
name the place (BANK, CASH, STRIPE_CLEARING); the rule picks the fund's sub-account of it.

The book uses cash-basis fund accounting: income is recognised when money is received. Memos
are built only from kinds, fund slugs, income sources, account codes and reason codes, never
from personal data, because they are sealed into the immutable hash chain.
"""

from __future__ import annotations

import datetime
import re

from pledgebank.ledger import treasurer
from pledgebank.ledger.chart import (
    BANK,
    CASH,
    DEFERRED_INCOME,
    GRANTS_PAYABLE,
    RECEIVABLES,
    STRIPE_CLEARING,
    fees_expense,
    grants_expense,
    held_in,
    income_account,
)
from pledgebank.ledger.closing import year_close_key as year_close_key
from pledgebank.ledger.closing import year_closed as year_closed
from pledgebank.ledger.entries import JournalEntry
from pledgebank.ledger.errors import InvalidEntry
from pledgebank.ledger.gift_aid import gift_aid_claimed as gift_aid_claimed
from pledgebank.ledger.gift_aid import gift_aid_on as gift_aid_on
from pledgebank.ledger.gift_aid import gift_aid_received as gift_aid_received
from pledgebank.ledger.kinds import (
    BANK_CHARGES,
    BANK_INTEREST,
    CARD_PAYMENT_RECEIVED,
    CASH_RECEIVED,
    DIVIDEND_EARNED,
    DIVIDEND_RECEIVED,
    DONATION_RECEIVED,
    GRANT_AWARDED,
    GRANT_PAID,
    GRANT_RETURNED,
    MATCH_OWED,
    MATCH_RECEIVED,
    RECEIVABLE_RAISED,
    RECEIVABLE_SETTLED,
    RECEIVABLE_WRITTEN_OFF,
    REFUND,
    REVERSAL,
)
from pledgebank.ledger.kinds import CASH_BANKED as CASH_BANKED
from pledgebank.ledger.kinds import DIVIDEND_KINDS as DIVIDEND_KINDS
from pledgebank.ledger.kinds import GIFT_AID_KINDS as GIFT_AID_KINDS
from pledgebank.ledger.kinds import KINDS as KINDS
from pledgebank.ledger.kinds import PAYOUT as PAYOUT
from pledgebank.ledger.legs import (
    SourceRefs,
    build_entry,
    fee_or_zero,
    make_memo,
    one_of,
    positive,
    settlement_legs,
)
from pledgebank.ledger.money import Money
from pledgebank.ledger.transfers import cash_banked as cash_banked
from pledgebank.ledger.transfers import payout as payout

_REASON_CODE = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")


def card_payment_received(
    *,
    gross: Money,
    fee: Money,
    fund: str,
    income_source: str,
    key: str,
    on: datetime.date,
    source: SourceRefs,
    actor_id: int | None = None,
) -> JournalEntry:
    """Record a card payment: Dr clearing (gross - fee), Dr fees (fee, omitted if zero), Cr income."""
    gross = positive(gross, "gross")
    fee = fee_or_zero(fee, gross)
    income = income_account(fund, income_source)
    legs = [(held_in(STRIPE_CLEARING, fund), gross - fee), (fees_expense(fund), fee), (income, -gross)]
    memo = make_memo(CARD_PAYMENT_RECEIVED, fund=fund, income=income_source)
    return build_entry(
        CARD_PAYMENT_RECEIVED, legs, key=key, on=on, source=source, actor_id=actor_id, memo=memo
    )


def cash_received(
    *,
    amount: Money,
    fund: str,
    income_source: str,
    key: str,
    on: datetime.date,
    source: SourceRefs,
    actor_id: int | None = None,
    into: str = CASH,
) -> JournalEntry:
    """Record cash, or a bank transfer with `into=BANK`: Dr into, Cr income."""
    amount = positive(amount)
    into = one_of(into, (CASH, BANK), "into")
    legs = [(held_in(into, fund), amount), (income_account(fund, income_source), -amount)]
    memo = make_memo(CASH_RECEIVED, fund=fund, income=income_source, into=into)
    return build_entry(CASH_RECEIVED, legs, key=key, on=on, source=source, actor_id=actor_id, memo=memo)


def refund(
    *,
    amount: Money,
    fund: str,
    income_source: str,
    key: str,
    on: datetime.date,
    source: SourceRefs,
    actor_id: int | None = None,
    from_account: str = STRIPE_CLEARING,
) -> JournalEntry:
    """Record a refund: Dr income, Cr from_account (a card processor keeps its fee, so no fee leg)."""
    amount = positive(amount)
    from_account = one_of(from_account, (STRIPE_CLEARING, BANK, CASH), "from_account")
    legs = [(income_account(fund, income_source), amount), (held_in(from_account, fund), -amount)]
    memo = make_memo(REFUND, fund=fund, income=income_source, source_account=from_account)
    return build_entry(REFUND, legs, key=key, on=on, source=source, actor_id=actor_id, memo=memo)


def receivable_raised(
    *,
    amount: Money,
    fund: str,
    key: str,
    on: datetime.date,
    source: SourceRefs,
    actor_id: int | None = None,
) -> JournalEntry:
    """Record money owed to a fund but not yet received: Dr receivables, Cr deferred income."""
    amount = positive(amount)
    legs = [(held_in(RECEIVABLES, fund), amount), (held_in(DEFERRED_INCOME, fund), -amount)]
    return build_entry(
        RECEIVABLE_RAISED, legs, key=key, on=on, source=source, actor_id=actor_id, memo=RECEIVABLE_RAISED
    )


def receivable_settled(
    *,
    amount: Money,
    fund: str,
    income_source: str,
    into: str,
    key: str,
    on: datetime.date,
    source: SourceRefs,
    actor_id: int | None = None,
    fee: Money | None = None,
) -> JournalEntry:
    """Record a receivable being paid: Dr into, Cr receivables, Dr deferred income, Cr income.

    With a card fee (only when `into` is Stripe clearing), into receives amount - fee and the fee
    is debited to the fund's fees expense. Raises InvalidEntry for any other `into`.
    """
    amount = positive(amount)
    into = one_of(into, (STRIPE_CLEARING, CASH, BANK), "into")
    legs = settlement_legs(amount, fee, fund, income_source, into)
    memo = make_memo(RECEIVABLE_SETTLED, fund=fund, income=income_source, into=into)
    return build_entry(RECEIVABLE_SETTLED, legs, key=key, on=on, source=source, actor_id=actor_id, memo=memo)


def receivable_written_off(
    *,
    amount: Money,
    fund: str,
    key: str,
    on: datetime.date,
    source: SourceRefs,
    actor_id: int | None = None,
) -> JournalEntry:
    """Cancel a fund's receivable that will not be paid: Dr deferred income, Cr receivables."""
    amount = positive(amount)
    legs = [(held_in(DEFERRED_INCOME, fund), amount), (held_in(RECEIVABLES, fund), -amount)]
    memo = RECEIVABLE_WRITTEN_OFF
    return build_entry(
        RECEIVABLE_WRITTEN_OFF, legs, key=key, on=on, source=source, actor_id=actor_id, memo=memo
    )


def grant_awarded(
    *,
    amount: Money,
    fund: str,
    key: str,
    on: datetime.date,
    source: SourceRefs,
    actor_id: int | None = None,
) -> JournalEntry:
    """Record a grant decision: Dr the fund's grants expense, Cr grants payable."""
    amount = positive(amount)
    legs = [(grants_expense(fund), amount), (held_in(GRANTS_PAYABLE, fund), -amount)]
    memo = make_memo(GRANT_AWARDED, fund=fund)
    return build_entry(GRANT_AWARDED, legs, key=key, on=on, source=source, actor_id=actor_id, memo=memo)


def grant_paid(
    *,
    amount: Money,
    fund: str,
    key: str,
    on: datetime.date,
    source: SourceRefs,
    actor_id: int | None = None,
    from_account: str = BANK,
) -> JournalEntry:
    """Record paying out a fund's awarded grant: Dr grants payable, Cr bank (or cash)."""
    amount = positive(amount)
    from_account = one_of(from_account, (BANK, CASH), "from_account")
    legs = [(held_in(GRANTS_PAYABLE, fund), amount), (held_in(from_account, fund), -amount)]
    memo = make_memo(GRANT_PAID, source_account=from_account)
    return build_entry(GRANT_PAID, legs, key=key, on=on, source=source, actor_id=actor_id, memo=memo)


def grant_returned(
    *,
    amount: Money,
    fund: str,
    key: str,
    on: datetime.date,
    source: SourceRefs,
    actor_id: int | None = None,
    into: str = BANK,
) -> JournalEntry:
    """Record unspent grant money coming back: Dr bank (or cash), Cr the fund's grants expense."""
    amount = positive(amount)
    into = one_of(into, (BANK, CASH), "into")
    legs = [(held_in(into, fund), amount), (grants_expense(fund), -amount)]
    memo = make_memo(GRANT_RETURNED, fund=fund, into=into)
    return build_entry(GRANT_RETURNED, legs, key=key, on=on, source=source, actor_id=actor_id, memo=memo)


def match_owed(
    *,
    amount: Money,
    fund: str,
    key: str,
    on: datetime.date,
    source: SourceRefs,
    actor_id: int | None = None,
) -> JournalEntry:
    """Record match funding promised to a fund by a sponsor: Dr receivables, Cr deferred income."""
    amount = positive(amount)
    legs = [(held_in(RECEIVABLES, fund), amount), (held_in(DEFERRED_INCOME, fund), -amount)]
    return build_entry(MATCH_OWED, legs, key=key, on=on, source=source, actor_id=actor_id, memo=MATCH_OWED)


def match_received(
    *,
    amount: Money,
    fund: str,
    key: str,
    on: datetime.date,
    source: SourceRefs,
    actor_id: int | None = None,
    into: str = BANK,
    fee: Money | None = None,
) -> JournalEntry:
    """Record promised match funding arriving; the same legs as a settlement into sponsorship income."""
    amount = positive(amount)
    into = one_of(into, (STRIPE_CLEARING, CASH, BANK), "into")
    legs = settlement_legs(amount, fee, fund, "sponsorship", into)
    memo = make_memo(MATCH_RECEIVED, fund=fund, into=into)
    return build_entry(MATCH_RECEIVED, legs, key=key, on=on, source=source, actor_id=actor_id, memo=memo)


def dividend_earned(
    *,
    amount: Money,
    fund: str,
    key: str,
    on: datetime.date,
    source: SourceRefs,
    actor_id: int | None = None,
) -> JournalEntry:
    """Record a community dividend a body owes a fund once the outcome is verified: Dr receivables, Cr
    deferred income (income is recognised when the money arrives)."""
    amount = positive(amount)
    legs = [(held_in(RECEIVABLES, fund), amount), (held_in(DEFERRED_INCOME, fund), -amount)]
    memo = make_memo(DIVIDEND_EARNED, fund=fund)
    return build_entry(DIVIDEND_EARNED, legs, key=key, on=on, source=source, actor_id=actor_id, memo=memo)


def dividend_received(
    *,
    amount: Money,
    fund: str,
    key: str,
    on: datetime.date,
    source: SourceRefs,
    actor_id: int | None = None,
) -> JournalEntry:
    """Record the body's bank transfer of an earned dividend: the receivable settled into the fund's bank
    share, and the deferred income recognised as sponsorship income."""
    amount = positive(amount)
    legs = settlement_legs(amount, None, fund, "sponsorship", BANK)
    memo = make_memo(DIVIDEND_RECEIVED, fund=fund, into=BANK)
    return build_entry(DIVIDEND_RECEIVED, legs, key=key, on=on, source=source, actor_id=actor_id, memo=memo)


def reversal(
    original: JournalEntry,
    *,
    key: str,
    on: datetime.date,
    reason_code: str,
    actor_id: int | None = None,
    source: SourceRefs | None = None,
) -> JournalEntry:
    """Return an entry negating every posting of `original`, in the same order.

    `source` defaults to the original's references. `reason_code` must be a short lowercase code
    (a-z, 0-9, "_", "-"; at most 40 characters), never free text; InvalidEntry otherwise.
    Reversing a reversal is allowed; "reversed at most once" is enforced by persistence.
    """
    if not isinstance(original, JournalEntry):
        raise InvalidEntry("only a JournalEntry can be reversed")
    if not isinstance(reason_code, str) or not _REASON_CODE.fullmatch(reason_code):
        raise InvalidEntry(f"invalid reason code: {reason_code!r}")
    legs = [(p.account, -p.amount) for p in original.postings]
    memo = make_memo(REVERSAL, of=original.kind, reason=reason_code)
    return build_entry(
        REVERSAL,
        legs,
        key=key,
        on=on,
        source=original.source_dict() if source is None else source,
        actor_id=actor_id,
        memo=memo,
        reverses_key=original.idempotency_key,
    )


# What a bank statement line the books do not hold yet may be posted as, and the rule that posts it.
BANK_LINE_KINDS: tuple[str, ...] = (BANK_CHARGES, BANK_INTEREST, DONATION_RECEIVED)


def bank_line(
    *,
    kind: str,
    amount: Money,
    fund: str,
    line_id: int,
    on: datetime.date,
    actor_id: int | None = None,
) -> JournalEntry:
    """Record a line of the bank's statement the books did not have: charges the bank took, interest it
    paid, or a donation paid straight into the bank, each in one fund's share of the bank.

    `amount` is the line's size (positive). The key names the statement line, so posting it again finds
    the transaction already made. Raises InvalidEntry for a kind not in BANK_LINE_KINDS.
    """
    kind = one_of(kind, BANK_LINE_KINDS, "kind")
    key, source = f"statement-line:{line_id}", {"statement_line": line_id}
    if kind == BANK_CHARGES:
        return treasurer.bank_charges(
            amount=amount, fund=fund, key=key, on=on, source=source, actor_id=actor_id
        )
    if kind == BANK_INTEREST:
        return treasurer.bank_interest(
            amount=amount, fund=fund, key=key, on=on, source=source, actor_id=actor_id
        )
    return treasurer.donation_received(
        amount=amount, fund=fund, into=BANK, key=key, on=on, source=source, actor_id=actor_id
    )
