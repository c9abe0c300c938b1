"""Registering a taken address costs the same work as a new one and emails its owner at most hourly."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher

from pledgebank.accounts import services
from tests.helpers.app import PASSWORD, make_user
from tests.helpers.foundation import new_client, user_row

KNOWN = "known@example.org"
NOTICE = "Someone tried to register with your address"


class CountingHasher(PasswordHasher):
    """A real Argon2id hasher that counts the hashes it makes."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024)
        self.hashes = 0

    def hash(self, password, *, salt=None) -> str:
        """Hash as usual, and count it."""
        self.hashes += 1
        return super().hash(password, salt=salt)


@pytest.fixture
def app_config(app_config):
    """Several tries in a minute from one client are the point here, not the rate limit."""
    return {**app_config, "RATELIMIT_ENABLED": False}


@pytest.fixture
def hasher(app, monkeypatch) -> CountingHasher:
    """The app's password hasher, counting."""
    counting = CountingHasher()
    monkeypatch.setattr(services, "_hasher", counting)
    return counting


def _try_register(app, address: str) -> None:
    form = {"email": address, "display_name": "Somebody", "password": PASSWORD, "confirm": PASSWORD}
    response = new_client(app).post("/register", form)
    assert response.status_code == 302


def test_a_taken_address_costs_one_password_hash_like_a_new_one(app, sessions, hasher):
    make_user(sessions, KNOWN)
    before = hasher.hashes
    _try_register(app, "new@example.org")
    new_cost = hasher.hashes - before
    _try_register(app, KNOWN)
    taken_cost = hasher.hashes - before - new_cost
    assert new_cost == 1
    assert taken_cost == new_cost, "the password is hashed whether or not the address is taken"


def test_the_owner_of_a_taken_address_is_emailed_at_most_once_an_hour(app, sessions, outbox, clock):
    make_user(sessions, KNOWN)
    for _ in range(4):
        _try_register(app, KNOWN)
    assert [mail.subject for mail in outbox.to(KNOWN)] == [NOTICE]

    clock.advance(timedelta(minutes=59, seconds=59))
    _try_register(app, "Known@Example.org")
    assert len(outbox.to(KNOWN)) == 1, "still within the hour"

    clock.advance(timedelta(seconds=1))
    _try_register(app, KNOWN)
    _try_register(app, KNOWN)
    assert [mail.subject for mail in outbox.to(KNOWN)] == [NOTICE, NOTICE], "one more after the hour"
    assert user_row(sessions, KNOWN).registration_notice_at == clock.now()
