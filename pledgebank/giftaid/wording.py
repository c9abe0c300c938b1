"""HMRC's model Gift Aid declarations, in the words a donor reads, and the fingerprint of what they read.

The sentences follow HMRC's model declarations ("Gift Aid declarations: model declarations", chapter 3 of its
guidance for charities). The web layer passes its translator (Flask-Babel's `gettext`), so a donor reading
Welsh declares in Welsh, and the words stored are exactly the words shown.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from pledgebank import money_words
from pledgebank.giftaid.eligibility import Scope

Translate = Callable[..., str]
# Gift Aid is a UK tax relief, reclaimed in sterling whatever else the service is set up for.
GIFT_AID_CURRENCY = "GBP"


def _plain(text: str, **values: str) -> str:
    return text % values if values else text


def declaration_words(
    scope: Scope,
    *,
    charity: str,
    amount: str = "",
    locale: str = money_words.DEFAULT_LOCALE,
    _: Translate = _plain,
) -> list[str]:
    """The paragraphs of the declaration a donor makes for `scope` to `charity` (amount: this gift's)."""
    if scope == Scope.THIS_GIFT:
        wish = _(
            "I want to Gift Aid my donation of %(amount)s to %(charity)s.", amount=amount, charity=charity
        )
    elif scope == Scope.FROM_TODAY:
        wish = _(
            "I want to Gift Aid any donations I make from today and in the future to %(charity)s.",
            charity=charity,
        )
    else:
        wish = _(
            "I want to Gift Aid any donations I make in the future or have made in the past 4 years "
            "to %(charity)s.",
            charity=charity,
        )
    return [
        _(
            "Boost your donation by %(quarter)s of Gift Aid for every %(one)s you donate.",
            quarter=money_words.short(25, GIFT_AID_CURRENCY, locale),
            one=money_words.whole(1, GIFT_AID_CURRENCY, locale),
        ),
        _(
            "Gift Aid is reclaimed by the charity from the tax you pay for the current tax year. "
            "Your address is needed to identify you as a current UK taxpayer."
        ),
        wish,
        _(
            "I am a UK taxpayer and understand that if I pay less Income Tax and/or Capital Gains Tax "
            "than the amount of Gift Aid claimed on all my donations in that tax year it is my "
            "responsibility to pay any difference."
        ),
        _(
            "Please tell %(charity)s if you want to cancel this declaration, change your name or home "
            "address, or no longer pay sufficient tax on your income and/or capital gains.",
            charity=charity,
        ),
        _(
            "If you pay Income Tax at the higher or additional rate and want to receive the additional tax "
            "relief due to you, you must include all your Gift Aid donations on your Self-Assessment tax "
            "return or ask HM Revenue and Customs to adjust your tax code."
        ),
    ]


def as_text(paragraphs: list[str]) -> str:
    """The paragraphs as the one text stored with the declaration."""
    return "\n\n".join(paragraphs)


def fingerprint(text: str) -> str:
    """The SHA-256 of the words, in hex: shows later that the stored words are the words declared."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
