"""Every text the service sends, as whole sentences with named placeholders for translators.

Services name a text and its values (plain strings and numbers, kept in the queued job); the sending job
renders it in the person's language, so nothing here needs Flask. `N_` only marks a message for extraction.
"""

from __future__ import annotations

from dataclasses import dataclass, field


def N_(message: str) -> str:
    """Mark a message for the catalogue; translated when the text is sent."""
    return message


CONFIRM_CODE = N_(
    "PledgeBank: Reply with the code %(code)s to confirm your number and your pledge to %(title)s. "
    "The code works for 30 minutes."
)
WEB_CODE = N_(
    "PledgeBank: your code to add this number to your account is %(code)s. It works for 30 minutes."
)
SIGNED_UP_CASH = N_(
    "You have pledged %(amount)s to %(title)s: %(count)s so far. Nobody pays unless the target is met. "
    "Pay cash to the treasurer, or save a card at %(link)s"
)
SIGNED_UP_CARD = N_(
    "You have pledged %(amount)s to %(title)s: %(count)s so far. Nobody pays unless the target is met. "
    "Save a card to pay at %(link)s"
)
SIGNED_UP_TIME = N_("You have signed up to %(title)s: %(count)s so far. We will text you when it is on.")
ALREADY_SIGNED = N_("You have already pledged to %(title)s. See it at %(link)s")
THRESHOLD_REACHED = N_("%(title)s has reached its target: it's on! Details at %(link)s")
NOT_OPEN = N_("%(title)s is not taking pledges any more. See it at %(link)s")
UNKNOWN_CODE = N_(
    "We do not know the code %(keyword)s. Each pledge's code is on its page at %(link)s. "
    "Text PLEDGE and the code, for example PLEDGE FENCE."
)
NOT_UNDERSTOOD = N_(
    "PledgeBank: to pledge, text PLEDGE and the pledge's code, for example PLEDGE FENCE. "
    "Text HELP for help or STOP to stop texts."
)
WRONG_CODE = N_(
    "That code is not right, or it has run out. Text PLEDGE and the pledge's code to get a new one."
)
HELP = N_(
    "PledgeBank %(neighbourhood)s: text PLEDGE and a pledge's code to pledge, for example PLEDGE FENCE. "
    "Codes are at %(link)s. Text STOP to stop all texts, START to have them again."
)
STOPPED = N_("You will get no more texts from PledgeBank. Text START to have them again.")
STARTED = N_("You will get texts from PledgeBank again. Text STOP to stop them.")
TOO_MANY = N_("You have sent us a lot of texts. We will not answer any more for an hour.")
ERROR = N_("Sorry, we could not do that: %(reason)s")

ALL = (
    CONFIRM_CODE,
    WEB_CODE,
    SIGNED_UP_CASH,
    SIGNED_UP_CARD,
    SIGNED_UP_TIME,
    ALREADY_SIGNED,
    THRESHOLD_REACHED,
    NOT_OPEN,
    UNKNOWN_CODE,
    NOT_UNDERSTOOD,
    WRONG_CODE,
    HELP,
    STOPPED,
    STARTED,
    TOO_MANY,
    ERROR,
)


@dataclass(frozen=True, slots=True)
class Text:
    """A text to send: its message, and the values of its placeholders."""

    message: str
    values: dict[str, str | int] = field(default_factory=dict)

    def render(self, gettext: object = None) -> str:
        """The text in English, or through `gettext` (a translation function) when given."""
        translated = gettext(self.message) if callable(gettext) else self.message
        return translated % self.values if self.values else translated
