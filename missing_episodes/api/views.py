"""`/api/v1/missing-episodes/`: thin adapters over the missing-episode selectors and services.

Each route loads through the caller's scope first (outside it an episode does not exist: 404), then
checks the permission (403), then calls one service. Service ValidationErrors become 400s and
StaleVersion / StateConflict 409s in the one exception handler (casework.api.errors).
"""

import uuid

from django.db.models import Count
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from casework.access import Permission, has_permission
from missing_episodes import selectors, services
from missing_episodes.api.serializers import (
    EpisodeCloseInput,
    EpisodeListQuery,
    EpisodePatchInput,
    EpisodeReclassifyInput,
    EpisodeReportInput,
    EpisodeSerializer,
    EpisodeUpdateInput,
    EpisodeUpdateSerializer,
    ReturnInterviewInput,
    ReturnInterviewSerializer,
)
from missing_episodes.models import MissingEpisode

_FIELD_ERRORS = {
    "type": "object",
    "description": (
        'Messages keyed by field, e.g. {"started_at": ["..."]}; "non_field_errors" for the rest; '
        '"detail" when the body could not be read at all'
    ),
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
_DETAIL = inline_serializer(name="MissingEpisodeErrorDetail", fields={"detail": serializers.CharField()})

E400 = OpenApiResponse(_FIELD_ERRORS, description="Invalid input: messages by field (nothing was saved)")
E401 = OpenApiResponse(_DETAIL, description="Not signed in")
E403 = OpenApiResponse(_DETAIL, description="Your role may not do this")
E404 = OpenApiResponse(_DETAIL, description="No such episode, or it is outside your access")
E409 = OpenApiResponse(
    _DETAIL, description="Stale version, or the episode's state does not allow this: nothing changed"
)
EPISODE_ID = OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The episode id")


def _require(request: Request, perm: Permission) -> None:
    if not has_permission(request.user, perm):
        raise PermissionDenied("Your role cannot record or change missing episodes.")


class MissingEpisodeViewSet(viewsets.GenericViewSet):
    """Missing (M) and away (A) episodes of the children you can see."""

    serializer_class = EpisodeSerializer
    filter_backends: list = []
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return selectors.episodes_visible_to(self.request.user)

    def get_object(self) -> MissingEpisode:
        try:
            episode_id = uuid.UUID(str(self.kwargs["pk"]))
            return selectors.episode_for(self.request.user, episode_id)
        except (ValueError, MissingEpisode.DoesNotExist):
            raise NotFound("No missing episode was found with this id.") from None

    def _output(self, episode: MissingEpisode, code: int = status.HTTP_200_OK) -> Response:
        return Response(EpisodeSerializer(episode, context=self.get_serializer_context()).data, status=code)

    def _repeat_child_ids(self, episodes: list[MissingEpisode]) -> set:
        """One query for the repeat-missing flag of a whole page (3+ episodes started in 30 days)."""
        since = timezone.now() - selectors.REPEAT_WINDOW
        return set(
            selectors.episodes_visible_to(self.request.user)
            .filter(child_id__in={e.child_id for e in episodes}, started_at__gte=since)
            .order_by()
            .values("child_id")
            .annotate(n=Count("pk"))
            .filter(n__gte=selectors.REPEAT_THRESHOLD)
            .values_list("child_id", flat=True)
        )

    @extend_schema(
        parameters=[EpisodeListQuery],
        responses={200: EpisodeSerializer(many=True), 400: E400, 401: E401},
        summary="List missing and away episodes",
    )
    def list(self, request: Request) -> Response:
        query = EpisodeListQuery(data=request.query_params.dict())  # a plain dict: an empty value is an error
        query.is_valid(raise_exception=True)
        episodes = (
            selectors.episodes_visible_to(request.user, **query.validated_data)
            .prefetch_related("alerts")
            .order_by("-started_at", "pk")
        )
        page = self.paginate_queryset(episodes)
        context = {**self.get_serializer_context(), "repeat_child_ids": self._repeat_child_ids(page)}
        return self.get_paginated_response(EpisodeSerializer(page, many=True, context=context).data)

    @extend_schema(
        request=EpisodeReportInput,
        responses={201: EpisodeSerializer, 400: E400, 403: E403, 401: E401},
        summary="Report a child missing or away",
    )
    def create(self, request: Request) -> Response:
        _require(request, Permission.EPISODE_REPORT)
        data = EpisodeReportInput(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        episode = services.report_missing(by=request.user, **data.validated_data)
        return self._output(episode, status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[EPISODE_ID], responses={200: EpisodeSerializer, 404: E404, 401: E401}, summary="One episode"
    )
    def retrieve(self, request: Request, pk=None) -> Response:
        return self._output(self.get_object())

    @extend_schema(
        parameters=[EPISODE_ID],
        request=EpisodePatchInput,
        responses={200: EpisodeSerializer, 400: E400, 403: E403, 404: E404, 409: E409, 401: E401},
        summary="Correct or add to an episode's details (send the version you read)",
    )
    def partial_update(self, request: Request, pk=None) -> Response:
        episode = self.get_object()
        _require(request, Permission.EPISODE_EDIT)
        data = EpisodePatchInput(data=request.data, context={**self.get_serializer_context(), "episode": episode})
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        version = fields.pop("version")
        episode = services.update_episode(episode=episode, by=request.user, version=version, **fields)
        return self._output(episode)

    @extend_schema(
        parameters=[EPISODE_ID],
        request=EpisodeCloseInput,
        responses={200: EpisodeSerializer, 400: E400, 403: E403, 404: E404, 409: E409, 401: E401},
        summary="The child is found or back: close the episode",
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk=None) -> Response:
        episode = self.get_object()
        _require(request, Permission.EPISODE_EDIT)
        data = EpisodeCloseInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        episode = services.close_episode(
            episode=episode, by=request.user, version=fields.pop("version", None), **fields
        )
        return self._output(episode)

    @extend_schema(
        parameters=[EPISODE_ID],
        request=EpisodeReclassifyInput,
        responses={201: EpisodeSerializer, 400: E400, 403: E403, 404: E404, 409: E409, 401: E401},
        summary="Switch between missing and away: closes this episode and returns the new one",
    )
    @action(detail=True, methods=["post"])
    def reclassify(self, request: Request, pk=None) -> Response:
        episode = self.get_object()
        _require(request, Permission.EPISODE_EDIT)
        data = EpisodeReclassifyInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        new = services.reclassify(episode=episode, by=request.user, version=fields.pop("version", None), **fields)
        return self._output(new, status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[EPISODE_ID],
        request=ReturnInterviewInput,
        responses={200: ReturnInterviewSerializer, 400: E400, 403: E403, 404: E404, 409: E409, 401: E401},
        summary="Record the return interview (replaces the whole record; the episode must be closed)",
    )
    @action(detail=True, methods=["put"], url_path="return-interview")
    def return_interview(self, request: Request, pk=None) -> Response:
        episode = self.get_object()
        _require(request, Permission.EPISODE_EDIT)
        data = ReturnInterviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        interview = services.record_return_interview(
            episode=episode, by=request.user, version=fields.pop("version", None), **fields
        )
        return Response(ReturnInterviewSerializer(interview).data)

    @extend_schema(
        parameters=[EPISODE_ID],
        methods=["GET"],
        responses={200: EpisodeUpdateSerializer(many=True), 404: E404, 401: E401},
        summary="The episode's timeline: sightings, police updates, strategy discussions, notes",
    )
    @extend_schema(
        parameters=[EPISODE_ID],
        methods=["POST"],
        request=EpisodeUpdateInput,
        responses={201: EpisodeUpdateSerializer, 400: E400, 403: E403, 404: E404, 401: E401},
        summary="Add a sighting, police update, strategy discussion or note",
    )
    @action(detail=True, methods=["get", "post"], serializer_class=EpisodeUpdateSerializer)
    def updates(self, request: Request, pk=None) -> Response:
        episode = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(list(episode.updates.all()))
            return self.get_paginated_response(EpisodeUpdateSerializer(page, many=True).data)
        _require(request, Permission.EPISODE_EDIT)
        data = EpisodeUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        update = services.add_update(episode=episode, by=request.user, **data.validated_data)
        return Response(EpisodeUpdateSerializer(update).data, status=status.HTTP_201_CREATED)
