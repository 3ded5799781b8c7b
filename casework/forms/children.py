"""Forms for finding, adding and changing a child's record. Rendered as GOV.UK by the form renderer (ADR 0002).

Forms only check what a social worker typed; the rules that join fields together live in
``casework.services`` and come back as ``ValidationError``s that the views put onto these forms' fields.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from casework import codes
from casework.forms.widgets import GovukDateField
from casework.models import Organisation, Role, User

PHOTO_MESSAGE = "The photo must be a JPG or PNG smaller than 5MB"
MAX_PHOTO_BYTES = 5 * 1024 * 1024
ALIAS_ROWS = 3
YES_NO = [("True", "Yes"), ("False", "No")]


def _yes_no(value: str):
    return {"True": True, "False": False}.get(value)


def _with_blank(choices, label: str = "Select an option") -> list[tuple[str, str]]:
    return [("", label), *choices]


def _text(label: str, *, max_length: int, required: bool = False, help_text: str = "", width: str = "", **kwargs):
    attrs = {"class": f"govuk-input--width-{width}"} if width else {}
    attrs.update(kwargs.pop("attrs", {}))
    name = label.removesuffix(" (optional)")
    messages = {"max_length": f"{name} must be {max_length} characters or fewer", **kwargs.pop("error_messages", {})}
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
        error_messages=messages,
        **kwargs,
    )


class DateField(GovukDateField):
    """A GOV.UK date whose error messages leave out "(optional)" from the label."""

    def _name(self) -> str:
        name = str(self.error_name or self.label or "Date").removesuffix("(optional)").strip()
        return name.rstrip("?").strip()


def _textarea(label: str, *, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=False, help_text=help_text, widget=forms.Textarea(attrs={"rows": 3}))


class VersionedForm(forms.Form):
    """Every change form carries the version it was opened at; a stale one changes nothing."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# --- Finding a child ------------------------------------------------------------------------------


class ChildSearchForm(forms.Form):
    q = forms.CharField(
        label="Name or Child ID",
        required=False,
        max_length=200,
        error_messages={"max_length": "Search must be 200 characters or fewer"},
        help_text="Search by first name, last name, preferred name, alias or Child ID. Other spellings are found too.",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
    )
    trafficked = forms.BooleanField(label="Trafficked or suspected of being trafficked", required=False)
    uasc = forms.BooleanField(label="Unaccompanied asylum-seeking child", required=False)
    team = forms.ModelChoiceField(label="Team", queryset=None, required=False, empty_label="All teams")

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].govuk_label_size = "m"
        self.fields["team"].queryset = teams


# --- Identity -------------------------------------------------------------------------------------


class IdentityForm(forms.Form):
    la_child_id = _text(
        "Child ID",
        max_length=20,
        required=True,
        width="10",
        help_text="Your authority's permanent ID for this child. Letters and numbers only.",
        error_messages={"required": "Enter the Child ID"},
    )
    first_name = _text("First name", max_length=200, required=True, error_messages={"required": "Enter a first name"})
    last_name = _text("Last name", max_length=200, required=True, error_messages={"required": "Enter a last name"})
    preferred_name = _text("Preferred name (optional)", max_length=200, help_text="What the child likes to be called")
    sex = forms.ChoiceField(
        label="Sex",
        choices=codes.Sex.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the child's sex"},
    )
    date_of_birth = DateField(
        label="Date of birth",
        allow_future=False,
        help_text="For example, 27 3 2010. If the day is not known, use 15.",
        error_messages={"required": "Enter the child's date of birth"},
    )
    dob_estimated = forms.BooleanField(label="The date of birth is estimated", required=False)
    ethnicity = forms.ChoiceField(
        label="Ethnicity",
        choices=_with_blank(codes.choices(codes.ETHNIC), "Select ethnicity"),
        error_messages={"required": "Select the child's ethnicity"},
    )
    is_mother = forms.TypedChoiceField(
        label="Is she a mother?",
        choices=YES_NO,
        coerce=_yes_no,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
        help_text="Answer for girls only.",
    )
    first_child_date_of_birth = DateField(
        label="Date of birth of her first child",
        required=False,
        allow_future=False,
        help_text="Only if she is a mother",
    )
    upn = _text(
        "Unique pupil number (optional)",
        max_length=13,
        width="20",
        help_text="13 characters, or UN1 to UN5 if it is not known",
    )
    nationality = _text("Nationality (optional)", max_length=100)
    first_language = _text("First language (optional)", max_length=100)
    interpreter_required = forms.BooleanField(label="Needs an interpreter", required=False)
    team = forms.ModelChoiceField(
        label="Team", queryset=None, empty_label="Select a team", error_messages={"required": "Select a team"}
    )
    allocated_social_worker = forms.ModelChoiceField(
        label="Allocated social worker (optional)", queryset=None, required=False, empty_label="Not allocated"
    )
    restricted = forms.BooleanField(
        label="Restricted record",
        required=False,
        help_text="Only the allocated social worker, their team manager and people given access can find the child.",
    )

    def __init__(self, *args, teams, organisation, can_restrict: bool, current_worker_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, ALIAS_ROWS + 1):
            self.fields[f"alias_{n}_name"] = _text(f"Other name {n}", max_length=200)
            self.fields[f"alias_{n}_kind"] = forms.ChoiceField(
                label=f"What kind of name is other name {n}?",
                choices=codes.AliasKind.choices,
                required=False,
            )
        self.fields["team"].queryset = teams
        # Social workers of the authority, and whoever is allocated now (even if their role has changed).
        workers = Q(organisation=organisation, role=Role.SOCIAL_WORKER, is_active=True)
        if current_worker_id:
            workers |= Q(pk=current_worker_id)
        self.fields["allocated_social_worker"].queryset = User.objects.filter(workers).order_by(
            "first_name", "last_name"
        )
        self.fields["allocated_social_worker"].label_from_instance = lambda u: u.get_full_name() or u.username
        if not can_restrict:
            del self.fields["restricted"]

    # Groups of bound fields for the template, so the other names sit together in one fieldset.
    MAIN = ("la_child_id", "first_name", "last_name", "preferred_name")
    REST = (
        "sex",
        "date_of_birth",
        "dob_estimated",
        "ethnicity",
        "is_mother",
        "first_child_date_of_birth",
        "upn",
        "nationality",
        "first_language",
        "interpreter_required",
        "team",
        "allocated_social_worker",
        "restricted",
    )

    def main_fields(self):
        return [self[name] for name in self.MAIN]

    def alias_rows(self):
        return [(self[f"alias_{n}_name"], self[f"alias_{n}_kind"]) for n in range(1, ALIAS_ROWS + 1)]

    def rest_fields(self):
        return [self[name] for name in self.REST if name in self.fields]

    def clean(self):
        data = super().clean()
        names = [data.get(f"alias_{n}_name", "").strip() for n in range(1, ALIAS_ROWS + 1)]
        seen = set()
        for n, name in enumerate(names, start=1):
            if name and name.casefold() in seen:
                self.add_error(f"alias_{n}_name", "You have given this other name already")
            seen.add(name.casefold())
        return data

    def aliases(self) -> list[dict]:
        data = self.cleaned_data
        rows = []
        for n in range(1, ALIAS_ROWS + 1):
            name = data.get(f"alias_{n}_name", "").strip()
            if name:
                rows.append({"name": name, "kind": data.get(f"alias_{n}_kind") or codes.AliasKind.ALIAS})
        return rows

    def child_fields(self) -> dict:
        """The cleaned values for the services (everything but aliases and form-only fields)."""
        skip = {"version", "confirm_not_duplicate"}
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in skip and not name.startswith("alias_")
        }

    @staticmethod
    def initial_for(child) -> dict:
        initial = {
            name: getattr(child, name)
            for name in (*IdentityForm.MAIN, *IdentityForm.REST)
            if name not in ("team", "allocated_social_worker", "is_mother")
        }
        initial["team"] = child.team_id
        initial["allocated_social_worker"] = child.allocated_social_worker_id
        initial["is_mother"] = "" if child.is_mother is None else str(child.is_mother)
        for n, alias in enumerate(list(child.aliases.all())[:ALIAS_ROWS], start=1):
            initial[f"alias_{n}_name"] = alias.name
            initial[f"alias_{n}_kind"] = alias.kind
        return initial


class ChildCreateForm(IdentityForm):
    confirm_not_duplicate = forms.BooleanField(
        label="I have checked: this is a different child",
        required=False,
    )


class IdentityEditForm(VersionedForm, IdentityForm):
    pass


# --- Description and photo ------------------------------------------------------------------------


class DescriptionForm(VersionedForm):
    height = _text("Height (optional)", max_length=50, width="10", help_text="For example, 1.6m or 5 feet 3")
    build = _text("Build (optional)", max_length=100)
    hair = _text("Hair (optional)", max_length=100, help_text="Colour, length and style")
    eyes = _text("Eyes (optional)", max_length=100)
    distinguishing_marks = _textarea(
        "Distinguishing marks (optional)", help_text="Scars, tattoos, piercings, birthmarks"
    )
    clothing_notes = _textarea("Clothing and belongings (optional)", help_text="What they usually wear or carry")

    FIELDS = ("height", "build", "hair", "eyes", "distinguishing_marks", "clothing_notes")


class PhotoForm(forms.Form):
    image = forms.ImageField(
        label="Upload a photo",
        help_text="A recent photo for the missing-person pack. JPG or PNG, smaller than 5MB.",
        error_messages={
            "required": "Select a photo",
            "invalid_image": PHOTO_MESSAGE,
            "invalid_extension": PHOTO_MESSAGE,
            "invalid": PHOTO_MESSAGE,
            "empty": "The selected photo is empty",
        },
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    taken_on = DateField(
        label="When was the photo taken? (optional)",
        error_name="The date the photo was taken",
        required=False,
        allow_future=False,
    )
    description = _text("Description (optional)", max_length=200)

    def clean_image(self):
        image = self.cleaned_data["image"]
        if image.size > MAX_PHOTO_BYTES:
            raise ValidationError(PHOTO_MESSAGE)
        if getattr(getattr(image, "image", None), "format", None) not in ("JPEG", "PNG"):
            raise ValidationError(PHOTO_MESSAGE)
        return image


# --- Trafficking and the NRM ----------------------------------------------------------------------


def _decision_field(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[("", "No decision recorded"), *codes.NrmDecision.choices],
        required=False,
        widget=forms.RadioSelect,
    )


class TraffickingForm(VersionedForm):
    trafficking_status = forms.ChoiceField(
        label="Is there a concern that the child has been trafficked?",
        choices=codes.TraffickingStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether there is a trafficking concern"},
    )
    exploitation_types = forms.MultipleChoiceField(
        label="Types of exploitation (optional)",
        choices=codes.ExploitationType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )
    nrm_referral_date = DateField(label="NRM referral date (optional)", required=False, allow_future=False)
    nrm_first_responder = _text("First responder organisation (optional)", max_length=200)
    nrm_reference = _text("NRM reference (optional)", max_length=50, width="20")
    reasonable_grounds = _decision_field("Reasonable grounds decision")
    reasonable_grounds_date = DateField(label="Date of the reasonable grounds decision", required=False)
    conclusive_grounds = _decision_field("Conclusive grounds decision")
    conclusive_grounds_date = DateField(label="Date of the conclusive grounds decision", required=False)

    FIELDS = (
        "trafficking_status",
        "exploitation_types",
        "nrm_referral_date",
        "nrm_first_responder",
        "nrm_reference",
        "reasonable_grounds",
        "reasonable_grounds_date",
        "conclusive_grounds",
        "conclusive_grounds_date",
    )


# --- Asylum and UASC ------------------------------------------------------------------------------


class UascForm(VersionedForm):
    is_uasc = forms.BooleanField(label="This is an unaccompanied asylum-seeking child", required=False)
    arrival_date = DateField(label="Date they arrived in the UK (optional)", required=False, allow_future=False)
    asylum_claim_date = DateField(label="Date of the asylum claim (optional)", required=False, allow_future=False)
    home_office_reference = _text("Home Office reference (optional)", max_length=50, width="20")
    immigration_status = forms.ChoiceField(
        label="Immigration status (optional)",
        choices=_with_blank(codes.ImmigrationStatus.choices, "Not known"),
        required=False,
    )
    age_disputed = forms.BooleanField(label="The child's age is disputed", required=False)
    uasc_ceased_date = DateField(
        label="Date UASC status ceased (optional)",
        required=False,
        help_text="For example, when they turned 18 or were granted leave",
    )

    FIELDS = (
        "is_uasc",
        "arrival_date",
        "asylum_claim_date",
        "home_office_reference",
        "immigration_status",
        "age_disputed",
        "uasc_ceased_date",
    )


class AgeAssessmentForm(forms.Form):
    assessed_on = DateField(label="Date of the age assessment", allow_future=False)
    assessed_date_of_birth = DateField(
        label="Date of birth given by the assessment (optional)", required=False, allow_future=False
    )
    outcome = _text(
        "Outcome", max_length=200, required=True, error_messages={"required": "Enter the outcome of the assessment"}
    )
    merton_compliant = forms.BooleanField(label="The assessment was Merton compliant", required=False, initial=True)
    assessed_by = _text("Who carried out the assessment (optional)", max_length=200)


# --- Care history ---------------------------------------------------------------------------------


class CareRecordForm(VersionedForm):
    start_date = DateField(label="Start date", allow_future=False)
    end_date = DateField(
        label="End date (optional)",
        required=False,
        allow_future=False,
        help_text="Leave blank if it has not ended. The next record can start on this day.",
        error_name="End date",
    )

    def __init__(self, *args, adding: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if adding:
            del self.fields["version"]


class PeriodOfCareForm(CareRecordForm):
    category_of_need = forms.ChoiceField(
        label="Category of need",
        choices=_with_blank(codes.choices(codes.CIN)),
        error_messages={"required": "Select the category of need"},
    )
    home_postcode = _text(
        "Home postcode (optional)", max_length=10, width="10", help_text="Leave blank for an unaccompanied child"
    )
    reason_ceased = forms.ChoiceField(
        label="Reason the period of care ended",
        choices=_with_blank(codes.choices(codes.REC), "Not ended"),
        required=False,
    )

    FIELDS = ("start_date", "category_of_need", "home_postcode", "end_date", "reason_ceased")


class LegalStatusForm(CareRecordForm):
    code = forms.ChoiceField(
        label="Legal status",
        choices=_with_blank(codes.choices(codes.LEGAL_STATUS)),
        error_messages={"required": "Select the legal status"},
    )

    FIELDS = ("code", "start_date", "end_date")


class PlacementForm(CareRecordForm):
    place = forms.ChoiceField(
        label="Placement type",
        choices=_with_blank(codes.choices(codes.PLACE)),
        error_messages={"required": "Select the placement type"},
    )
    provider = forms.ChoiceField(
        label="Placement provider (optional)", choices=_with_blank(codes.choices(codes.PLACE_PROVIDER)), required=False
    )
    address = _text("Address (optional)", max_length=300)
    postcode = _text("Postcode (optional)", max_length=10, width="10")
    urn = _text("Ofsted URN (optional)", max_length=8, width="10")
    carer_name = _text("Carer's name (optional)", max_length=200)
    carer_phone = _text("Carer's phone number (optional)", max_length=40, width="20", attrs={"type": "tel"})
    carer_reference = _text(
        "Carer reference (optional)", max_length=50, help_text="The same reference means the same carer"
    )
    host_authority = forms.ModelChoiceField(
        label="Host authority (optional)",
        queryset=Organisation.objects.filter(kind=Organisation.Kind.LOCAL_AUTHORITY),
        required=False,
        empty_label="Our own authority",
        help_text="The local authority the placement is in, if it is not yours",
    )
    out_of_area = forms.BooleanField(label="The placement is out of area", required=False)
    reason_for_change = forms.ChoiceField(
        label="Reason the placement changed (optional)",
        choices=_with_blank(codes.choices(codes.REASON_PLACE_CHANGE), "Not changed"),
        required=False,
        help_text="Only for a placement that ended and was followed by another",
    )

    FIELDS = (
        "place",
        "provider",
        "start_date",
        "end_date",
        "address",
        "postcode",
        "urn",
        "carer_name",
        "carer_phone",
        "carer_reference",
        "host_authority",
        "out_of_area",
        "reason_for_change",
    )


CARE_FORMS = {"periods_of_care": PeriodOfCareForm, "legal_statuses": LegalStatusForm, "placements": PlacementForm}


# --- Missing-person pack details ------------------------------------------------------------------


class PhoneNumberForm(forms.Form):
    number = _text(
        "Phone number",
        max_length=40,
        required=True,
        width="20",
        attrs={"type": "tel", "autocomplete": "off"},
        error_messages={"required": "Enter a phone number"},
    )
    notes = _text("Notes (optional)", max_length=200, help_text="For example, whose phone it is or when it was used")


class SocialMediaForm(forms.Form):
    platform = _text(
        "Platform",
        max_length=50,
        required=True,
        width="20",
        help_text="For example, Instagram, Snapchat or TikTok",
        error_messages={"required": "Enter the platform"},
    )
    handle = _text(
        "Username or handle", max_length=200, required=True, error_messages={"required": "Enter the username or handle"}
    )


class AssociateForm(forms.Form):
    name = _text("Name", max_length=200, required=True, error_messages={"required": "Enter the person's name"})
    relationship = _text("Relationship to the child (optional)", max_length=100)
    notes = _textarea("Notes (optional)")


class PlaceOfConcernForm(forms.Form):
    name = _text(
        "Name of the place", max_length=200, required=True, error_messages={"required": "Enter the name of the place"}
    )
    address = _text("Address (optional)", max_length=300)
    notes = _textarea("Notes (optional)", help_text="Why the place is a concern")
