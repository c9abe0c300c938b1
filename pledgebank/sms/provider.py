"""The SMS provider interface: send a text, and read an inbound text from a provider's webhook.

An adapter checks the webhook's signature itself and raises `ForgedWebhook` when it does not hold, so
nothing of a forged request reaches the services. `FakeSms` is the local provider of development, the demo
and the tests: it writes each text it "sends" to a file, listed at /dev/outbox.
"""

from __future__ import annotations

import fcntl
import json
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

from pledgebank.clock import Clock
from pledgebank.errors import Forbidden, InvalidInput

OUTBOX_FILE = "texts.jsonl"


class ForgedWebhook(Forbidden):
    """A webhook whose signature does not hold: refused, nothing read from it."""

    code = "forged_webhook"
    default_message = "The request's signature does not match; it was not sent by the text provider."


@dataclass(frozen=True, slots=True)
class Inbound:
    """One text received: the provider's id for it, who sent it, to which of our numbers, and the words."""

    message_id: str
    sender: str
    to: str
    body: str


class SmsProvider(Protocol):
    """What sends texts and reads the provider's inbound webhooks."""

    def send(self, *, sender: str, to: str, body: str) -> str:
        """Send one text; the provider's id for it."""
        ...

    def inbound(self, *, url: str, form: Mapping[str, str], signature: str | None) -> Inbound:
        """The text a webhook request carries, once its signature is checked (ForgedWebhook if not)."""
        ...


def inbound_from_form(form: Mapping[str, str]) -> Inbound:
    """Read the fields every provider's form webhook names as Twilio does (MessageSid, From, To, Body)."""
    missing = [name for name in ("MessageSid", "From", "To") if not form.get(name)]
    if missing:
        raise InvalidInput(
            "The webhook lacks fields.", fields={name: ["This field is required."] for name in missing}
        )
    return Inbound(
        message_id=form["MessageSid"][:64],
        sender=form["From"][:32],
        to=form["To"][:32],
        body=form.get("Body", ""),
    )


@dataclass(frozen=True, slots=True)
class FakeText:
    """A text the fake provider wrote: who to, from which number, the words and when."""

    id: str
    to: str
    sender: str
    body: str
    sent_at: str


class FakeSms:
    """The local provider: texts go to a file in `folder` (one JSON object a line); inbound webhooks are
    taken as sent, with no signature (it is never used in production)."""

    def __init__(self, folder: Path, clock: Clock) -> None:
        self.folder = folder
        self.clock = clock

    def send(self, *, sender: str, to: str, body: str) -> str:
        """Write the text to the outbox file, under an exclusive lock so that texts are never interleaved."""
        self.folder.mkdir(parents=True, exist_ok=True)
        text = FakeText(
            id="SMfake" + uuid.uuid4().hex,
            to=to,
            sender=sender,
            body=body,
            sent_at=self.clock.now().isoformat(timespec="seconds"),
        )
        with (self.folder / OUTBOX_FILE).open("a", encoding="utf-8") as file:
            fcntl.flock(file, fcntl.LOCK_EX)
            file.write(json.dumps(asdict(text)) + "\n")
        return text.id

    def inbound(self, *, url: str, form: Mapping[str, str], signature: str | None) -> Inbound:
        """The text a fake webhook carries."""
        return inbound_from_form(form)

    def sent(self, limit: int = 100) -> list[FakeText]:
        """The texts written, newest first."""
        path = self.folder / OUTBOX_FILE
        if not path.is_file():
            return []
        lines = path.read_text(encoding="utf-8").splitlines()
        return [FakeText(**json.loads(line)) for line in reversed(lines[-limit:]) if line.strip()]
