"""Charity and company numbers, postcodes and ONS area codes as people type them: tidied when their shape is
right, refused with a sentence when it is not; an organisation's numbers give its org-id."""

from __future__ import annotations

import pytest

from pledgebank import registers


@pytest.mark.parametrize(
    ("check", "typed", "kept"),
    [
        (registers.charity_number, " 1100123 ", "1100123"),
        (registers.charity_number, "sc 012345", "SC012345"),
        (registers.charity_number, "212345", "212345"),
        (registers.company_number, "1234567", "01234567"),
        (registers.company_number, "sc123456", "SC123456"),
        (registers.postcode, "se154ql", "SE15 4QL"),
        (registers.postcode, "EC1A  1BB", "EC1A 1BB"),
        (registers.area_code, "e05013806", "E05013806"),
        (registers.area_code, "W05000041", "W05000041"),
    ],
)
def test_good_numbers_are_tidied(check, typed, kept):
    assert check(typed) == kept


@pytest.mark.parametrize(
    ("check", "typed"),
    [
        (registers.charity_number, "12345"),
        (registers.charity_number, "12345678"),
        (registers.charity_number, "CHC1100123"),
        (registers.company_number, "123"),
        (registers.company_number, "ABC12345"),
        (registers.postcode, "SE15"),
        (registers.postcode, "12345"),
        (registers.area_code, "E0501380"),
        (registers.area_code, "X05013806"),
        (registers.area_code, "SE15 4QL"),
    ],
)
def test_bad_numbers_are_refused_with_a_sentence(check, typed):
    with pytest.raises(ValueError, match=r"^Give "):
        check(typed)


def test_org_ids_come_from_the_register_that_gave_the_number():
    assert registers.org_id(charity="1100123") == "GB-CHC-1100123"
    assert registers.org_id(charity="SC012345") == "GB-SC-SC012345"
    assert registers.org_id(company="01234567") == "GB-COH-01234567"
    assert registers.org_id(charity="1100123", company="01234567") == "GB-CHC-1100123"
    assert registers.org_id() is None
