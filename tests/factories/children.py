"""Children and their care history for tests.

``ChildFactory`` builds straight through the model (fast, no validation, no history user);
``make_child`` and ``put_in_care`` go through ``casework.services`` so the rules, search index
and history attribution are exactly what the app does. ``child_in_care`` does both in one call.
"""

from datetime import date, timedelta

import factory

from casework import services
from casework.models import Child
from tests.factories import OrganisationFactory, TeamFactory

# (first name, last name, sex, ethnicity, nationality, first language)
BACKGROUNDS = [
    ("Minh", "Nguyen", "M", "AOTH", "Vietnamese", "Vietnamese"),
    ("Linh", "Tran", "F", "AOTH", "Vietnamese", "Vietnamese"),
    ("Arben", "Hoxha", "M", "WOTH", "Albanian", "Albanian"),
    ("Elira", "Krasniqi", "F", "WOTH", "Albanian", "Albanian"),
    ("Selam", "Tesfaye", "F", "BAFR", "Eritrean", "Tigrinya"),
    ("Yonas", "Ghebremedhin", "M", "BAFR", "Eritrean", "Tigrinya"),
    ("Mohammed", "Abdelrahman", "M", "BAFR", "Sudanese", "Arabic"),
    ("Farid", "Ahmadi", "M", "AOTH", "Afghan", "Dari"),
    ("Zarghona", "Noori", "F", "AOTH", "Afghan", "Pashto"),
    ("Chidi", "Okafor", "M", "BAFR", "Nigerian", "Igbo"),
    ("Ngozi", "Adeyemi", "F", "BAFR", "Nigerian", "Yoruba"),
    ("Kayden", "Clarke", "M", "WBRI", "British", "English"),
    ("Ellie", "Whitmore", "F", "WBRI", "British", "English"),
]


def _background(n: int) -> tuple:
    return BACKGROUNDS[n % len(BACKGROUNDS)]


class ChildFactory(factory.django.DjangoModelFactory):
    """A child saved directly through the model. Pass ``organisation`` (and ``team``) to place it."""

    class Meta:
        model = Child

    class Params:
        n = factory.Sequence(lambda n: n)

    organisation = factory.SubFactory(OrganisationFactory)
    team = factory.LazyAttribute(lambda c: TeamFactory(organisation=c.organisation))
    la_child_id = factory.Sequence(lambda n: f"C{100000 + n}")
    first_name = factory.LazyAttribute(lambda c: _background(c.n)[0])
    last_name = factory.LazyAttribute(lambda c: _background(c.n)[1])
    sex = factory.LazyAttribute(lambda c: _background(c.n)[2])
    ethnicity = factory.LazyAttribute(lambda c: _background(c.n)[3])
    nationality = factory.LazyAttribute(lambda c: _background(c.n)[4])
    first_language = factory.LazyAttribute(lambda c: _background(c.n)[5])
    date_of_birth = factory.LazyAttribute(lambda c: date.today() - timedelta(days=365 * 15 + (c.n % 700)))
    is_mother = factory.LazyAttribute(lambda c: False if c.sex == "F" else None)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from casework import search

        obj = model_class(*args, **kwargs)
        obj.search_names, obj.name_keys = search.index_fields([obj.first_name, obj.last_name, obj.preferred_name])
        obj.save()
        return obj


def child_fields(**overrides) -> dict:
    """Valid fields for ``services.create_child`` (minus organisation/team), with overrides."""
    n = next(_counter)
    first, last, sex, ethnicity, nationality, language = _background(n)
    fields = {
        "la_child_id": f"S{200000 + n}",
        "first_name": first,
        "last_name": last,
        "sex": sex,
        "ethnicity": ethnicity,
        "nationality": nationality,
        "first_language": language,
        "date_of_birth": date.today() - timedelta(days=365 * 15 + (n % 700)),
        "is_mother": False if sex == "F" else None,
    }
    fields.update(overrides)
    if fields.get("sex") == "F" and fields.get("is_mother") is None and "is_mother" not in overrides:
        fields["is_mother"] = False
    return fields


def _count():
    n = 0
    while True:
        yield n
        n += 1


_counter = _count()


def make_child(*, by, organisation, team=None, **fields) -> Child:
    """Create a child through ``services.create_child`` (validation, search index, history as ``by``)."""
    if team is None:
        team = getattr(by, "team", None) or TeamFactory(organisation=organisation)
    return services.create_child(by=by, organisation=organisation, team=team, **child_fields(**fields))


def put_in_care(
    child: Child,
    *,
    by,
    start_date: date | None = None,
    legal_status: str = "V2",
    place: str = "U6",
    category_of_need: str = "N1",
    provider: str = "PR1",
    postcode: str = "",
    **placement_fields,
):
    """Open a period of care with a legal status and a placement from ``start_date``; returns all three."""
    start_date = start_date or max(child.date_of_birth, date.today() - timedelta(days=90))
    period = services.add_care_record(
        child=child, kind="periods_of_care", by=by, start_date=start_date, category_of_need=category_of_need
    )
    status = services.add_care_record(
        child=child, kind="legal_statuses", by=by, start_date=start_date, code=legal_status
    )
    placement = services.add_care_record(
        child=child,
        kind="placements",
        by=by,
        start_date=start_date,
        place=place,
        provider=provider,
        postcode=postcode,
        **placement_fields,
    )
    return period, status, placement


def child_in_care(*, by, organisation=None, team=None, start_date=None, legal_status="V2", place="U6", **fields):
    """A child created through the services, in care from ``start_date`` (default 90 days ago)."""
    organisation = organisation or by.organisation
    child = make_child(by=by, organisation=organisation, team=team, **fields)
    put_in_care(child, by=by, start_date=start_date, legal_status=legal_status, place=place)
    child.refresh_from_db()
    return child
