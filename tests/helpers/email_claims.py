"""The email-claims checker: every email the app sends is recorded with the state its recipient was in when
it was sent (as the test arranged it, not as the email's context says), and what the email claims is checked
against that state: a card only for someone with a card saved, bank details only where given, the link an
email asks its reader to follow, how to reach the neighbourhood, and plain text a person can read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from werkzeug.exceptions import NotFound
from werkzeug.routing import RequestRedirect

from pledgebank.db import unit_of_work
from pledgebank.neighbourhoods.services import get_neighbourhood, update_settings
from pledgebank.outbox import Email
from pledgebank.web import mailer
from tests.helpers.email_welsh import check_welsh, render_welsh

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "email"
BANK = "Elm Park Residents, sort code 20-00-00, account 12345678, reference LEVY"
GROUP, CONTACT = "Elm Park Residents", "committee@elmpark.example"
# The emails that must say how much they are about.
STATES_AN_AMOUNT = {
    *(
        f"pledges/{name}"
        for name in ("activated", "card_saved", "cash_promised", "cash_received", "withdrawn")
    ),
    *(f"pledges/{name}" for name in ("succeeded", "paid", "lapsed", "action_needed")),
    *(f"levies/{name}" for name in ("due", "arrears", "declined", "authenticate", "paid")),
}
_URL = re.compile(r"https?://\S+")
_ENDING = re.compile(r"card ending (\d{4})")


def every_template() -> set[str]:
    """Every email template the app has (partials, named with a leading underscore, are not emails)."""
    return {
        str(path.relative_to(TEMPLATES).with_suffix(""))
        for path in TEMPLATES.rglob("*.txt")
        if not path.name.startswith("_")
    }


@dataclass(frozen=True, slots=True)
class State:
    """What is true of a recipient when an email is sent to them (as the test arranged it).

    `card`: the last four digits of the saved card that pays what the email is about (None: no card);
    `cash`: 'promised' or 'received' for a cash pledger; `bank`: the bank details the neighbourhood gave
    ('' when none); `slug`: the neighbourhood the email is about (None: an account email); `label`: the
    name of the state, for the coverage list; `other_card`: a card saved for another levy that has not been
    agreed to pay this one.
    """

    label: str
    slug: str | None = None
    card: str | None = None
    other_card: str | None = None
    cash: str | None = None
    bank: str = ""
    contact: bool = False
    amount: str | None = None


@dataclass(slots=True)
class Sent:
    """One email as sent: its template, address, context and rendered text, with its recipient's state."""

    email: Email
    body: str
    state: State
    subject: str = ""
    # The same email rendered in Welsh (subject, body), when the scenario runs once more in Welsh.
    welsh: tuple[str, str] | None = None

    def path(self, contains: str) -> str:
        """The path (without host) of the first link in the email containing the text."""
        return "/" + next(url for url in _URL.findall(self.body) if contains in url).split("/", 3)[3]


@dataclass(slots=True)
class Recorder:
    """Records every email the app sends, each with the state the test says its recipient is in now."""

    states: dict[str, State] = field(default_factory=dict)
    sent: list[Sent] = field(default_factory=list)
    welsh: bool = False

    def be(self, address: str, label: str, **changes) -> None:
        """From now on, the recipient at address is in this state (changes on top of the last one)."""
        before = self.states.get(address) or State(label)
        self.states[address] = replace(before, label=label, **changes)

    def of(self, template: str) -> list[Sent]:
        """The emails sent from a template."""
        return [s for s in self.sent if s.email.template == template]

    def one(self, template: str, address: str) -> Sent:
        """The one email from a template to an address."""
        found = [s for s in self.of(template) if s.email.to == address]
        assert len(found) == 1, (template, address, [s.email.template for s in self.sent])
        return found[0]

    def covered(self) -> set[tuple[str, str]]:
        """Each (template, state label) an email was sent in."""
        return {(s.email.template, s.state.label) for s in self.sent}


@pytest.fixture(params=["English", "Welsh"])
def recorder(app, monkeypatch, request) -> Recorder:
    """Record every email the app sends (still delivered to the outbox as usual); in the Welsh run each is
    rendered once more in Welsh, and checked against the English (see tests/helpers/email_welsh.py)."""
    found = Recorder(welsh=request.param == "Welsh")
    deliver = mailer.send_email

    def record(email: Email, **options) -> None:
        state = found.states.get(email.to)
        assert state is not None, f"an email to {email.to} whose state the test did not arrange"
        message = mailer.render_email(email)
        welsh = render_welsh(email) if found.welsh else None
        found.sent.append(Sent(email, message.body, state, message.subject, welsh))
        deliver(email, **options)

    monkeypatch.setattr(mailer, "send_email", record)
    return found


def give_contact(app, slug: str, chair: int, *, bank: str = BANK, contact: bool = True) -> None:
    """The chair gives the group's contact and (unless bank='') its bank details."""
    with unit_of_work(app.extensions["pledgebank.sessions"]) as session:
        place = get_neighbourhood(session, slug)
        update_settings(
            session,
            actor_id=chair,
            neighbourhood=place,
            description=place.description,
            allow_cash_pledges=place.allow_cash_pledges,
            pledges_need_approval=place.pledges_need_approval,
            collection_window_hours=place.collection_window_hours,
            controller_name=GROUP if contact else "",
            controller_contact=CONTACT if contact else "",
            bank_details=bank,
            now=app.extensions["pledgebank.clock"].now(),
        )


def check_all(app, recorder: Recorder) -> None:
    """Check every email sent so far against its recipient's state."""
    assert recorder.sent, "no email was sent"
    for sent in recorder.sent:
        try:
            check(app, sent)
            if sent.welsh is not None:
                with app.app_context():
                    check_welsh(sent.email, sent.body, sent.subject, *sent.welsh)
        except AssertionError as error:
            welsh = f"\nIn Welsh:\n{sent.welsh[1]}" if sent.welsh else ""
            about = f"{sent.email.template} to {sent.email.to} in state {sent.state}"
            raise AssertionError(f"{about}:\n{sent.body}{welsh}\n{error}") from error


def check(app, sent: Sent) -> None:
    """The claims every email must get right, whatever its template."""
    body, state, lower = sent.body, sent.state, sent.body.lower()
    _readable(body)
    _links_route(app, body)
    # A card is mentioned as the reader's only when one is saved, and then the right one.
    if "your card" in lower or "reserving" in lower:
        assert state.card, "speaks of the reader's card, but they have none saved"
    for digits in _ENDING.findall(body):
        assert digits in (state.card, state.other_card), (
            f"names the card ending {digits}; theirs is {state.card}"
        )
    if state.other_card and not state.card:
        assert "is taken from your household's card" not in lower, "says a card pays a levy it may not pay"
    if "save a card" in lower:
        assert not state.card, "asks the reader to save a card, but one is saved already"
    # Cash: received or not, as it is.
    if any(words in lower for words in ("treasurer has your", "give you back the", "you gave the treasurer")):
        assert state.cash == "received", "says the treasurer has cash they have not received"
    if "had not received your cash" in lower or "has not received your" in lower:
        assert state.cash == "promised", "says the cash has not arrived, but it has"
    # Paying the treasurer by bank transfer: the details when given, and otherwise whom to ask.
    if "bank transfer" in lower and "treasurer" in lower and sent.email.template != "grants/paid":
        if state.bank:
            assert state.bank in body, "tells the reader to pay by bank transfer without the bank details"
        else:
            assert "For bank details, ask the treasurer" in body, "promises bank details that are not given"
            assert "To pay by bank transfer:" not in body
    if state.amount is not None and sent.email.template in STATES_AN_AMOUNT:
        assert state.amount in body, f"does not say the amount, {state.amount}"
    _ends_with_reach(body, state)


def _readable(body: str) -> None:
    for bad in ("{{", "{%", "{#", "None", "&amp;", "&#", "<", "..\n"):
        assert bad not in body, f"{bad!r} in the text"
    assert "\n\n\n" not in body.strip(), "two blank lines in a row"
    for line in body.splitlines():
        assert line == line.rstrip(), f"trailing spaces: {line!r}"
        if not _URL.search(line):
            assert len(line) <= 120, f"a line too long to read in plain text: {line!r}"
        if line.endswith(":") and not line.startswith(("News about", "To pay by bank transfer")):
            following = body.split(line, 1)[1].strip().splitlines()
            assert following and _URL.match(following[0]), f"{line!r} is not followed by its link"


def _links_route(app, body: str) -> None:
    adapter = app.url_map.bind("localhost")
    for url in _URL.findall(body):
        assert url.startswith(app.config["BASE_URL"] + "/"), f"not a link to the service: {url}"
        path = url[len(app.config["BASE_URL"]) :].split("?")[0]
        try:
            adapter.match(path, method="GET")
        except RequestRedirect:
            pass
        except NotFound:
            raise AssertionError(f"a link to no page: {url}") from None


def _ends_with_reach(body: str, state: State) -> None:
    tail = body.strip().splitlines()[-4:]
    if state.slug is None:
        assert any(line.startswith("PledgeBank: http://localhost/") for line in tail), (
            "no way back to the service"
        )
        return
    assert tail[-1] == "PledgeBank", "does not end with the sign-off"
    assert any(line.endswith(f"http://localhost/n/{state.slug}") for line in tail), (
        "no link to the neighbourhood"
    )
    if state.contact:
        assert any(CONTACT in line for line in tail), "does not say how to reach the group"
    else:
        assert any(line.startswith("Questions? Ask the") for line in tail), "does not say whom to ask"
