"""URL converters: record ids in paths are matched only when the database could hold them."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter, Map

from pledgebank.inputs import MAX_ID


class IdConverter(IntegerConverter):
    """`<int:...>` for ids: 1 to the largest signed 64-bit integer; a longer number is a 404, not a crash."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)
