"""What published grants data (360Giving) says of a neighbourhood, as the chair enters it on the settings
page: the area its grants benefit (ONS/GSS code and name) and the group's own registered charity number."""

from __future__ import annotations

from pledgebank import registers
from pledgebank.errors import InvalidInput
from pledgebank.neighbourhoods.models import Neighbourhood


def _checked(errors: dict[str, list[str]], field: str, value: str, check) -> str:
    try:
        return check(value) if value else ""
    except ValueError as error:
        errors[field] = [str(error)]
        return value


def grants_data(
    neighbourhood: Neighbourhood, area_code: str | None, area_name: str | None, charity_number: str | None
) -> tuple[str, str, str]:
    """The area's ONS code and name and the group's charity number, checked and tidied (None keeps a value);
    raise InvalidInput naming each wrong field."""
    errors: dict[str, list[str]] = {}
    code = neighbourhood.area_code if area_code is None else area_code.strip()
    code = _checked(errors, "area_code", code, registers.area_code)
    name = neighbourhood.area_name if area_name is None else " ".join(area_name.split())
    charity = neighbourhood.charity_number if charity_number is None else charity_number.strip()
    charity = _checked(errors, "charity_number", charity, registers.charity_number)
    if len(name) > 120:
        errors["area_name"] = ["Use at most 120 characters."]
    elif code and not name:
        errors["area_name"] = ["Name the area as well, like 'Peckham ward'."]
    elif name and not code:
        errors["area_code"] = ["Give the area's ONS code as well."]
    if errors:
        raise InvalidInput(fields=errors)
    return code, name, charity
