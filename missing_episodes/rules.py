"""Entry-time rules for missing and away episodes, so the 903 Missing file can never be wrong.

Each returns field → messages; the services raise them as one ValidationError.
"""

from datetime import datetime

from django.utils import timezone

from casework.models import Child, PeriodOfCare
from missing_episodes.models import MissingEpisode


def _fmt(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def start_errors(
    *,
    child: Child,
    started_at: datetime,
    exclude: MissingEpisode | None = None,
    allow_open_from: MissingEpisode | None = None,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    add = lambda msg: errors.setdefault("started_at", []).append(msg)  # noqa: E731
    if started_at > timezone.now():
        add("The time the child went missing must be now or in the past")
        return errors
    day = timezone.localdate(started_at)
    if day < child.date_of_birth:
        add(f"The time the child went missing must be after their date of birth ({child.date_of_birth:%d/%m/%Y})")
        return errors
    in_care = PeriodOfCare.objects.filter(child=child, start_date__lte=day).exclude(end_date__lt=day)
    if not in_care.exists():
        add(f"The child was not in a period of care on {day:%d/%m/%Y}. Record the period of care first")
    others = MissingEpisode.objects.filter(child=child)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    open_episode = others.filter(status="open").exclude(pk=getattr(allow_open_from, "pk", None)).first()
    if open_episode is not None:
        add(
            f"This child is already recorded as missing or away since {_fmt(open_episode.started_at)}. "
            "Update or close that episode instead"
        )
    overlapping = (
        others.filter(status="closed", started_at__lt=started_at, ended_at__gt=started_at).first()
        # An open episode starting now would also span any episode that starts at or after it.
        or others.filter(status="closed", started_at__gte=started_at).order_by("started_at").first()
    )
    if overlapping is not None:
        add(
            f"This overlaps an earlier episode from {_fmt(overlapping.started_at)} to "
            f"{_fmt(overlapping.ended_at)}. Episodes of one child cannot overlap"
        )
    return errors


def end_errors(*, episode: MissingEpisode, ended_at: datetime, field: str = "ended_at") -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if ended_at > timezone.now():
        errors.setdefault(field, []).append("The time the episode ended must be now or in the past")
    elif ended_at < episode.started_at:
        errors.setdefault(field, []).append(
            f"The time the episode ended must be the same as or after it started ({_fmt(episode.started_at)})"
        )
    later = (
        MissingEpisode.objects.filter(
            child_id=episode.child_id, started_at__gt=episode.started_at, started_at__lt=ended_at
        )
        .exclude(pk=episode.pk)
        .first()
    )
    if later is not None:
        errors.setdefault(field, []).append(f"This would overlap a later episode starting {_fmt(later.started_at)}")
    return errors
