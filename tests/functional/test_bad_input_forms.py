"""The HTML forms that take typed input, with each field in turn given a hostile value (empty, 1 MB,
negative, over-precise, another currency, digits from other scripts, NUL, a lone surrogate, impossible dates
and times): the form comes back with a 4xx and an error tied to that field, and nothing in the database
changes. Each form's valid submission succeeds, so the refusals were for the bad field. A submission that
wrongly changed the database is followed by a fresh copy of the seeded one, so one defect hides no other.

FORMS lists each form with its fields' kinds; a test reads the real page and fails when they drift apart.
Every other POST route is named in BUTTONS (no typed input: buttons, card steps, the webhook) or FORMS_TO_ADD,
so a new form cannot be missed silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest

from pledgebank import demo
from tests.bad_input import FORM_SURROGATE, FORM_VALUES, changed_tables, database_state
from tests.html_forms import forms_on
from tests.seeded import CHAIR, Seeded, SeededCopies, seeded_copies

pytestmark = pytest.mark.fuzz

HUGE = str(2**63)
# POST routes whose forms carry no typed input: buttons, the test-card and bank-check steps, and the webhook.
BUTTONS = {
    "accounts.logout",
    "accounts.resend_verification",
    "accounts.revoke_token",
    "neighbourhoods.join",
    "neighbourhoods.leave",
    "pledges.approve",
    "pledges.withdraw",
    "pledges.choose_test_card",
    "pledges.finish_card_check",
    "pledges.fix_authenticate",
    "pledges.fix_new_card",
    "pledges.demo_advance",
    "grants.submit",
    "grants.withdraw",
    "grants.approve",
    "levies.approve",
    "levies.leave",
    "levies.choose_test_card",
    "levies.card_check",
    "levies.pay_with_card",
    "levies.pay_authenticate",
    "stripe.webhook",
}
# Forms with typed input that this suite does not reach yet; each belongs in FORMS, with a valid submission.
FORMS_TO_ADD = {
    "accounts.login",
    "accounts.forgot_password",
    "accounts.reset_password",
    "accounts.change_password",
    "neighbourhoods.remove_member",
    "neighbourhoods.change_role",
    "pledges.cancel",
    "pledges.edit",
    "pledges.record_match",
    "pledges.record_cash",
    "grants.decide",
    "grants.name_decider",
    "grants.declare",
    "grants.edit_application",
    "grants.pay",
    "grants.reconsider",
    "grants.reduce",
    "grants.report",
    "grants.record_return",
    "grants.review",
    "levies.import_register",
    "levies.ask_hardship",
    "levies.record_payment",
    "levies.decide_hardship",
}
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass(frozen=True)
class Form:
    """A form: who fills it in, the page it is on, where it posts, its fields' kinds, and valid values."""

    name: str
    who: str | None
    page: str
    action: str
    kinds: dict[str, str]
    valid: dict[str, str]
    optional: frozenset[str] = field(default_factory=frozenset)
    success: tuple[int, ...] = (302,)


NUMBER_VALUES = {
    label: FORM_VALUES[label]
    for label in (
        "negative",
        "over-precise",
        "euros",
        "dollars",
        "arabic-indic digits",
        "mathematical digits",
        "superscript two",
    )
}


def _bad_values(form: Form, name: str) -> dict[str, str]:
    """Hostile values for a field, by kind; 'empty' only where the field is required."""
    kind = form.kinds[name]
    values = {"1 MB": FORM_VALUES["1 MB"], "NUL": FORM_VALUES["NUL"], "lone surrogate": FORM_SURROGATE}
    if name not in form.optional:
        values["empty"] = ""
    if kind in ("money", "count"):
        values |= NUMBER_VALUES | {"2**63": HUGE}
    elif kind == "date":
        values |= {
            "no such day": "2026-02-30",
            "year 99999": "99999-01-01",
            "arabic-indic digits": "\u0662\u0660\u0662\u0666-\u0660\u0663-\u0661\u0660",
        }
    elif kind == "time":
        values |= {"hour 25": "25:00", "arabic-indic digits": "\u0661\u0668:\u0660\u0660"}
    elif kind == "choice":
        values |= {"not a choice": "other"}
    elif kind in ("ratio", "lines"):
        # The valid value's numbers, each replaced by a bad number.
        values |= {label: re.sub(r"\d+", value, form.valid[name]) for label, value in NUMBER_VALUES.items()}
        values["2**63"] = re.sub(r"\d+", HUGE, form.valid[name])
    return values


def _forms(seeded: Seeded | None) -> list[Form]:
    """The forms, with URLs for the seeded neighbourhood (or placeholders, for naming the tests)."""
    slug = seeded.slug if seeded else "elm-park"
    fence = seeded.pledge_id if seeded else 1
    trees = seeded.minimum_pledge_id if seeded else 2
    round_id = seeded.round_id if seeded else 1
    levy = seeded.levy_id if seeded else 1
    later = "2026-03-20"
    return [
        Form(
            "register",
            None,
            "/register",
            "/register",
            {"email": "text", "display_name": "text", "password": "text", "confirm": "text"},
            {
                "email": "new.neighbour@example.org",
                "display_name": "New Neighbour",
                "password": "a long and memorable passphrase",
                "confirm": "a long and memorable passphrase",
            },
        ),
        Form(
            "API token",
            CHAIR,
            "/account",
            "/account/tokens",
            {"name": "text", "scope": "choice"},
            {"name": "Spreadsheet", "scope": "read"},
            success=(201,),
        ),
        Form(
            "new neighbourhood",
            CHAIR,
            "/neighbourhoods/new",
            "/neighbourhoods/new",
            {"name": "text", "postcode_district": "text", "description": "text"},
            {"name": "Oak Vale", "postcode_district": "SE22", "description": "The streets around Oak Vale."},
            frozenset({"description"}),
        ),
        Form(
            "neighbourhood settings",
            CHAIR,
            f"/n/{slug}/settings",
            f"/n/{slug}/settings",
            {"description": "text", "collection_window_hours": "count"},
            {"description": "The streets around Elm Park.", "collection_window_hours": "48"},
            frozenset({"description"}),
        ),
        Form(
            "new fund",
            CHAIR,
            f"/n/{slug}/funds",
            f"/n/{slug}/funds",
            {"name": "text", "description": "text"},
            {"name": "Tree fund", "description": "Street trees and their care."},
            frozenset({"description"}),
        ),
        Form(
            "new pledge",
            CHAIR,
            f"/n/{slug}/pledges/new",
            f"/n/{slug}/pledges/new",
            {
                "fund": "choice",
                "title": "text",
                "description": "text",
                "amount_kind": "choice",
                "amount": "money",
                "target_pledgers": "count",
                "target_amount": "money",
                "deadline": "date",
                "deadline_time": "time",
                "cap": "count",
            },
            {
                "fund": "general",
                "title": "Paint the park benches",
                "description": "Two coats of paint on the six benches in Elm Park.",
                "amount_kind": "fixed",
                "amount": "10",
                "target_pledgers": "3",
                "target_amount": "",
                "deadline": later,
                "deadline_time": "18:00",
                "cap": "20",
            },
            frozenset({"target_pledgers", "target_amount", "cap"}),
        ),
        Form(
            "pledge (minimum amount)",
            CHAIR,
            f"/p/{trees}",
            f"/p/{trees}/pledge",
            {"amount": "money", "method": "choice"},
            {"amount": "8.50", "method": "cash"},
        ),
        Form(
            "match offer",
            CHAIR,
            f"/p/{trees}",
            f"/p/{trees}/offers",
            {"sponsor_name": "text", "ratio": "ratio", "cap": "money"},
            {"sponsor_name": "Elm Park Café", "ratio": "1:1", "cap": "50"},
        ),
        Form(
            "pledge update",
            CHAIR,
            f"/p/{fence}",
            f"/p/{fence}/updates",
            {"body": "text"},
            {"body": "The posts are ordered and arrive on Friday."},
        ),
        Form(
            "new grant round",
            CHAIR,
            f"/n/{slug}/grants/rounds/new",
            f"/n/{slug}/grants/rounds/new",
            {
                "fund": "choice",
                "title": "text",
                "description": "text",
                "eligibility": "text",
                "budget": "money",
                "max_award": "money",
                "opens_on": "date",
                "closes_on": "date",
                "criteria": "lines",
                "quorum_rule": "choice",
                "quorum_minimum": "count",
            },
            {
                "fund": "general",
                "title": "Autumn small grants",
                "description": "Small grants for autumn projects that bring Elm Park together.",
                "eligibility": "Anyone living in Elm Park.",
                "budget": "500",
                "max_award": "100",
                "opens_on": "2026-03-03",
                "closes_on": "2026-03-31",
                "criteria": "Benefit to the neighbourhood: 3",
                "quorum_rule": "majority",
                "quorum_minimum": "2",
            },
            frozenset({"eligibility"}),
        ),
        Form(
            "grant application",
            CHAIR,
            f"/grants/rounds/{round_id}/apply",
            f"/grants/rounds/{round_id}/apply",
            {
                "title": "text",
                "summary": "text",
                "amount_requested": "money",
                "budget_lines": "lines",
                "group_name": "text",
            },
            {
                "title": "Bird boxes",
                "summary": "Ten bird boxes for the trees along the park's edge.",
                "amount_requested": "50",
                "budget_lines": "Ten boxes: 50",
                "group_name": "",
            },
            frozenset({"group_name"}),
        ),
        Form(
            "new levy",
            CHAIR,
            f"/n/{slug}/levies/new",
            f"/n/{slug}/levies/new",
            {
                "fund": "choice",
                "name": "text",
                "purpose": "text",
                "basis": "choice",
                "amount": "money",
                "period": "choice",
                "starts_on": "date",
                "ends_on": "date",
                "threshold": "count",
            },
            {
                "fund": "general",
                "name": "Bin cleaning",
                "purpose": "Cleaning the communal bins on Elm Park Road every month.",
                "basis": "flat",
                "amount": "3",
                "period": "monthly",
                "starts_on": "2026-03-09",
                "ends_on": "",
                "threshold": "",
            },
            frozenset({"ends_on", "threshold"}),
        ),
        Form(
            "join a levy",
            CHAIR,
            f"/levies/{levy}",
            f"/levies/{levy}/join",
            {"address": "text", "band": "choice"},
            {"address": "31 Elm Park Road", "band": "C"},
        ),
    ]


FORMS = {form.name: form for form in _forms(None)}


def _cases():
    for form in FORMS.values():
        for name in form.kinds:
            for label in _bad_values(form, name):
                yield pytest.param(form.name, name, label, id=f"{form.name}: {name} {label}")


class World:
    """The app on a fresh copy of the seeded neighbourhood, with a signed-in client per person."""

    def __init__(self, copies: SeededCopies) -> None:
        self.copies = copies
        self.forms = {form.name: form for form in _forms(copies.seeded)}
        self.fresh()

    def fresh(self) -> None:
        """Start again from an untouched copy of the seeded database."""
        self.app = self.copies.app()
        self.clients: dict[str | None, tuple[object, str]] = {}
        for who in {form.who for form in FORMS.values()}:
            self.client(who)

    def client(self, who: str | None):
        """The person's client and CSRF token, signing them in the first time."""
        if who not in self.clients:
            client = self.app.test_client()
            token = _CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
            if who is not None:
                login = {"email": who, "password": demo.DEMO_PASSWORD, "csrf_token": token}
                answer = client.post("/login", data=login)
                assert answer.status_code == 302, answer.get_data(as_text=True)[:1000]
            self.clients[who] = (client, token)
        return self.clients[who]

    def post(self, form: Form, values: dict[str, str], raw: str = ""):
        """Submit the form as a browser would (raw: already-encoded extra fields)."""
        client, token = self.client(form.who)
        body = urlencode({**values, "csrf_token": token}) + raw
        return client.post(form.action, data=body, content_type="application/x-www-form-urlencoded")


@pytest.fixture(scope="module")
def world(database_template, stripe_emulator, tmp_path_factory):
    """The seeded neighbourhood for the module (rate limits off: the suite posts hundreds of forms)."""
    folder = tmp_path_factory.mktemp("bad-forms")
    with seeded_copies(database_template, folder, stripe_emulator, RATELIMIT_ENABLED=False) as copies:
        yield World(copies)


def test_every_post_route_is_probed_or_named(world):
    urls = world.app.url_map.bind("localhost")
    probed = {urls.match(form.action, method="POST")[0] for form in world.forms.values()}
    routes = {
        rule.endpoint
        for rule in world.app.url_map.iter_rules()
        if "POST" in (rule.methods or ()) and not rule.rule.startswith("/api/")
    }
    assert routes - probed - BUTTONS - FORMS_TO_ADD == set()
    assert (probed | BUTTONS | FORMS_TO_ADD) - routes == set()


@pytest.mark.parametrize("name", sorted(FORMS))
def test_the_form_on_the_page_has_the_fields_listed(world, name):
    form = world.forms[name]
    client, _ = world.client(form.who)
    page = client.get(form.page)
    assert page.status_code == 200
    found = [f for f in forms_on(page.get_data(as_text=True)) if f.action in (form.action, "")]
    assert found, f"no form posting to {form.action} on {form.page}"
    typed = {n: f.kind for n, f in found[-1].fields.items() if f.kind not in ("hidden", "boolean")}
    kinds = {n: "text" if k in ("ratio", "lines") else k for n, k in form.kinds.items()}
    assert typed == kinds


@pytest.mark.parametrize(("name", "field_name", "label"), list(_cases()))
def test_a_bad_field_is_refused_by_name_and_changes_nothing(world, name, field_name, label):
    form = world.forms[name]
    value = _bad_values(form, field_name)[label]
    before = database_state(world.app)
    if value == FORM_SURROGATE:
        others = {k: v for k, v in form.valid.items() if k != field_name}
        response = world.post(form, others, f"&{field_name}={FORM_SURROGATE}")
    else:
        response = world.post(form, {**form.valid, field_name: value})
    after = database_state(world.app)
    if changed_tables(before, after):
        world.fresh()
    html = response.get_data(as_text=True)
    assert 400 <= response.status_code < 500, f"{response.status_code} {response.headers.get('Location', '')}"
    assert f'id="{field_name}-error"' in html or f'href="#{field_name}"' in html, f"{field_name} is not named"
    assert changed_tables(before, after) == []


@pytest.mark.parametrize("name", sorted(FORMS))
def test_the_valid_submission_succeeds(world, name):
    form = world.forms[name]
    before = database_state(world.app)
    response = world.post(form, form.valid)
    assert response.status_code in form.success, response.get_data(as_text=True)[:3000]
    assert changed_tables(before, database_state(world.app)), "the valid submission wrote nothing"
