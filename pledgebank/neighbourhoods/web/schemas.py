"""API schemas for neighbourhoods, members and funds."""

from __future__ import annotations

import marshmallow as ma

from pledgebank.api import fields
from pledgebank.errors import InvalidInput
from pledgebank.neighbourhoods.services import normalise_district


class NeighbourhoodQuerySchema(ma.Schema):
    """Search parameters."""

    q = ma.fields.String(
        load_default="",
        validate=ma.validate.Length(max=100),
        metadata={"description": "Words of the name, or a postcode district such as SE15"},
    )
    limit = fields.query_count(100, load_default=50)


class NeighbourhoodCreateSchema(ma.Schema):
    """A new neighbourhood."""

    name = ma.fields.String(required=True, validate=ma.validate.Length(min=3, max=120))
    postcode_district = ma.fields.String(required=True, validate=ma.validate.Length(min=2, max=10))
    description = ma.fields.String(load_default="", validate=ma.validate.Length(max=2000))

    @ma.validates("postcode_district")
    def validate_postcode_district(self, value: str, **_kwargs) -> None:
        """Check the district's shape here, so that it is reported together with any other bad field."""
        try:
            normalise_district(value)
        except InvalidInput as error:
            raise ma.ValidationError(error.message) from None


class FundSchema(ma.Schema):
    """A fund."""

    slug = ma.fields.String(dump_only=True)
    name = ma.fields.String(dump_only=True)
    description = ma.fields.String(dump_only=True)
    is_general = ma.fields.Boolean(dump_only=True)
    fund_type = ma.fields.String(
        dump_only=True, metadata={"description": "unrestricted, designated, restricted or endowment"}
    )
    purpose = ma.fields.String(
        dump_only=True, metadata={"description": "What restricted money was given for"}
    )
    may_fund_grants = ma.fields.Boolean(dump_only=True)


class MemberSchema(ma.Schema):
    """A member and their roles."""

    user_id = ma.fields.Integer(dump_only=True)
    display_name = ma.fields.Function(lambda m: m.user.display_name, dump_only=True)
    roles = ma.fields.Function(lambda m: sorted(r.value for r in m.roles), dump_only=True)
    joined_at = ma.fields.AwareDateTime(dump_only=True)


class NeighbourhoodSchema(ma.Schema):
    """A neighbourhood, as anyone may see it."""

    slug = ma.fields.String(dump_only=True)
    name = ma.fields.String(dump_only=True)
    postcode_district = ma.fields.String(dump_only=True)
    description = ma.fields.String(dump_only=True)
    currency = ma.fields.String(dump_only=True)
    created_at = ma.fields.AwareDateTime(dump_only=True)


class NeighbourhoodDetailSchema(NeighbourhoodSchema):
    """A neighbourhood with its funds; members and the caller's roles appear for members only."""

    funds = ma.fields.List(ma.fields.Nested(FundSchema), dump_only=True)
    my_roles = ma.fields.List(ma.fields.String(), dump_only=True, allow_none=True)
    members = ma.fields.List(
        ma.fields.Nested(MemberSchema),
        dump_only=True,
        allow_none=True,
        metadata={"description": "Present only when the caller is a member"},
    )


class FundCreateSchema(ma.Schema):
    """A new fund: designated or restricted (committee or chair), or an endowment (chair)."""

    name = ma.fields.String(required=True, validate=ma.validate.Length(min=3, max=80))
    description = ma.fields.String(load_default="", validate=ma.validate.Length(max=1000))
    fund_type = ma.fields.String(
        required=True,
        validate=ma.validate.OneOf(["designated", "restricted", "endowment"]),
        metadata={
            "description": "designated, restricted or endowment (the general fund is the unrestricted one)"
        },
    )
    purpose = ma.fields.String(
        load_default="",
        validate=ma.validate.Length(max=1000),
        metadata={"description": "Required for a restricted fund: what the money was given for"},
    )
    may_fund_grants = ma.fields.Boolean(
        load_default=False, metadata={"description": "A restricted fund whose purpose is making grants"}
    )
