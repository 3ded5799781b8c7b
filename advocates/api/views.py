"""`/api/v1/advocate-allocations/` and `/api/v1/advocate-contacts/` (API.md, Advocates)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from advocates import selectors, services
from advocates.api.serializers import (
    AllocationCreateSerializer,
    AllocationSerializer,
    AllocationUpdateSerializer,
    ContactCreateSerializer,
    ContactSerializer,
)
from advocates.models import AdvocateAllocation, ContactRecord
from casework.access import Permission, has_permission, visible_children
from casework.models import Role, User

ERRORS = {
    400: OpenApiResponse(description="Invalid input, with a message per field"),
    401: OpenApiResponse(description="Not signed in"),
    403: OpenApiResponse(description="Your role may not do this"),
    404: OpenApiResponse(description="Not found in your scope"),
    409: OpenApiResponse(description="Stale version or the allocation has already ended"),
}


def _denied(exc: DjangoPermissionDenied) -> PermissionDenied:
    return PermissionDenied(str(exc) or None)


def _require(user, perm: Permission, message: str) -> None:
    """A role that may never do this gets 403 before its input is looked at (API.md: 403 for the role)."""
    if not has_permission(user, perm):
        raise PermissionDenied(message)


@extend_schema_view(
    list=extend_schema(responses={200: AllocationSerializer(many=True), 401: ERRORS[401]}),
    retrieve=extend_schema(responses={200: AllocationSerializer, 401: ERRORS[401], 404: ERRORS[404]}),
    create=extend_schema(request=AllocationCreateSerializer, responses={201: AllocationSerializer, **ERRORS}),
    partial_update=extend_schema(request=AllocationUpdateSerializer, responses={200: AllocationSerializer, **ERRORS}),
)
class AllocationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AllocationSerializer
    lookup_value_regex = "[0-9a-fA-F-]{36}"
    queryset = AdvocateAllocation.objects.none()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.allocations_visible_to(self.request.user).order_by("-start_date")

    def get_object(self):
        try:
            return self.get_queryset().get(pk=self.kwargs["pk"])
        except (AdvocateAllocation.DoesNotExist, ValueError, DjangoValidationError) as exc:
            raise NotFound() from exc

    def create(self, request):
        _require(request.user, Permission.ADVOCATE_ALLOCATE, "Only a manager can allocate an advocate")
        body = AllocationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        child = visible_children(request.user).filter(pk=data["child"]).first()
        if child is None:
            raise ValidationError({"child": ["Choose a child you can see"]})
        advocate = User.objects.filter(pk=data["advocate"], role=Role.ADVOCATE, is_active=True).first()
        if advocate is None:
            raise ValidationError({"advocate": ["Choose an independent child trafficking guardian"]})
        try:
            allocation = services.allocate_advocate(
                child=child,
                advocate=advocate,
                role=data["role"],
                start_date=data["start_date"],
                referral_date=data.get("referral_date"),
                consent_noted=data["consent_noted"],
                by=request.user,
            )
        except DjangoPermissionDenied as exc:
            raise _denied(exc) from exc
        return Response(AllocationSerializer(allocation).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        allocation = self.get_object()
        _require(request.user, Permission.ADVOCATE_ALLOCATE, "Only a manager can end an allocation")
        body = AllocationUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            allocation = services.end_allocation(
                allocation=allocation,
                by=request.user,
                end_date=body.validated_data["end_date"],
                version=body.validated_data.get("version"),
            )
        except DjangoPermissionDenied as exc:
            raise _denied(exc) from exc
        return Response(AllocationSerializer(allocation).data)


@extend_schema_view(
    list=extend_schema(responses={200: ContactSerializer(many=True), 401: ERRORS[401]}),
    retrieve=extend_schema(responses={200: ContactSerializer, 401: ERRORS[401], 404: ERRORS[404]}),
    create=extend_schema(request=ContactCreateSerializer, responses={201: ContactSerializer, **ERRORS}),
)
class ContactViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ContactSerializer
    lookup_value_regex = "[0-9a-fA-F-]{36}"
    queryset = ContactRecord.objects.none()
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.contacts_visible_to(self.request.user).order_by("-occurred_at")

    def get_object(self):
        try:
            return self.get_queryset().get(pk=self.kwargs["pk"])
        except (ContactRecord.DoesNotExist, ValueError, DjangoValidationError) as exc:
            raise NotFound() from exc

    def create(self, request):
        _require(
            request.user, Permission.ADVOCATE_CONTACT_WRITE, "You can only record contacts on your own allocations"
        )
        body = ContactCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        allocation = selectors.allocations_visible_to(request.user).filter(pk=data["allocation"]).first()
        if allocation is None:
            raise ValidationError({"allocation": ["Choose one of your allocations"]})
        try:
            contact = services.record_contact(
                allocation=allocation,
                by=request.user,
                occurred_at=data["occurred_at"],
                kind=data["kind"],
                summary=data["summary"],
                duration_minutes=data.get("duration_minutes"),
            )
        except DjangoPermissionDenied as exc:
            raise _denied(exc) from exc
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)
