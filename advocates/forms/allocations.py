from django import forms

from advocates.models import AllocationRole, ContactKind
from casework.forms.widgets import GovukDateField, GovukDateTimeField


class ContactForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of contact was it?",
        choices=ContactKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of contact"},
    )
    occurred_at = GovukDateTimeField(label="When was it?", error_name="The contact time")
    duration_minutes = forms.IntegerField(
        label="How long did it take, in minutes? (optional)",
        required=False,
        min_value=1,
        max_value=1440,
        error_messages={"invalid": "Enter the duration as a number of minutes"},
    )
    summary = forms.CharField(
        label="Summary",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        error_messages={"required": "Enter a summary of the contact"},
    )


class AllocationForm(forms.Form):
    advocate = forms.ModelChoiceField(
        label="Advocate", queryset=None, error_messages={"required": "Choose the advocate to allocate"}
    )
    role = forms.ChoiceField(
        label="Role",
        choices=AllocationRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select direct worker or regional practice coordinator"},
    )
    referral_date = GovukDateField(
        label="Date referred to the guardian service (optional)", required=False, error_name="The referral date"
    )
    start_date = GovukDateField(label="Start date", error_name="The start date")
    consent_noted = forms.BooleanField(label="The child's views on the referral have been noted", required=False)

    def __init__(self, *args, advocates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["advocate"].queryset = advocates


class EndAllocationForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    end_date = GovukDateField(
        label="End date", help_text="The advocate can no longer see the child from this day", error_name="The end date"
    )
