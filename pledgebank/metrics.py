"""Prometheus counters of what the service does; plain objects that services, jobs and views may all use.

Labels are always small fixed sets (a route's rule, never its raw path; a status; a kind of work), so the
number of series stays bounded whatever the traffic. Under gunicorn, set PROMETHEUS_MULTIPROC_DIR (an empty
folder, the same for every worker and for `pledgebank run-due`) before the processes start: each process then
writes its counts to files there and `render()` adds them up.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

REQUESTS = Counter(
    "pledgebank_http_requests",
    "HTTP requests answered, by route (the URL rule, not the path), method and status.",
    ["route", "method", "status"],
)
REQUEST_SECONDS = Histogram(
    "pledgebank_http_request_duration_seconds",
    "Time to answer an HTTP request, by route and method.",
    ["route", "method"],
)
PAYMENT_ATTEMPTS = Counter(
    "pledgebank_payment_attempts",
    "Card payment calls to Stripe (holds, charges, captures, cancels, refunds), by operation and outcome.",
    ["operation", "outcome"],
)
WEBHOOK_EVENTS = Counter(
    "pledgebank_webhook_events",
    "Stripe webhook deliveries, by event type and what became of them.",
    ["type", "result"],
)
DUE_ITEMS = Counter(
    "pledgebank_due_items",
    "Pieces of time-driven work (run-due), by kind and whether they were done or failed (postponed).",
    ["kind", "result"],
)
DUE_RUNS = Counter(
    "pledgebank_due_runs", "Runs of the due work, by result (completed or failed).", ["result"]
)
LEDGER_POSTS = Counter(
    "pledgebank_ledger_posts", "Transactions sealed into a book's ledger (committed), by kind.", ["kind"]
)
EMAILS = Counter(
    "pledgebank_emails",
    "Emails handed for delivery after their transaction committed (queued), then sent or failed.",
    ["result"],
)

# Outcomes of a payment call as labels; anything else a gateway returns is counted as "other".
PAYMENT_OUTCOMES = frozenset(
    {
        "authorised",
        "succeeded",
        "needs_authentication",
        "declined",
        "canceled",
        "processing",
        "failed",
        "pending",
        "requires_action",
    }
)
# Words in a due-work kind that mean the work could not be done in this run and waits for the next.
_FAILED_WORDS = ("postponed", "waiting")


def payment_outcome(result: Any) -> str:
    """The label for what a payment call returned (a Payment or a Refund, by its status)."""
    status = str(getattr(result, "status", "") or "")
    return status if status in PAYMENT_OUTCOMES else "other"


def count_payment(operation: str, outcome: str) -> None:
    """Count one payment call's outcome."""
    PAYMENT_ATTEMPTS.labels(operation=operation, outcome=outcome).inc()


def count_due(done: dict[str, int]) -> None:
    """Count one run's work, as run-due reports it (kind -> how many)."""
    for kind, count in done.items():
        if not kind or count <= 0:
            continue
        failed = any(word in kind for word in _FAILED_WORDS)
        DUE_ITEMS.labels(kind=kind, result="failed" if failed else "done").inc(count)


def multiprocess_dir() -> str | None:
    """The folder the processes share their counts through, if this is a multi-process deployment."""
    return os.environ.get(MULTIPROC_ENV) or None


def render() -> tuple[bytes, str]:
    """Every metric in Prometheus's text format, summed over all processes when they share a folder."""
    if multiprocess_dir():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


class _Snapshot(Collector):
    """Gauges read at the scrape (the queue's state from the database), outside the per-process counters."""

    def __init__(self, jobs: dict[str, int], oldest_due_seconds: float) -> None:
        self.jobs, self.oldest_due_seconds = jobs, oldest_due_seconds

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """The two gauges."""
        by_state = GaugeMetricFamily(
            "pledgebank_jobs", "Jobs in the task queue, by state (queued, running, dead).", labels=["status"]
        )
        for status, count in sorted(self.jobs.items()):
            by_state.add_metric([status], count)
        yield by_state
        yield GaugeMetricFamily(
            "pledgebank_jobs_oldest_due_seconds",
            "Seconds the oldest job that is due has waited to be run (0 when none is due).",
            value=self.oldest_due_seconds,
        )


def render_queue(jobs: dict[str, int], oldest_due_seconds: float) -> bytes:
    """The task queue's gauges in Prometheus's text format, to follow `render()`'s output."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Snapshot(jobs, oldest_due_seconds))
    return generate_latest(registry)


def mark_process_dead(pid: int) -> None:
    """Tell the shared folder that a worker process has exited (gunicorn's child_exit hook)."""
    if multiprocess_dir():
        multiprocess.mark_process_dead(pid)
