"""The dashboards' filter form (a GET form): team and date range, defaulting to the last 12 months."""

from django import forms

from reporting.dashboards import Filters, default_range
from reporting.forms.returns import DateRangeForm

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


class DashboardFilterForm(DateRangeForm):
    """The date range of every report, with a team."""

    team = forms.ModelChoiceField(label="Team", queryset=None, required=False, empty_label="All teams")
    field_order = ["team", "date_from", "date_to"]

    def __init__(self, data=None, *, teams, **kwargs):
        if data is not None:
            date_from, date_to = default_range()
            data = _with_default_dates(data, date_from=date_from, date_to=date_to)
        super().__init__(data, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["team"].govuk_label_size = "s"

    def filters(self) -> Filters:
        """The filters to apply: the form's when valid, else the defaults (call after is_valid())."""
        date_from, date_to = self.period()
        return Filters(
            date_from=date_from, date_to=date_to, team=self.cleaned_data.get("team") if self.is_bound else None
        )
