"""Every JSON body the API accepts, with each field in turn replaced by a hostile value (a wrong type, 2**63,
a negative, a fraction, 1 MB of text, NUL, a lone surrogate, an impossible date, nesting 5,000 deep): the
answer is a 4xx in the error format naming the field, and nothing in the database changes. Each body's valid
form, sent last, succeeds and answers as the OpenAPI document says, so the refusals were for the bad field.
Whole bodies nested 5,000 deep, and bad query parameters, are refused the same way.

The operations and their fields come from the app's own OpenAPI document; a body not in VALID fails the suite.
"""

from __future__ import annotations

import json
from datetime import timedelta

import jsonschema
import pytest
from jsonschema.validators import validator_for

from tests.factories.seeded import Seeded, openapi_document, seeded_app
from tests.helpers.bad_input import DEPTH, changed_tables, database_state, deep_json
from tests.helpers.environment import START

pytestmark = pytest.mark.fuzz

DOCUMENT = openapi_document()
ERROR_KEYS = {"error", "message", "fields"}
LATER = (START + timedelta(days=10)).isoformat()

# A valid body for every operation that takes one, as the seeded chair may send it.
VALID: dict[str, dict] = {
    "POST /api/v1/neighbourhoods": {
        "name": "Oak Vale",
        "postcode_district": "SE22",
        "description": "The streets around Oak Vale park.",
    },
    "POST /api/v1/neighbourhoods/{slug}/funds": {
        "name": "Tree fund",
        "description": "Street trees and their care.",
        "fund_type": "restricted",
        "purpose": "To plant twenty street trees on Victoria Road.",
        "may_fund_grants": False,
    },
    "POST /api/v1/neighbourhoods/{slug}/pledges": {
        "fund": "general",
        "title": "Paint the park benches",
        "description": "Two coats of paint on the six benches in Elm Park.",
        "amount_kind": "fixed",
        "amount": 1000,
        "target_pledgers": 3,
        "target_amount": None,
        "deadline": LATER,
        "cap": 20,
        "allow_cash": True,
    },
    "POST /api/v1/pledges/{pledge_id}/signups": {"method": "cash", "amount": 800},
    "POST /api/v1/neighbourhoods/{slug}/grant-rounds": {
        "fund": "general",
        "title": "Autumn small grants",
        "description": "Small grants for autumn projects that bring Elm Park together.",
        "eligibility": "Anyone living in Elm Park.",
        "budget": 50_000,
        "max_award": 10_000,
        "opens_at": (START + timedelta(days=1)).isoformat(),
        "closes_at": (START + timedelta(days=30)).isoformat(),
        "criteria": [{"name": "Benefit to the neighbourhood", "weight": 3}],
        "quorum_rule": "majority",
        "quorum_minimum": 2,
    },
    "POST /api/v1/grant-rounds/{round_id}/applications": {
        "title": "Bird boxes",
        "summary": "Ten bird boxes for the trees along the park's edge.",
        "amount_requested": 5_000,
        "budget_lines": [{"description": "Ten boxes", "amount": 5_000}],
        "group_name": None,
    },
    "POST /api/v1/neighbourhoods/{slug}/levies": {
        "fund": "general",
        "name": "Bin cleaning",
        "purpose": "Cleaning the communal bins on Elm Park Road every month.",
        "basis": "flat",
        "amount": 300,
        "period": "monthly",
        "starts_on": (START + timedelta(days=7)).date().isoformat(),
        "ends_on": None,
        "voluntary": False,
        "threshold": None,
        "prorate": True,
    },
    "POST /api/v1/neighbourhoods/{slug}/treasurer-entries": {
        "idempotency_key": "bad-input-suite-interest-01",
        "kind": "bank_interest",
        "on": START.date().isoformat(),
        "description": "Interest for February",
        "fund": "general",
        "amount": 37,
        "cash_amount": None,
        "donor": "",
        "donor_public": False,
        "payee": "",
        "purpose": "",
        "for_fund_purpose": False,
        "transaction": None,
    },
    "POST /api/v1/neighbourhoods/{slug}/expense-categories": {"name": "Garden supplies"},
    "PATCH /api/v1/neighbourhoods/{slug}/expense-categories/{category}": {
        "name": "Building repairs",
        "retired": True,
    },
    "POST /api/v1/neighbourhoods/{slug}/card-payments/{payment_intent_id}/refunds": {
        "idempotency_key": "bad-input-suite-refund-01",
        "amount": 100,
        "reason": "requested_by_customer",
    },
    # The chair declares; the claim takes Ben's hanging baskets, the demo's gift waiting for the next claim.
    "POST /api/v1/neighbourhoods/{slug}/gift-aid/declarations": {
        "scope": "from-today",
        "title": "Ms",
        "first_name": "Priya",
        "last_name": "Shah",
        "house": "7",
        "postcode": "SE15 4QL",
    },
    "POST /api/v1/neighbourhoods/{slug}/gift-aid/claims": {
        "period_start": (START - timedelta(days=20)).date().isoformat(),
        "period_end": START.date().isoformat(),
    },
    "POST /api/v1/neighbourhoods/{slug}/fund-transfers": {
        "idempotency_key": "bad-input-suite-transfer-01",
        "from_fund": "general",
        "to_fund": "playground-fund",
        "amount": 500,
        "place": "bank",
        "reason": "Set aside for the playground fence",
        "basis": None,
        "basis_note": "",
    },
}


def _json_schema(node: object) -> object:
    """OpenAPI 3.0's `nullable` written as JSON Schema (a null among the allowed types)."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable") and "type" in node:
        converted["type"] = [node["type"], "null"]
    return converted


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = DOCUMENT["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _bodies() -> dict[str, dict]:
    """Every operation's request body schema, by 'METHOD /path'."""
    found = {}
    for path, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            if body:
                found[f"{method.upper()} {path}"] = _resolve(body["content"]["application/json"]["schema"])
    return found


BODIES = _bodies()


def _bad_values(schema: dict, valid: object) -> dict[str, object]:
    """Hostile replacements for one field, chosen by its declared type."""
    kind = schema.get("type")
    values: dict[str, object] = {"wrong type: object": {"a": 1}, "wrong type: list": [1]}
    if kind == "integer":
        values |= {
            "wrong type: string": "10",
            "wrong type: boolean": True,
            "2**63": 2**63,
            "-2**63 - 1": -(2**63) - 1,
            "negative": -1,
            "fraction": 10.5,
            "over-precise": 10.505,
            "NaN": float("nan"),
        }
    elif kind == "string":
        values |= {
            "wrong type: number": 12,
            "1 MB": "7" * 1_000_000,
            "NUL": "a\x00b",
            "lone surrogate": "\ud800",
        }
        if schema.get("format") in {"date", "date-time"} or "enum" in schema:
            values |= {"empty": "", "far date": "99999-01-01", "no such day": "2026-02-30"}
        if schema.get("format") == "date-time":
            values |= {"year 10000": "10000-01-01T00:00:00+00:00", "year 1": "0001-01-01T00:00:00+14:00"}
    elif kind == "boolean":
        # Not "yes" or "1": marshmallow reads those as true on purpose, as forms and query strings send them.
        values |= {"wrong type: string": "maybe", "wrong type: number": 2}
    elif kind == "array":
        values |= {"wrong type: string": "x", f"nested {DEPTH} deep": None}
        item = _resolve(schema.get("items", {}))
        if isinstance(valid, list) and valid and item.get("type") == "object":
            for name, sub in item.get("properties", {}).items():
                for label, value in _bad_values(_resolve(sub), valid[0].get(name)).items():
                    if value is not None:
                        values[f"[0].{name} {label}"] = [{**valid[0], name: value}]
    return values


def _cases():
    for operation, schema in BODIES.items():
        valid = VALID.get(operation, {})
        for field, field_schema in _resolve(schema).get("properties", {}).items():
            for label, value in _bad_values(_resolve(field_schema), valid.get(field)).items():
                yield pytest.param(operation, field, label, value, id=f"{operation} {field} {label}")


@pytest.fixture(scope="module")
def seeded(database_template, stripe_emulator, tmp_path_factory):
    """One seeded neighbourhood for the module; refusals change nothing, and valid bodies are sent last."""
    with seeded_app(database_template, tmp_path_factory.mktemp("bad-api"), stripe_emulator) as (app, found):
        client = app.test_client()
        # The token's first use is recorded; do it now so that it does not count as a change below.
        client.get("/api/v1/me", headers=_auth(found))
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {found.treasurer_token}"})
        yield app, client, found


def _auth(seeded: Seeded) -> dict[str, str]:
    return {"Authorization": f"Bearer {seeded.read_write_token}"}


def _url(operation: str, seeded: Seeded) -> tuple[str, str]:
    method, path = operation.split(" ", 1)
    pledge = seeded.minimum_pledge_id  # a minimum-amount pledge, so a signup's amount is read
    return method, path.format(
        slug=seeded.slug,
        pledge_id=pledge,
        round_id=seeded.round_id,
        application_id=seeded.application_id,
        levy_id=seeded.levy_id,
        category="repairs",
        payment_intent_id=seeded.tools.get("card payment"),
    )


def _send(client, seeded: Seeded, operation: str, body: str):
    method, url = _url(operation, seeded)
    auth = _auth(seeded)
    if "/card-payments/" in operation:  # refunds are the treasurer's alone
        auth = {"Authorization": f"Bearer {seeded.treasurer_token}"}
    return client.open(url, method=method, data=body, headers={**auth, "Content-Type": "application/json"})


def test_every_api_body_has_a_valid_example():
    assert sorted(VALID) == sorted(BODIES)


@pytest.mark.parametrize(("operation", "field", "label", "value"), list(_cases()))
def test_a_bad_field_is_refused_by_name_and_changes_nothing(seeded, operation, field, label, value):
    app, client, found = seeded
    valid = VALID[operation]
    if value is None:
        body = deep_json(field)
        body = json.dumps({k: v for k, v in valid.items() if k != field})[:-1] + ", " + body[1:]
    else:
        body = json.dumps({**valid, field: value})
    before = database_state(app)
    response = _send(client, found, operation, body)
    after = database_state(app)
    text = response.get_data(as_text=True)[:2000]
    assert 400 <= response.status_code < 500, f"{response.status_code}: {text}"
    answer = response.get_json(silent=True)
    assert isinstance(answer, dict), text
    assert set(answer) == ERROR_KEYS, text
    assert any(name == field or name.startswith(f"{field}.") for name in answer["fields"]) or (
        value is None and response.status_code == 400
    ), f"{field} is not named: {text}"
    assert changed_tables(before, after) == []


def _query_cases():
    for path, item in DOCUMENT["paths"].items():
        get = item.get("get")
        for parameter in (get or {}).get("parameters", []):
            if parameter["in"] != "query":
                continue
            kind = parameter.get("schema", {}).get("type")
            values = {"NUL": "a%00b", "lone surrogate": "%ED%A0%80"}
            if kind == "integer":
                values |= {
                    "2**63": str(2**63),
                    "negative": "-1",
                    "fraction": "10.5",
                    "arabic-indic digits": "%D9%A1%D9%A0",
                    "superscript two": "%C2%B2",
                }
            for label, value in values.items():
                name = parameter["name"]
                yield pytest.param(path, name, value, id=f"GET {path} ?{name} {label}")


@pytest.mark.parametrize(("path", "name", "value"), list(_query_cases()))
def test_a_bad_query_parameter_is_refused_by_name(seeded, path, name, value):
    _, client, found = seeded
    _, url = _url(f"GET {path}", found)
    response = client.get(f"{url}?{name}={value}", headers=_auth(found))
    text = response.get_data(as_text=True)[:2000]
    assert 400 <= response.status_code < 500, f"{response.status_code}: {text}"
    answer = response.get_json(silent=True)
    assert isinstance(answer, dict), text
    assert set(answer) == ERROR_KEYS, text
    assert name in answer["fields"], f"{name} is not named: {text}"


@pytest.mark.parametrize("operation", sorted(BODIES))
def test_a_body_nested_thousands_deep_is_refused_and_changes_nothing(seeded, operation):
    app, client, found = seeded
    before = database_state(app)
    response = _send(client, found, operation, "[" * DEPTH + "]" * DEPTH)
    text = response.get_data(as_text=True)[:2000]
    assert 400 <= response.status_code < 500, f"{response.status_code}: {text}"
    assert set(response.get_json(silent=True) or {}) == ERROR_KEYS, text
    assert changed_tables(before, database_state(app)) == []


@pytest.mark.parametrize("operation", sorted(BODIES))
def test_the_valid_body_succeeds_and_answers_as_documented(seeded, operation):
    app, client, found = seeded
    before = database_state(app)
    response = _send(client, found, operation, json.dumps(VALID[operation]))
    assert response.status_code in (200, 201), response.get_data(as_text=True)[:2000]
    assert changed_tables(before, database_state(app)), "the valid body wrote nothing"
    method, path = operation.split(" ", 1)
    documented = DOCUMENT["paths"][path][method.lower()]["responses"][str(response.status_code)]
    schema = _json_schema(
        {**documented["content"]["application/json"]["schema"], "components": DOCUMENT["components"]}
    )
    validator = validator_for(schema)(schema, format_checker=jsonschema.FormatChecker())
    assert [error.message for error in validator.iter_errors(response.get_json())] == []
