"""pledgebank: neighbourhoods pooling money for local action, on an audited ledger."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

    from pledgebank.payments.gateway import PaymentGateway


PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Assemble the app: settings, database, extensions, blueprints, API and error handling."""
    # Imported here so that the pure packages (pledgebank.ledger) load without Flask.
    from flask import Flask

    from pledgebank import config as settings

    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    app.config.update(settings.load(Path(app.instance_path), test_config, PROJECT_ROOT / ".env"))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.testing = app.config["ENV"] == "testing"
    _init_converters(app)
    _init_core(app)
    _init_webhooks(app)
    _init_extensions(app)
    _register_blueprints(app)
    return app


def _init_converters(app: Flask) -> None:
    """Every `<int:...>` in a route is an id the database can hold; set before any route is added."""
    from pledgebank.web.converters import IdConverter

    app.url_map.converters["int"] = IdConverter


def _init_core(app: Flask) -> None:
    from pledgebank.accounts.services import configure_password_hashing
    from pledgebank.accounts.tokens import LinkSigner
    from pledgebank.clock import Clock
    from pledgebank.db import make_engine, make_session_factory

    engine = app.config.get("ENGINE") or make_engine(
        app.config["DATABASE_URL"], ping_after_idle=app.config["DATABASE_PING_AFTER_IDLE"]
    )
    factory = make_session_factory(engine)
    app.extensions["pledgebank.engine"] = engine
    app.extensions["pledgebank.sessions"] = factory
    app.extensions["pledgebank.clock"] = app.config.get("CLOCK") or Clock()
    _init_tasks(app)
    app.extensions["pledgebank.signer"] = LinkSigner(app.config["SECRET_KEY"])
    configure_password_hashing(
        time_cost=app.config["PASSWORD_HASH_TIME_COST"], memory_kib=app.config["PASSWORD_HASH_MEMORY_KIB"]
    )
    app.extensions["pledgebank.gateway"] = app.config.get("GATEWAY") or _gateway(app.config)
    app.extensions["pledgebank.sms"] = app.config.get("SMS") or _sms(
        app.config, app.extensions["pledgebank.clock"]
    )


def _init_webhooks(app: Flask) -> None:
    """Each feature that takes card payments or saves cards registers its webhook handlers with payments."""
    from pledgebank.levies import webhooks as levy_webhooks
    from pledgebank.payments.webhook_handlers import WebhookHandlers
    from pledgebank.pledges import webhooks as pledge_webhooks

    handlers = WebhookHandlers()
    for feature in (pledge_webhooks, levy_webhooks):
        feature.register(handlers)
    app.extensions["pledgebank.webhooks"] = handlers


def _init_tasks(app: Flask) -> None:
    """The queue's worker and its handlers; in-process, it runs what each commit queued right after it."""
    from datetime import timedelta

    from pledgebank.jobs import DUE_JOB, job_handlers
    from pledgebank.tasks.queue import QueueSettings
    from pledgebank.tasks.worker import Worker

    factory = app.extensions["pledgebank.sessions"]
    clock = app.extensions["pledgebank.clock"]
    lease = timedelta(seconds=app.config["TASK_LEASE"])
    worker: Any
    if app.config["TASK_QUEUE"] == "procrastinate":
        from pledgebank.tasks.pg_worker import QueueWorker  # only here: procrastinate takes time to import

        worker = QueueWorker(
            sessions=factory,
            clock=clock,
            handlers=job_handlers(app),
            database_url=app.config["DATABASE_URL"],
            due_kind=DUE_JOB,
            due_every=app.config["RUN_DUE_INTERVAL"],
            lease=lease,
            attempts=app.config["TASK_ATTEMPTS"],
        )
    else:
        worker = Worker(sessions=factory, clock=clock, handlers=job_handlers(app), lease=lease)

    def drain() -> None:
        worker.run_until_idle()

    in_process = app.config["TASK_WORKER"] == "in-process"
    factory.configure(
        info={
            "tasks": QueueSettings(
                clock,
                run_after_commit=drain if in_process else None,
                max_attempts=app.config["TASK_ATTEMPTS"],
                backend=app.config["TASK_QUEUE"],
            )
        }
    )
    app.extensions["pledgebank.tasks"] = worker


def _gateway(config: dict[str, Any]) -> PaymentGateway:
    from pledgebank.payments.offline import NoCardPayments

    if not config["STRIPE_SECRET_KEY"]:
        return NoCardPayments()
    from pledgebank.payments.stripe_gateway import StripeGateway

    return StripeGateway(
        secret_key=config["STRIPE_SECRET_KEY"],
        webhook_secret=config["STRIPE_WEBHOOK_SECRET"],
        api_base=config["STRIPE_API_BASE"],
        max_retries=0 if config["ENV"] == "testing" else 2,
    )


def _sms(config: dict[str, Any], clock: Any) -> Any:
    """The text provider the settings name, or None when texting is off."""
    if config["SMS_PROVIDER"] == "twilio":
        from pledgebank.sms.twilio_provider import TwilioSms

        return TwilioSms(config["TWILIO_ACCOUNT_SID"], config["TWILIO_AUTH_TOKEN"])
    if config["SMS_PROVIDER"] == "fake":
        from pledgebank.sms.provider import FakeSms

        return FakeSms(Path(config["SMS_OUTBOX"]), clock)
    return None


def _init_extensions(app: Flask) -> None:
    from pledgebank.extensions import csrf, limiter
    from pledgebank.web import (
        auth,
        errors,
        filters,
        i18n,
        input_guard,
        mailer,
        observability,
        security,
        session,
    )

    observability.init_app(app)

    app.config.update(
        RATELIMIT_STORAGE_URI=app.config["REDIS_URL"] or "memory://",
        # An unreachable Redis must not hold a sign-in up for long before the in-memory fallback takes over.
        RATELIMIT_STORAGE_OPTIONS={"socket_connect_timeout": 2, "socket_timeout": 2},
        RATELIMIT_ENABLED=app.config.get("RATELIMIT_ENABLED", True),
        RATELIMIT_HEADERS_ENABLED=True,
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        # A text field of an upload form may be as long as one of any other form: the request's size bounds
        # it, and the field refuses it by name (Werkzeug would answer 413 above 500 kB, naming nothing).
        MAX_FORM_MEMORY_SIZE=2 * 1024 * 1024,
        API_TITLE="pledgebank",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
    )
    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Believe exactly as many X-Forwarded-For/-Proto entries as there are proxies of ours in front.
        count = app.config["PROXY_COUNT"]
        # Flask's documented way to put middleware round the app, which checkers read as replacing a method.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]
    session.init_app(app)
    security.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    mailer.init_app(app)
    auth.init_app(app)
    filters.init_app(app)
    i18n.init_app(app)
    errors.register(app)
    input_guard.init_app(app)
    _init_error_reports(app)


def _init_error_reports(app: Flask) -> None:
    from pledgebank import error_reports

    error_reports.init(app.config["SENTRY_DSN"], environment=app.config["ENV"])


def _register_blueprints(app: Flask) -> None:
    """Every feature's pages, then the JSON API of those that have one: each web layer lists its own."""
    from pledgebank.accounts import web as accounts
    from pledgebank.alerts import web as alerts
    from pledgebank.books import web as books
    from pledgebank.dividends import web as dividends
    from pledgebank.documents import web as documents
    from pledgebank.examiners import web as examiners
    from pledgebank.exports import web as exports
    from pledgebank.extensions import csrf, limiter
    from pledgebank.giftaid import web as giftaid
    from pledgebank.grants import web as grants
    from pledgebank.levies import web as levies
    from pledgebank.neighbourhoods import web as neighbourhoods
    from pledgebank.payments import web as payments
    from pledgebank.pledges import web as pledges
    from pledgebank.privacy import web as privacy
    from pledgebank.pulse import web as pulse
    from pledgebank.sms import web as sms
    from pledgebank.statements import web as statements
    from pledgebank.tasks import web as tasks
    from pledgebank.web import health, main

    app.register_blueprint(health.bp)
    csrf.exempt(health.bp)
    limiter.exempt(health.bp)
    app.register_blueprint(main.bp)
    for feature in (
        accounts,
        neighbourhoods,
        books,
        payments,
        pledges,
        grants,
        dividends,
        pulse,
        giftaid,
        levies,
        exports,
        examiners,
        privacy,
        documents,
        statements,
        alerts,
        tasks,
        sms,
    ):
        for blueprint in feature.page_blueprints():
            app.register_blueprint(blueprint)
    api = _api(app)
    for feature in (accounts, neighbourhoods, books, pledges, grants, levies, payments, giftaid):
        for api_blueprint in feature.api_blueprints():
            api.register_blueprint(api_blueprint)
            csrf.exempt(api_blueprint)
    app.extensions["pledgebank.api"] = api


def _api(app: Flask) -> Any:
    """The flask-smorest Api: its description, bearer tokens, and ids as the database holds them."""
    from flask_smorest.spec.plugins import integerconverter2paramschema

    from pledgebank.api.base import Api
    from pledgebank.web.converters import IdConverter

    api = Api(
        app,
        spec_kwargs={
            "info": {
                "description": "The pledgebank JSON API. Errors are "
                '{"error", "message", "fields"} with a 4xx status.'
            }
        },
    )
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    api.register_converter(IdConverter, integerconverter2paramschema)
    return api
