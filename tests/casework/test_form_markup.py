"""The GOV.UK markup every form field gets (templates/django/forms/, casework.templatetags.govuk_forms):
error styles that sighted users see and the attributes that screen readers announce."""

import re

from django import forms

from casework.forms.widgets import GovukDateField
from casework.templatetags.govuk_forms import govuk_attrs


class _Form(forms.Form):
    name = forms.CharField(label="Name", max_length=5, widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}))
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=True)
    team = forms.ChoiceField(label="Team", choices=[("", "Choose"), ("a", "North <east>")])
    kind = forms.ChoiceField(label="Kind", choices=[("M", "Missing"), ("A", "Away")], widget=forms.RadioSelect)
    born = GovukDateField(label="Date of birth")


def _tag(html: str, pattern: str) -> str:
    match = re.search(pattern, html)
    assert match, pattern
    return match.group(0)


def test_fields_with_errors_are_styled_and_described_as_errors():
    form = _Form(data={"name": "Dawit Tesfaye", "notes": "", "team": "zzz", "kind": "Q", "born_day": "31"})
    html = str(form)

    name = _tag(html, r'<input type="text" name="name"[^>]*>')
    assert 'class="govuk-input govuk-input--error govuk-input--width-10"' in name
    assert 'aria-invalid="true"' in name and 'aria-describedby="id_name_error"' in name
    assert 'value="Dawit Tesfaye"' in name
    assert 'class="govuk-textarea govuk-textarea--error"' in _tag(html, r"<textarea[^>]*>")
    assert 'class="govuk-select govuk-select--error"' in _tag(html, r"<select[^>]*>")
    assert "North &lt;east&gt;" in html
    day = _tag(html, r'<input type="text" name="born_day"[^>]*>')
    assert "govuk-input--error" in day and 'inputmode="numeric"' in day
    assert html.count('class="govuk-form-group govuk-form-group--error"') == 5


def test_fields_without_errors_are_plain():
    form = _Form(
        data={
            "name": "Dawit",
            "notes": "Seen",
            "team": "a",
            "kind": "A",
            "born_day": "3",
            "born_month": "1",
            "born_year": "2010",
        }
    )
    assert form.is_valid()
    html = str(form)
    assert "--error" not in html and "aria-invalid" not in html
    assert 'class="govuk-input govuk-input--width-10"' in _tag(html, r'<input type="text" name="name"[^>]*>')
    away = _tag(html, r'<input class="govuk-radios__input" type="radio" name="kind" value="A"[^>]*>')
    assert " checked" in away and "required" in away


def test_widget_attributes_are_escaped_and_true_and_false_are_honoured():
    html = govuk_attrs(
        {"class": "ignored", "data-x": '"><script>', "required": True, "disabled": False, "maxlength": 5}
    )
    assert html == ' data-x="&quot;&gt;&lt;script&gt;" required maxlength="5"'
