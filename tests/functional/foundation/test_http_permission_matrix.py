"""Each guarded endpoint, asked by each kind of person, in their own neighbourhood and in another one.

The people and neighbourhoods are built once (password hashing makes people slow to create) and every
endpoint is asked by every one of them; a failure lists every wrong answer at once.

Allowed means a 2xx, or a 3xx that is not a trip to the sign-in page; refused means 403, or (signed out) a
redirect to sign in, or 401 from the API. The allowed roles are written out here, not read from the policy.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from itertools import count

from tests.helpers.foundation import (
    ROLES,
    World,
    build_world,
    new_client,
    signed_in_client,
)


@dataclass(frozen=True)
class Endpoint:
    """One guarded request and who may make it in their own neighbourhood (nobody may in another)."""

    name: str
    method: str
    path: str
    allowed: frozenset[str]

    def url(self, world: World, place: str) -> str:
        """The request path for the place."""
        return self.path.format(slug=world.slug(place), target=world.target[place])


OFFICERS = frozenset({"committee", "treasurer", "chair"})
# The officers, and the independent examiner appointed there (who reads, and writes nothing).
READERS = OFFICERS | {"examiner"}
ENDPOINTS = [
    Endpoint(
        "members page", "GET", "/n/{slug}/members", frozenset({"resident", "committee", "treasurer", "chair"})
    ),
    Endpoint("audit page", "GET", "/n/{slug}/audit", READERS),
    Endpoint("add a fund", "POST", "/n/{slug}/funds", frozenset({"committee", "chair"})),
    Endpoint("ledger page", "GET", "/n/{slug}/ledger", READERS),
    Endpoint("ledger API", "GET", "/api/v1/neighbourhoods/{slug}/ledger/balances", READERS),
    Endpoint("exports page", "GET", "/n/{slug}/exports", frozenset({"treasurer", "chair"})),
    Endpoint("export download", "POST", "/n/{slug}/exports/download", frozenset({"treasurer", "chair"})),
    Endpoint("statements page", "GET", "/n/{slug}/statements", READERS),
    Endpoint("trial balance", "GET", "/n/{slug}/statements/trial-balance?on=2026-03-02&as=csv", READERS),
    Endpoint("examiners page", "GET", "/n/{slug}/examiners", frozenset({"chair"})),
    Endpoint("appoint an examiner", "POST", "/n/{slug}/examiners", frozenset({"chair"})),
    Endpoint("examination", "GET", "/n/{slug}/examination", READERS),
    Endpoint("bank statements page", "GET", "/n/{slug}/bank", READERS),
    Endpoint("bank reconciliation", "GET", "/n/{slug}/bank/reconcile?on=2026-03-01", READERS),
    Endpoint("upload a bank statement", "POST", "/n/{slug}/bank/upload", frozenset({"treasurer", "chair"})),
    # Last: the chair's allowed change makes the target a committee member, which no check after it reads.
    Endpoint("role change", "POST", "/n/{slug}/members/{target}/roles", frozenset({"chair"})),
]
_fund_names = count(1)
# A one-line statement, uploaded by each who may (the same line again is stored once, and still answers 302).
STATEMENT = b"Date,Description,Amount,Balance\n2026-02-27,CREDIT INTEREST,0.42,0.42\n"
BANK_MAPPING = {
    "bank": "Test Bank",
    "date_column": "Date",
    "date_format": "%Y-%m-%d",
    "description_column": "Description",
    "amount_column": "Amount",
    "paid_in_column": "",
    "paid_out_column": "",
    "reference_column": "",
    "balance_column": "Balance",
}


def _request(client, endpoint: Endpoint, url: str):
    if endpoint.method == "GET":
        return client.get(url)
    if url.endswith("/bank/upload"):
        statement = (io.BytesIO(STATEMENT), "statement.csv")
        return client.post(url, {**BANK_MAPPING, "file": statement}, content_type="multipart/form-data")
    if "roles" in url:
        form = {"role": "committee", "change": "grant"}
    elif "examiners" in url:
        form = {
            "name": "Another Examiner",
            "email": f"examiner{next(_fund_names)}@example.org",
            "year": "2025",
        }
    elif "exports" in url:
        form = {"format": "jsonl"}
    else:
        form = {"name": f"Fund {next(_fund_names)}"}
    return client.post(url, form)


def _outcome(response) -> str:
    status = response.status_code
    location = response.headers.get("Location", "")
    if status in (401,) or (300 <= status < 400 and location.startswith("/login")):
        return "sign in"
    if 200 <= status < 400:
        return "allowed"
    if status == 403:
        return "refused"
    return f"unexpected {status}"


def test_each_endpoint_allows_exactly_its_roles_and_only_at_home(app, sessions):
    world = build_world(app, sessions)
    clients = {
        role: new_client(app) if user is None else signed_in_client(app, sessions, user)
        for role, user in world.users.items()
    }
    wrong = []
    for endpoint in ENDPOINTS:
        for place in ("own", "other"):
            for role in ROLES:
                if role == "signed_out":
                    expected = "sign in"
                elif place == "own" and role in endpoint.allowed:
                    expected = "allowed"
                else:
                    expected = "refused"
                url = endpoint.url(world, place)
                got = _outcome(_request(clients[role], endpoint, url))
                if got != expected:
                    wrong.append(
                        f"{endpoint.name}: {role} {endpoint.method} {url} ({place}) {got}, not {expected}"
                    )
    assert not wrong, "\n".join(wrong)
