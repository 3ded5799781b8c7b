"""Input fields shared by the API's serializers."""

from rest_framework import serializers


class StrictCharField(serializers.CharField):
    """Text must come as a JSON string: a number or true/false is a 400 naming the field, not quietly
    turned into text (the schema says "string", and a number here is almost always a client's mistake)."""

    default_error_messages = {"invalid": "Enter text, in quotes"}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)
