from django import forms


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label="What are you doing about it? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
