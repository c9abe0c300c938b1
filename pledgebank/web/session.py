"""The request's database session and its single commit point."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from flask import Flask, current_app, g
from sqlalchemy.orm import Session, sessionmaker

from pledgebank.clock import Clock
from pledgebank.web.input_guard import refuse_unshown_text


def db_session() -> Session:
    """The session of this request (or CLI command), opened on first use."""
    if "db_session" not in g:
        factory: sessionmaker[Session] = current_app.extensions["pledgebank.sessions"]
        g.db_session = factory()
    return g.db_session


@contextmanager
def transaction() -> Iterator[Session]:
    """The unit of work of an entry point: commit if the block succeeds, roll back if it raises.

    A request whose form holds text no field accepts (a NUL, bytes that are not UTF-8) writes nothing.
    """
    refuse_unshown_text()
    session = db_session()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


def this_app() -> Flask:
    """The app itself, not Flask's proxy to it: for work handed to a thread or kept past the request."""
    # Flask types `current_app` as the app it stands for, so the proxy's own method is unknown to checkers.
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    return app


def now() -> datetime:
    """The app clock's current time."""
    clock: Clock = current_app.extensions["pledgebank.clock"]
    return clock.now()


def _close(_error: BaseException | None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.close()


def init_app(app: Flask) -> None:
    """Close (and so roll back anything uncommitted in) the session at the end of every request."""
    app.teardown_appcontext(_close)
