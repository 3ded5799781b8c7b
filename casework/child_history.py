"""Who changed what about a child and when, read from the history of every record about the child."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from casework import codes
from casework.formatting import long_date, yes_no
from casework.models import (
    AccessGrant,
    AgeAssessment,
    Alias,
    Child,
    KnownAssociate,
    LegalStatus,
    Organisation,
    PeriodOfCare,
    PhoneNumber,
    Photo,
    Placement,
    PlaceOfConcern,
    SocialMediaAccount,
    Team,
    User,
)

# (model, what it is called, how to name one record). Everything recorded about a child keeps history.
HISTORY_SOURCES = [
    (Child, "Child's record", lambda r: ""),
    (Alias, "Other name", lambda r: r.name),
    (Photo, "Photo", lambda r: r.description),
    (PhoneNumber, "Phone number", lambda r: r.number),
    (SocialMediaAccount, "Social media", lambda r: f"{r.platform}: {r.handle}"),
    (KnownAssociate, "Known associate", lambda r: r.name),
    (PlaceOfConcern, "Place of concern", lambda r: r.name),
    (AgeAssessment, "Age assessment", lambda r: long_date(r.assessed_on)),
    (PeriodOfCare, "Period of care", lambda r: f"from {long_date(r.start_date)}"),
    (LegalStatus, "Legal status", lambda r: f"from {long_date(r.start_date)}"),
    (Placement, "Placement", lambda r: f"from {long_date(r.start_date)}"),
    (AccessGrant, "Access to this restricted record", lambda r: ""),
]
HISTORY_HIDDEN_FIELDS = {"version", "created_at", "updated_at", "uploaded_at", "search_names", "name_keys", "child"}
RELATED_NAMES = {User: lambda u: u.get_full_name() or u.username, Team: str, Organisation: str}


@dataclass
class HistoryEntry:
    at: object
    who: str
    what: str
    action: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


def _history_records(child: Child):
    for model, label, name in HISTORY_SOURCES:
        records = child.history.all() if model is Child else model.history.filter(child_id=child.pk)
        yield label, name, records.select_related("history_user").order_by("id", "history_date", "history_id")


def _display(model, field_name: str, value, related: dict) -> str:
    model_field = model._meta.get_field(field_name)
    if value is None or value == "" or value == []:
        return "Not recorded"
    if model_field.is_relation:
        return related.get((model_field.related_model, value), "Someone or something no longer recorded")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, date):
        return long_date(value)
    if field_name == "exploitation_types":
        labels = dict(codes.ExploitationType.choices)
        return ", ".join(labels.get(v, v) for v in value)
    if field_name == "image":
        return "A photo"
    return str(value)


def _label(model, field_name: str) -> str:
    text = str(model._meta.get_field(field_name).verbose_name)
    return text[:1].upper() + text[1:]


def history_for(child: Child) -> list[HistoryEntry]:
    """Who changed what about the child, and when: newest first, with each changed field old → new."""
    raw = []
    for label, name, records in _history_records(child):
        previous = {}
        for record in records:
            prior = previous.get(record.id)
            previous[record.id] = record
            raw.append((label, name, record, prior))
    # Resolve foreign keys (teams, staff, authorities) to names with one query per model.
    wanted: dict[type, set] = {}
    for _label_text, _name, record, _prior in raw:
        for model_field in record.instance._meta.concrete_fields:
            if model_field.is_relation and model_field.related_model in RELATED_NAMES:
                value = getattr(record, model_field.attname)
                if value is not None:
                    wanted.setdefault(model_field.related_model, set()).add(value)
    related = {}
    for model, pks in wanted.items():
        for obj in model._default_manager.filter(pk__in=pks):
            related[(model, obj.pk)] = RELATED_NAMES[model](obj)

    entries = []
    for label, name, record, prior in raw:
        model = record.instance_type
        described = name(record)
        what = f"{label}: {described}" if described else label
        user = record.history_user
        who = (user.get_full_name() or user.username) if user else "The system"
        if record.history_type == "+":
            entries.append(HistoryEntry(record.history_date, who, what, "Added"))
        elif record.history_type == "-":
            entries.append(HistoryEntry(record.history_date, who, what, "Removed"))
        elif prior is not None:
            delta = record.diff_against(prior, excluded_fields=HISTORY_HIDDEN_FIELDS)
            changes = [
                (
                    _label(model, change.field),
                    _display(model, change.field, change.old, related),
                    _display(model, change.field, change.new, related),
                )
                for change in delta.changes
            ]
            if changes:
                entries.append(HistoryEntry(record.history_date, who, what, "Changed", changes))
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries
