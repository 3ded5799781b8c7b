from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reporting.models import ReturnKind, ReturnRun, RunStatus

KIND_MESSAGE = "Choose ssda903, annex_a_list8 or trafficking_missing_summary"


class ReturnRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=ReturnKind.choices,
        error_messages={"invalid_choice": KIND_MESSAGE, "required": KIND_MESSAGE, "null": KIND_MESSAGE},
    )
    year = serializers.IntegerField(
        help_text="The collection's end year: 2025 means 1 April 2024 to 31 March 2025",
        error_messages={
            "invalid": "Enter the collection year as a number, like 2025",
            "required": "Enter the collection year, like 2025",
            "null": "Enter the collection year, like 2025",
            "max_string_length": "Enter the collection year as a number, like 2025",
        },
    )


class ReturnFileSerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.URLField(help_text="Download address of the file")
    rows = serializers.IntegerField(help_text="Data rows, not counting the column headings")


class ValidationIssueSerializer(serializers.Serializer):
    child = serializers.CharField(allow_null=True, help_text="The child's Child ID (CHILD), or null for a file")
    rule = serializers.CharField(help_text="The validator's rule code, or 'care history'")
    field = serializers.CharField(help_text="The column (or columns) the rule concerns")
    description = serializers.CharField()


class ValidationSerializer(serializers.Serializer):
    errors = serializers.IntegerField()
    warnings = serializers.IntegerField()
    issues = ValidationIssueSerializer(many=True)
    validator = serializers.CharField(
        required=False, help_text="Which validator checked the files, or why none did ('not run', 'unavailable: …')"
    )
    failed_rules = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Rules that crashed inside the validator"
    )


class ReturnRunSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=RunStatus.choices, read_only=True)
    progress = serializers.IntegerField(read_only=True, min_value=0, max_value=100)
    files = serializers.SerializerMethodField()
    validation = serializers.SerializerMethodField()
    requested_by = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = ReturnRun
        fields = [
            "id",
            "kind",
            "year",
            "period_start",
            "period_end",
            "status",
            "progress",
            "files",
            "validation",
            "error",
            "requested_by",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ReturnFileSerializer(many=True))
    def get_files(self, run: ReturnRun) -> list[dict]:
        if run.status != RunStatus.DONE:
            return []
        request = self.context.get("request")
        files = []
        for entry in run.files or []:
            url = reverse("api-return-file", args=[run.pk, entry["name"]])
            files.append(
                {
                    "name": entry["name"],
                    "url": request.build_absolute_uri(url) if request else url,
                    "rows": entry.get("rows", 0),
                }
            )
        return files

    @extend_schema_field(ValidationSerializer(allow_null=True, help_text="null until the run is done"))
    def get_validation(self, run: ReturnRun) -> dict | None:
        if run.status != RunStatus.DONE or run.validation is None:
            return None
        data = dict(run.validation)
        data.setdefault("errors", 0)
        data.setdefault("warnings", 0)
        data.setdefault("issues", [])
        return data
