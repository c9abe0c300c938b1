"""Helpers shared by several test files."""

from __future__ import annotations

import re

_KEY = re.compile(r'name="form_key" type="hidden" value="([^"]+)"')


def _form(web, slug: str) -> dict[str, str]:
    page = web.get(f"/n/{slug}/ledger/record")
    assert page.status_code == 200, page.get_data(as_text=True)[:500]
    key = _KEY.search(page.get_data(as_text=True))
    assert key, "the form carries a one-time key"
    return {"form_key": key.group(1), "on": "2026-03-02", "fund": "general"}
