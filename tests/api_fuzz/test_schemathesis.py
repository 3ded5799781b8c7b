"""Property-based fuzzing of the v1 API against its own OpenAPI schema (`/api/schema/`), as every role.

Schemathesis reads the schema the app serves and generates requests for every operation: valid ones
(positive mode) and ones that break the schema (negative mode). Each request is sent through the WSGI
app with a real API token for the role under test, against a small authority seeded with children in
care, missing episodes (open and closed), alerts, an advocate allocation with a contact and a return
run. Path parameters are usually swapped for the ids of those real objects, so requests reach real
records and not only the 404 path.

Every response must be no 5xx, and must match the schema: status code documented, content type
documented, body valid against the documented shape (error responses included), and a request that
breaks the schema must be refused. Schemathesis's one heuristic left out is "positive data acceptance"
(a schema-valid request must succeed): the API rightly refuses many schema-valid requests with a 400,
because its rules need the database (an id must name a child the caller can see, an episode must start
after the child's birth and inside a period of care, ...), which no OpenAPI schema can express.

Each operation is one test with MAX_EXAMPLES generated requests, each sent once as every role, so the
whole file stays at a few minutes on two cores.
"""

import hashlib
from datetime import date, datetime, time, timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.specs.openapi.checks import positive_data_acceptance

from advocates import services as advocate_services
from missing_episodes import services as episode_services
from missing_episodes.models import Alert
from reporting import services as reporting_services
from tests.factories import AdvocacyServiceFactory, TeamFactory, UserFactory
from tests.factories.children import child_in_care, make_child

ROLES = ["social_worker", "team_manager", "service_manager", "missing_coordinator", "advocate", "data_officer", "admin"]
MAX_EXAMPLES = 12

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


class World:
    """The seeded objects, by the kind of id a path parameter names."""

    def __init__(self):
        self.tokens: dict[str, str] = {}
        self.ids: dict[str, list[str]] = {}


def _at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def keep_test_connection():
    """Requests go through the real WSGI handler, whose request signals would close the test's database
    connection (it is inside the test transaction); Django's own test client disconnects them the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(authority, team, keep_test_connection) -> World:
    world = World()
    users = {}
    for role in ROLES:
        kwargs = {"organisation": authority}
        if role in ("social_worker", "team_manager"):
            kwargs["team"] = team
        if role == "advocate":
            kwargs["organisation"] = AdvocacyServiceFactory()
        users[role] = UserFactory(role=role, **kwargs)
        world.tokens[role] = Token.objects.create(user=users[role]).key
    worker, manager = users["social_worker"], users["team_manager"]
    today = timezone.localdate()
    start = today - timedelta(days=120)

    plain = child_in_care(by=worker, team=team, start_date=start, allocated_social_worker=worker)
    trafficked = child_in_care(
        by=worker,
        team=team,
        start_date=start,
        trafficking_status="suspected",
        exploitation_types=["criminal", "county_lines"],
    )
    uasc = child_in_care(by=worker, team=team, start_date=start, is_uasc=True, arrival_date=start)
    restricted = child_in_care(by=worker, team=team, start_date=start, restricted=True, allocated_social_worker=worker)
    not_in_care = make_child(by=worker, organisation=authority, team=team)
    other_authority_worker = UserFactory(role="social_worker", organisation=TeamFactory().organisation)
    outsider = child_in_care(
        by=other_authority_worker, team=TeamFactory(organisation=other_authority_worker.organisation)
    )

    # An open missing episode (with its alerts) and a closed one with a return interview.
    open_episode = episode_services.report_missing(
        child=trafficked, kind="M", started_at=timezone.now() - timedelta(hours=5), by=worker
    )
    closed = episode_services.report_missing(
        child=plain, kind="A", started_at=_at(today - timedelta(days=10)), by=worker
    )
    closed = episode_services.close_episode(
        episode=closed, by=worker, version=None, ended_at=_at(today - timedelta(days=9)), outcome="returned"
    )
    episode_services.record_return_interview(
        episode=closed, by=worker, offered_at=_at(today - timedelta(days=8)), accepted=True
    )
    episode_services.add_update(
        episode=open_episode, by=worker, kind="sighting", occurred_at=timezone.now(), summary="Seen near the station"
    )

    allocation = advocate_services.allocate_advocate(
        child=trafficked,
        advocate=users["advocate"],
        role="direct_worker",
        start_date=today - timedelta(days=30),
        referral_date=today - timedelta(days=32),
        consent_noted=True,
        by=manager,
    )
    contact = advocate_services.record_contact(
        allocation=allocation,
        by=users["advocate"],
        occurred_at=timezone.now() - timedelta(days=2),
        kind="visit",
        summary="Visited at the placement",
        duration_minutes=45,
    )
    run = reporting_services.request_return(kind="ssda903", year=today.year, by=manager)

    children = [plain, trafficked, uasc, restricted, not_in_care, outsider]
    world.ids = {
        "children": [str(c.pk) for c in children],
        "periods-of-care": [str(r.pk) for c in children for r in c.periods_of_care.all()],
        "legal-statuses": [str(r.pk) for c in children for r in c.legal_statuses.all()],
        "placements": [str(r.pk) for c in children for r in c.placements.all()],
        "missing-episodes": [str(open_episode.pk), str(closed.pk)],
        "alerts": [str(a.pk) for a in Alert.objects.all()],
        "advocate-allocations": [str(allocation.pk)],
        "advocate-contacts": [str(contact.pk)],
        "returns": [str(run.pk)],
        "name": ["header.csv", "episodes.csv", "missing.csv", "uasc.csv"],
    }
    return world


def _pick(choices: list[str], generated) -> str:
    """One of the real ids, chosen by the generated value (so a replayed example picks the same one);
    now and then the generated value itself, to keep the unknown-id and malformed-id paths covered."""
    if not choices:
        return generated
    index = int(hashlib.sha256(repr(generated).encode()).hexdigest(), 16) % (len(choices) + 1)
    return generated if index == len(choices) else choices[index]


def use_real_ids(case, world: World) -> None:
    if not case.path_parameters:
        return
    segments = [s for s in case.path.split("/") if s and not s.startswith("{")]
    collection = segments[2] if len(segments) > 2 else None  # api, v1, <collection>, ...
    nested = segments[3] if len(segments) > 3 else None
    params = dict(case.path_parameters)
    if "child_id" in params:
        params["child_id"] = _pick(world.ids["children"], params["child_id"])
        if "id" in params:
            params["id"] = _pick(world.ids[nested], params["id"])
    elif "id" in params and collection in world.ids:
        params["id"] = _pick(world.ids[collection], params["id"])
    if "name" in params:
        params["name"] = _pick(world.ids["name"], params["name"])
    case.path_parameters = params


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture],
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: keeps a failing run bounded; the curl reproduces it
)
def test_every_operation_conforms_to_the_schema_for_every_role(case, world):
    """Each generated request is sent once as each role (one generation, seven callers)."""
    use_real_ids(case, world)
    for role in ROLES:
        try:
            case.call_and_validate(
                headers={"Authorization": f"Token {world.tokens[role]}"},
                excluded_checks=[positive_data_acceptance],
            )
        except Exception as exc:
            exc.add_note(f"Sent as a {role}.")
            raise
