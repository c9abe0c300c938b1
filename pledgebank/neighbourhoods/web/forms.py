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

from pledgebank import languages
from pledgebank.errors import InvalidInput
from pledgebank.neighbourhoods.roles import GRANTABLE
from pledgebank.neighbourhoods.services import normalise_district
from pledgebank.web.form_base import Form


class NeighbourhoodForm(Form):
    """Create a neighbourhood."""

    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Give the neighbourhood a name.")), Length(min=3, max=120)],
        description=_l("For example 'Elm Park Residents' or 'Victoria Road and around'."),
    )
    postcode_district = StringField(
        _l("Postcode district"),
        validators=[DataRequired(_l("Enter a postcode district.")), Length(max=10)],
        description=_l("The first part of the postcode, such as SE15. A full postcode works too."),
    )
    description = TextAreaField(
        _l("What the neighbourhood is about"), validators=[Optional(), Length(max=2000)]
    )

    def validate_postcode_district(self, field: StringField) -> None:
        """Check the district's shape with the form, so that it is shown together with any other error."""
        try:
            normalise_district(field.data)
        except InvalidInput as error:
            raise ValidationError(error.message) from None


ROLE_LABELS = {
    "resident": _l("Resident"),
    "committee": _l("Committee"),
    "treasurer": _l("Treasurer"),
    "chair": _l("Chair"),
}


class RoleForm(Form):
    """Give or take a role."""

    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(r.value, ROLE_LABELS.get(r.value, r.value.title())) for r in GRANTABLE],
        validators=[DataRequired(_l("Choose a role."))],
    )
    change = HiddenField(validators=[AnyOf(["grant", "revoke"], _l("Choose give or take."))])


class RemoveMemberForm(Form):
    """Remove a member, with a reason for the audit log."""

    reason = StringField(
        _l("Reason"), validators=[DataRequired(_l("Say why this member is being removed.")), Length(max=500)]
    )


FUND_TYPE_CHOICES = {
    "designated": _l("Designated: money the committee sets aside, and can set free again"),
    "restricted": _l("Restricted: money given for a stated purpose, spent only on that"),
    "endowment": _l("Endowment: capital to keep; it is never spent"),
}


class FundForm(Form):
    """Add a fund: its type and, for restricted money, the purpose it was given for."""

    name = StringField(
        _l("Fund name"), validators=[DataRequired(_l("Give the fund a name.")), Length(min=3, max=80)]
    )
    description = TextAreaField(_l("What the fund is for"), validators=[Optional(), Length(max=1000)])
    fund_type = RadioField(
        _l("Type of fund"),
        choices=[SelectChoice(value, label) for value, label in FUND_TYPE_CHOICES.items()],
        default="designated",
        validators=[DataRequired(_l("Choose the type of fund."))],
    )
    purpose = TextAreaField(
        _l("Purpose the money was given for"),
        validators=[Optional(), Length(max=1000)],
        description=_l(
            "Needed for a restricted fund, in the donors' terms, for example "
            "'to plant twenty street trees on Elm Road'."
        ),
    )
    may_fund_grants = BooleanField(
        _l("The purpose is to make grants (a restricted fund may then pay grant rounds)")
    )


class SettingsForm(Form):
    """The neighbourhood's description and pledge settings (chair)."""

    description = TextAreaField(
        _l("What the neighbourhood is about"), validators=[Optional(), Length(max=2000)]
    )
    allow_cash_pledges = BooleanField(
        _l("Residents may pledge cash or a bank transfer, recorded by the treasurer")
    )
    pledges_need_approval = BooleanField(_l("The committee approves new pledges before anyone can pledge"))
    collection_window_hours = IntegerField(
        _l("Hours pledgers have to fix a declined card after a pledge activates"),
        validators=[
            DataRequired(_l("Give a number of hours.")),
            NumberRange(24, 144, "Choose between 24 and 144."),
        ],
        description=_l("Between 24 and 144 (six days): card holds last about a week."),
    )
    bank_details = TextAreaField(
        _l("Bank details for payments by transfer"),
        validators=[Optional(), Length(max=300)],
        description=_l(
            "Account name, sort code and account number, and the reference to use. Residents see "
            "them where they are told they may pay the treasurer by bank transfer; leave blank if you take "
            "no transfers."
        ),
    )
    controller_name = StringField(
        _l("Name of the group responsible for residents' data"),
        validators=[Optional(), Length(max=120)],
        description=_l(
            "The data controller named on the privacy notice, for example 'Elm Park Residents' Association'."
        ),
    )
    controller_contact = StringField(
        _l("Where residents can ask about their data"),
        validators=[Optional(), Length(max=254)],
        description=_l("An email or postal address that reaches the group."),
    )
    area_code = StringField(
        _l("ONS code of the area"),
        validators=[Optional(), Length(max=12)],
        description=_l(
            "The Office for National Statistics (GSS) code of the ward or area the grants benefit: a "
            "letter and eight digits, like E05013806."
        ),
    )
    area_name = StringField(
        _l("Name of the area"),
        validators=[Optional(), Length(max=120)],
        description=_l("Like 'Peckham ward'."),
    )
    charity_number = StringField(
        _l("The group's registered charity number"),
        validators=[Optional(), Length(max=20)],
        description=_l("If the group is a registered charity: it identifies the group as the grant-maker."),
    )
    default_language = SelectField(
        _l("Language of the neighbourhood's pages and emails"),
        choices=[
            SelectChoice("", _l("As each visitor's browser asks")),
            *(SelectChoice(code, name) for code, name in languages.NAMES.items()),
        ],
        # One message for a value off the list: the field's own choice check would add a second.
        validate_choice=False,
        validators=[AnyOf(["", *languages.LANGUAGES], _l("Choose English or Cymraeg."))],
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

    person = SelectField(_l("Person"), choices=[], validate_choice=False)
    kind = SelectField(_l("Kind of event"), choices=[], validate_choice=False)

    def validate_person(self, field: SelectField) -> None:
        """Someone the log names, or everyone."""
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Choose a person from the list."))

    def validate_kind(self, field: SelectField) -> None:
        """One of the kinds listed, or every kind."""
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Choose a kind of event from the list."))
