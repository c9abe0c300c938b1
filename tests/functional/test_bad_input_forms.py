"""Every HTML form that takes input, with each field in turn given a hostile value (empty, 1 MB, negative,
over-precise, another currency, digits from other scripts, NUL, a lone surrogate, impossible dates and times,
a choice not offered; for an upload, files that are empty, too large, not UTF-8 or hold a NUL): the form
comes back with a 4xx and an error tied to that field, and nothing in the database changes. Each form's valid
submission succeeds, so the refusals were for the bad field. A submission that wrongly changed the database
is followed by a fresh copy of the seeded one, so one defect hides no other.

The forms are listed in tests.bad_forms_*, each with its fields' kinds; a test reads the real page and fails
when they drift apart. Every other POST route is named in BUTTONS (no input but the button: buttons, card
steps, the webhook) or in TESTED_BESIDE (with the test file that gives it bad input), so a new form cannot be
missed silently.
"""

from __future__ import annotations

import io
import re
from urllib.parse import urlencode

import pytest

from pledgebank import demo
from pledgebank.accounts.models import User
from pledgebank.accounts.tokens import RESET_PURPOSE, password_fingerprint
from tests.factories.seeded import SeededCopies, seeded_copies
from tests.helpers.bad_forms import FILE_NAME_NUL, Form, Place, bad_values
from tests.helpers.bad_forms_dividends import dividend_forms
from tests.helpers.bad_forms_grants import grant_forms
from tests.helpers.bad_forms_money import money_forms
from tests.helpers.bad_forms_people import people_forms
from tests.helpers.bad_forms_statements import statement_forms
from tests.helpers.bad_forms_treasurer import treasurer_forms
from tests.helpers.bad_input import FORM_SURROGATE, changed_tables, database_state
from tests.helpers.html_forms import forms_on

pytestmark = pytest.mark.fuzz

# POST routes whose forms carry no input but the button: buttons, the test-card and bank-check steps, and the
# webhook.
BUTTONS = {
    "accounts.logout",
    "treasurer.approve",
    "categories.retire",
    "fund_transfers.approve",
    "fund_transfers.decline",
    "accounts.resend_verification",
    "accounts.revoke_token",
    "accounts.sign_out_everywhere",
    "neighbourhoods.join",
    "neighbourhoods.leave",
    "pledges.approve",
    "pledges.withdraw",
    "pledges.choose_test_card",
    "pledges.finish_card_check",
    "pledges.fix_authenticate",
    "pledges.fix_new_card",
    "pledges.demo_advance",
    "alerts.confirm",
    "alerts.unsubscribe",
    "grants.submit",
    "grants.withdraw",
    "grants.approve",
    "levies.approve",
    "levies.leave",
    "levies.choose_test_card",
    "levies.card_check",
    "levies.pay_with_card",
    "levies.pay_authenticate",
    "levies.use_card",
    "levies.take_charges",
    "dividends.sign",
    "dividends.close",
    "stripe.webhook",
    "statements.match",
    "statements.unmatch",
    "examiners.end",
    "examiners.invitation",
    "tasks.retry",
    "sms.remove_phone",
    "giftaid.cancel",
}
# Forms whose fields are not fixed (the pulse's answer form has a field per question of its round) or whose
# valid values need a world of their own; each one's bad input is tested beside its feature, in that file.
TESTED_BESIDE = {
    "examiners.appointments": "tests/functional/examiners/test_appointments.py",
    "pulse.new": "tests/functional/pulse/test_pulse_pages.py",
    "pulse.answer": "tests/functional/pulse/test_pulse_pages.py",
    "sms.number": "tests/functional/sms/test_phone_pages.py",
    "sms.keyword": "tests/functional/sms/test_phone_pages.py",
    "sms.add_phone": "tests/functional/sms/test_phone_pages.py",
    "sms.confirm_phone": "tests/functional/sms/test_phone_pages.py",
    "sms.send_dev_text": "tests/functional/sms/test_phone_pages.py",
    "sms.inbound_text": "tests/functional/sms/test_twilio_webhook.py",
    "language.switch": "tests/functional/i18n/test_language_choice.py",
    # A declaration needs a charity; a claim, gifts the books hold and declarations that cover them.
    "giftaid.declare": "tests/functional/giftaid/test_giftaid_pages.py",
    "giftaid.charity": "tests/functional/giftaid/test_giftaid_pages.py",
    "giftaid.claims_page": "tests/functional/giftaid/test_giftaid_pages.py",
    "giftaid.claim": "tests/functional/giftaid/test_giftaid_pages.py",
    "giftaid.benefit": "tests/functional/giftaid/test_giftaid_pages.py",
}
RESET_FOR = "sofia@example.org"
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _forms(place: Place) -> list[Form]:
    return [
        *people_forms(place),
        *money_forms(place),
        *grant_forms(place),
        *treasurer_forms(place),
        *dividend_forms(place),
        *statement_forms(place),
    ]


FORMS = {form.name: form for form in _forms(Place(None))}


def _cases():
    for form in FORMS.values():
        for name in form.kinds:
            for label in bad_values(form, name):
                yield pytest.param(form.name, name, label, id=f"{form.name}: {name} {label}")


def _reset_token(app, email: str) -> str:
    """The link a password reset emails the person (it lasts until their password changes)."""
    with app.app_context():
        session = app.extensions["pledgebank.sessions"]()
        try:
            user = session.query(User).filter_by(email=email).one()
            payload = {"u": user.id, "p": password_fingerprint(user.password_hash)}
        finally:
            session.close()
    now = app.extensions["pledgebank.clock"].now()
    return app.extensions["pledgebank.signer"].sign(RESET_PURPOSE, payload, now)


class World:
    """The app on a fresh copy of the seeded neighbourhood, with a signed-in client per person."""

    def __init__(self, copies: SeededCopies) -> None:
        self.copies = copies
        self.fresh()
        place = Place(copies.seeded, _reset_token(self.app, RESET_FOR))
        self.forms = {form.name: form for form in _forms(place)}

    def fresh(self) -> None:
        """Start again from an untouched copy of the seeded database."""
        self.app = self.copies.app()
        self.clients: dict[str, tuple[object, str]] = {}
        for who in {form.who for form in FORMS.values()} - {None}:
            self.client(who)

    def client(self, who: str | None):
        """The person's client and CSRF token, signing them in the first time (a new visitor each time)."""
        if who is None or who not in self.clients:
            client = self.app.test_client()
            token = _CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
            if who is None:
                return client, token
            login = {"email": who, "password": demo.DEMO_PASSWORD, "csrf_token": token}
            answer = client.post("/login", data=login)
            assert answer.status_code == 302, answer.get_data(as_text=True)[:1000]
            self.clients[who] = (client, token)
        return self.clients[who]

    def post(self, form: Form, values: dict, raw: str = "", filename: str = "register.csv"):
        """Submit the form as a browser would (raw: already-encoded extra fields; filename: an upload's), and
        read the whole answer (a download is recorded only once it has been sent)."""
        client, token = self.client(form.who)
        values = {form.prefix + name: value for name, value in {**values, "csrf_token": token}.items()}
        files = {form.prefix + name for name, kind in form.kinds.items() if kind == "file"}
        if files:
            data = {}
            for name, value in values.items():
                if name in files:
                    # A browser sends an empty part with no name when no file is chosen.
                    data[name] = (io.BytesIO(value), filename if value else "")
                else:
                    data[name] = value
            response = client.post(form.action, data=data, content_type="multipart/form-data")
        else:
            body = urlencode(values) + raw
            response = client.post(form.action, data=body, content_type="application/x-www-form-urlencoded")
        response.get_data()
        return response


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
    assert routes - probed - BUTTONS - set(TESTED_BESIDE) == set()
    assert (probed | BUTTONS | set(TESTED_BESIDE)) - routes == set()


@pytest.mark.parametrize("name", sorted(FORMS))
def test_the_form_on_the_page_has_the_fields_listed(world, name):
    form = world.forms[name]
    client, _ = world.client(form.who)
    page = client.get(form.page)
    assert page.status_code == 200
    found = [f for f in forms_on(page.get_data(as_text=True)) if f.action in (form.action, "")]
    assert found, f"no form posting to {form.action} on {form.page}"
    fields = found[-1].fields
    typed = {n: f.kind for n, f in fields.items() if f.kind not in ("hidden", "boolean", "button")}
    kinds = {
        form.prefix + n: "text" if k in ("ratio", "lines") else k
        for n, k in form.kinds.items()
        if n not in form.hidden
    }
    assert typed == kinds
    for name in form.hidden:
        sent_by = fields.get(form.prefix + name)
        assert sent_by and sent_by.kind in ("hidden", "button"), f"{name} is not on the page"
        sent = sent_by.options if sent_by.kind == "button" else [sent_by.value]
        assert form.valid[name] in sent


@pytest.mark.parametrize(("name", "field_name", "label"), list(_cases()))
def test_a_bad_field_is_refused_by_name_and_changes_nothing(world, name, field_name, label):
    form = world.forms[name]
    value = bad_values(form, field_name)[label]
    before = database_state(world.app)
    if value == FORM_SURROGATE:
        others = {k: v for k, v in form.valid.items() if k != field_name}
        response = world.post(form, others, f"&{form.prefix}{field_name}={FORM_SURROGATE}")
    elif value == FILE_NAME_NUL:
        response = world.post(form, form.valid, filename=value)
    else:
        response = world.post(form, {**form.valid, field_name: value})
    after = database_state(world.app)
    if changed_tables(before, after):
        world.fresh()
    html = response.get_data(as_text=True)
    assert 400 <= response.status_code < 500, f"{response.status_code} {response.headers.get('Location', '')}"
    named = f"{form.prefix}{field_name}{form.suffix}"
    assert f'id="{named}-error"' in html or f'href="#{named}"' in html, f"{field_name} is not named"
    assert changed_tables(before, after) == []


@pytest.mark.parametrize("name", sorted(FORMS))
def test_the_valid_submission_succeeds(world, name):
    form = world.forms[name]
    before = database_state(world.app)
    response = world.post(form, form.valid)
    assert response.status_code in form.success, response.get_data(as_text=True)[:3000]
    wrote = changed_tables(before, database_state(world.app))
    assert wrote if form.writes else not wrote, f"the valid submission wrote {wrote or 'nothing'}"
