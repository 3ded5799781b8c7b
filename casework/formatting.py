"""How dates and yes/no answers read on the pages."""

from datetime import date

from django.utils import dateformat


def long_date(value: date | None) -> str:
    return dateformat.format(value, "j F Y") if value else ""


def yes_no(value: bool | None) -> str:
    return {True: "Yes", False: "No"}.get(value, "")
