"""Under gunicorn with several workers and PROMETHEUS_MULTIPROC_DIR, /metrics adds up every worker's counts
(and none left from an earlier run), and the service's log lines reach standard error as JSON."""

from __future__ import annotations

import json
import signal
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

from tests.helpers.gunicorn import DEADLINE, _get, gunicorn, production_environment

TOKEN = "Mx8vQ2rTw9LpZ4sNc7bYd3kHf6gJa1eU"
REQUESTS = 12


def test_workers_counts_are_added_up_and_logs_are_json(database_url, tmp_path):
    folder = tmp_path / "metrics"
    folder.mkdir()
    (folder / "counter_1.db").write_bytes(b"left by an earlier run")
    env = production_environment(database_url, REDIS_URL="redis://127.0.0.1:6379/0", METRICS_TOKEN=TOKEN)
    env["PROMETHEUS_MULTIPROC_DIR"] = str(folder)
    with gunicorn(env, workers=2) as (process, port):
        with _get(port, "/readyz", process) as response:
            assert json.load(response)["status"] == "ready"
        for _ in range(REQUESTS - 1):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=DEADLINE) as response:
                assert response.status == 200
        scrape = urllib.request.Request(
            f"http://127.0.0.1:{port}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}
        )
        with urllib.request.urlopen(scrape, timeout=DEADLINE) as response:  # noqa: S310 - our own server
            text = response.read().decode()
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=DEADLINE)
    served = [
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "pledgebank_http_requests_total" and sample.labels["route"] == "/readyz"
    ]
    assert served == [REQUESTS], "one sum over both workers, nothing from the earlier run"
    lines = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    requests = [line for line in lines if line["message"] == "request" and line["route"] == "/readyz"]
    assert len(requests) >= REQUESTS - 1, stderr[-2000:]
    assert all(len(line["request_id"]) == 32 for line in requests)
