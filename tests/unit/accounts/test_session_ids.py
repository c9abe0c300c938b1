"""Session ids read back from cookies: only well-formed ids in range are accepted."""

from __future__ import annotations

import pytest

from pledgebank.accounts.sessions import SessionId, parse_session_id


def test_a_well_formed_id_reads_back():
    assert parse_session_id("12:abc:0:key") == SessionId(12, "abc", 0, "key")
    assert str(parse_session_id("12:abc:3:key")) == "12:abc:3:key"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "12:abc:0",
        "12:abc:0:",
        "²:abc:0:key",
        "١٢:abc:0:key",
        "0:abc:0:key",
        "99999999999999999999:abc:0:key",
        "12:abc::key",
        "12:abc:²:key",
        "12:abc:9999999999999999999:key",
        "12:abc:-1:key",
    ],
)
def test_malformed_or_out_of_range_ids_are_refused(raw):
    assert parse_session_id(raw) is None
