import pytest
from django.conf import settings

from tests.factories import OrganisationFactory, TeamFactory, UserFactory


def pytest_configure(config):
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        raise pytest.UsageError(
            "The suite runs on PostgreSQL. Use `make test`, or set DATABASE_URL to a PostgreSQL database."
        )


@pytest.fixture
def authority(db):
    return OrganisationFactory()


@pytest.fixture
def other_authority(db):
    return OrganisationFactory()


@pytest.fixture
def team(authority):
    return TeamFactory(organisation=authority)


@pytest.fixture
def make_user(db, authority, team):
    """Build a user of a role in the default authority (and team), or anywhere given."""

    def make(role: str, **kwargs):
        kwargs.setdefault("organisation", authority)
        if role in ("social_worker", "team_manager") and "team" not in kwargs:
            kwargs["team"] = team
        return UserFactory(role=role, **kwargs)

    return make
