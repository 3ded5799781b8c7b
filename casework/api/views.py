from django.contrib.auth import authenticate
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from casework import two_factor
from casework.access import Permission, has_permission
from casework.api.serializers import MeSerializer, TokenRequestSerializer, TokenResponseSerializer

TWO_FACTOR_SET_UP_FIRST = (
    "Two-factor sign-in is required for your role. Set up an authenticator app in the browser first."
)
TWO_FACTOR_CODE_NEEDED = (
    "Two-factor sign-in is required for your role. Enter the code your authenticator app shows now."
)


class TokenView(APIView):
    """Exchange a username and password for an API token."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get_authenticate_header(self, request: Request) -> str:
        return "Token"  # so a failed sign-in is a 401, as for any unauthenticated call

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            400: OpenApiResponse(description="Missing fields"),
            401: OpenApiResponse(description="Wrong username or password, or two-factor code missing or wrong"),
            429: OpenApiResponse(description="The account is locked after too many failed attempts: try later"),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request._request, username=data.validated_data["username"], password=data.validated_data["password"]
        )
        if user is None or not has_permission(user, Permission.SERVICE_USE):
            raise AuthenticationFailed("Enter a correct username and password.")
        if two_factor.required_for(user):
            # No token on a password alone for roles that must use two-factor: a confirmed authenticator
            # (set up in the browser) and its current code are needed too.
            if not two_factor.has_confirmed_device(user):
                raise AuthenticationFailed(TWO_FACTOR_SET_UP_FIRST)
            if not two_factor.verify_code_without_session(user, data.validated_data.get("otp", "")):
                raise AuthenticationFailed(TWO_FACTOR_CODE_NEEDED)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key}, status=status.HTTP_200_OK)


class MeView(APIView):
    @extend_schema(responses={200: MeSerializer, 401: OpenApiResponse(description="Not signed in")})
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)
