"""Helpers shared by several test files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BEAN_CHECK = str(Path(sys.executable).parent / "bean-check")


def _bean_check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([BEAN_CHECK, str(path)], capture_output=True, text=True, check=False)


def _hledger(hledger: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([hledger, *args], capture_output=True, text=True, check=False)
