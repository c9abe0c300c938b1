"""scripts/bench_all.py still runs: at its smallest sizes, two measures each print a ratio line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.environment import PG_ADMIN_URL

pytestmark = pytest.mark.postgres

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "bench_all.py"
# measure | ours | baseline | ratio (a number) | target | verdict
RATIO_LINE = r"^{measure}[^|]*\|[^|]+\|[^|]+\| (\d+\.\d+)\s*\|[^|]+\| (met|NOT met)$"


def test_bench_all_prints_a_ratio_line_per_measure():
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--smoke", "--only", "scoped,writers", "--admin-url", PG_ADMIN_URL],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    for measure in ("small book page beside", "one book, 4 writers vs 1 writer"):
        found = re.search(RATIO_LINE.format(measure=re.escape(measure)), run.stdout, re.MULTILINE)
        assert found, f"no ratio line for {measure!r} in:\n{run.stdout}"
        assert float(found.group(1)) > 0
