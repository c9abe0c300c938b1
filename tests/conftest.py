"""Fixtures shared by every test: a fresh migrated database per test (SQLite file, or PostgreSQL when
PLEDGEBANK_TEST_DATABASE_URL names a server), the app with a frozen clock, and a browser-like client."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from pledgebank import create_app
from pledgebank.clock import Clock
from pledgebank.migrate import upgrade
from tests.helpers.app import Outbox, WebClient, with_stripe
from tests.helpers.environment import PG_ADMIN_URL, START, free_port
from tests.helpers.log_scan import RunLog

ON_POSTGRES = bool(PG_ADMIN_URL)
_counter = itertools.count(1)
_RUN_LOG = pytest.StashKey[RunLog]()


# Every test in these folders runs against the Stripe emulator (the `stripe` marker; other tests ask for it
# with `pytestmark = pytest.mark.stripe`).
STRIPE_FOLDERS = ("functional/pledges", "functional/levies", "integration/pledges", "integration/levies")
_TESTS = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the Stripe folders' tests; skip PostgreSQL-only tests, with the reason, on SQLite."""
    for item in items:
        folder = item.path.parent.relative_to(_TESTS).as_posix()
        if folder in STRIPE_FOLDERS:
            item.add_marker(pytest.mark.stripe)
    if ON_POSTGRES:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set PLEDGEBANK_TEST_DATABASE_URL")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def pytest_configure(config: pytest.Config) -> None:
    """Write every log record of the run to a file as the service writes logs (checked at the end)."""
    folder = Path(tempfile.mkdtemp(prefix="pledgebank-run-log-"))
    run_log = RunLog(folder / "run.jsonl")
    run_log.start()
    config.stash[_RUN_LOG] = run_log


def _check_run_log(session: pytest.Session) -> None:
    """Fail the run if any log line written during it holds an email address, a demo name or a secret key."""
    run_log = session.config.stash.get(_RUN_LOG, None)
    if run_log is None:
        return
    leaking = run_log.stop()
    shutil.rmtree(run_log.path.parent, ignore_errors=True)
    if not leaking:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter:
        reporter.write_line(f"{len(leaking)} log line(s) hold personal data or secrets:", red=True)
        for line, found in leaking[:10]:
            reporter.write_line(f"  {found}: {line.strip()[:300]}", red=True)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Check the run's logs; with PLEDGEBANK_FORBID_SKIPS=1 (CI's PostgreSQL run) any skip fails the run."""
    _check_run_log(session)
    if not os.environ.get("PLEDGEBANK_FORBID_SKIPS"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(
            f"PLEDGEBANK_FORBID_SKIPS: {len(skipped)} test(s) skipped; this run must skip none", red=True
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def hledger() -> str:
    """The `hledger` command's path; its tests are skipped (or failed, in CI) when it is not installed."""
    found = shutil.which("hledger")
    if found is None:
        reason = "needs the hledger command line (apt-get install hledger)"
        if os.environ.get("PLEDGEBANK_REQUIRE_HLEDGER") == "1":
            pytest.fail(f"PLEDGEBANK_REQUIRE_HLEDGER=1 but this test {reason}", pytrace=False)
        pytest.skip(reason)
    return found


def _admin_engine():
    return create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


def _pg_url(name: str) -> str:
    return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database migrated once per run; each test gets a copy."""
    if ON_POSTGRES:
        name = f"pbt_template_{os.getpid()}"
        admin = _admin_engine()
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
            connection.execute(text(f"CREATE DATABASE {name}"))
        upgrade(_pg_url(name))
        yield name
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
    else:
        path = tmp_path_factory.mktemp("template") / "template.sqlite3"
        upgrade(f"sqlite:///{path}")
        yield str(path)


@pytest.fixture
def database_url(database_template: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated, empty database for this test."""
    if ON_POSTGRES:
        name = f"pbt_{os.getpid()}_{next(_counter)}"
        admin = _admin_engine()
        with admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name} TEMPLATE {database_template}"))
        yield _pg_url(name)
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
    else:
        path = tmp_path / "pledgebank.sqlite3"
        shutil.copyfile(database_template, path)
        yield f"sqlite:///{path}"


@pytest.fixture
def clock() -> Clock:
    """The app's clock, frozen at a fixed instant; tests move it with clock.advance()."""
    return Clock(frozen_at=START)


@pytest.fixture
def app_config(request: pytest.FixtureRequest, database_url: str, tmp_path: Path, clock: Clock) -> dict:
    """Settings for the test app; a test may change them before asking for `app`. A test marked `stripe`
    gets the app pointed at the Stripe emulator, emptied for it, in Stripe's test mode."""
    config = {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "MAIL_OUTBOX": str(tmp_path / "outbox"),
        "DOCUMENT_DIR": str(tmp_path / "documents"),
        "SMS_OUTBOX": str(tmp_path / "texts"),
        "BASE_URL": "http://localhost",
        "CLOCK": clock,
        # Real Argon2id at a low cost: the suite creates hundreds of users.
        "PASSWORD_HASH_TIME_COST": 1,
        "PASSWORD_HASH_MEMORY_KIB": 1024,
    }
    if request.node.get_closest_marker("stripe"):
        config = with_stripe(config, request.getfixturevalue("stripe_api"))
    return config


@pytest.fixture
def app(app_config: dict):
    """The app, bound to this test's database."""
    application = create_app(app_config)
    yield application
    application.extensions["pledgebank.engine"].dispose()


@pytest.fixture
def outbox(app) -> Outbox:
    """The emails the app has written."""
    return Outbox(Path(app.config["MAIL_OUTBOX"]))


@pytest.fixture
def web(app) -> WebClient:
    """A test client that fills in CSRF tokens the way a browser submitting our forms would."""
    return WebClient(app.test_client())


@pytest.fixture
def sessions(app):
    """The app's session factory, for arranging data and checking results in tests."""
    return app.extensions["pledgebank.sessions"]


@pytest.fixture(scope="session")
def stripe_emulator() -> Iterator[str]:
    """The Stripe emulator (localstripe through our launcher) on a free local port, for the whole run."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "pledgebank.payments.emulator", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(f"{base}/v1/customers", timeout=1)  # noqa: S310 - our own local emulator
            break
        except urllib.error.HTTPError:
            break  # it answers (401 without a key): it is up
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"the Stripe emulator exited: {process.stderr.read().decode()}") from None
            time.sleep(0.1)
    else:
        process.kill()
        raise RuntimeError("the Stripe emulator did not start within 30 s")
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def stripe_api(stripe_emulator: str) -> str:
    """The emulator, emptied for this test."""
    request = urllib.request.Request(f"{stripe_emulator}/_config/data", method="DELETE")  # noqa: S310
    urllib.request.urlopen(request, timeout=5)  # noqa: S310
    return stripe_emulator
