from datetime import date, timedelta

import pytest
from django.utils import timezone

from advocates import services
from tests.factories import AdvocacyServiceFactory
from tests.missing_episodes.conftest import make_child_in_care, worker  # noqa: F401 - shared fixtures


@pytest.fixture
def advocate(make_user):
    return make_user("advocate", organisation=AdvocacyServiceFactory())


@pytest.fixture
def manager(make_user):
    return make_user("team_manager")


@pytest.fixture
def allocate(manager):
    def allocate_(child, advocate, *, start=None, role="direct_worker"):
        start = start or timezone.localdate() - timedelta(days=30)
        return services.allocate_advocate(
            child=child,
            advocate=advocate,
            role=role,
            start_date=start,
            by=manager,
            referral_date=start - timedelta(days=2),
            consent_noted=True,
        )

    return allocate_


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def long_ago():
    return date(2024, 1, 1)
