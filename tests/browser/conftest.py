"""Browser fixtures: the real app served on a free local port, and Debian's Chromium driven by Playwright
with axe-core loaded into every page."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import BaseWSGIServer, make_server

from tests.helpers.browser import AXE, TIMEOUT_MS

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


class _Listener:
    """A server bound to a free port before the app exists, so the app's BASE_URL can name that port."""

    def __init__(self) -> None:
        self.app = None
        self.server: BaseWSGIServer = make_server("127.0.0.1", 0, self._dispatch, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def _dispatch(self, environ, start_response):
        return self.app(environ, start_response)


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for the browser tests; skipped (or failed, in CI) when Chromium is missing."""
    if not CHROMIUM.exists():
        reason = f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium chromium-driver)"
        if os.environ.get("PLEDGEBANK_REQUIRE_BROWSER") == "1":
            pytest.fail(f"PLEDGEBANK_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def listener() -> Iterator[_Listener]:
    """The bound (not yet serving) socket of this test's server."""
    bound = _Listener()
    yield bound
    bound.server.server_close()


@pytest.fixture
def app_config(app_config: dict, listener: _Listener) -> dict:
    """The shared test settings, with BASE_URL pointing at the live server so emailed links work."""
    app_config["BASE_URL"] = listener.url
    return app_config


@pytest.fixture
def live_server(app, listener: _Listener) -> Iterator[str]:
    """Serve the app in a background thread; yields its base URL."""
    listener.app = app
    thread = threading.Thread(
        target=listener.server.serve_forever, kwargs={"poll_interval": 0.05}, name="live-server", daemon=True
    )
    thread.start()
    yield listener.url
    listener.server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def context(browser, live_server: str):
    """A fresh browser profile (cookies, storage) with axe-core loaded into every page before its scripts."""
    browser_context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    browser_context.set_default_timeout(TIMEOUT_MS)
    browser_context.add_init_script(path=str(AXE))
    yield browser_context
    browser_context.close()


@pytest.fixture
def page(context):
    """A tab in the fresh profile."""
    tab = context.new_page()
    yield tab
    tab.close()
