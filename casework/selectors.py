"""Reads, always starting from the caller's scope (casework.access)."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import FieldDoesNotExist
from django.db import connection, transaction
from django.db.models import F, FilteredRelation, Prefetch, Q, QuerySet, UUIDField, Value

from casework import search
from casework.access import child_sections, visible_children
from casework.models import AccessLogEntry, Child, Placement, Team


def children_visible_to(
    user, *, q: str = "", trafficked: bool | None = None, uasc: bool | None = None, team=None
) -> QuerySet[Child]:
    qs = visible_children(user).select_related("team", "allocated_social_worker")
    if trafficked is not None:
        qs = (
            qs.filter(trafficking_status__in=["suspected", "identified"])
            if trafficked
            else qs.filter(trafficking_status="none")
        )
    if uasc is not None:
        current = Q(is_uasc=True, uasc_ceased_date__isnull=True)
        qs = qs.filter(current) if uasc else qs.exclude(current)
    if team is not None:
        qs = qs.filter(team=team)
    if q.strip():
        qs = search_children(qs, q)
    return qs


def search_children(qs: QuerySet[Child], q: str) -> QuerySet[Child]:
    """Name, alias, preferred name or Child ID, tolerant of spelling variants and transliterations."""
    normalised = search.normalise(q)
    words = normalised.split()
    if not words:
        return qs.none()
    postgres = connection.vendor == "postgresql"
    condition = Q(la_child_id__iexact=q.strip())
    names = Q()
    for word in words:
        key = search.word_key(word)
        word_q = Q(search_names__contains=word)
        if len(key) >= 3:
            word_q |= Q(name_keys__contains=f" {key} ")
        if postgres and len(word) >= 3:
            word_q |= Q(search_names__trigram_word_similar=word)
        names &= word_q
    qs = qs.filter(condition | names)
    if postgres:
        from django.contrib.postgres.search import TrigramWordSimilarity

        return qs.annotate(rank=TrigramWordSimilarity(normalised, "search_names")).order_by(
            "-rank", "last_name", "first_name"
        )
    return qs


@contextmanager
def name_search_plan(searching: bool = True) -> Iterator[None]:
    """Evaluate name searches (search_children) inside this, so that PostgreSQL reads the trigram indexes.
    Nothing happens when ``searching`` is false (a list that is not a search by name).

    The planner prices pg_trgm's operators like '=', so with fewer than about 50,000 children it prefers to
    read every row and work out the similarity of each: 60 to 90 ms a search at 20,000 children, against 6
    to 11 ms through the GIN indexes (EXPLAIN ANALYZE; tests/benchmarks/test_search_benchmark.py). The setting
    lasts to the end of this block's transaction, and is put back if the block runs inside a longer one.
    """
    if not searching or connection.vendor != "postgresql":
        yield
        return
    inside_another = connection.in_atomic_block
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        yield
        if inside_another:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = on")


def possible_duplicates(user, *, first_name: str, last_name: str, date_of_birth, exclude=None) -> QuerySet[Child]:
    """Children the user can see whose name matches closely and whose date of birth is the same."""
    qs = search_children(visible_children(user).filter(date_of_birth=date_of_birth), f"{first_name} {last_name}")
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs[:5]


def _missing_relation() -> bool:
    """Whether the missing episodes app is installed (casework never imports it)."""
    try:
        Child._meta.get_field("missing_episodes")
    except FieldDoesNotExist:
        return False
    return True


def with_missing_now(qs: QuerySet[Child]) -> QuerySet[Child]:
    """Each child with ``missing_now``: the id of their open missing or away episode, or None."""
    if not _missing_relation():
        return qs.annotate(missing_now=Value(None, output_field=UUIDField()))
    return qs.annotate(
        open_episode=FilteredRelation("missing_episodes", condition=Q(missing_episodes__status="open"))
    ).annotate(missing_now=F("open_episode__id"))


# What each section of a child's record reads, so that a child is loaded with only what the user may see.
SECTION_RELATIONS: dict[str, tuple[str | Prefetch, ...]] = {
    "identity": ("aliases",),
    "description": ("photos",),
    "uasc": ("age_assessments",),
    "pack_details": ("phone_numbers", "social_media", "associates", "places_of_concern"),
    "care_history": ("periods_of_care", "legal_statuses"),
    "placements": (Prefetch("placements", queryset=Placement.objects.select_related("host_authority")),),
}


def child_for(user, child_id) -> Child:
    """One child the user may see, with ``missing_now`` (with_missing_now) and the parts of the record in the
    sections the user may see (access.child_sections) loaded, or Child.DoesNotExist (a 404 to the caller)."""
    sections = child_sections(user)
    return (
        with_missing_now(visible_children(user))
        .select_related("team", "allocated_social_worker", "organisation")
        .prefetch_related(*(r for section in sections for r in SECTION_RELATIONS.get(section, ())))
        .get(pk=child_id)
    )


def access_log_for(child: Child) -> QuerySet[AccessLogEntry]:
    return AccessLogEntry.objects.filter(object_type="child", object_id=child.pk).select_related("user")


def teams_for(user) -> QuerySet[Team]:
    return Team.objects.filter(organisation_id=user.organisation_id)
