"""Forms for neighbourhoods, members and funds."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, Optional, ValidationError

from pledgebank.errors import InvalidInput
from pledgebank.neighbourhoods.roles import GRANTABLE
from pledgebank.neighbourhoods.services import normalise_district
from pledgebank.web.form_base import Form


class NeighbourhoodForm(Form):
    """Create a neighbourhood."""

    name = StringField(
        "Name",
        validators=[DataRequired("Give the neighbourhood a name."), Length(min=3, max=120)],
        description="For example 'Elm Park Residents' or 'Victoria Road and around'.",
    )
    postcode_district = StringField(
        "Postcode district",
        validators=[DataRequired("Enter a postcode district."), Length(max=10)],
        description="The first part of the postcode, such as SE15. A full postcode works too.",
    )
    description = TextAreaField("What the neighbourhood is about", validators=[Optional(), Length(max=2000)])

    def validate_postcode_district(self, field: StringField) -> None:
        """Check the district's shape with the form, so that it is shown together with any other error."""
        try:
            normalise_district(field.data)
        except InvalidInput as error:
            raise ValidationError(error.message) from None


class RoleForm(Form):
    """Give or take a role."""

    role = SelectField(
        "Role",
        choices=[SelectChoice(r.value, r.value.title()) for r in GRANTABLE],
        validators=[DataRequired("Choose a role.")],
    )
    change = HiddenField(validators=[AnyOf(["grant", "revoke"], "Choose give or take.")])


class RemoveMemberForm(Form):
    """Remove a member, with a reason for the audit log."""

    reason = StringField(
        "Reason", validators=[DataRequired("Say why this member is being removed."), Length(max=500)]
    )


FUND_TYPE_CHOICES = {
    "designated": "Designated: money the committee sets aside, and can set free again",
    "restricted": "Restricted: money given for a stated purpose, spent only on that",
    "endowment": "Endowment: capital to keep; it is never spent",
}


class FundForm(Form):
    """Add a fund: its type and, for restricted money, the purpose it was given for."""

    name = StringField("Fund name", validators=[DataRequired("Give the fund a name."), Length(min=3, max=80)])
    description = TextAreaField("What the fund is for", validators=[Optional(), Length(max=1000)])
    fund_type = RadioField(
        "Type of fund",
        choices=[SelectChoice(value, label) for value, label in FUND_TYPE_CHOICES.items()],
        default="designated",
        validators=[DataRequired("Choose the type of fund.")],
    )
    purpose = TextAreaField(
        "Purpose the money was given for",
        validators=[Optional(), Length(max=1000)],
        description="Needed for a restricted fund, in the donors' terms, for example "
        "'to plant twenty street trees on Elm Road'.",
    )
    may_fund_grants = BooleanField(
        "The purpose is to make grants (a restricted fund may then pay grant rounds)"
    )


class SettingsForm(Form):
    """The neighbourhood's description and pledge settings (chair)."""

    description = TextAreaField("What the neighbourhood is about", validators=[Optional(), Length(max=2000)])
    allow_cash_pledges = BooleanField(
        "Residents may pledge cash or a bank transfer, recorded by the treasurer"
    )
    pledges_need_approval = BooleanField("The committee approves new pledges before anyone can pledge")
    collection_window_hours = IntegerField(
        "Hours pledgers have to fix a declined card after a pledge activates",
        validators=[
            DataRequired("Give a number of hours."),
            NumberRange(24, 144, "Choose between 24 and 144."),
        ],
        description="Between 24 and 144 (six days): card holds last about a week.",
    )
    bank_details = TextAreaField(
        "Bank details for payments by transfer",
        validators=[Optional(), Length(max=300)],
        description="Account name, sort code and account number, and the reference to use. Residents see "
        "them where they are told they may pay the treasurer by bank transfer; leave blank if you take "
        "no transfers.",
    )
    controller_name = StringField(
        "Name of the group responsible for residents' data",
        validators=[Optional(), Length(max=120)],
        description="The data controller named on the privacy notice, for example 'Elm Park Residents' "
        "Association'.",
    )
    controller_contact = StringField(
        "Where residents can ask about their data",
        validators=[Optional(), Length(max=254)],
        description="An email or postal address that reaches the group.",
    )
    area_code = StringField(
        "ONS code of the area",
        validators=[Optional(), Length(max=12)],
        description="The Office for National Statistics (GSS) code of the ward or area the grants benefit: a "
        "letter and eight digits, like E05013806.",
    )
    area_name = StringField(
        "Name of the area", validators=[Optional(), Length(max=120)], description="Like 'Peckham ward'."
    )
    charity_number = StringField(
        "The group's registered charity number",
        validators=[Optional(), Length(max=20)],
        description="If the group is a registered charity: it identifies the group as the grant-maker.",
    )
    default_language = SelectField(
        _l("Language of the neighbourhood's pages and emails"),
        choices=[
            SelectChoice("", _l("As each visitor's browser asks")),
            SelectChoice("en", "English"),
            SelectChoice("cy", "Cymraeg"),
        ],
        validators=[AnyOf(["", "en", "cy"], _l("Choose English or Cymraeg."))],
        default="",
        description=_l(
            "Used for visitors who have not chosen a language with the switch at the top of every page, and "
            "for emails about the neighbourhood to people who have not chosen one."
        ),
    )


class AuditFilterForm(Form):
    """Choose a person and a kind of event in the audit log (a GET form: it changes nothing, so no token)."""

    class Meta:
        csrf = False

    person = SelectField("Person", choices=[], validate_choice=False)
    kind = SelectField("Kind of event", choices=[], validate_choice=False)

    def validate_person(self, field: SelectField) -> None:
        """Someone the log names, or everyone."""
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError("Choose a person from the list.")

    def validate_kind(self, field: SelectField) -> None:
        """One of the kinds listed, or every kind."""
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError("Choose a kind of event from the list.")
