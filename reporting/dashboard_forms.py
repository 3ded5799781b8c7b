"""The dashboards' filter form (a GET form): team and date range, defaulting to the last 12 months."""

from django import forms

from casework.widgets import GovukDateField
from reporting.dashboards import Filters, default_range

DATE_PARTS = ("day", "month", "year")


def _with_default_dates(data, **defaults):
    """A link with only ``?team=`` gets the default dates; a date the user cleared is still an error."""
    data = data.copy()
    for name, day in defaults.items():
        keys = [f"{name}_{part}" for part in DATE_PARTS]
        if not any(key in data for key in keys):
            for key, value in zip(keys, (day.day, day.month, day.year), strict=True):
                data[key] = str(value)
    return data


class DashboardFilterForm(forms.Form):
    team = forms.ModelChoiceField(label="Team", queryset=None, required=False, empty_label="All teams")
    date_from = GovukDateField(
        label="From",
        error_name="The start date",
        help_text="For example, 1 4 2025",
        allow_future=False,
        error_messages={"required": "Enter the start date"},
    )
    date_to = GovukDateField(
        label="To",
        error_name="The end date",
        help_text="For example, 31 3 2026",
        allow_future=False,
        error_messages={"required": "Enter the end date"},
    )

    def __init__(self, data=None, *, teams, **kwargs):
        date_from, date_to = default_range()
        if data is not None:
            data = _with_default_dates(data, date_from=date_from, date_to=date_to)
        super().__init__(data, initial={"date_from": date_from, "date_to": date_to}, **kwargs)
        self.fields["team"].queryset = teams
        for name in ("team", "date_from", "date_to"):
            self.fields[name].govuk_label_size = "s"

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return cleaned

    def filters(self) -> Filters:
        """The filters to apply: the form's when valid, else the defaults (call after is_valid())."""
        if self.is_bound:
            data = self.cleaned_data
            return Filters(date_from=data["date_from"], date_to=data["date_to"], team=data.get("team"))
        date_from, date_to = default_range()
        return Filters(date_from=date_from, date_to=date_to)
