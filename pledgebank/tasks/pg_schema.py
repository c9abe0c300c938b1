"""procrastinate's schema as the installed package ships it, for the migration that applies it, and the
names of what it creates (Alembic's comparison with our models leaves them out)."""

from __future__ import annotations

from importlib.metadata import version
from importlib.resources import files

PREFIX = "procrastinate_"

# Everything the schema creates, in an order that drops cleanly (functions found by name).
DROP_SQL = """
DROP TABLE IF EXISTS procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs,
    procrastinate_workers CASCADE;
DO $$
DECLARE
    found record;
BEGIN
    FOR found IN
        SELECT p.oid::regprocedure AS signature
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate\\_%'
    LOOP
        EXECUTE 'DROP FUNCTION ' || found.signature || ' CASCADE';
    END LOOP;
END;
$$;
DROP TYPE IF EXISTS procrastinate_job_to_defer_v1, procrastinate_job_event_type, procrastinate_job_status;
"""


def installed_version() -> str:
    """The version of procrastinate installed here."""
    return version("procrastinate")


def schema_sql() -> str:
    """The whole schema of the installed procrastinate (tables, types, functions, triggers)."""
    return files("procrastinate.sql").joinpath("schema.sql").read_text(encoding="utf-8")


def record_version_sql(applied: str) -> str:
    """The statement that records which procrastinate version's schema the database has."""
    if not all(part.isalnum() for part in applied.split(".")):
        raise ValueError(f"not a version: {applied!r}")
    return f"COMMENT ON TABLE procrastinate_jobs IS 'procrastinate {applied}'"


def is_queue_table(name: str | None) -> bool:
    """True for procrastinate's own tables, which no model of ours describes."""
    return bool(name) and str(name).startswith(PREFIX)
