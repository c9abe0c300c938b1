"""Under gunicorn every worker is its own process: with PROMETHEUS_MULTIPROC_DIR their counts (and those of
`pledgebank run-due`) are added up by whichever worker answers /metrics, also after a worker has exited."""

from __future__ import annotations

import os
import subprocess
import sys

from prometheus_client.parser import text_string_to_metric_families

from pledgebank import PROJECT_ROOT

COUNT = """
import sys
from pledgebank import metrics
metrics.LEDGER_POSTS.labels(kind="pledge_capture").inc(int(sys.argv[1]))
metrics.REQUEST_SECONDS.labels(route="/healthz", method="GET").observe(0.01)
metrics.mark_process_dead(__import__("os").getpid())
"""
RENDER = """
from pledgebank import metrics
body, content_type = metrics.render()
print(body.decode())
"""


def _run(code: str, folder, *args: str) -> str:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(folder)}
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def _value(text: str, name: str, **labels: str) -> float:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return sample.value
    return 0.0


def test_counts_from_several_processes_are_added_up(tmp_path):
    _run(COUNT, tmp_path, "2")
    _run(COUNT, tmp_path, "3")
    assert len(list(tmp_path.glob("counter_*.db"))) == 2, "one file per process"
    text = _run(RENDER, tmp_path)
    assert _value(text, "pledgebank_ledger_posts_total", kind="pledge_capture") == 5
    assert _value(text, "pledgebank_http_request_duration_seconds_count", route="/healthz") == 2


def test_without_the_folder_a_process_reports_its_own_counts(tmp_path):
    code = COUNT.replace("sys.argv[1]", "4") + RENDER
    env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert _value(result.stdout, "pledgebank_ledger_posts_total", kind="pledge_capture") == 4
    assert list(tmp_path.iterdir()) == []
