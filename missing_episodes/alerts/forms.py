from django import forms


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label="What are you doing about it? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RiskLevelForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    risk_level = forms.ChoiceField(
        label="What is the authority's risk level now?",
        widget=forms.RadioSelect,
        choices=[("high", "High"), ("medium", "Medium"), ("low", "Low")],
        error_messages={"required": "Select high, medium or low"},
    )
    reason = forms.CharField(
        label="Why? (needed when lowering a high risk)",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
