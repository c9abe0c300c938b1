"""Every operation of the JSON API, probed by Schemathesis from the app's own OpenAPI document: boundary and
invalid values for every parameter and body field (the coverage phase), then a bounded number of generated
requests, all with the chair's read-write token on a fully seeded neighbourhood. No answer may be a server
error; every answer must match the status codes, content type, headers and schema the document declares;
invalid input must be refused; and methods a path does not have must be answered 405 with `Allow`.

The run is derandomised and keeps no example database, so it is the same on every machine and writes no files.
"""

from __future__ import annotations

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig

from tests.factories.seeded import READ_WRITE_SECRET, Seeded, openapi_document, seeded_app

pytestmark = pytest.mark.fuzz

# Generated requests per operation, after the deterministic coverage cases: enough to reach past validation
# into every service, few enough that the whole probe stays within a couple of minutes on SQLite.
MAX_EXAMPLES = 40
CONTRACT_CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "negative_data_rejection",
    "ignored_auth",
)
METHOD_CHECKS = ("unsupported_method", "allow_header_conformance")
# Path parameters are held still while everything else varies; each test points them at the seeded rows.
PATH_PARAMETERS = {"slug": "elm-park", "pledge_id": 1, "round_id": 1, "application_id": 1, "levy_id": 1}


class _SeededApp:
    """A WSGI app that hands each request to the seeded app of the running module (which exists only then)."""

    app = None

    def __call__(self, environ, start_response):
        """Serve the request with the seeded app."""
        return self.app(environ, start_response)


TARGET = _SeededApp()


def _schema(checks: tuple[str, ...], *, fuzzing: bool, unexpected_methods: bool) -> schemathesis.BaseSchema:
    coverage: dict = {"enabled": True}
    if not unexpected_methods:
        coverage["unexpected-methods"] = []
    loaded = schemathesis.openapi.from_dict(
        DOCUMENT,
        config=SchemathesisConfig.from_dict(
            {
                "headers": {"Authorization": f"Bearer {READ_WRITE_SECRET}"},
                "parameters": PATH_PARAMETERS,
                "generation": {
                    "mode": "all",
                    "max-examples": MAX_EXAMPLES,
                    "deterministic": True,
                    "database": "none",
                    "no-shrink": True,
                },
                "checks": {"enabled": False, **{name: {"enabled": True} for name in checks}},
                "phases": {
                    "examples": {"enabled": True},
                    "coverage": coverage,
                    "fuzzing": {"enabled": fuzzing},
                    "stateful": {"enabled": False},
                },
            }
        ),
    )
    loaded.app = TARGET
    return loaded


DOCUMENT = openapi_document()
contract = _schema(CONTRACT_CHECKS, fuzzing=True, unexpected_methods=False)
methods = _schema(METHOD_CHECKS, fuzzing=False, unexpected_methods=True)


@pytest.fixture(scope="module")
def probed(database_template, stripe_emulator, tmp_path_factory):
    """One seeded app for every operation: the probe's own writes only add to what is there."""
    with seeded_app(database_template, tmp_path_factory.mktemp("fuzz"), stripe_emulator) as (app, seeded):
        TARGET.app = app
        yield seeded
        TARGET.app = None


def _aim(case, seeded: Seeded) -> None:
    """Point the case's path at the seeded rows."""
    real = {
        "slug": seeded.slug,
        "pledge_id": seeded.pledge_id,
        "round_id": seeded.round_id,
        "application_id": seeded.application_id,
        "levy_id": seeded.levy_id,
    }
    if case.path_parameters:
        case.path_parameters = {name: real.get(name, value) for name, value in case.path_parameters.items()}


@contract.parametrize()
def test_every_api_operation_answers_within_its_documented_contract(case, probed: Seeded):
    _aim(case, probed)
    case.call_and_validate()


@methods.parametrize()
def test_every_api_path_refuses_undeclared_methods_with_405_and_allow(case, probed: Seeded):
    _aim(case, probed)
    case.call_and_validate()
