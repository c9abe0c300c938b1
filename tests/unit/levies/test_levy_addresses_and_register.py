"""Which address lines are the same household, and reading a household register line by line."""

from __future__ import annotations

import pytest

from pledgebank.levies.addresses import normalise_address
from pledgebank.levies.register import MAX_ROWS, parse_register

SAME = [
    ("10 Elm Road", "10 elm road"),
    ("10 Elm Rd.", "10, ELM ROAD"),
    ("10 Elm Road, SE15 4AB", "10 Elm Road"),
    ("10  Elm   Road", "10 Elm Road se154ab"),
    ("Flat 2, 14 Oak Avenue", "flat 2 14 oak ave"),
    ("Apartment 2, 14 Oak Avenue", "Flat 2 14 Oak Ave."),
    ("3 St Mary's Close", "3 st marys cl"),
    ("7 High St", "7 High Street"),
]
DIFFERENT = [
    ("10 Elm Road", "11 Elm Road"),
    ("Flat 2, 14 Oak Avenue", "Flat 3, 14 Oak Avenue"),
    ("3 St Mary's Close", "3 Street Marys Close"),  # a saint is not a street
    ("10 Elm Road", "10 Elm Grove"),
]


@pytest.mark.parametrize(("one", "other"), SAME)
def test_the_same_household_written_differently(one, other):
    assert normalise_address(one) == normalise_address(other) != ""


@pytest.mark.parametrize(("one", "other"), DIFFERENT)
def test_different_households(one, other):
    assert normalise_address(one) != normalise_address(other)


def test_a_good_register_gives_every_row_with_its_line():
    rows, problems = parse_register('address,band\n10 Elm Road,C\n\n12 Elm Road,d\n"Flat 1, 3 Oak Ave",A\n')
    assert problems == []
    assert [(r.line, r.address, r.band) for r in rows] == [
        (2, "10 Elm Road", "C"),
        (4, "12 Elm Road", "D"),
        (5, "Flat 1, 3 Oak Ave", "A"),
    ]


def test_every_bad_row_is_reported_by_line_beside_the_good_ones():
    text = (
        "Address,Band\n"  # header case does not matter
        "10 Elm Road,C\n"
        ",B\n"  # 3: no address
        "12 Elm Road,J\n"  # 4: no such band
        "14 Elm Road\n"  # 5: a value missing
        "10 elm rd,C\n"  # 6: the same household as line 2
        "16 Elm Road,A,extra\n"  # 7: too many values
        "!!!,A\n"  # 8: nothing to go on
        "18 Elm Road,B\n"
    )
    rows, problems = parse_register(text)
    assert [(r.line, r.address) for r in rows] == [(2, "10 Elm Road"), (9, "18 Elm Road")]
    assert [(p.line, p.message) for p in problems] == [
        (3, "The address is missing."),
        (4, "The band must be one of A to H, not 'J'."),
        (5, "Expected 2 values (address, band), found 1."),
        (6, "The same household as line 2."),
        (7, "Expected 2 values (address, band), found 3."),
        (8, "The address has no letters or numbers."),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The first line must be the header: address,band"),
        ("street,band\n1 A Road,A\n", "The first line must be the header: address,band"),
        ("address,band\n", "The file has a header but no households."),
    ],
)
def test_files_without_a_register(text, message):
    rows, problems = parse_register(text)
    assert rows == [] and [(p.line, p.message) for p in problems] == [(1, message)]


def test_a_register_too_long_is_refused():
    text = "address,band\n" + "".join(f"{n} Long Road,A\n" for n in range(MAX_ROWS + 1))
    rows, problems = parse_register(text)
    assert len(rows) == MAX_ROWS and [p.line for p in problems] == [MAX_ROWS + 2]
