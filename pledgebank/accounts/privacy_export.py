"""The person's data as one JSON document, written piece by piece so it streams in bounded memory."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy.orm import Session

from pledgebank.accounts.privacy import CONSENTS_NOTE, EXPORT_FORMAT, personal_data

# Rows joined into one chunk before it is handed on: fewer, larger writes, still bounded.
ROWS_PER_CHUNK = 200


def json_chunks(session: Session, *, user_id: int, now: datetime) -> Iterator[str]:
    """The JSON document, in chunks: {"format", "user_id", "generated_at", "consents", "sections": {...}}."""
    head = {"format": EXPORT_FORMAT, "user_id": user_id, "generated_at": now.isoformat(), "consents": []}
    yield json.dumps(head)[:-1] + f", {json.dumps('consents_note')}: {json.dumps(CONSENTS_NOTE)}"
    yield ', "sections": {'
    for number, (section, rows) in enumerate(personal_data(session, user_id)):
        separator = ", " if number else ""
        yield f"{separator}{json.dumps(section.key)}: {{{json.dumps('title')}: {json.dumps(section.title)}"
        yield ', "rows": ['
        batch: list[str] = []
        first = True
        for row in rows:
            batch.append(json.dumps(row, ensure_ascii=False, sort_keys=True))
            if len(batch) == ROWS_PER_CHUNK:
                yield ("" if first else ", ") + ", ".join(batch)
                batch, first = [], False
        if batch:
            yield ("" if first else ", ") + ", ".join(batch)
        yield "]}"
    yield "}}\n"
