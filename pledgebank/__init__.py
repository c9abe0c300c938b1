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
    from pledgebank.outbox import Email
    from pledgebank.web import mailer

    engine = app.config.get("ENGINE") or make_engine(app.config["DATABASE_URL"])
    factory = make_session_factory(engine)

    def send(email: Email) -> None:
        with app.app_context():
            mailer.send_email(email)

    factory.configure(info={"send_email": send})
    app.extensions["pledgebank.engine"] = engine
    app.extensions["pledgebank.sessions"] = factory
    app.extensions["pledgebank.clock"] = app.config.get("CLOCK") or Clock()
    app.extensions["pledgebank.signer"] = LinkSigner(app.config["SECRET_KEY"])
    configure_password_hashing(
        time_cost=app.config["PASSWORD_HASH_TIME_COST"], memory_kib=app.config["PASSWORD_HASH_MEMORY_KIB"]
    )
    app.extensions["pledgebank.gateway"] = app.config.get("GATEWAY") or _gateway(app.config)


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


def _init_extensions(app: Flask) -> None:
    from pledgebank.extensions import csrf, limiter
    from pledgebank.web import auth, errors, filters, input_guard, mailer, observability, security, session

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
    errors.register(app)
    input_guard.init_app(app)
    _init_error_reports(app)


def _init_error_reports(app: Flask) -> None:
    from pledgebank import error_reports

    error_reports.init(app.config["SENTRY_DSN"], environment=app.config["ENV"])


def _register_blueprints(app: Flask) -> None:
    from flask_smorest.spec.plugins import integerconverter2paramschema

    from pledgebank.accounts.web import api as accounts_api
    from pledgebank.accounts.web import privacy_views as your_data_views
    from pledgebank.accounts.web import views as accounts_views
    from pledgebank.alerts.web import views as alerts_views
    from pledgebank.api.base import Api
    from pledgebank.books.web import api as books_api
    from pledgebank.books.web import (
        category_api,
        category_views,
        fund_transfer_api,
        fund_transfer_views,
        money_views,
        treasurer_api,
        treasurer_views,
    )
    from pledgebank.books.web import views as books_views
    from pledgebank.dividends.web import body_views as dividend_body_pages
    from pledgebank.dividends.web import manage_views as dividend_manage_pages
    from pledgebank.dividends.web import views as dividends_views
    from pledgebank.documents.web import views as documents_views
    from pledgebank.examiners.web import views as examiners_views
    from pledgebank.examiners.web import watch as examiner_watch
    from pledgebank.examiners.web.blueprint import bp as examiners_bp
    from pledgebank.exports.web import views as exports_views
    from pledgebank.extensions import csrf, limiter
    from pledgebank.grants.web import api as grants_api
    from pledgebank.grants.web import manage_views as grant_pages
    from pledgebank.grants.web import views as grants_views
    from pledgebank.levies.web import api as levies_api
    from pledgebank.levies.web import card_views as levy_card_pages
    from pledgebank.levies.web import cash_views as levy_cash_pages
    from pledgebank.levies.web import consent_views as levy_consent_pages
    from pledgebank.levies.web import manage_views as levy_manage_pages
    from pledgebank.levies.web import pay_views as levy_pay_pages
    from pledgebank.levies.web import views as levies_views
    from pledgebank.neighbourhoods.web import api as neighbourhoods_api
    from pledgebank.neighbourhoods.web import audit_views as audit_pages
    from pledgebank.neighbourhoods.web import leave_views as leave_pages
    from pledgebank.neighbourhoods.web import views as neighbourhoods_views
    from pledgebank.payments.web import refund_api, refund_views
    from pledgebank.payments.web import views as payments_views
    from pledgebank.pledges.web import api as pledges_api
    from pledgebank.pledges.web import card_views as pledge_card_pages
    from pledgebank.pledges.web import cash_views as pledge_cash_pages
    from pledgebank.pledges.web import edit_views as pledge_edit_pages
    from pledgebank.pledges.web import fix_views as pledge_fix_pages
    from pledgebank.pledges.web import manage_views as pledge_manage_pages
    from pledgebank.pledges.web import share_views as pledge_share_pages
    from pledgebank.pledges.web import social_views as pledge_social_pages
    from pledgebank.pledges.web import views as pledges_views
    from pledgebank.privacy.web import views as privacy_views
    from pledgebank.pulse.web import manage_views as pulse_manage_pages
    from pledgebank.pulse.web import views as pulse_views
    from pledgebank.statements.web import reconcile_views as statement_reconcile_pages
    from pledgebank.statements.web import views as statements_views
    from pledgebank.web import health, main
    from pledgebank.web.converters import IdConverter

    app.register_blueprint(health.bp)
    csrf.exempt(health.bp)
    limiter.exempt(health.bp)
    # Page modules beyond each feature's views.py: importing them added their routes to its blueprint.
    del (
        audit_pages,
        grant_pages,
        leave_pages,
        levy_card_pages,
        levy_cash_pages,
        levy_consent_pages,
        levy_manage_pages,
    )
    del levy_pay_pages
    del pledge_card_pages, pledge_cash_pages, pledge_edit_pages, pledge_fix_pages, pledge_manage_pages
    del pledge_share_pages
    del pledge_social_pages
    # The examiners' pages and the record of every page an examiner opens, on the one blueprint.
    del examiners_views, examiner_watch
    del dividend_body_pages, dividend_manage_pages
    del statement_reconcile_pages
    del pulse_manage_pages
    app.register_blueprint(main.bp)
    app.register_blueprint(accounts_views.bp)
    app.register_blueprint(your_data_views.bp)
    app.register_blueprint(neighbourhoods_views.bp)
    app.register_blueprint(books_views.bp)
    app.register_blueprint(money_views.bp)
    app.register_blueprint(treasurer_views.bp)
    app.register_blueprint(category_views.bp)
    app.register_blueprint(fund_transfer_views.bp)
    app.register_blueprint(payments_views.bp)
    app.register_blueprint(refund_views.bp)
    csrf.exempt(payments_views.bp)
    app.register_blueprint(pledges_views.bp)
    app.register_blueprint(grants_views.bp)
    app.register_blueprint(dividends_views.bp)
    app.register_blueprint(pulse_views.bp)
    app.register_blueprint(levies_views.bp)
    app.register_blueprint(exports_views.bp)
    app.register_blueprint(examiners_bp)
    app.register_blueprint(privacy_views.bp)
    app.register_blueprint(documents_views.bp)
    app.register_blueprint(statements_views.bp)
    app.register_blueprint(alerts_views.bp)
    # The one-click unsubscribe POST comes from mail programs (RFC 8058); its unguessable key is the check.
    csrf.exempt(alerts_views.unsubscribe)
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
    for blueprint in (
        accounts_api.blp,
        neighbourhoods_api.blp,
        books_api.blp,
        treasurer_api.blp,
        category_api.blp,
        fund_transfer_api.blp,
        pledges_api.blp,
        grants_api.blp,
        levies_api.blp,
        refund_api.blp,
    ):
        api.register_blueprint(blueprint)
        csrf.exempt(blueprint)
    app.extensions["pledgebank.api"] = api
