"""Every request an examiner makes, recorded in the audit log of the neighbourhood they examine.

Before a request: an examiner who is not a member of the neighbourhood a page belongs to may only read
there; any write (a POST, PUT, PATCH or DELETE) is refused with 403 before the page runs, whatever the form
holds. After it: a page of the neighbourhood they examine is recorded as opened ("examiner.viewed") or, for
a write or a refusal, as refused ("examiner.refused"); a refusal anywhere else (another neighbourhood's
ledger, say) is recorded as refused in the log of each neighbourhood they examine.
"""

from __future__ import annotations

from flask import Response, g, request
from sqlalchemy import select

from pledgebank.api.auth import api_user_id
from pledgebank.errors import Forbidden
from pledgebank.examiners import services
from pledgebank.examiners.models import ExaminerAppointment
from pledgebank.examiners.web.blueprint import bp
from pledgebank.neighbourhoods.models import Neighbourhood, Role
from pledgebank.policy import roles_of
from pledgebank.web.auth import current_user_id
from pledgebank.web.observability import note_actor
from pledgebank.web.session import db_session, now

READS = ("GET", "HEAD", "OPTIONS")


def _examining() -> tuple[int, list[ExaminerAppointment]] | None:
    """The signed-in user (or the API token's) and their appointments in force, or None for everyone who
    examines nothing."""
    if request.endpoint in (None, "static", "health.live", "health.ready"):
        return None
    user_id = current_user_id() or g.get("actor_id")
    if user_id is None:
        return None
    found = services.examining(db_session(), user_id=user_id)
    return (user_id, found) if found else None


def _place_id() -> int | None:
    """The neighbourhood the requested page belongs to, when its address names one."""
    slug = (request.view_args or {}).get("slug")
    if not isinstance(slug, str):
        return None
    return db_session().scalar(select(Neighbourhood.id).where(Neighbourhood.slug == slug))


@bp.before_app_request
def refuse_examiners_writes() -> None:
    """An examiner who is not a member writes nothing in the neighbourhood they examine (with an API token
    too: the token is read first, so that even a request the API would refuse as malformed answers 403)."""
    if request.method in READS:
        return
    if request.headers.get("Authorization") and (request.view_args or {}).get("slug"):
        note_actor(api_user_id(required=False))
    examining = _examining()
    place_id = _place_id() if examining else None
    if examining is None or place_id is None:
        return
    user_id, appointments = examining
    examined = any(a.neighbourhood_id == place_id for a in appointments)
    if examined and (roles_of(db_session(), user_id, place_id) or frozenset()) <= {Role.EXAMINER}:
        raise Forbidden("An examiner can read the books but change nothing.")


@bp.after_app_request
def record_examiners_pages(response: Response) -> Response:
    """Record what an examiner opened, or was refused, in the log of the neighbourhood they examine."""
    if response.status_code != 403 and not (request.view_args or {}).get("slug"):
        return response  # not a neighbourhood's page, and not refused: nobody's examination (and no query)
    examining = _examining()
    if examining is None:
        return response
    user_id, appointments = examining
    place_id = _place_id()
    # Their own account's pages (signing in and out, say) are theirs; a refusal anywhere is the examination's.
    refused = response.status_code == 403
    chosen = [a for a in appointments if a.neighbourhood_id == place_id or refused]
    if not chosen:
        return response
    session = db_session()
    session.rollback()  # nothing the page left unsaved is saved with the record
    for appointment in chosen:
        services.record_visit(
            session,
            appointment=appointment,
            user_id=user_id,
            path=request.full_path.rstrip("?"),
            method=request.method,
            status=response.status_code,
            now=now(),
        )
    session.commit()
    return response
