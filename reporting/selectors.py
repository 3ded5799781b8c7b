"""Reads of return runs, always from the caller's scope: the runs of their own authority, and only for
roles that may run returns (casework.access.Permission.RETURN_RUN). Outside that scope a run does not exist."""

from django.db.models import QuerySet
from django.db.models.functions import Upper

from casework.access import Permission, has_permission
from casework.models import Child
from reporting.models import ReturnRun


def runs_visible_to(user) -> QuerySet[ReturnRun]:
    if not has_permission(user, Permission.RETURN_RUN) or not user.organisation_id:
        return ReturnRun.objects.none()
    return (
        ReturnRun.objects.filter(organisation_id=user.organisation_id)
        .select_related("organisation", "requested_by")
        .order_by("-created_at")
    )


def run_for(user, run_id) -> ReturnRun:
    """One run the user may see, or ReturnRun.DoesNotExist (a 404 to the caller)."""
    return runs_visible_to(user).get(pk=run_id)


def children_by_la_id(organisation, la_child_ids, *, visible: QuerySet[Child]) -> dict[str, Child]:
    """Children of ``organisation`` among ``visible`` whose Child ID matches one given, in any case.

    Keys are upper-cased (the 903 validator upper-cases every cell)."""
    wanted = {str(i).upper() for i in la_child_ids if i}
    if not wanted:
        return {}
    rows = (
        visible.filter(organisation=organisation)
        .annotate(la_id_upper=Upper("la_child_id"))
        .filter(la_id_upper__in=wanted)
        .only("id", "la_child_id")
    )
    return {child.la_child_id.upper(): child for child in rows}
