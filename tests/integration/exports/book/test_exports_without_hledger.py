"""On a machine without `hledger` the tests that run it are skipped with the reason, and the rest pass;
PLEDGEBANK_REQUIRE_HLEDGER=1 (as in CI) turns that skip into a failure. The suite runs in a child pytest whose
PATH holds every command but hledger, as on a fresh machine."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
TOOLS_TESTS = "tests/integration/exports/book/test_exports_accounting_tools.py"
REASON = "needs the hledger command line (apt-get install hledger)"


def _path_without_hledger(farm: Path) -> str:
    """PATH with each folder holding `hledger` replaced by a folder of links to everything else in it."""
    farm.mkdir()
    folders = []
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        if not folder or not (Path(folder) / "hledger").exists():
            folders.append(folder)
            continue
        copy = farm / str(len(folders))
        copy.mkdir()
        for entry in Path(folder).iterdir():
            if entry.name != "hledger":
                (copy / entry.name).symlink_to(entry)
        folders.append(str(copy))
    return os.pathsep.join(folders)


def _run_tools_tests(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    child_env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PLEDGEBANK_FORBID_SKIPS", "PLEDGEBANK_REQUIRE_HLEDGER"}
    }
    child_env.update(env, PATH=_path_without_hledger(tmp_path / "bin"))
    probe = subprocess.run(
        ["sh", "-c", "command -v hledger"], env=child_env, capture_output=True, text=True, check=False
    )
    assert probe.returncode != 0, f"hledger is still on the child's PATH: {probe.stdout}"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", TOOLS_TESTS],
        cwd=ROOT,
        env=child_env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def test_without_hledger_its_tests_are_skipped_with_the_reason_and_the_rest_pass(tmp_path):
    result = _run_tools_tests(tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "5 passed, 7 skipped" in output, output
    assert output.count(REASON) == 5, output  # -rs groups the two journals of each parametrised test


def test_without_hledger_ci_fails_the_run_when_it_requires_hledger(tmp_path):
    result = _run_tools_tests(tmp_path, PLEDGEBANK_REQUIRE_HLEDGER="1")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "5 passed, 7 errors" in output, output
    assert f"PLEDGEBANK_REQUIRE_HLEDGER=1 but this test {REASON}" in output
