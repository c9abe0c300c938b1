"""/metrics: Prometheus counters of requests by route, payment calls by outcome, webhook events, due work,
ledger posts and emails, moved by a real pledge, webhook and due run; readable with the metrics token, or
from this machine outside production, and by nobody else."""

from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families

from pledgebank import create_app
from pledgebank.cli import main
from pledgebank.payments.stripe_gateway import StripeGateway
from tests.factories.pledges import assert_books_ok, due, signup_state, stripe_client
from tests.helpers.app import STRIPE_TEST_KEY, STRIPE_WEBHOOK_SECRET, with_stripe
from tests.helpers.pledge_pages import make_pledge, people
from tests.helpers.webhooks import deliver, event, intent_of

TOKEN = "metrics-token-long-and-random-0123456789abcdef"


def scrape(app, **headers) -> dict[tuple[str, frozenset], float]:
    """Every sample from /metrics, by (name, labels)."""
    response = app.test_client().get("/metrics", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.content_type.startswith("text/plain")
    assert "Set-Cookie" not in response.headers
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.get_data(as_text=True))
        for sample in family.samples
    }


def grew(before: dict, after: dict, name: str, **labels) -> float:
    """How much one sample grew between two scrapes."""
    key = (name, frozenset(labels.items()))
    return after.get(key, 0.0) - before.get(key, 0.0)


@pytest.fixture
def app_config(app_config: dict, stripe_api: str) -> dict:
    """The app, paying by card against a freshly emptied emulator."""
    return with_stripe(app_config, stripe_api)


def test_a_pledge_a_due_run_and_a_webhook_are_counted(app, sessions):
    before = scrape(app)
    world = people(sessions, "ann", "bob")
    pledge = make_pledge(app, world.slug, world.ids["chair"], target_pledgers=2)
    for who in ("ann", "bob"):
        client = world.client(app, sessions, who)
        assert client.post(f"/p/{pledge}/pledge", {"method": "card"}).status_code == 302
        assert client.post(f"/p/{pledge}/card", {"card": "succeeds"}).status_code == 302
    done = due(app)
    assert done["holds placed"] >= 1, done
    ann_signup = next(s for s in (1, 2) if signup_state(app, s) == "held")
    stripe_client(app).v1.payment_intents.capture(intent_of(app, ann_signup)["id"])
    payload = event("payment_intent.succeeded", intent_of(app, ann_signup))
    assert deliver(app, payload).get_json()["effect"] == "applied"
    assert deliver(app, payload).get_json()["effect"] == "duplicate"
    assert deliver(app, payload, "t=1,v1=bad").status_code == 400
    after = scrape(app)

    requests = "pledgebank_http_requests_total"
    assert grew(before, after, requests, route="/p/<int:pledge_id>/card", method="POST", status="302") == 2
    assert grew(before, after, requests, route="/stripe/webhook", method="POST", status="200") == 2
    assert grew(before, after, requests, route="/stripe/webhook", method="POST", status="400") == 1
    duration = "pledgebank_http_request_duration_seconds_count"
    assert grew(before, after, duration, route="/p/<int:pledge_id>/pledge", method="POST") == 2
    attempts = "pledgebank_payment_attempts_total"
    assert grew(before, after, attempts, operation="hold", outcome="authorised") == 2
    webhooks = "pledgebank_webhook_events_total"
    assert grew(before, after, webhooks, type="payment_intent.succeeded", result="applied") == 1
    assert grew(before, after, webhooks, type="payment_intent.succeeded", result="duplicate") == 1
    assert grew(before, after, webhooks, type="unverified", result="invalid_signature") == 1
    assert grew(before, after, "pledgebank_due_runs_total", result="completed") == 1
    holds = done["holds placed"]
    assert grew(before, after, "pledgebank_due_items_total", kind="holds placed", result="done") == holds
    posts = sum(
        after[key] - before.get(key, 0.0) for key in after if key[0] == "pledgebank_ledger_posts_total"
    )
    assert posts >= 1, "the captured payment was posted to the book"
    assert grew(before, after, "pledgebank_emails_total", result="queued") >= 2
    assert grew(before, after, "pledgebank_emails_total", result="sent") == grew(
        before, after, "pledgebank_emails_total", result="queued"
    )
    assert_books_ok(app)


def _stripe_at(api_base: str) -> StripeGateway:
    return StripeGateway(
        secret_key=STRIPE_TEST_KEY, webhook_secret=STRIPE_WEBHOOK_SECRET, api_base=api_base, max_retries=0
    )


def test_stripe_being_away_is_counted_as_failed_due_work_being_away_are_counted_as_failures(
    app, sessions, stripe_api
):
    world = people(sessions, "ann", "bob")
    pledge = make_pledge(app, world.slug, world.ids["chair"], target_pledgers=2)
    for who in ("ann", "bob"):
        client = world.client(app, sessions, who)
        client.post(f"/p/{pledge}/pledge", {"method": "card"})
        client.post(f"/p/{pledge}/card", {"card": "succeeds"})
    before = scrape(app)
    app.extensions["pledgebank.gateway"] = _stripe_at("http://127.0.0.1:9")  # nobody listens there
    done = due(app)
    app.extensions["pledgebank.gateway"] = _stripe_at(stripe_api)
    after = scrape(app)
    postponed = "card work postponed (Stripe unreachable)"
    assert done[postponed] >= 1
    assert (
        grew(before, after, "pledgebank_due_items_total", kind=postponed, result="failed") == done[postponed]
    )
    assert (
        grew(before, after, "pledgebank_payment_attempts_total", operation="hold", outcome="unavailable") >= 1
    )


def test_metrics_need_the_token_when_one_is_set(app_config):
    app = create_app({**app_config, "METRICS_TOKEN": TOKEN})
    client = app.test_client()
    for headers in (
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": TOKEN},
        {"Authorization": "Basic x"},
    ):
        response = client.get("/metrics", headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert "pledgebank_" not in response.get_data(as_text=True)
    assert scrape(app, Authorization=f"Bearer {TOKEN}")
    app.extensions["pledgebank.engine"].dispose()


def test_without_a_token_only_this_machine_may_read_them(app):
    client = app.test_client()
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "::1"}).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.7"}).status_code == 404


def test_production_without_a_token_serves_them_to_nobody(app_config):
    production = {
        **app_config,
        "ENV": "production",
        "STRIPE_SECRET_KEY": "sk_test_0123456789",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_0123456789",
        "STRIPE_WEBHOOK_SECRET": "whsec_0123456789",
        "MAIL_SERVER": "smtp.example.invalid",
        "MAIL_OUTBOX": "",
        "BASE_URL": "https://pledgebank.example",
        "RATELIMIT_SINGLE_PROCESS": True,
    }
    app = create_app(production)
    assert app.test_client().get("/metrics").status_code == 404, "not even from this machine"
    with_token = create_app({**production, "METRICS_TOKEN": TOKEN})
    assert scrape(with_token, Authorization=f"Bearer {TOKEN}")
    for each in (app, with_token):
        each.extensions["pledgebank.engine"].dispose()


def test_run_due_as_a_long_lived_process_counts_each_run(app):
    before = scrape(app)
    result = app.test_cli_runner().invoke(main, ["run-due", "--every", "1", "--times", "1"])
    assert result.exit_code == 0, result.output
    assert result.output == "nothing was due\n"
    assert grew(before, scrape(app), "pledgebank_due_runs_total", result="completed") == 1
    assert app.test_cli_runner().invoke(main, ["run-due", "--every", "0"]).exit_code == 2
