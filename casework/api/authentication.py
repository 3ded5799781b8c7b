"""API authentication that honours two-factor sign-in (REQUIRE_TWO_FACTOR) as the pages do.

The pages send an unverified manager to the two-factor page (casework.middleware); the API has no such page,
so it refuses instead: a browser session that has not passed two-factor, and a token belonging to someone who
must use two-factor but has no confirmed authenticator, are not accepted.
"""

from drf_spectacular import authentication as drf_spectacular_authentication
from rest_framework import authentication
from rest_framework.exceptions import AuthenticationFailed

from casework import two_factor

NOT_VERIFIED = "Two-factor sign-in is required for your role. Sign in with your authenticator code first."


class SessionAuthentication(authentication.SessionAuthentication):
    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            user = result[0]
            if two_factor.required_for(user) and not user.is_verified():
                raise AuthenticationFailed(NOT_VERIFIED)
        return result


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if two_factor.required_for(user) and not two_factor.has_confirmed_device(user):
            raise AuthenticationFailed(NOT_VERIFIED)
        return user, token


class SessionScheme(drf_spectacular_authentication.SessionScheme):
    """The OpenAPI description of the session authentication above: the same cookie as DRF's."""

    target_class = "casework.api.authentication.SessionAuthentication"
