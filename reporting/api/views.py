"""The statutory returns API: queue a run (202), follow it, download its files.

Runs are reached only through ``reporting.selectors`` (the caller's authority, roles with RETURN_RUN):
anything else is a 404. Files are served through ``reporting.services.open_file``, which logs each download.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.access import Permission, has_permission
from reporting import selectors, services
from reporting.api.serializers import ReturnRequestSerializer, ReturnRunSerializer
from reporting.downloads import CSV, XLSX, file_response
from reporting.models import ReturnRun

NOT_SIGNED_IN = OpenApiResponse(description="Not signed in")
NO_RUN = OpenApiResponse(description="No such run in your scope (another authority's, or your role cannot run returns)")


def _run_or_404(user, run_id) -> ReturnRun:
    try:
        return selectors.run_for(user, run_id)
    except (ReturnRun.DoesNotExist, ValueError, DjangoValidationError) as exc:
        raise NotFound() from exc


@extend_schema_view(
    list=extend_schema(
        summary="Return runs of your authority, newest first",
        description="Empty for roles that cannot run returns.",
        responses={200: ReturnRunSerializer(many=True), 401: NOT_SIGNED_IN},
    ),
    retrieve=extend_schema(
        summary="One return run: status, progress, files and validation",
        responses={200: ReturnRunSerializer, 401: NOT_SIGNED_IN, 404: NO_RUN},
    ),
    create=extend_schema(
        summary="Queue a return for your authority",
        description=(
            "Generates the return in the background; follow the run with GET until `status` is `done` "
            "(or `failed`). `year` is the collection's end year: 2025 means 1 April 2024 to 31 March 2025."
        ),
        request=ReturnRequestSerializer,
        responses={
            202: ReturnRunSerializer,
            400: OpenApiResponse(description="Unknown or unavailable kind, or a year outside the collections"),
            401: NOT_SIGNED_IN,
            403: OpenApiResponse(description="Your role cannot run returns"),
        },
    ),
)
class ReturnRunViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = ReturnRunSerializer
    queryset = ReturnRun.objects.none()

    def get_queryset(self):
        return selectors.runs_visible_to(self.request.user)

    def get_object(self):
        return _run_or_404(self.request.user, self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        if not has_permission(request.user, Permission.RETURN_RUN):
            raise PermissionDenied("Your role cannot run returns")
        body = ReturnRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        run = services.request_return(by=request.user, **body.validated_data)
        data = ReturnRunSerializer(run, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_202_ACCEPTED)


class _AnyAccept(BaseContentNegotiation):
    """A file download answers whatever the client accepts (errors are still JSON)."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ReturnFileView(APIView):
    content_negotiation_class = _AnyAccept

    @extend_schema(
        summary="Download one file of a finished run",
        parameters=[OpenApiParameter("name", str, OpenApiParameter.PATH, description="A file name listed on the run")],
        responses={
            (200, CSV): OpenApiResponse(OpenApiTypes.BINARY, description="A CSV file (UTF-8), as an attachment"),
            (200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="A spreadsheet, as an attachment"),
            401: NOT_SIGNED_IN,
            404: OpenApiResponse(description="No such run in your scope, or the run has no file of that name"),
        },
    )
    def get(self, request, pk, name):
        run = _run_or_404(request.user, pk)
        try:
            return file_response(run, name, by=request.user)
        except FileNotFoundError as exc:
            raise NotFound("This run has no file of that name.") from exc
