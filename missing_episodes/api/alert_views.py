from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from casework.access import Permission, has_permission
from missing_episodes.alerts import selectors as alert_selectors
from missing_episodes.alerts import services as alert_services
from missing_episodes.api.alert_serializers import AcknowledgeSerializer, AlertFilterSerializer, AlertSerializer
from missing_episodes.models import Alert

ERRORS = {
    401: OpenApiResponse(description="Not signed in"),
    404: OpenApiResponse(description="No such alert in your scope"),
}


@extend_schema_view(
    list=extend_schema(
        summary="Alerts addressed to you (managers and coordinators: all of your authority's)",
        parameters=[
            OpenApiParameter("status", str, enum=["open", "acknowledged", "resolved"]),
            OpenApiParameter("level", str, enum=["high", "standard"]),
            OpenApiParameter("child", str, description="Child id (UUID)"),
        ],
        responses={200: AlertSerializer(many=True), 400: OpenApiResponse(description="Bad filter"), **ERRORS},
    ),
    retrieve=extend_schema(responses={200: AlertSerializer, **ERRORS}),
)
class AlertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = AlertSerializer
    lookup_value_regex = "[0-9a-fA-F-]{36}"
    queryset = Alert.objects.none()

    def get_queryset(self):
        if self.action == "list":
            filters = AlertFilterSerializer(data=self.request.query_params.dict())  # an empty value is an error
            filters.is_valid(raise_exception=True)
            qs = alert_selectors.alerts_for(self.request.user, **filters.validated_data)
        else:
            qs = alert_selectors.alerts_for(self.request.user)
        return alert_selectors.with_recipients(qs).order_by("-created_at")

    def get_object(self):
        try:
            return self.get_queryset().get(pk=self.kwargs["pk"])
        except (Alert.DoesNotExist, ValueError, DjangoValidationError) as exc:
            raise NotFound() from exc

    @extend_schema(
        summary="Acknowledge an alert (idempotent)",
        request=AcknowledgeSerializer,
        responses={
            200: AlertSerializer,
            400: OpenApiResponse(description="Bad input"),
            403: OpenApiResponse(description="Your role cannot acknowledge alerts"),
            **ERRORS,
        },
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        alert = self.get_object()
        if not has_permission(request.user, Permission.ALERT_ACK):
            raise PermissionDenied("Your role cannot acknowledge alerts")
        body = AcknowledgeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        alert_services.acknowledge_alert(alert=alert, by=request.user, note=body.validated_data.get("note", ""))
        return Response(AlertSerializer(self.get_object()).data, status=status.HTTP_200_OK)
