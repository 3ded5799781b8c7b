"""Every write to missing episodes: one transaction each, attributed to the acting user.

These are the hooks escalation uses (see missing_episodes.alerts.rules): whatever a page, the API or a
task does to an episode goes through here, so the alert rule always sees it.
"""

from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casework.exceptions import StaleVersion, StateConflict
from casework.models import Child
from missing_episodes import rules
from missing_episodes.models import (
    EpisodeUpdate,
    Kind,
    MissingEpisode,
    Outcome,
    PoliceRiskLevel,
    ReturnInterview,
    RiskLevel,
    Status,
)

EDITABLE_FIELDS = {
    "last_seen_location",
    "circumstances",
    "reported_to_police_at",
    "police_force",
    "police_reference",
    "police_risk_level",
    "started_at",
    "host_authority_notified_at",
    "home_office_notified_at",
}
DETAIL_FIELDS = EDITABLE_FIELDS - {"started_at"}


def _attribute(obj, by) -> None:
    obj._history_user = by


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def initial_risk_level(child: Child, police_risk_level: str = "") -> str:
    """The authority's grade: high for any trafficked or unaccompanied child, else the police's view."""
    if child.is_trafficked or child.is_current_uasc:
        return RiskLevel.HIGH
    return {
        PoliceRiskLevel.HIGH: RiskLevel.HIGH,
        PoliceRiskLevel.LOW: RiskLevel.LOW,
        PoliceRiskLevel.NO_APPARENT_RISK: RiskLevel.LOW,
    }.get(police_risk_level, RiskLevel.MEDIUM)


def _lock(episode: MissingEpisode, version: int | None) -> MissingEpisode:
    locked = MissingEpisode.objects.select_for_update().get(pk=episode.pk)
    if version is not None and version != locked.version:
        raise StaleVersion()
    return locked


def _save(episode: MissingEpisode, by) -> None:
    episode.full_clean(exclude=["child", "reported_by", "reclassified_from"], validate_constraints=False)
    _attribute(episode, by)
    episode.save()


def _open(*, child: Child, kind: str, started_at: datetime, by, reclassified_from=None, **details) -> MissingEpisode:
    if kind not in Kind.values:
        raise ValidationError({"kind": ["Select M (missing: whereabouts unknown) or A (away: whereabouts known)"]})
    unknown = set(details) - DETAIL_FIELDS
    if unknown:
        raise ValueError(f"Unexpected fields: {sorted(unknown)}")
    _raise(rules.start_errors(child=child, started_at=started_at, allow_open_from=reclassified_from))
    episode = MissingEpisode(
        child=child, kind=kind, started_at=started_at, reported_by=by, reclassified_from=reclassified_from, **details
    )
    episode.risk_level = initial_risk_level(child, episode.police_risk_level)
    _save(episode, by)
    from missing_episodes.alerts import rules as escalation

    escalation.episode_opened(episode=episode, by=by)
    return episode


@transaction.atomic
def report_missing(*, child: Child, kind: str, started_at: datetime, by, **details) -> MissingEpisode:
    """Record that a child is missing (M) or away (A) now."""
    Child.objects.select_for_update().get(pk=child.pk)  # one report per child at a time
    return _open(child=child, kind=kind, started_at=started_at, by=by, **details)


@transaction.atomic
def update_episode(*, episode: MissingEpisode, by, version: int | None, **fields) -> MissingEpisode:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Unexpected fields: {sorted(unknown)}")
    locked = _lock(episode, version)
    if "started_at" in fields and fields["started_at"] != locked.started_at:
        errors = rules.start_errors(child=locked.child, started_at=fields["started_at"], exclude=locked)
        if locked.ended_at and fields["started_at"] > locked.ended_at:
            errors.setdefault("started_at", []).append("The start must be before the episode ended")
        _raise(errors)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.version += 1
    _save(locked, by)
    return locked


def _close(
    locked: MissingEpisode, *, by, ended_at: datetime, outcome: str, found_location: str = "", notes: str = ""
) -> MissingEpisode:
    if not locked.is_open:
        raise StateConflict("This episode is already closed.")
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": ["Select whether the child was found, returned or left care"]})
    _raise(rules.end_errors(episode=locked, ended_at=ended_at))
    locked.status = Status.CLOSED
    locked.ended_at = ended_at
    locked.outcome = outcome
    locked.found_location = found_location
    locked.closing_notes = notes
    locked.version += 1
    _save(locked, by)
    from missing_episodes.alerts import rules as escalation

    escalation.episode_closed(episode=locked, by=by)
    return locked


@transaction.atomic
def close_episode(
    *,
    episode: MissingEpisode,
    by,
    version: int | None,
    ended_at: datetime,
    outcome: str,
    found_location: str = "",
    notes: str = "",
) -> MissingEpisode:
    """The child is found or back: close the episode (the return interview clock starts)."""
    if outcome == Outcome.RECLASSIFIED:
        raise ValidationError({"outcome": ["Use reclassify to switch between missing and away"]})
    locked = _lock(episode, version)
    return _close(locked, by=by, ended_at=ended_at, outcome=outcome, found_location=found_location, notes=notes)


@transaction.atomic
def reclassify(*, episode: MissingEpisode, by, version: int | None, kind: str, at: datetime) -> MissingEpisode:
    """A → M when the whereabouts become unknown; M → A when located but not back. Same instant."""
    locked = _lock(episode, version)
    if not locked.is_open:
        raise StateConflict("Only an open episode can be reclassified.")
    if kind == locked.kind or kind not in Kind.values:
        other = Kind.AWAY if locked.kind == Kind.MISSING else Kind.MISSING
        raise ValidationError(
            {"kind": [f"This episode is already {locked.get_kind_display().lower()}. Choose {other} to reclassify it"]}
        )
    _raise(rules.end_errors(episode=locked, ended_at=at, field="at"))
    _close(locked, by=by, ended_at=at, outcome=Outcome.RECLASSIFIED)
    details = {name: getattr(locked, name) for name in DETAIL_FIELDS}
    new = _open(child=locked.child, kind=kind, started_at=at, by=by, reclassified_from=locked, **details)
    if locked.risk_level == RiskLevel.HIGH and new.risk_level != RiskLevel.HIGH:
        new.risk_level = RiskLevel.HIGH
        _save(new, by)
    return new


@transaction.atomic
def add_update(
    *,
    episode: MissingEpisode,
    by,
    kind: str,
    occurred_at: datetime,
    summary: str,
    attendees: str = "",
    actions: str = "",
) -> EpisodeUpdate:
    update = EpisodeUpdate(
        episode=episode,
        kind=kind,
        occurred_at=occurred_at,
        summary=summary,
        attendees=attendees,
        actions=actions,
        recorded_by=by,
    )
    update.full_clean(exclude=["episode", "recorded_by"])
    errors: dict[str, list[str]] = {}
    if occurred_at > timezone.now():
        errors["occurred_at"] = ["The time must be now or in the past"]
    elif occurred_at < episode.started_at:
        errors["occurred_at"] = ["The time must be on or after the child went missing"]
    if kind == EpisodeUpdate.Kind.STRATEGY_DISCUSSION and not attendees.strip():
        errors["attendees"] = ["Enter who took part in the strategy discussion"]
    _raise(errors)
    _attribute(update, by)
    update.save()
    return update


@transaction.atomic
def record_return_interview(*, episode: MissingEpisode, by, version: int | None = None, **fields) -> ReturnInterview:
    """Record the offer, the answer and the interview itself. The child must be back first."""
    locked = MissingEpisode.objects.select_for_update().get(pk=episode.pk)
    if locked.is_open:
        raise ValidationError({"non_field_errors": ["Close the episode before recording the return interview"]})
    if locked.outcome in (Outcome.RECLASSIFIED, Outcome.LEFT_CARE):
        raise ValidationError(
            {
                "non_field_errors": [
                    "A return interview follows a child's return. Record it on the episode that ended with their return"
                ]
            }
        )
    interview, created = ReturnInterview.objects.select_for_update().get_or_create(episode=locked)
    if not created and version is not None and version != interview.version:
        raise StaleVersion()
    for name, value in fields.items():
        setattr(interview, name, value)
    errors: dict[str, list[str]] = {}
    now = timezone.now()
    if interview.offered_at and interview.offered_at > now:
        errors.setdefault("offered_at", []).append("The offer must be now or in the past")
    if interview.completed_at:
        if interview.completed_at > now:
            errors.setdefault("completed_at", []).append("The interview date must be now or in the past")
        if interview.offered_at and interview.completed_at < interview.offered_at:
            errors.setdefault("completed_at", []).append("The interview must be on or after the day it was offered")
        if interview.accepted is False:
            errors.setdefault("completed_at", []).append("An interview the child declined cannot have taken place")
        if not interview.conducted_by.strip():
            errors.setdefault("conducted_by", []).append("Enter who conducted the return interview")
    if not interview.offered_at:  # the record starts with the offer: an empty interview is not recorded
        errors.setdefault("offered_at", []).append("Enter when the return interview was offered")
    if interview.accepted is False and not interview.declined_reason.strip():
        errors.setdefault("declined_reason", []).append("Enter why the child declined the return interview")
    _raise(errors)
    interview.full_clean(exclude=["episode"])
    if not created:
        interview.version += 1
    _attribute(interview, by)
    interview.save()
    return interview


def close_for_care_ended(*, child: Child, end_date, reason_ceased: str, by) -> None:
    """A child leaving care while missing: the open episode closes at the care end date (903 rule 577)."""
    episode = MissingEpisode.objects.select_for_update().filter(child=child, status=Status.OPEN).first()
    if episode is None:
        return
    end_of_care = timezone.make_aware(datetime.combine(end_date, time.min))
    ended_at = max(end_of_care, episode.started_at)
    if timezone.localdate(episode.started_at) > end_date:
        return
    dob = child.date_of_birth
    try:
        eighteenth = dob.replace(year=dob.year + 18)
    except ValueError:  # born on 29 February
        eighteenth = dob.replace(year=dob.year + 18, month=3, day=1)
    if end_date == eighteenth and reason_ceased != "E8":
        raise ValidationError(
            {
                "reason_ceased": [
                    "The child is still missing on their 18th birthday: "
                    "the reason care ended must be E8 (any other reason)"
                ]
            }
        )
    _close(
        episode,
        by=by,
        ended_at=ended_at,
        outcome=Outcome.LEFT_CARE,
        notes=f"Closed because the period of care ended on {end_date:%d/%m/%Y} ({reason_ceased})",
    )
