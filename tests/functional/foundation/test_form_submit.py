"""The one shape of an HTML write (`web.submit`), through a route of the real app on a real database: a form
not yet sent is shown, wrong fields are 422, a clash with the current state is 409 whatever fields it names,
bad input found by the service is 422, a refusal is the app's own 403 or 404 page, and the work commits only
when it succeeds."""

from __future__ import annotations

import json

import pytest
from flask import request, url_for
from sqlalchemy import func, select
from wtforms import StringField
from wtforms.validators import DataRequired

from pledgebank.accounts import services as accounts
from pledgebank.accounts.api_tokens import MAX_ACTIVE_TOKENS, create_api_token
from pledgebank.accounts.models import ApiToken, User
from pledgebank.db import unit_of_work
from pledgebank.errors import Conflict, Forbidden, InvalidInput, NotFound
from pledgebank.web.form_base import Form
from pledgebank.web.session import now
from pledgebank.web.submit import go_to, submit
from tests.helpers.app import WHEN, WebClient, make_user
from tests.helpers.foundation import field_error, signed_in_client, visible_text

OUTCOMES = {
    "clash": Conflict("That name was taken a moment ago."),
    "clash-on-field": Conflict("That name was taken a moment ago.", fields={"name": ["Taken just now."]}),
    "bad-field": InvalidInput.field("name", "Use letters only."),
    "bad-elsewhere": InvalidInput.field("not_on_this_form", "Something else is wrong."),
    "forbidden": Forbidden("Only the chair may do that."),
    "missing": NotFound("There is no such thing."),
}


class NameForm(Form):
    """One required field."""

    name = StringField("Name", validators=[DataRequired(message="Enter a name.")])


def _route():
    form = NameForm()
    guarded = []

    def work(session):
        user = accounts.create_user(
            session, email="someone@example.org", display_name=form.name.data, password="a" * 12, now=now()
        )
        outcome = request.args.get("outcome")
        if outcome in OUTCOMES:
            raise OUTCOMES[outcome]
        return user.id

    def page(status: int):
        fields = {field.name: field.errors for field in form if field.errors}
        body = {"status": status, "fields": fields, "top": form.form_errors, "guarded": guarded}
        return json.dumps(body), status, {"Content-Type": "application/json"}

    def done(user_id: int):
        return go_to(url_for("main.home", made=user_id), "Made.")(user_id)

    return submit(form, work, done=done, page=page, guard=lambda: guarded.append(True))


@pytest.fixture
def client(app) -> WebClient:
    app.add_url_rule("/_submit", "submit_probe", _route, methods=["GET", "POST"])
    return WebClient(app.test_client())


def _users(sessions) -> int:
    with unit_of_work(sessions) as session:
        return session.scalar(select(func.count()).select_from(User))


def test_a_form_not_yet_sent_is_shown(client, sessions):
    shown = client.get("/_submit")
    assert shown.status_code == 200
    assert shown.get_json() == {"status": 200, "fields": {}, "top": [], "guarded": []}
    assert _users(sessions) == 0


def test_wrong_fields_are_422_beside_the_field_after_the_guard(client, sessions):
    wrong = client.post("/_submit", {"name": ""})
    assert wrong.status_code == 422
    assert wrong.get_json() == {
        "status": 422,
        "fields": {"name": ["Enter a name."]},
        "top": [],
        "guarded": [True],
    }
    assert _users(sessions) == 0


def test_work_that_succeeds_is_committed_and_done(client, sessions):
    made = client.post("/_submit", {"name": "Ann"})
    assert made.status_code == 302 and "made=" in made.headers["Location"]
    assert _users(sessions) == 1
    with client.client.session_transaction() as cookie_session:
        assert cookie_session["_flashes"] == [("success", "Made.")]


@pytest.mark.parametrize(
    ("outcome", "status", "fields", "top"),
    [
        ("clash", 409, {}, ["That name was taken a moment ago."]),
        ("clash-on-field", 409, {"name": ["Taken just now."]}, []),
        ("bad-field", 422, {"name": ["Use letters only."]}, []),
        ("bad-elsewhere", 422, {}, ["Something else is wrong."]),
    ],
)
def test_a_refused_work_writes_nothing_and_answers_by_the_kind_of_error(
    client, sessions, outcome, status, fields, top
):
    answer = client.post(f"/_submit?outcome={outcome}", {"name": "Ann"})
    assert answer.status_code == status
    assert answer.get_json() == {"status": status, "fields": fields, "top": top, "guarded": []}
    assert _users(sessions) == 0, "the work's user is rolled back"


@pytest.mark.parametrize(("outcome", "status"), [("forbidden", 403), ("missing", 404)])
def test_a_refusal_is_the_apps_own_page(client, sessions, outcome, status):
    refused = client.post(f"/_submit?outcome={outcome}", {"name": "Ann"})
    assert refused.status_code == status
    assert refused.mimetype == "text/html"
    assert str(OUTCOMES[outcome]) in refused.get_data(as_text=True)
    assert _users(sessions) == 0


def test_one_token_too_many_is_a_clash_on_the_account_page(app, sessions):
    user = make_user(sessions, "ann@example.org")
    with unit_of_work(sessions) as session:
        for number in range(MAX_ACTIVE_TOKENS):
            create_api_token(session, user_id=user, name=f"script {number}", scope="read", now=WHEN)
    client = signed_in_client(app, sessions, user)

    refused = client.post("/account/tokens", {"name": "one more", "scope": "read"})
    assert refused.status_code == 409, "a clash with the tokens one has, not bad input"
    page = refused.get_data(as_text=True)
    assert f"You already have {MAX_ACTIVE_TOKENS} active tokens; revoke one first." in visible_text(page)
    assert field_error(page, "name") == ""
    with unit_of_work(sessions) as session:
        assert session.scalar(select(func.count()).select_from(ApiToken)) == MAX_ACTIVE_TOKENS
