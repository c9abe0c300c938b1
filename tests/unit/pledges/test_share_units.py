"""Short codes never look like pledge numbers; share links carry the text and the URL, escaped."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from hypothesis import given
from hypothesis import strategies as st

from pledgebank.pledges.codes import ALPHABET, LENGTH, is_short_code, new_short_code
from pledgebank.pledges.share import share_links


def test_new_codes_have_the_short_code_shape_and_no_digits_or_lookalikes():
    codes = {new_short_code() for _ in range(500)}
    assert len(codes) > 490
    for code in codes:
        assert len(code) == LENGTH and set(code) <= set(ALPHABET) and is_short_code(code)
        assert not set(code) & set("ilo0123456789")


@given(st.text(max_size=12))
def test_only_lowercase_letter_codes_of_the_right_length_pass(text):
    assert is_short_code(text) == (len(text) == LENGTH and all(c in ALPHABET for c in text.lower()))


@given(st.text(min_size=1, max_size=300))
def test_share_links_round_trip_any_text(text):
    url = "https://pledges.example.org/p/abcdefg"
    links = {link.name: link.href for link in share_links(url=url, title=text, text=text)}
    assert parse_qs(urlsplit(links["Email"]).query, keep_blank_values=True)["body"] == [f"{text} {url}"]
    assert parse_qs(urlsplit(links["X (Twitter)"]).query, keep_blank_values=True)["url"] == [url]
    for href in links.values():
        assert " " not in href and "\n" not in href and "<" not in href
