"""Synthetic demo data. Fictional organisations and people only: no real personal data."""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from casework import hooks
from casework.demo import children as demo_children
from casework.models import Organisation, Role, Team, User

NORTHBRIDGE = {
    "name": "Northbridge City Council",
    "la_code": "899",
    "ons_code": "E06000099",
    "designated_contact_email": "missing.children@northbridge.example",
    "out_of_hours_email": "emergency.duty@northbridge.example",
}
EASTMOOR = {
    "name": "Eastmoor County Council",
    "la_code": "898",
    "ons_code": "E10000098",
    "designated_contact_email": "missing.children@eastmoor.example",
    "out_of_hours_email": "emergency.duty@eastmoor.example",
}
GUARDIANS = {"name": "Independent Child Trafficking Guardian Service (demo)"}

NORTHBRIDGE_TEAMS = ["Children in care team", "Unaccompanied children team", "Exploitation and missing team"]
EASTMOOR_TEAMS = ["Children in care team"]
EASTMOOR_CHILDREN = 5  # enough to show that one authority never sees another's children


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    organisation: str
    team: str | None = None


DEMO_USERS = [
    DemoUser("social.worker", "Sarah", "Okafor", Role.SOCIAL_WORKER, NORTHBRIDGE["name"], NORTHBRIDGE_TEAMS[0]),
    DemoUser("team.manager", "James", "Whitfield", Role.TEAM_MANAGER, NORTHBRIDGE["name"], NORTHBRIDGE_TEAMS[0]),
    DemoUser("service.manager", "Amina", "Yusuf", Role.SERVICE_MANAGER, NORTHBRIDGE["name"]),
    DemoUser(
        "missing.coordinator",
        "Tom",
        "Brennan",
        Role.MISSING_COORDINATOR,
        NORTHBRIDGE["name"],
        NORTHBRIDGE_TEAMS[2],
    ),
    DemoUser("advocate", "Grace", "Mensah", Role.ADVOCATE, GUARDIANS["name"]),
    DemoUser("data.officer", "Priya", "Shah", Role.DATA_OFFICER, NORTHBRIDGE["name"]),
    DemoUser("admin", "Alex", "Morgan", Role.ADMIN, NORTHBRIDGE["name"]),
    DemoUser("other.social.worker", "Hannah", "Lewis", Role.SOCIAL_WORKER, EASTMOOR["name"], EASTMOOR_TEAMS[0]),
]
DEMO_USERNAMES = [u.username for u in DEMO_USERS]


def demo_password() -> tuple[str, str]:
    """$DEMO_PASSWORD, or a generated one kept under var/ so that every run agrees."""
    if settings.DEMO_PASSWORD:
        return settings.DEMO_PASSWORD, "environment"
    path = settings.VAR_DIR / "demo-password"
    if path.exists():
        return path.read_text().strip(), str(path)
    password = "demo-" + secrets.token_urlsafe(9)
    path.write_text(password + "\n")
    path.chmod(0o600)
    return password, str(path)


def _organisation(fields: dict, kind: str) -> Organisation:
    org, _ = Organisation.objects.get_or_create(name=fields["name"], defaults={**fields, "kind": kind})
    return org


@transaction.atomic
def seed_organisations_and_users(*, password: str) -> int:
    northbridge = _organisation(NORTHBRIDGE, Organisation.Kind.LOCAL_AUTHORITY)
    eastmoor = _organisation(EASTMOOR, Organisation.Kind.LOCAL_AUTHORITY)
    guardians = _organisation(GUARDIANS, Organisation.Kind.ADVOCACY_SERVICE)
    orgs = {o.name: o for o in (northbridge, eastmoor, guardians)}
    for org, names in ((northbridge, NORTHBRIDGE_TEAMS), (eastmoor, EASTMOOR_TEAMS)):
        for name in names:
            Team.objects.get_or_create(organisation=org, name=name)

    created = 0
    for spec in DEMO_USERS:
        org = orgs[spec.organisation]
        team = Team.objects.get(organisation=org, name=spec.team) if spec.team else None
        user, was_created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "role": spec.role,
                "organisation": org,
                "team": team,
                "is_staff": spec.role == Role.ADMIN,
                "email": f"{spec.username}@{org.name.split()[0].lower()}.example",
            },
        )
        created += was_created
        if was_created or not user.check_password(password):
            user.set_password(password)
            user.save()
    return created


def _plan(org: Organisation, *, prefix: str, area: str, worker: str, neighbour: Organisation, neighbour_area: str):
    teams = {t.name: t for t in Team.objects.filter(organisation=org)}
    social_worker = User.objects.select_related("team").filter(username=worker, organisation=org).first()
    return demo_children.AuthorityPlan(
        organisation=org,
        prefix=prefix,
        postcode_area=area,
        teams=teams,
        default_team=teams.get(demo_children.TEAM_CARE) or next(iter(teams.values())),
        worker=social_worker,
        worker_team=social_worker.team if social_worker else None,
        neighbour=neighbour,
        neighbour_area=neighbour_area,
        first_responder=f"{org.name} children's services",
        showcase=prefix == "NB",
    )


def seed_children(*, count: int, seed: int, progress=None) -> tuple[int, int]:
    """Synthetic children: ``count`` in Northbridge and a few in Eastmoor. Returns how many were new in each.

    Idempotent: children already there (by Child ID) are kept, so a re-run with a larger ``count`` tops up.
    """
    northbridge = Organisation.objects.get(name=NORTHBRIDGE["name"])
    eastmoor = Organisation.objects.get(name=EASTMOOR["name"])
    by = User.objects.filter(username="admin").first()
    nb_plan = _plan(
        northbridge, prefix="NB", area="NB", worker="social.worker", neighbour=eastmoor, neighbour_area="EM"
    )
    em_plan = _plan(
        eastmoor, prefix="EM", area="EM", worker="other.social.worker", neighbour=northbridge, neighbour_area="NB"
    )
    new_nb = demo_children.seed_children(nb_plan, count=count, seed=seed, by=by, progress=progress)
    new_em = demo_children.seed_children(em_plan, count=EASTMOOR_CHILDREN, seed=seed, by=by)
    hooks.notify_demo_seeded(organisation=northbridge, by=by, seed=seed)
    return new_nb, new_em
