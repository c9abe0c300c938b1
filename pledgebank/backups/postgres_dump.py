"""PostgreSQL: `pg_dump -Fc` of one exported snapshot, and `pg_restore` into an empty database.

The manifest's chain heads are read in the very snapshot pg_dump copies (`pg_export_snapshot`), so they agree
with the dump however many transactions commit while it runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from pledgebank.backups.heads import alembic_revision, book_heads
from pledgebank.backups.manifest import BackupRefused, BookHead

# Schemas of ours, not the system's: what an empty database has none of (bar an empty public schema).
_OURS = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'"
_COUNT_SQL = {
    "tables, views or sequences": """
        SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE _OURS_ AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')""",
    "functions": """
        SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE _OURS_""",
    "types": """
        SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE _OURS_ AND (t.typtype IN ('e', 'd', 'r', 'm') OR (t.typtype = 'c' AND EXISTS
                        (SELECT 1 FROM pg_class k WHERE k.oid = t.typrelid AND k.relkind = 'c')))""",
    "schemas besides public": """
        SELECT count(*) FROM pg_namespace n WHERE _OURS_ AND n.nspname <> 'public'""",
}
_COUNTS = {what: sql.replace("_OURS_", _OURS) for what, sql in _COUNT_SQL.items()}
_OTHER_SCHEMAS = (
    "SELECT n.nspname FROM pg_namespace n WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
    "AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'public'"
)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupRefused(
            f"{name} is not installed (it comes with the PostgreSQL client, postgresql-client)"
        )
    return found


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """The URL as libpq takes it; the password goes in the environment, not on the command line."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    uri = parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return uri, env


def _connect(engine: Engine) -> Connection:
    """A connection, or BackupRefused with the server's one-line reason it could not be made."""
    try:
        return engine.connect()
    except OperationalError as error:
        reason = str(error.orig or error).strip().splitlines()[0]
        raise BackupRefused(f"cannot connect to the database {engine.url.database}: {reason}") from None


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    finished = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if finished.returncode != 0:
        detail = (finished.stderr or finished.stdout).strip().splitlines()
        raise BackupRefused(
            f"{what} failed: {detail[-1] if detail else f'exit status {finished.returncode}'}"
        )


def dump_database(url: str, destination: Path) -> tuple[tuple[BookHead, ...], str | None]:
    """Dump the database in custom format; the chain heads and revision as the dump's snapshot holds them."""
    pg_dump = _tool("pg_dump")
    uri, env = _libpq(url)
    engine = create_engine(url, poolclass=NullPool, isolation_level="REPEATABLE READ")
    try:
        connection = _connect(engine)
        with connection, connection.begin():
            snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            heads, revision = book_heads(connection), alembic_revision(connection)
            # The exporting transaction stays open until pg_dump has taken the snapshot and finished.
            _run(
                [
                    pg_dump,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={destination}",
                    f"--dbname={uri}",
                ],
                env,
                "pg_dump",
            )
    finally:
        engine.dispose()
    return heads, revision


def _counts(connection: Connection) -> dict[str, int]:
    return {what: connection.execute(text(sql)).scalar_one() for what, sql in _COUNTS.items()}


def refuse_unless_empty(url: str) -> None:
    """BackupRefused unless the target database holds no tables, functions, types or schemas of its own."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with _connect(engine) as connection:
            found = {what: count for what, count in _counts(connection).items() if count}
    finally:
        engine.dispose()
    if found:
        held = ", ".join(f"{count} {what}" for what, count in found.items())
        name = make_url(url).database
        raise BackupRefused(
            f"the target database {name} is not empty ({held}): restore only into an empty one"
        )


def restore_database(dump: Path, url: str) -> None:
    """pg_restore the dump in one transaction: all of it, or nothing if it fails part way."""
    pg_restore = _tool("pg_restore")
    uri, env = _libpq(url)
    command = [
        pg_restore,
        "--exit-on-error",
        "--single-transaction",
        "--no-owner",
        "--no-privileges",
        f"--dbname={uri}",
        str(dump),
    ]
    _run(command, env, "pg_restore")


def remove_restored(url: str) -> None:
    """Drop everything the restore created, leaving the database as empty as it was found."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            schemas = connection.execute(text(_OTHER_SCHEMAS)).scalars()
            for schema in list(schemas):
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            statements = connection.execute(
                text(
                    """
                    SELECT format('DROP %s IF EXISTS public.%I CASCADE',
                        CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                            WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
                        c.relname)
                    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                    -- an identity column's sequence goes with its table (it cannot be dropped on its own)
                    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'i')
                    UNION ALL
                    SELECT format('DROP ROUTINE IF EXISTS public.%I(%s) CASCADE', p.proname,
                        pg_get_function_identity_arguments(p.oid))
                    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
                    UNION ALL
                    SELECT format('DROP TYPE IF EXISTS public.%I CASCADE', t.typname)
                    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                    WHERE n.nspname = 'public'
                    AND (t.typtype IN ('e', 'd', 'r', 'm') OR (t.typtype = 'c' AND EXISTS
                        (SELECT 1 FROM pg_class k WHERE k.oid = t.typrelid AND k.relkind = 'c')))
                    """
                )
            ).scalars()
            for statement in list(statements):
                connection.execute(text(statement))
    finally:
        engine.dispose()
