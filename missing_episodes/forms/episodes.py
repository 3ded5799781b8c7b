"""Forms for reporting a child missing and for everything that follows: closing, reclassifying, updates,
the return interview and corrections. Rendered as GOV.UK by the form renderer (ADR 0002).

Forms check only what was typed; the rules that join facts together (in care, no overlap, one open
episode) live in ``missing_episodes.services`` and come back as ``ValidationError``s that the views put
onto these forms' fields.
"""

from django import forms
from django.utils import timezone

from casework.forms.widgets import GovukDateTimeField
from missing_episodes.models import EpisodeUpdate, Kind, Outcome, PoliceRiskLevel

YES_NO_NOT_YET = [("yes", "Yes"), ("no", "No"), ("", "Not yet")]
YES_NO_NOT_KNOWN = [("yes", "Yes"), ("no", "No"), ("", "Not known")]
_BOOL = {"yes": True, "no": False}


def to_bool(value: str) -> bool | None:
    return _BOOL.get(value)


def from_bool(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "")


class RadiosWithHints(forms.RadioSelect):
    """GOV.UK radios where an option may carry a hint (``hints``: value → text)."""

    template_name = "missing_episodes/widgets/radios.html"
    option_template_name = "missing_episodes/widgets/radio_option.html"

    def __init__(self, *args, hints: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.hints = hints or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["hint"] = self.hints.get(str(value), "")
        if option["hint"]:
            option["attrs"]["aria-describedby"] = f"{option['attrs']['id']}-hint"
        return option


class DateTimeField(GovukDateTimeField):
    """Error messages leave out "(optional)" and the question mark of the label."""

    def _name(self) -> str:
        name = str(self.error_name or self.label or "Date").removesuffix("(optional)").strip()
        return name.rstrip("?").strip()


def _text(label: str, *, max_length: int, required: bool = False, help_text: str = "", width: str = "") -> forms.Field:
    name = label.removesuffix(" (optional)")
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"class": f"govuk-input--width-{width}"} if width else {}),
        error_messages={"required": f"Enter {name[:1].lower() + name[1:]}", "max_length": f"{name} is too long"},
    )


def _textarea(label: str, *, help_text: str = "", required: bool = False, error: str = "") -> forms.Field:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": error or f"Enter {label.lower()}"},
    )


KIND_HINTS = {
    Kind.MISSING: "Nobody knows where the child is.",
    Kind.AWAY: (
        "You know where the child is, but they are not where they should be and have not been allowed to be there."
    ),
}
KIND_CHOICES = [(Kind.MISSING, "Missing"), (Kind.AWAY, "Away from placement without permission")]
POLICE_RISK_CHOICES = [*PoliceRiskLevel.choices, ("", "The police have not said yet")]


class ChildSearchForm(forms.Form):
    q = forms.CharField(
        label="Which child is missing?",
        max_length=200,
        help_text="Search by name, alias or Child ID",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter the child's name or Child ID"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].govuk_label_size = "m"


class _ChildChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.display_name} ({obj.la_child_id}), born {obj.date_of_birth:%d/%m/%Y}"


class VersionedForm(forms.Form):
    """A change form carries the version it was opened at; a stale one changes nothing."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReportMissingForm(forms.Form):
    """Everything needed to report a child missing, on one page."""

    child = _ChildChoiceField(
        label="Child",
        queryset=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the child", "invalid_choice": "Select the child"},
    )
    q = forms.CharField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label="Is the child missing or away?",
        choices=KIND_CHOICES,
        widget=RadiosWithHints(hints=KIND_HINTS),
        error_messages={"required": "Select whether the child is missing or away"},
    )
    started_at = DateTimeField(
        label="When was the child last seen?",
        error_name="The time the child was last seen",
        help_text="Or when they left the placement, if that was later. Use the 24-hour clock, like 21 30.",
        allow_future=False,
    )
    last_seen_location = _text("Where were they last seen? (optional)", max_length=300)
    circumstances = _textarea(
        "What happened? (optional)",
        help_text=(
            "What they were wearing, who they were with, anything they said, and what has been done to find them."
        ),
    )
    reported_to_police = forms.ChoiceField(
        label="Has the child been reported to the police?",
        choices=[("yes", "Yes"), ("no", "No, not yet")],
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
        error_messages={"required": "Select yes if the child has been reported to the police"},
    )
    reported_to_police_at = DateTimeField(
        label="When were they reported to the police? (optional)",
        error_name="The time they were reported to the police",
        required=False,
        allow_future=False,
    )
    police_force = _text("Police force (optional)", max_length=100, width="20")
    police_reference = _text("Police reference (optional)", max_length=50, width="20")
    police_risk_level = forms.ChoiceField(
        label="What risk level have the police given? (optional)",
        choices=POLICE_RISK_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, children, candidates=None, fixed_child=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["child"]
        field.queryset = children
        if fixed_child is not None:
            field.widget = forms.HiddenInput()
            self.initial.setdefault("child", fixed_child.pk)
        else:
            field.label = "Select the child"
            field.widget.choices = [(c.pk, field.label_from_instance(c)) for c in (candidates or [])]
        self.fields["kind"].govuk_label_size = "m"
        self.fields["started_at"].govuk_label_size = "m"
        self.fields["reported_to_police"].govuk_label_size = "m"
        self.fields["police_risk_level"].govuk_label_size = "s"
        self.initial.setdefault("started_at", timezone.now())
        self.initial.setdefault("police_risk_level", "")

    def clean(self):
        data = super().clean()
        needs_time = data.get("reported_to_police") == "yes" and not data.get("reported_to_police_at")
        if needs_time and "reported_to_police_at" not in self.errors:
            self.add_error("reported_to_police_at", "Enter when the child was reported to the police")
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            "child": data["child"],
            "kind": data["kind"],
            "started_at": data["started_at"],
            "last_seen_location": data["last_seen_location"],
            "circumstances": data["circumstances"],
            "police_risk_level": data["police_risk_level"],
        }
        if data["reported_to_police"] == "yes":
            fields.update(
                reported_to_police_at=data["reported_to_police_at"],
                police_force=data["police_force"],
                police_reference=data["police_reference"],
            )
        return fields


class EditEpisodeForm(VersionedForm):
    started_at = DateTimeField(
        label="When was the child last seen?",
        error_name="The time the child was last seen",
        help_text="Or when they left the placement, if that was later",
        allow_future=False,
    )
    last_seen_location = _text("Where were they last seen? (optional)", max_length=300)
    circumstances = _textarea("What happened? (optional)")
    reported_to_police_at = DateTimeField(
        label="When were they reported to the police? (optional)",
        error_name="The time they were reported to the police",
        required=False,
        allow_future=False,
    )
    police_force = _text("Police force (optional)", max_length=100, width="20")
    police_reference = _text("Police reference (optional)", max_length=50, width="20")
    police_risk_level = forms.ChoiceField(
        label="What risk level have the police given? (optional)",
        choices=POLICE_RISK_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    host_authority_notified_at = DateTimeField(
        label="When was the host authority told? (optional)",
        error_name="The time the host authority was told",
        help_text="If the child is placed in another council's area",
        required=False,
        allow_future=False,
    )
    home_office_notified_at = DateTimeField(
        label="When was the Home Office told? (optional)",
        error_name="The time the Home Office was told",
        help_text="For children who are not British citizens",
        required=False,
        allow_future=False,
    )

    FIELDS = (
        "started_at",
        "last_seen_location",
        "circumstances",
        "reported_to_police_at",
        "police_force",
        "police_reference",
        "police_risk_level",
        "host_authority_notified_at",
        "home_office_notified_at",
    )

    @classmethod
    def initial_for(cls, episode) -> dict:
        return {name: getattr(episode, name) for name in cls.FIELDS} | {"version": episode.version}

    def changed_fields(self, episode) -> dict:
        """Only what was changed: a time typed to the minute equals the stored time to the minute."""
        changed = {}
        for name in self.FIELDS:
            new, old = self.cleaned_data[name], getattr(episode, name)
            if hasattr(old, "replace") and old is not None and not isinstance(old, str):
                old = old.replace(second=0, microsecond=0)
            if new != old:
                changed[name] = self.cleaned_data[name]
        return changed


class CloseEpisodeForm(VersionedForm):
    outcome = forms.ChoiceField(
        label="What happened?",
        choices=[(Outcome.FOUND, "The child was found"), (Outcome.RETURNED, "The child came back by themselves")],
        widget=RadiosWithHints(
            hints={
                Outcome.FOUND: "For example, by the police, a carer or a member of the public.",
                Outcome.RETURNED: "They returned to their placement.",
            }
        ),
        error_messages={"required": "Select whether the child was found or came back"},
    )
    ended_at = DateTimeField(
        label="When were they found or back?",
        error_name="The time the child was found or back",
        help_text="Use the 24-hour clock, like 21 30",
        allow_future=False,
    )
    found_location = _text("Where were they found? (optional)", max_length=300)
    notes = _textarea("Anything else to record? (optional)", help_text="For example, the police safe and well check.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].govuk_label_size = "m"
        self.fields["ended_at"].govuk_label_size = "m"
        self.initial.setdefault("ended_at", timezone.now())


class ReclassifyForm(VersionedForm):
    kind = forms.ChoiceField(
        label="What is the child now?",
        choices=KIND_CHOICES,
        widget=RadiosWithHints(hints=KIND_HINTS),
        error_messages={"required": "Select whether the child is now missing or away"},
    )
    at = DateTimeField(
        label="When did this change?",
        error_name="The time this changed",
        help_text="For example, when you found out where they are. Use the 24-hour clock, like 21 30",
        allow_future=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].govuk_label_size = "m"
        self.fields["at"].govuk_label_size = "m"
        self.initial.setdefault("at", timezone.now())


class AddUpdateForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of update is it?",
        choices=EpisodeUpdate.Kind.choices,
        widget=RadiosWithHints(
            hints={
                EpisodeUpdate.Kind.SIGHTING: "Someone saw the child or heard from them.",
                EpisodeUpdate.Kind.POLICE_UPDATE: "News from the police, such as a change of risk level.",
                EpisodeUpdate.Kind.STRATEGY_DISCUSSION: "Enter who took part and the actions agreed.",
            }
        ),
        error_messages={"required": "Select what kind of update it is"},
    )
    occurred_at = DateTimeField(label="When did it happen?", error_name="The time it happened", allow_future=False)
    summary = _textarea("What happened?", required=True, error="Enter what happened")
    attendees = _textarea("Who took part? (strategy discussions)")
    actions = _textarea("What actions were agreed? (strategy discussions)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].govuk_label_size = "m"
        self.initial.setdefault("occurred_at", timezone.now())


class ReturnInterviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    offered_at = DateTimeField(
        label="When was the return interview offered? (optional)",
        error_name="The time the return interview was offered",
        required=False,
        allow_future=False,
    )
    accepted = forms.ChoiceField(
        label="Did the child accept it?",
        choices=YES_NO_NOT_YET,
        required=False,
        widget=forms.RadioSelect,
    )
    declined_reason = _textarea("If they declined, why? (optional)")
    completed_at = DateTimeField(
        label="When did the interview take place? (optional)",
        error_name="The time the interview took place",
        required=False,
        allow_future=False,
    )
    conducted_by = _text(
        "Who did the interview? (optional)",
        max_length=200,
        help_text="Name and organisation. It should be someone independent of the child's care.",
    )
    summary = _textarea("What did the child say? (optional)", help_text="Why they went, where, who with.")
    exploitation_disclosed = forms.ChoiceField(
        label="Did the child tell you about exploitation?",
        choices=YES_NO_NOT_KNOWN,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
    )

    FIELDS = (
        "offered_at",
        "accepted",
        "completed_at",
        "conducted_by",
        "declined_reason",
        "summary",
        "exploitation_disclosed",
    )

    @classmethod
    def initial_for(cls, interview) -> dict:
        if interview is None:
            return {"accepted": "", "exploitation_disclosed": ""}
        initial = {name: getattr(interview, name) for name in cls.FIELDS}
        initial["accepted"] = from_bool(interview.accepted)
        initial["exploitation_disclosed"] = from_bool(interview.exploitation_disclosed)
        initial["version"] = interview.version
        return initial

    def service_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.FIELDS}
        data["accepted"] = to_bool(data["accepted"])
        data["exploitation_disclosed"] = to_bool(data["exploitation_disclosed"])
        return data
