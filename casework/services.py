"""Every write to a child's record. One transaction each, attributed to the acting user (``by``)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from casework import hooks, search
from casework.care_rules import check_record
from casework.codes import ExploitationType, NrmDecision, Sex
from casework.exceptions import StaleVersion
from casework.models import AccessGrant, Alias, Child, LegalStatus, PeriodOfCare, Photo, Placement

CARE_MODELS = {"periods_of_care": PeriodOfCare, "legal_statuses": LegalStatus, "placements": Placement}
CHILD_PARTS = {"phone_numbers", "social_media", "associates", "places_of_concern", "age_assessments"}


def _attribute(obj, by) -> None:
    obj._history_user = by


def _eighteenth_birthday(dob: date) -> date:
    try:
        return dob.replace(year=dob.year + 18)
    except ValueError:  # 29 February
        return date(dob.year + 18, 3, 1)


def validate_child(child: Child) -> None:
    """Field-level checks (model validators) plus the rules that join fields together."""
    errors: dict[str, list[str]] = {}
    try:
        child.full_clean(
            exclude=["search_names", "name_keys", "organisation", "team"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    add = lambda field, msg: errors.setdefault(field, []).append(msg)  # noqa: E731
    today = date.today()
    if child.date_of_birth and child.date_of_birth > today:
        add("date_of_birth", "Date of birth must be today or in the past")
    if child.sex == Sex.FEMALE and child.is_mother is None:
        add("is_mother", "Select whether she is a mother (the 903 MOTHER field)")
    if child.is_mother and not child.first_child_date_of_birth:
        add("first_child_date_of_birth", "Enter the date of birth of her first child")
    if not child.is_mother and child.first_child_date_of_birth:
        add("first_child_date_of_birth", "Only give a first child's date of birth when the child is a mother")
    unknown = [t for t in child.exploitation_types or [] if t not in ExploitationType.values]
    if unknown:
        add("exploitation_types", f"Unknown exploitation type: {', '.join(map(str, unknown))}")
    for decision, when in (
        ("reasonable_grounds", "reasonable_grounds_date"),
        ("conclusive_grounds", "conclusive_grounds_date"),
    ):
        value, on = getattr(child, decision), getattr(child, when)
        if value in (NrmDecision.POSITIVE, NrmDecision.NEGATIVE) and not on:
            add(when, "Enter the date of the decision")
        if on and child.nrm_referral_date and on < child.nrm_referral_date:
            add(when, "The decision date must be on or after the NRM referral date")
        if on and on > today:
            add(when, "The decision date must be today or in the past")
    if (child.reasonable_grounds or child.conclusive_grounds) and not child.nrm_referral_date:
        add("nrm_referral_date", "Enter the NRM referral date before recording a decision")
    if child.conclusive_grounds and child.reasonable_grounds != NrmDecision.POSITIVE:
        add("conclusive_grounds", "A conclusive grounds decision follows a positive reasonable grounds decision")
    if child.uasc_ceased_date:
        if not child.is_uasc:
            add("uasc_ceased_date", "Only give the date UASC status ceased for an unaccompanied child")
        elif child.date_of_birth and child.uasc_ceased_date > _eighteenth_birthday(child.date_of_birth):
            add("uasc_ceased_date", "The date UASC status ceased must be on or before the 18th birthday")
    if child.team_id and child.organisation_id and child.team.organisation_id != child.organisation_id:
        add("team", "Choose a team in the child's own authority")
    worker = child.allocated_social_worker
    if worker is not None and worker.organisation_id != child.organisation_id:
        add("allocated_social_worker", "Choose a social worker in the child's own authority")
    if child.la_child_id and child.organisation_id:
        taken = Child.objects.filter(organisation_id=child.organisation_id, la_child_id__iexact=child.la_child_id)
        if taken.exclude(pk=child.pk).exists():
            add("la_child_id", "Another child in this authority already has this Child ID")
    if errors:
        raise ValidationError(errors)


def _reindex(child: Child, alias_names: list[str]) -> None:
    child.search_names, child.name_keys = search.index_fields(
        [child.first_name, child.last_name, child.preferred_name, *alias_names]
    )


def _replace_aliases(child: Child, aliases: list[dict], by) -> None:
    existing = {(a.name, a.kind): a for a in child.aliases.all()}
    wanted = {(a["name"].strip(), a.get("kind") or "alias") for a in aliases if a.get("name", "").strip()}
    for key, alias in existing.items():
        if key not in wanted:
            _attribute(alias, by)
            alias.delete()
    for name, kind in wanted - existing.keys():
        alias = Alias(child=child, name=name, kind=kind)
        alias.full_clean(exclude=["child"])
        _attribute(alias, by)
        alias.save()


@transaction.atomic
def create_child(*, by, organisation, aliases: list[dict] | None = None, **fields) -> Child:
    child = Child(organisation=organisation, **fields)
    validate_child(child)
    aliases = aliases or []
    _reindex(child, [a["name"] for a in aliases])
    _attribute(child, by)
    try:
        with transaction.atomic():
            child.save()
    except IntegrityError as exc:  # a simultaneous create took the same Child ID
        raise ValidationError({"la_child_id": ["Another child in this authority already has this Child ID"]}) from exc
    _replace_aliases(child, aliases, by)
    return child


@transaction.atomic
def update_child(*, child: Child, by, version: int | None, aliases: list[dict] | None = None, **fields) -> Child:
    """Apply ``fields`` if ``version`` is current; a stale version changes nothing (StaleVersion)."""
    locked = Child.objects.select_for_update().get(pk=child.pk)
    if version is not None and version != locked.version:
        raise StaleVersion()
    changed = {name for name, value in fields.items() if getattr(locked, name) != value}
    for name, value in fields.items():
        setattr(locked, name, value)
    validate_child(locked)
    if aliases is not None:
        _replace_aliases(locked, aliases, by)
    _reindex(locked, list(locked.aliases.values_list("name", flat=True)))
    locked.version += 1
    _attribute(locked, by)
    locked.save()
    if changed:
        hooks.notify_child_changed(child=locked, by=by, changed_fields=changed)
    return locked


def _after_care_write(record, by, was_open: bool) -> None:
    if isinstance(record, PeriodOfCare) and was_open and record.end_date is not None:
        hooks.notify_care_ended(child=record.child, end_date=record.end_date, reason_ceased=record.reason_ceased, by=by)


def _check_care(child: Child, kind: str, record) -> None:
    model = CARE_MODELS[kind]
    siblings = model.objects.filter(child=child).exclude(pk=record.pk)
    check_record(
        child=child,
        kind=kind,
        start_date=record.start_date,
        end_date=record.end_date,
        siblings=siblings,
        periods=PeriodOfCare.objects.filter(child=child),
        reason_ceased=getattr(record, "reason_ceased", ""),
    )
    if kind == "periods_of_care" and record.end_date is not None:
        _check_period_contents(child, record)
    record.full_clean(exclude=["child"])


def _check_period_contents(child: Child, period: PeriodOfCare) -> None:
    """A period cannot end while a legal status or placement inside it runs on past its end."""
    for kind in ("legal_statuses", "placements"):
        inside = CARE_MODELS[kind].objects.filter(
            child=child, start_date__gte=period.start_date, start_date__lte=period.end_date
        )
        if inside.filter(Q(end_date__isnull=True) | Q(end_date__gt=period.end_date)).exists():
            raise ValidationError(
                {
                    "end_date": [
                        f"End the legal statuses and placements in this period on or before "
                        f"{period.end_date:%d/%m/%Y} first"
                    ]
                }
            )


@transaction.atomic
def add_care_record(*, child: Child, kind: str, by, **fields):
    Child.objects.select_for_update().get(pk=child.pk)  # one writer per child's history at a time
    record = CARE_MODELS[kind](child=child, **fields)
    _check_care(child, kind, record)
    _attribute(record, by)
    record.save()
    _after_care_write(record, by, was_open=True)
    return record


@transaction.atomic
def update_care_record(*, record, by, version: int | None, **fields):
    kind = {PeriodOfCare: "periods_of_care", LegalStatus: "legal_statuses", Placement: "placements"}[type(record)]
    Child.objects.select_for_update().get(pk=record.child_id)
    locked = type(record).objects.select_for_update().get(pk=record.pk)
    if version is not None and version != locked.version:
        raise StaleVersion()
    was_open = locked.end_date is None
    for name, value in fields.items():
        setattr(locked, name, value)
    _check_care(locked.child, kind, locked)
    locked.version += 1
    _attribute(locked, by)
    locked.save()
    _after_care_write(locked, by, was_open=was_open)
    return locked


@transaction.atomic
def add_photo(*, child: Child, by, image, taken_on=None, description: str = "") -> Photo:
    photo = Photo(child=child, image=image, taken_on=taken_on, description=description, uploaded_by=by)
    photo.full_clean(exclude=["child", "uploaded_by"])
    _attribute(photo, by)
    photo.save()
    return photo


@transaction.atomic
def add_child_part(*, child: Child, part: str, by, **fields):
    """Add a phone number, social media account, associate, place of concern or age assessment."""
    if part not in CHILD_PARTS:
        raise ValueError(part)
    model = Child._meta.get_field(part).related_model
    obj = model(child=child, **fields)
    obj.full_clean(exclude=["child"])
    _attribute(obj, by)
    obj.save()
    return obj


@transaction.atomic
def remove_child_part(*, obj, by) -> None:
    _attribute(obj, by)
    obj.delete()


@transaction.atomic
def grant_access(*, child: Child, user, by, reason: str) -> AccessGrant:
    grant, _ = AccessGrant.objects.get_or_create(child=child, user=user, defaults={"granted_by": by, "reason": reason})
    return grant
