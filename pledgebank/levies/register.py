"""Reading a household register (CSV: address, band): every row checked, every problem reported by line.

Pure: the file's text in; the good rows and a list of (line number, problem) out. The caller imports
nothing from a file with any problem, and may check the good rows further to report everything at once.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from pledgebank.levies.addresses import MAX_LENGTH, normalise_address
from pledgebank.levies.bands import Band

MAX_ROWS = 5000
COLUMNS = ("address", "band")


@dataclass(frozen=True, slots=True)
class RegisterRow:
    """One household from the file, with the line it came from."""

    line: int
    address: str
    band: str
    key: str


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong, and on which line of the file (1 is the header)."""

    line: int
    message: str


def parse_register(text: str) -> tuple[list[RegisterRow], list[Problem]]:
    """The register's good rows, and every problem found (import nothing unless there are none)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = next(reader, None)
    except csv.Error as error:
        return [], [Problem(1, f"The file is not readable CSV: {error}.")]
    if header is None or [cell.strip().casefold() for cell in header] != list(COLUMNS):
        return [], [Problem(1, "The first line must be the header: address,band")]
    rows: list[RegisterRow] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) + len(problems) >= MAX_ROWS:
                problems.append(Problem(line, f"A register may have at most {MAX_ROWS} households."))
                break
            row, problem = _row(line, cells, seen)
            if problem is not None:
                problems.append(problem)
            elif row is not None:
                seen[row.key] = line
                rows.append(row)
    except csv.Error as error:
        problems.append(Problem(reader.line_num, f"This line is not readable CSV: {error}."))
    if not rows and not problems:
        problems.append(Problem(1, "The file has a header but no households."))
    return rows, problems


def _row(line: int, cells: list[str], seen: dict[str, int]) -> tuple[RegisterRow | None, Problem | None]:
    if len(cells) != len(COLUMNS):
        return None, Problem(line, f"Expected 2 values (address, band), found {len(cells)}.")
    address, band = (" ".join(cell.split()) for cell in cells)
    if not address:
        return None, Problem(line, "The address is missing.")
    if len(address) > MAX_LENGTH:
        return None, Problem(line, f"The address is longer than {MAX_LENGTH} characters.")
    key = normalise_address(address)
    if not key:
        return None, Problem(line, "The address has no letters or numbers.")
    band = band.upper()
    if band not in Band.__members__:
        return None, Problem(line, f"The band must be one of A to H, not {band or 'blank'!r}.")
    if key in seen:
        return None, Problem(line, f"The same household as line {seen[key]}.")
    return RegisterRow(line, address, band, key), None
