"""The 360Giving schema, vendored (360Giving Data Standard 1.4.3, CC BY 4.0, see schema/360giving/README.md),
with its remote references resolved locally: validators for a package and for one grant.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).parent / "schema" / "360giving"
PACKAGE_SCHEMA = "360-giving-package-schema.json"
GRANT_SCHEMA = "360-giving-schema.json"
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})")


def _date_time(value: object) -> bool:
    if not isinstance(value, str) or not _DATE_TIME.fullmatch(value):
        return False
    try:
        datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return False
    return True


@cache
def validators() -> tuple[Draft202012Validator, Draft202012Validator]:
    """Validators for the package and for one grant, with the remote references resolved to local files."""
    package = json.loads((SCHEMA_DIR / PACKAGE_SCHEMA).read_text(encoding="utf-8"))
    grant = json.loads((SCHEMA_DIR / GRANT_SCHEMA).read_text(encoding="utf-8"))
    resource = DRAFT202012.create_resource(grant)
    # The package refers to the grant schema of release 1.4.2 by URL; the vendored file is 1.4.3's.
    referenced = package["properties"]["grants"]["items"]["$ref"]
    registry = Registry().with_resources([(grant["$id"], resource), (referenced, resource)])
    checker = FormatChecker(formats=())
    checker.checks("date-time")(_date_time)
    return (
        Draft202012Validator(package, registry=registry, format_checker=checker),
        Draft202012Validator(grant, registry=registry, format_checker=checker),
    )


def problems(document: dict[str, Any], *, whole_package: bool = True) -> list[str]:
    """Every way a package (or, with whole_package=False, one grant) breaks the schema, as messages."""
    package, grant = validators()
    validator = package if whole_package else grant
    return [
        f"{'/'.join(str(part) for part in error.absolute_path) or '(top)'}: {error.message}"
        for error in sorted(validator.iter_errors(document), key=lambda error: list(error.absolute_path))
    ]
