"""Extension points that let other apps react to casework writes without casework importing them.

Apps register callables in their ``AppConfig.ready()``. They run inside the casework service's
transaction, so their writes commit or roll back with it.
"""

from collections.abc import Callable
from datetime import date

# (child, end_date, reason_ceased, by) -> None: a period of care ended.
care_ended: list[Callable[..., None]] = []
# (child, by, changed_fields: set[str]) -> None: a child's record changed (e.g. trafficking or UASC status).
child_changed: list[Callable[..., None]] = []


def notify_care_ended(*, child, end_date: date, reason_ceased: str, by) -> None:
    for hook in care_ended:
        hook(child=child, end_date=end_date, reason_ceased=reason_ceased, by=by)


def notify_child_changed(*, child, by, changed_fields: set[str]) -> None:
    for hook in child_changed:
        hook(child=child, by=by, changed_fields=changed_fields)


# (organisation, by, seed) -> None: the demo children of an authority are in place (seed_demo); apps add their own
# demo records. Each must be idempotent: seed_demo runs on every `make run`.
demo_seeded: list[Callable[..., None]] = []


def notify_demo_seeded(*, organisation, by, seed: int) -> None:
    for hook in demo_seeded:
        hook(organisation=organisation, by=by, seed=seed)
