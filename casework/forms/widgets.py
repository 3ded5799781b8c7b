"""GOV.UK date and date-time inputs for Django forms.

Rendered by ``templates/django/forms/widgets/govuk_date.html`` inside the
fieldset that ``templates/django/forms/field.html`` draws for widgets with
``use_fieldset = True``. ``BoundField.widget_type`` is derived from the class
name, so ``GovukDateInput`` -> ``"govukdate"`` and ``GovukDateTimeInput`` ->
``"govukdatetime"``; the templates rely on those names.

Error messages follow the GOV.UK date input pattern and use the field's
``error_name`` (default: its label), for example "Date of birth must include a
month" or "Date of birth must be a real date". See
https://design-system.service.gov.uk/components/date-input/
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import from_current_timezone
from django.utils import timezone

__all__ = [
    "GovukDateInput",
    "GovukDateTimeInput",
    "GovukDateField",
    "GovukDateTimeField",
]


def _part_input() -> forms.TextInput:
    return forms.TextInput(attrs={"inputmode": "numeric"})


class GovukDateInput(forms.MultiWidget):
    """Day, month and year text boxes (``widget_type == "govukdate"``)."""

    template_name = "django/forms/widgets/govuk_date.html"
    use_fieldset = True
    parts = (
        ("day", "Day", "govuk-input--width-2"),
        ("month", "Month", "govuk-input--width-2"),
        ("year", "Year", "govuk-input--width-4"),
    )

    def __init__(self, attrs=None):
        # A dict gives GOV.UK-style names: <name>_day, <name>_month, ... (Django adds the "_")
        # (ids stay <id>_0, <id>_1, ...).
        widgets = {name: _part_input() for name, _label, _width in self.parts}
        super().__init__(widgets, attrs)

    def id_for_label(self, id_):
        # Error summary links and labels go to the first box (day).
        return f"{id_}_0" if id_ else id_

    def decompress(self, value):
        if not value:
            return [None] * len(self.parts)
        return [value.day, value.month, value.year]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, (_name, label, width) in zip(context["widget"]["subwidgets"], self.parts, strict=True):
            subwidget["label"] = label
            subwidget["width_class"] = width
            # The widths come from width_class; don't let a class passed to
            # the whole widget land on every box.
            subwidget["attrs"].pop("class", None)
            # aria-describedby belongs on the fieldset, not each box.
            subwidget["attrs"].pop("aria-describedby", None)
        return context


class GovukDateTimeInput(GovukDateInput):
    """Day, month, year, hour and minute (24-hour clock) in one fieldset
    (``widget_type == "govukdatetime"``)."""

    parts = GovukDateInput.parts + (
        ("hour", "Hour", "govuk-input--width-2"),
        ("minute", "Minute", "govuk-input--width-2"),
    )

    def decompress(self, value):
        if not value:
            return [None] * len(self.parts)
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return [value.day, value.month, value.year, value.hour, value.minute]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["subwidgets"][3]["starts_time"] = True
        return context


def _join(words: list[str]) -> str:
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " and " + words[-1]


def _lower_first(text: str) -> str:
    # "Date of birth" -> "date of birth", but keep "SSDA903 date" as it is.
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


class GovukDateField(forms.MultiValueField):
    """A ``datetime.date`` from GOV.UK day/month/year boxes.

    Extra arguments:
      error_name   – how errors name the date (default: the label, else "Date")
      allow_future – False: "… must be today or in the past"
      allow_past   – False: "… must be today or in the future"

    ``error_messages`` may override: required, incomplete, invalid,
    year_length, future, past. They are formatted with ``name`` (capitalised
    error name), ``lname`` (lower-case first letter) and ``missing``
    (e.g. "a day and month").
    """

    widget = GovukDateInput
    part_names = ("day", "month", "year")
    default_error_messages = {
        "required": "Enter {lname}",
        "incomplete": "{name} must include {missing}",
        "invalid": "{name} must be a real date",
        "year_length": "Year must include 4 numbers",
        "future": "{name} must be today or in the past",
        "past": "{name} must be today or in the future",
    }

    def __init__(
        self,
        *,
        error_name: str | None = None,
        allow_future: bool = True,
        allow_past: bool = True,
        **kwargs,
    ):
        self.error_name = error_name
        self.allow_future = allow_future
        self.allow_past = allow_past
        fields = tuple(forms.CharField(required=False) for _ in self.part_names)
        kwargs.setdefault("require_all_fields", False)
        super().__init__(fields=fields, **kwargs)

    # --- messages -----------------------------------------------------------

    def _name(self) -> str:
        name = self.error_name or self.label or "Date"
        return str(name).rstrip("?").strip()

    def _error(self, code: str, missing: str = "") -> ValidationError:
        name = self._name()
        message = self.error_messages[code].format(
            name=name[:1].upper() + name[1:],
            lname=_lower_first(name),
            missing=missing,
        )
        return ValidationError(message, code=code)

    # --- cleaning -----------------------------------------------------------

    def _parts(self, value) -> list[str]:
        if not value:
            value = []
        if not isinstance(value, (list, tuple)):
            value = self.widget.decompress(value)
        parts = [("" if v is None else str(v)).strip() for v in value]
        parts += [""] * (len(self.part_names) - len(parts))
        return parts[: len(self.part_names)]

    def _check_complete(self, parts: list[str]) -> None:
        missing = [n for n, v in zip(self.part_names, parts, strict=True) if not v]
        if missing:
            raise self._error("incomplete", _missing_text(missing))

    def _to_date(self, parts: list[str]) -> datetime.date:
        day, month, year = parts[:3]
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise self._error("invalid")
        if len(year) != 4:
            raise self._error("year_length")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise self._error("invalid") from None

    def _check_range(self, value) -> None:
        today = timezone.localdate()
        day = value.date() if isinstance(value, datetime.datetime) else value
        if not self.allow_future and day > today:
            raise self._error("future")
        if not self.allow_past and day < today:
            raise self._error("past")

    def clean(self, value):
        parts = self._parts(value)
        if not any(parts):
            if self.required:
                raise self._error("required")
            return None
        self._check_complete(parts)
        result = self._to_date(parts)
        self._check_range(result)
        self.validate(result)
        self.run_validators(result)
        return result

    def validate(self, value):
        # MultiValueField.validate does nothing; required is handled in clean.
        pass

    def compress(self, data_list):
        # Not used: clean() does the whole job, but MultiValueField needs it.
        return self._to_date(self._parts(data_list)) if any(data_list) else None

    def has_changed(self, initial, data):
        initial_parts = self._parts(initial)
        data_parts = self._parts(data)
        return [p.lstrip("0") for p in initial_parts] != [p.lstrip("0") for p in data_parts]


def _missing_text(missing: list[str]) -> str:
    """["month"] -> "a month"; ["day", "month"] -> "a day and month";
    ["hour"] -> "an hour"; hour and minute both missing -> "a time"."""
    words = list(missing)
    if "hour" in words and "minute" in words:
        words = [w for w in words if w not in ("hour", "minute")] + ["time"]
    article = "an" if words[0] == "hour" else "a"
    return f"{article} {_join(words)}"


class GovukDateTimeField(GovukDateField):
    """An aware ``datetime`` (current time zone) from GOV.UK day/month/year
    plus hour and minute (24-hour clock) boxes, e.g. when a child went missing.
    """

    widget = GovukDateTimeInput
    part_names = ("day", "month", "year", "hour", "minute")
    default_error_messages = {
        "required": "Enter {lname}",
        "incomplete": "{name} must include {missing}",
        "invalid": "{name} must be a real date",
        "invalid_time": "{name} must be a real time, using the 24-hour clock, like 09:30 or 17:45",
        "year_length": "Year must include 4 numbers",
        "future": "{name} must be now or in the past",
        "past": "{name} must be now or in the future",
    }

    def _to_date(self, parts: list[str]) -> datetime.datetime:
        day = super()._to_date(parts)
        hour, minute = parts[3:5]
        if not (hour.isdigit() and minute.isdigit()):
            raise self._error("invalid_time")
        try:
            naive = datetime.datetime.combine(day, datetime.time(int(hour), int(minute)))
        except ValueError:
            raise self._error("invalid_time") from None
        return from_current_timezone(naive)

    def _check_range(self, value) -> None:
        now = timezone.now()
        if not self.allow_future and value > now:
            raise self._error("future")
        if not self.allow_past and value < now:
            raise self._error("past")
