"""Database plumbing without Flask: declarative base, engines, units of work and after-commit hooks."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, DateTime, Enum, Integer, MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

log = logging.getLogger(__name__)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# A 64-bit integer that SQLite still treats as its rowid alias when it is the primary key.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def status_type(states: type[StrEnum], length: int) -> Enum:
    """A status column mapped to its enum: stored as the enum's values in a VARCHAR(length), as before (no
    database enum type, no CHECK constraint, so no migration), read back as the enum's members; a value
    outside the enum is refused before it reaches the database."""
    return Enum(
        states,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    """Declarative base for every model, with a constraint naming convention Alembic can follow."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in Python; naive UTC in the database, the same on SQLite and PostgreSQL."""

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware one is required")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


# A pooled connection unused for longer than this is pinged when checked out; a busy one is not.
PING_AFTER_IDLE_SECONDS = 10
# Connections are replaced after this long whatever happens, before a server or proxy times them out.
POOL_RECYCLE_SECONDS = 1800


def make_engine(url: str, *, ping_after_idle: float = PING_AFTER_IDLE_SECONDS, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets foreign keys, WAL, a busy timeout and write-locking transactions.

    Errors never quote the statement's values (an email address, a name) into messages and logs. A server
    database's connections are not pinged at every checkout (a round trip a unit of work): only those
    idle for `ping_after_idle` seconds; a disconnect met in use invalidates the whole pool (web/reconnect.py).
    """
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)
        _configure_sqlite(engine)
        return engine
    kwargs.setdefault("pool_recycle", POOL_RECYCLE_SECONDS)
    engine = create_engine(url, **kwargs)
    _ping_when_idle(engine, ping_after_idle)
    return engine


def _ping_when_idle(engine: Engine, seconds: float) -> None:
    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
            dbapi_connection.rollback()  # the ping's own transaction: the unit of work begins afresh
        except Exception as error:
            # The pool discards this connection and checks out another (a new one if need be).
            raise DisconnectionError("the pooled connection is gone") from error


def is_disconnect(error: BaseException) -> bool:
    """Whether error is the database connection dropping (the pool has invalidated its connections)."""
    return isinstance(error, DBAPIError) and error.connection_invalidated


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 30000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Take the write lock up front: a deferred transaction that reads and then writes fails at once
        # (SQLITE_BUSY, no waiting) when another writer committed in between.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return the session factory bound to engine; objects stay readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


def after_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run callback once the session's current transaction commits; forget it on rollback."""
    session.info.setdefault("after_commit", []).append(callback)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released: the transaction round it may still roll back
    callbacks = session.info.pop("after_commit", [])
    for callback in callbacks:
        try:
            callback()
        except Exception:
            # The transaction is committed; a failed side effect must not turn into an error response.
            log.exception("after-commit callback failed")


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_commit(session: Session, previous: Any) -> None:
    if previous.nested:
        return
    session.info.pop("after_commit", None)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """Open a session, commit if the block succeeds, roll back if it raises, close either way."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
