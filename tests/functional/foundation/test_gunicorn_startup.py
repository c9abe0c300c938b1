"""Under gunicorn, settings that refuse stop the whole server (not a worker respawning forever), and good
production settings serve pages with HSTS and without naming the server software."""

from __future__ import annotations

import socket
import subprocess

import pytest

from tests.helpers.gunicorn import DEADLINE, _get, gunicorn, production_environment


def _redis_running() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def production_env(database_url: str) -> dict[str, str]:
    """Well-formed production settings for a gunicorn process (fake Stripe keys, a mail server never used)."""
    return production_environment(database_url, RATELIMIT_SINGLE_PROCESS="1")


def _exit_status(process: subprocess.Popen) -> int:
    try:
        return process.wait(timeout=DEADLINE)
    except subprocess.TimeoutExpired:
        pytest.fail(f"gunicorn was still running {DEADLINE} s after its workers refused to start")


def _reasons(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("pledgebank: ")]


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"PLEDGEBANK_DEMO": "1"}, "PLEDGEBANK_DEMO"),
        ({"PLEDGEBANK_BASE_URL": "http://pledgebank.example"}, "PLEDGEBANK_BASE_URL"),
        ({"PLEDGEBANK_ENV": "Production"}, "PLEDGEBANK_ENV"),
    ],
    ids=["demo", "http-base-url", "misspelt-environment"],
)
def test_refusing_settings_stop_the_gunicorn_master(production_env, changes, named):
    # Shared rate limits, so that the workers themselves load the app and refuse (Redis is not contacted).
    env = {**production_env, "PLEDGEBANK_REDIS_URL": "redis://127.0.0.1:6379/0", **changes}
    del env["PLEDGEBANK_RATELIMIT_SINGLE_PROCESS"]
    with gunicorn(env, workers=2) as (process, _port):
        status = _exit_status(process)
        stderr = process.stderr.read()
    assert status == 4, "gunicorn's 'App failed to load' status"
    reasons = _reasons(stderr)
    assert reasons, stderr
    assert all(reason.startswith("pledgebank: refusing to start") for reason in reasons), reasons
    assert named in reasons[0], reasons[0]
    assert "Traceback" not in stderr, stderr


def test_a_refusing_worker_stops_gunicorn_without_the_project_settings_file(production_env, tmp_path):
    # Started with another settings file, gunicorn does not check first: the worker's own refusal stops it.
    other = tmp_path / "gunicorn.conf.py"
    other.write_text("")
    env = {**production_env, "PLEDGEBANK_DEMO": "1"}
    with gunicorn(env, workers=1, extra=("-c", str(other))) as (process, _port):
        status = _exit_status(process)
        stderr = process.stderr.read()
    assert status == 4, stderr
    assert "Booting worker" in stderr  # the worker loaded the app, refused, and the master stopped
    assert [reason for reason in _reasons(stderr) if "PLEDGEBANK_DEMO" in reason], stderr


def test_single_process_rate_limits_with_several_workers_stop_gunicorn(production_env):
    with gunicorn(production_env, workers=2) as (process, _port):
        status = _exit_status(process)
        stderr = process.stderr.read()
    assert status != 0
    reasons = _reasons(stderr)
    assert len(reasons) == 1, stderr
    assert "PLEDGEBANK_RATELIMIT_SINGLE_PROCESS" in reasons[0] and "2" in reasons[0], reasons[0]


def test_good_production_settings_serve_pages_under_gunicorn(production_env):
    env, workers = production_env, 1
    if _redis_running():
        env = {**env, "PLEDGEBANK_REDIS_URL": "redis://127.0.0.1:6379/0"}
        del env["PLEDGEBANK_RATELIMIT_SINGLE_PROCESS"]
        workers = 2
    with gunicorn(env, workers=workers) as (process, port), _get(port, "/", process) as response:
        assert response.status == 200
        headers = response.headers
    banner = " ".join(headers.get_all("Server") or []).lower()
    assert "gunicorn" not in banner and "werkzeug" not in banner, banner
    assert "max-age=" in headers["Strict-Transport-Security"]
    assert "includeSubDomains" in headers["Strict-Transport-Security"]
