"""What advocacy adds to the child's page: the allocated guardian and the NRM timeline."""

from advocates.nrm import timeline_for
from advocates.selectors import active_allocations_for_child
from casework.access import Permission, child_sections, has_permission
from casework.home import HomeSection


def child_section(request, child) -> HomeSection | None:
    if "advocates" not in child_sections(request.user):
        return None
    return HomeSection(
        "advocates/_child_advocates_card.html",
        {
            "child": child,
            "allocations": list(active_allocations_for_child(child)),
            "can_allocate": has_permission(request.user, Permission.ADVOCATE_ALLOCATE),
            "nrm": timeline_for(child),
        },
    )
