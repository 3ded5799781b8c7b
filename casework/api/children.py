"""Children and their care history: `/api/v1/children/` and the three nested care timelines.

Reads start from the caller's scope (``casework.access`` / ``casework.selectors``): outside it a child
does not exist (404). Inside it, a missing permission is a 403. Writes go through ``casework.services``,
whose ``ValidationError`` (400) and ``StaleVersion`` (409) the API's exception handler turns into JSON.

Validation errors for the child's grouped fields (``description``, ``trafficking``, ``uasc``) are
always nested under the group with the API's field names, e.g.
``{"trafficking": {"reasonable_grounds_date": ["Enter the date of the decision"]}}``, whether the
serializer or a service rule found the problem.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.fields import empty
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from casework import codes, selectors, services
from casework.access import Permission, child_sections, has_permission, visible_children
from casework.api.fields import StrictCharField
from casework.audit import log_access
from casework.models import Child, LegalStatus, Organisation, PeriodOfCare, Placement, Team, User

# --- Fields ---------------------------------------------------------------------------------------


def code_field(code_set: dict[str, str], message: str, *, optional: bool = False, **kwargs):
    """A 903 (or local) code, with a message a social worker can act on when it is not one."""
    field_class = OptionalChoiceField if optional else serializers.ChoiceField
    return field_class(choices=codes.choices(code_set), error_messages={"invalid_choice": message}, **kwargs)


class OptionalChoiceField(serializers.ChoiceField):
    """An optional choice stored as "" when not given: accepts null or "", and reads back as null."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(allow_null=True, allow_blank=True, **kwargs)

    def run_validation(self, data=empty):
        if data is None:
            data = ""
        return super().run_validation(data)

    def to_representation(self, value):
        return value or None


@extend_schema_field(OpenApiTypes.UUID)
class ScopedPrimaryKeyField(serializers.RelatedField):
    """A UUID naming an object the caller may choose; anything else (malformed, unknown, another
    authority's) gets the same message, so nothing outside the caller's scope is revealed."""

    def __init__(self, *, scope, message: str, **kwargs):
        self.scope = scope
        self.message = message
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:  # schema generation
            return self.scope(None)
        return self.scope(request.user)

    def to_internal_value(self, data):
        try:
            return self.get_queryset().get(pk=data)
        except (ObjectDoesNotExist, DjangoValidationError, ValueError, TypeError, OverflowError):
            raise ValidationError(self.message) from None

    def to_representation(self, value):
        return value.pk

    def use_pk_only_optimization(self):
        return True


def _teams(user):
    return selectors.teams_for(user) if user is not None else Team.objects.none()


def _colleagues(user):
    org = getattr(user, "organisation_id", None)
    return User.objects.filter(organisation_id=org, is_active=True) if org else User.objects.none()


def _local_authorities(user):
    return Organisation.objects.filter(kind=Organisation.Kind.LOCAL_AUTHORITY)


def text(model, name: str, **kwargs):
    """An optional free-text field sized as the model column."""
    return StrictCharField(
        required=False, allow_blank=True, max_length=model._meta.get_field(name).max_length, **kwargs
    )


def optional_date(**kwargs):
    return serializers.DateField(required=False, allow_null=True, **kwargs)


# --- Child serializers ----------------------------------------------------------------------------


class AliasSerializer(serializers.Serializer):
    name = StrictCharField(max_length=200)
    kind = serializers.ChoiceField(
        choices=codes.AliasKind.choices,
        default=codes.AliasKind.ALIAS,
        error_messages={"invalid_choice": "Choose alias, spelling, nickname or original_script"},
    )


class DescriptionSerializer(serializers.Serializer):
    """Physical description for the missing-person pack."""

    height = text(Child, "height")
    build = text(Child, "build")
    hair = text(Child, "hair")
    eyes = text(Child, "eyes")
    distinguishing_marks = StrictCharField(required=False, allow_blank=True)
    clothing_notes = StrictCharField(required=False, allow_blank=True)


class TraffickingSerializer(serializers.Serializer):
    """Trafficking concerns and the National Referral Mechanism (NRM)."""

    status = serializers.ChoiceField(
        source="trafficking_status",
        choices=codes.TraffickingStatus.choices,
        required=False,
        error_messages={"invalid_choice": "Choose none, suspected or identified"},
    )
    exploitation_types = serializers.ListField(
        child=serializers.ChoiceField(
            choices=codes.ExploitationType.choices,
            error_messages={"invalid_choice": f"Choose from {', '.join(codes.ExploitationType.values)}"},
        ),
        required=False,
    )
    nrm_referral_date = optional_date()
    nrm_first_responder = text(Child, "nrm_first_responder")
    nrm_reference = text(Child, "nrm_reference")
    reasonable_grounds = OptionalChoiceField(
        choices=codes.NrmDecision.choices,
        error_messages={"invalid_choice": "Choose pending, positive or negative, or leave empty"},
    )
    reasonable_grounds_date = optional_date()
    conclusive_grounds = OptionalChoiceField(
        choices=codes.NrmDecision.choices,
        error_messages={"invalid_choice": "Choose pending, positive or negative, or leave empty"},
    )
    conclusive_grounds_date = optional_date()


class UascSerializer(serializers.Serializer):
    """Unaccompanied asylum-seeking child."""

    is_uasc = serializers.BooleanField(required=False)
    arrival_date = optional_date()
    asylum_claim_date = optional_date()
    home_office_reference = text(Child, "home_office_reference")
    immigration_status = OptionalChoiceField(
        choices=codes.ImmigrationStatus.choices,
        error_messages={"invalid_choice": f"Choose from {', '.join(codes.ImmigrationStatus.values)}"},
    )
    age_disputed = serializers.BooleanField(required=False)
    uasc_ceased_date = optional_date(help_text="The 903 DUC: the date UASC status ceased")


GROUPS = {"description": DescriptionSerializer, "trafficking": TraffickingSerializer, "uasc": UascSerializer}
# Model field -> (group, API field), to nest service errors the way the serializer nests its own.
GROUPED_FIELDS = {
    (field.source or name): (group, name)
    for group, serializer_class in GROUPS.items()
    for name, field in serializer_class().fields.items()
}


class ChildInputSerializer(serializers.Serializer):
    """What a caller may write on a child (POST; PATCH adds ``version``)."""

    la_child_id = StrictCharField(
        max_length=20,
        validators=[RegexValidator(codes.LA_CHILD_ID_PATTERN, "Child ID must be up to 20 letters and numbers only")],
        help_text="The authority's permanent ID for this child (the 903 CHILD); unique in the authority",
    )
    first_name = StrictCharField(max_length=200)
    last_name = StrictCharField(max_length=200)
    preferred_name = text(Child, "preferred_name")
    aliases = AliasSerializer(many=True, required=False, help_text="Replaces all the child's aliases when sent")
    sex = serializers.ChoiceField(choices=codes.Sex.choices, error_messages={"invalid_choice": "Enter M, F or U"})
    date_of_birth = serializers.DateField()
    dob_estimated = serializers.BooleanField(required=False)
    ethnicity = code_field(codes.ETHNIC, "Enter a valid 903 ethnicity code, like WBRI or BAFR")
    is_mother = serializers.BooleanField(required=False, allow_null=True, help_text="The 903 MOTHER; needed for girls")
    first_child_date_of_birth = optional_date(help_text="The 903 MC_DOB")
    upn = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=13,
        validators=[RegexValidator(codes.UPN_PATTERN, "Enter a 13-character UPN, or UN1 to UN5 if it is not known")],
    )
    nationality = text(Child, "nationality")
    first_language = text(Child, "first_language")
    other_languages = text(Child, "other_languages")
    interpreter_required = serializers.BooleanField(required=False)
    description = DescriptionSerializer(source="*", required=False)
    allocated_social_worker = ScopedPrimaryKeyField(
        scope=_colleagues,
        message="Choose a social worker in your own authority",
        required=False,
        allow_null=True,
        help_text="User id of the allocated social worker, or null",
    )
    team = ScopedPrimaryKeyField(scope=_teams, message="Choose a team in your own authority", help_text="Team id")
    restricted = serializers.BooleanField(
        required=False, help_text="Visible only to those allocated or granted access; managers may change it"
    )
    trafficking = TraffickingSerializer(source="*", required=False)
    uasc = UascSerializer(source="*", required=False)


class VersionedPatch(serializers.Serializer):
    """PATCH input: every field optional except ``version`` (the one the caller last read).

    Not "partial" in DRF's sense on purpose: items inside a list (an alias's ``name``) stay required,
    and the schema marks ``version`` as required.
    """

    version = serializers.IntegerField(
        min_value=1,
        error_messages={"required": "Send the version you last read"},
        help_text="The version you last read; an older one gets 409 and changes nothing",
    )

    @property
    def partial(self) -> bool:
        return False

    @partial.setter
    def partial(self, value) -> None:
        pass

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False


class ChildUpdateSerializer(VersionedPatch, ChildInputSerializer):
    """What a caller may change on a child: any of the fields, with ``version``."""


def open_missing_episode_id(child: Child):
    """The child's open missing episode id, or None (also None until the missing episodes app exists)."""
    annotated = getattr(child, "missing_now", empty)  # selectors.with_missing_now
    if annotated is not empty:
        return annotated
    if not hasattr(child, "missing_episodes"):
        return None
    return child.missing_episodes.filter(status="open").values_list("pk", flat=True).first()


class ChildSerializer(ChildInputSerializer):
    """A child as the API shows it."""

    id = serializers.UUIDField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    organisation = serializers.UUIDField(source="organisation_id", read_only=True)
    is_trafficked = serializers.BooleanField(read_only=True, help_text="Trafficking status suspected or identified")
    currently_missing = serializers.SerializerMethodField()
    open_missing_episode = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def get_currently_missing(self, child) -> bool:
        return open_missing_episode_id(child) is not None

    def to_representation(self, child):
        data = super().to_representation(child)
        request = self.context.get("request")
        if request is not None and "description" not in child_sections(request.user):
            data.pop("description", None)  # as on the child's page: a guardian does not see the description
        return data

    @extend_schema_field(serializers.UUIDField(allow_null=True, help_text="The open missing episode's id, or null"))
    def get_open_missing_episode(self, child):
        return open_missing_episode_id(child)


# --- Care history serializers ---------------------------------------------------------------------


class CareRecordSerializer(serializers.ModelSerializer):
    """Shared by the three timelines; ``version`` is read-only on output and required on PATCH."""

    id = serializers.UUIDField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    start_date = serializers.DateField()
    end_date = optional_date()

    class Meta:
        fields = ["id", "version", "start_date", "end_date"]


class PeriodOfCareSerializer(CareRecordSerializer):
    category_of_need = code_field(codes.CIN, "Enter a valid category of need code, N1 to N8")
    home_postcode = text(PeriodOfCare, "home_postcode", help_text="The 903 HOME_POST; blank for UASC")
    reason_ceased = code_field(
        codes.REC,
        "Enter a valid 903 reason episode ceased code, like E4A or E8",
        optional=True,
        help_text="REC code; required with end_date",
    )

    class Meta(CareRecordSerializer.Meta):
        model = PeriodOfCare
        fields = [*CareRecordSerializer.Meta.fields, "category_of_need", "home_postcode", "reason_ceased"]


class LegalStatusSerializer(CareRecordSerializer):
    code = code_field(codes.LEGAL_STATUS, "Enter a valid 903 legal status code, like C2 or V2")

    class Meta(CareRecordSerializer.Meta):
        model = LegalStatus
        fields = [*CareRecordSerializer.Meta.fields, "code"]


class PlacementSerializer(CareRecordSerializer):
    place = code_field(codes.PLACE, "Enter a valid 903 placement type code, like U6 or K2")
    provider = code_field(codes.PLACE_PROVIDER, "Enter a valid 903 placement provider code, PR0 to PR5", optional=True)
    postcode = text(Placement, "postcode")
    urn = text(Placement, "urn", help_text="Ofsted URN")
    carer_reference = text(Placement, "carer_reference", help_text="The same carer gets the same reference")
    reason_for_change = code_field(
        codes.REASON_PLACE_CHANGE,
        "Enter a valid 903 reason for placement change code, like CARPL or CHILD",
        optional=True,
    )
    address = text(Placement, "address")
    carer_name = text(Placement, "carer_name")
    carer_phone = text(Placement, "carer_phone")
    host_authority = ScopedPrimaryKeyField(
        scope=_local_authorities,
        message="Choose a local authority",
        required=False,
        allow_null=True,
        help_text="Organisation id of the authority the child is placed in, or null",
    )
    out_of_area = serializers.BooleanField(required=False)

    class Meta(CareRecordSerializer.Meta):
        model = Placement
        fields = [
            *CareRecordSerializer.Meta.fields,
            "place",
            "provider",
            "postcode",
            "urn",
            "carer_reference",
            "reason_for_change",
            "address",
            "carer_name",
            "carer_phone",
            "host_authority",
            "out_of_area",
        ]


class PeriodOfCareUpdateSerializer(VersionedPatch, PeriodOfCareSerializer):
    pass


class LegalStatusUpdateSerializer(VersionedPatch, LegalStatusSerializer):
    pass


class PlacementUpdateSerializer(VersionedPatch, PlacementSerializer):
    pass


# --- Error shapes (for the schema) ----------------------------------------------------------------


class DetailErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ValidationErrorSerializer(serializers.Serializer):
    """Keys are the fields in error (nested for description, trafficking and uasc)."""

    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)


E400 = OpenApiResponse(ValidationErrorSerializer, description="Invalid input: messages keyed by field")
E403 = OpenApiResponse(DetailErrorSerializer, description="Your role may not do this")
E404 = OpenApiResponse(DetailErrorSerializer, description="No such child, or not one you can see")
E409 = OpenApiResponse(DetailErrorSerializer, description="Someone else changed this record: reload it")


# --- Helpers --------------------------------------------------------------------------------------


def _nest_errors(exc: DjangoValidationError) -> ValidationError:
    """A service's flat field errors, reshaped as the child serializer nests its fields."""
    errors: dict = {}
    for field, messages in exc.message_dict.items():
        if field == "__all__":
            errors.setdefault("non_field_errors", []).extend(messages)
        elif field in GROUPED_FIELDS:
            group, name = GROUPED_FIELDS[field]
            errors.setdefault(group, {}).setdefault(name, []).extend(messages)
        else:
            errors.setdefault(field, []).extend(messages)
    return ValidationError(errors)


def _require(user, perm: Permission, message: str) -> None:
    if not has_permission(user, perm):
        raise PermissionDenied(message)


class ChildFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200)
    trafficked = serializers.BooleanField(required=False, default=None, error_messages={"invalid": "Use true or false"})
    uasc = serializers.BooleanField(required=False, default=None, error_messages={"invalid": "Use true or false"})
    missing = serializers.BooleanField(required=False, default=None, error_messages={"invalid": "Use true or false"})
    team = serializers.UUIDField(required=False, error_messages={"invalid": "Give a team id"})


CHILD_ID = OpenApiParameter("child_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The child's id")
RECORD_ID = OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH)
LIST_FILTERS = [
    OpenApiParameter("q", str, description="Name, alias, preferred name or la_child_id; spelling tolerant"),
    OpenApiParameter("trafficked", bool, description="Trafficking status suspected or identified (or not)"),
    OpenApiParameter("uasc", bool, description="Currently an unaccompanied asylum-seeking child (or not)"),
    OpenApiParameter("missing", bool, description="Has an open missing episode (or not)"),
    OpenApiParameter("team", OpenApiTypes.UUID, description="Children of this team"),
]


# --- Children -------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List children",
        parameters=LIST_FILTERS,
        responses={200: ChildSerializer(many=True), 400: E400},
    ),
    create=extend_schema(
        summary="Add a child",
        request=ChildInputSerializer,
        responses={201: ChildSerializer, 400: E400, 403: E403},
    ),
    retrieve=extend_schema(
        summary="A child's record", parameters=[RECORD_ID], responses={200: ChildSerializer, 404: E404}
    ),
    partial_update=extend_schema(
        summary="Change a child's record",
        description="Send `version` as last read. Changing `restricted` needs a manager.",
        parameters=[RECORD_ID],
        request=ChildUpdateSerializer,
        responses={200: ChildSerializer, 400: E400, 403: E403, 404: E404, 409: E409},
    ),
)
class ChildViewSet(GenericViewSet):
    serializer_class = ChildSerializer
    filter_backends: list = []

    def get_queryset(self):
        return visible_children(self.request.user)

    def get_child(self) -> Child:
        try:
            return selectors.child_for(self.request.user, self.kwargs["pk"])
        except (Child.DoesNotExist, DjangoValidationError, ValueError):
            raise NotFound("No child found with this id") from None

    def _output(self, child: Child, code=status.HTTP_200_OK) -> Response:
        return Response(ChildSerializer(child, context=self.get_serializer_context()).data, status=code)

    def list(self, request):
        filters = ChildFilterSerializer(data=request.query_params.dict())  # plain dict: an empty value is an error
        filters.is_valid(raise_exception=True)
        params = filters.validated_data
        qs = selectors.children_visible_to(
            request.user,
            q=params.get("q", ""),
            trafficked=params["trafficked"],
            uasc=params["uasc"],
            team=params.get("team"),
        )
        qs = selectors.with_missing_now(qs.prefetch_related("aliases"))
        if params["missing"] is not None:
            qs = qs.filter(missing_now__isnull=not params["missing"])
        with selectors.name_search_plan(bool(params.get("q", "").strip())):
            page = self.paginate_queryset(qs)
            data = ChildSerializer(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)

    def retrieve(self, request, pk=None):
        child = self.get_child()
        _require(request.user, Permission.CHILD_VIEW, "Your role cannot view children's records")
        log_access(user=request.user, obj=child, action="api_view")
        return self._output(child)

    def create(self, request):
        user = request.user
        _require(user, Permission.CHILD_CREATE, "Your role cannot add children")
        data = ChildInputSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if fields.get("restricted"):
            _require(user, Permission.CHILD_RESTRICT, "Only a manager can restrict a child's record")
        try:
            child = services.create_child(by=user, organisation=user.organisation, **fields)
        except DjangoValidationError as exc:
            raise _nest_errors(exc) from None
        response = self._output(child, status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(f"{child.pk}/")
        return response

    def partial_update(self, request, pk=None):
        user = request.user
        child = self.get_child()
        _require(user, Permission.CHILD_EDIT, "Your role cannot change children's records")
        data = ChildUpdateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        version = fields.pop("version")
        if "restricted" in fields and fields["restricted"] != child.restricted:
            _require(user, Permission.CHILD_RESTRICT, "Only a manager can restrict or unrestrict a child's record")
        try:
            child = services.update_child(child=child, by=user, version=version, **fields)
        except DjangoValidationError as exc:
            raise _nest_errors(exc) from None
        return self._output(child)


# --- Care history ---------------------------------------------------------------------------------


class CareRecordViewSet(GenericViewSet):
    """GET/POST on the collection, GET/PATCH on one record, for one of the child's care timelines."""

    kind: str  # the services' name for the timeline, also the Child reverse relation
    section: str  # the part of the record it belongs to (casework.access.child_sections)
    update_serializer_class: type[serializers.Serializer]
    filter_backends: list = []

    def get_serializer_class(self):
        return self.update_serializer_class if self.action == "partial_update" else self.serializer_class

    def get_child(self) -> Child:
        try:
            child = visible_children(self.request.user).get(pk=self.kwargs["child_id"])
        except (Child.DoesNotExist, DjangoValidationError, ValueError):
            raise NotFound("No child found with this id") from None
        if self.section not in child_sections(self.request.user):
            # As on the child's page: an advocate sees placements but not the rest of the care history.
            raise PermissionDenied("Your role cannot see this part of a child's record")
        return child

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return self.serializer_class.Meta.model.objects.none()
        return getattr(self.get_child(), self.kind).all()

    def get_record(self):
        try:
            return self.get_queryset().get(pk=self.kwargs["pk"])
        except (ObjectDoesNotExist, DjangoValidationError, ValueError):
            raise NotFound("No record found with this id") from None

    def _output(self, record, code=status.HTTP_200_OK) -> Response:
        return Response(self.serializer_class(record, context=self.get_serializer_context()).data, status=code)

    def list(self, request, child_id=None):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.serializer_class(page, many=True).data)

    def retrieve(self, request, child_id=None, pk=None):
        return self._output(self.get_record())

    def create(self, request, child_id=None):
        child = self.get_child()
        _require(request.user, Permission.CHILD_EDIT, "Your role cannot change children's records")
        data = self.serializer_class(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        record = services.add_care_record(child=child, kind=self.kind, by=request.user, **data.validated_data)
        return self._output(record, status.HTTP_201_CREATED)

    def partial_update(self, request, child_id=None, pk=None):
        record = self.get_record()
        _require(request.user, Permission.CHILD_EDIT, "Your role cannot change children's records")
        data = self.update_serializer_class(record, data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        version = fields.pop("version")
        record = services.update_care_record(record=record, by=request.user, version=version, **fields)
        return self._output(record)


def _care_schema(noun: str, serializer_class, update_serializer_class):
    return extend_schema_view(
        list=extend_schema(
            summary=f"List the child's {noun}s",
            parameters=[CHILD_ID],
            responses={200: serializer_class(many=True), 403: E403, 404: E404},
        ),
        create=extend_schema(
            summary=f"Add a {noun}",
            parameters=[CHILD_ID],
            request=serializer_class,
            responses={201: serializer_class, 400: E400, 403: E403, 404: E404},
        ),
        retrieve=extend_schema(
            summary=f"One {noun}",
            parameters=[CHILD_ID, RECORD_ID],
            responses={200: serializer_class, 403: E403, 404: E404},
        ),
        partial_update=extend_schema(
            summary=f"Change a {noun}",
            description="Send `version` as last read; an older one gets 409 and changes nothing.",
            parameters=[CHILD_ID, RECORD_ID],
            request=update_serializer_class,
            responses={200: serializer_class, 400: E400, 403: E403, 404: E404, 409: E409},
        ),
    )


@_care_schema("period of care", PeriodOfCareSerializer, PeriodOfCareUpdateSerializer)
class PeriodOfCareViewSet(CareRecordViewSet):
    kind = "periods_of_care"
    section = "care_history"
    serializer_class = PeriodOfCareSerializer
    update_serializer_class = PeriodOfCareUpdateSerializer


@_care_schema("legal status", LegalStatusSerializer, LegalStatusUpdateSerializer)
class LegalStatusViewSet(CareRecordViewSet):
    kind = "legal_statuses"
    section = "care_history"
    serializer_class = LegalStatusSerializer
    update_serializer_class = LegalStatusUpdateSerializer


@_care_schema("placement", PlacementSerializer, PlacementUpdateSerializer)
class PlacementViewSet(CareRecordViewSet):
    kind = "placements"
    section = "placements"
    serializer_class = PlacementSerializer
    update_serializer_class = PlacementUpdateSerializer
