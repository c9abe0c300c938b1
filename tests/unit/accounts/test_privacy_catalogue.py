"""Every table that refers to a user, or holds emails or names, is in the right-of-access export or is listed
as not personal with a reason: a new table cannot be forgotten."""

from __future__ import annotations

import importlib
import pkgutil
import re

from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table

import pledgebank
from pledgebank.accounts import privacy
from pledgebank.db import Base

LOOKS_PERSONAL = re.compile(r"email|name|address|phone")


def _all_tables():
    for module in pkgutil.walk_packages(pledgebank.__path__, "pledgebank."):
        if module.name.rsplit(".", 1)[-1].endswith("models"):
            importlib.import_module(module.name)
    return Base.metadata.sorted_tables


def _refers_to_users(column) -> bool:
    return any(key.column.table.name == "users" and key.column.name == "id" for key in column.foreign_keys)


def unaccounted_references(tables) -> list[str]:
    """Columns referring to users.id that no section exports and NOT_PERSONAL does not explain."""
    covered = {(s.table.name, name) for s in privacy.SECTIONS for name in s.user_columns}
    return [
        f"{table.name}.{column.name}"
        for table in tables
        for column in table.columns
        if _refers_to_users(column)
        and (table.name, column.name) not in covered
        and f"{table.name}.{column.name}" not in privacy.NOT_PERSONAL
    ]


def unaccounted_text(tables) -> list[str]:
    """Columns named like emails, names, addresses or phones in tables no section exports, unexplained."""
    exported = {s.table.name for s in privacy.SECTIONS}
    return [
        f"{table.name}.{column.name}"
        for table in tables
        for column in table.columns
        if LOOKS_PERSONAL.search(column.name)
        and table.name not in exported
        and f"{table.name}.{column.name}" not in privacy.NOT_PERSONAL
    ]


def test_every_user_reference_is_exported_or_listed_as_not_personal():
    missing = unaccounted_references(_all_tables())
    assert not missing, f"add these to privacy.SECTIONS or privacy.NOT_PERSONAL: {missing}"


def test_every_column_holding_emails_or_names_is_exported_or_listed_as_not_personal():
    missing = unaccounted_text(_all_tables())
    assert not missing, f"add these to privacy.SECTIONS or privacy.NOT_PERSONAL: {missing}"


def test_the_lists_name_real_columns_and_never_show_a_secret():
    tables = {table.name: table for table in _all_tables()}
    for section in privacy.SECTIONS:
        for name in section.user_columns:
            column = tables[section.table.name].c[name]
            assert _refers_to_users(column) or column is tables["users"].c.id, f"{section.key}: {name}"
        assert not set(section.columns) & privacy.SECRET_COLUMNS
        assert section.owned_by(1) is not None
    for dotted in privacy.NOT_PERSONAL:
        table, column = dotted.split(".")
        assert column in tables[table].c, dotted
    assert len({s.key for s in privacy.SECTIONS}) == len(privacy.SECTIONS)


def test_a_new_table_referring_to_users_or_holding_names_fails_the_checks():
    scratch = MetaData()
    Table("users", scratch, Column("id", Integer, primary_key=True))
    notes = Table(
        "neighbour_notes",
        scratch,
        Column("id", Integer, primary_key=True),
        Column("author_id", ForeignKey("users.id")),
        Column("contact_email", String(254)),
    )
    assert unaccounted_references([notes]) == ["neighbour_notes.author_id"]
    assert unaccounted_text([notes]) == ["neighbour_notes.contact_email"]
