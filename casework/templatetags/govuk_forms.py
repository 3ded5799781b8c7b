"""Tags for the GOV.UK widget templates (templates/django/forms/widgets/), which render on every form page."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def govuk_attrs(attrs: dict) -> SafeString:
    """A widget's attributes other than ``class`` (the templates place that themselves), each escaped:
    ``True`` gives the bare name, ``False`` leaves the attribute out. One call instead of an included
    template looping over the attributes, for every input, option and date part on the page."""
    html = []
    for name, value in attrs.items():
        if value is False or name == "class":
            continue
        html.append(f" {conditional_escape(name)}")
        if value is not True:
            html.append(f'="{conditional_escape(value)}"')
    return mark_safe("".join(html))  # noqa: S308 (every name and value escaped above)
