"""The form that asks for a return (which one, and for which collection year), and the date-range form of
the reports that cover any period."""

from datetime import date

from django import forms
from django.utils import timezone

from casework.forms.widgets import GovukDateField
from reporting.dashboards import default_range
from reporting.generators import GENERATORS
from reporting.models import ReturnKind
from reporting.services import FIRST_YEAR


def last_completed_year(today: date | None = None) -> int:
    """The end year of the latest collection year that has ended (years end on 31 March)."""
    today = today or timezone.localdate()
    return today.year if today >= date(today.year, 4, 1) else today.year - 1


def year_label(year: int) -> str:
    return f"{year - 1} to {year} (1 April {year - 1} to 31 March {year})"


def year_choices(today: date | None = None) -> list[tuple[int, str]]:
    today = today or timezone.localdate()
    return [(year, year_label(year)) for year in range(today.year + 1, FIRST_YEAR - 1, -1)]


def kind_choices() -> list[tuple[str, str]]:
    """The returns that can be generated now (the others are not offered)."""
    return [(value, label) for value, label in ReturnKind.choices if value in GENERATORS]


class ReturnRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label="Which return?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select which return to generate", "invalid_choice": "Select a return"},
    )
    year = forms.TypedChoiceField(
        label="Collection year",
        coerce=int,
        help_text=(
            "A collection year runs from 1 April to 31 March. The return shows the world as it stood on 31 March."
        ),
        error_messages={"required": "Select the collection year", "invalid_choice": "Select a collection year"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()
        self.fields["year"].choices = year_choices()
        self.fields["kind"].govuk_label_size = "m"
        self.fields["year"].govuk_label_size = "m"
        self.initial.setdefault("kind", ReturnKind.SSDA903)
        self.initial.setdefault("year", last_completed_year())


class DateRangeForm(forms.Form):
    """From and to dates (a GET form) for reports over any period; unbound, it offers the last 12 months."""

    date_from = GovukDateField(
        label="From",
        error_name="The start date",
        help_text="For example, 1 4 2024",
        allow_future=False,
        error_messages={"required": "Enter the start date"},
    )
    date_to = GovukDateField(
        label="To",
        error_name="The end date",
        help_text="For example, 31 3 2025",
        allow_future=False,
        error_messages={"required": "Enter the end date"},
    )

    def __init__(self, data=None, **kwargs):
        date_from, date_to = default_range()
        super().__init__(data, initial={"date_from": date_from, "date_to": date_to}, **kwargs)
        for name in ("date_from", "date_to"):
            self.fields[name].govuk_label_size = "s"

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return cleaned

    def period(self) -> tuple[date, date]:
        """The dates to use: the form's when bound and valid, else the last 12 months (call after is_valid())."""
        if self.is_bound:
            return self.cleaned_data["date_from"], self.cleaned_data["date_to"]
        return default_range()
