"""GOV.UK pages for children's records: find a child, the child's summary, history and access log, adding a
child and changing the record a section at a time, and the child's photos.

Each view: load the child through its scoped selector (outside scope: 404), check the permission (403),
validate a form, call one service, redirect with a success banner. Nothing personal goes into a URL but
UUIDs; the search words travel in ``?q=`` and are never logged.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from html import escape

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST, require_safe

from casework import codes, selectors, services
from casework.access import Permission, child_sections, has_permission
from casework.audit import log_access
from casework.child_history import history_for
from casework.child_page import child_page_sections
from casework.exceptions import StaleVersion
from casework.formatting import long_date, yes_no
from casework.forms.children import (
    CARE_FORMS,
    AgeAssessmentForm,
    AssociateForm,
    ChildCreateForm,
    ChildSearchForm,
    DescriptionForm,
    IdentityEditForm,
    IdentityForm,
    PhoneNumberForm,
    PhotoForm,
    PlaceOfConcernForm,
    SocialMediaForm,
    TraffickingForm,
    UascForm,
)
from casework.models import (
    Child,
)

PAGE_SIZE = 50
CARE_KINDS = {"periods-of-care": "periods_of_care", "legal-statuses": "legal_statuses", "placements": "placements"}
CARE_LABELS = {"periods_of_care": "period of care", "legal_statuses": "legal status", "placements": "placement"}


@dataclass(frozen=True)
class PartPage:
    part: str  # the Child relation and services.add_child_part's ``part``
    form_class: type
    title: str
    added: str


PARTS = {
    "phone-numbers": PartPage("phone_numbers", PhoneNumberForm, "Add a phone number", "Phone number added"),
    "social-media": PartPage("social_media", SocialMediaForm, "Add a social media account", "Social media added"),
    "associates": PartPage("associates", AssociateForm, "Add a known associate", "Known associate added"),
    "places-of-concern": PartPage(
        "places_of_concern", PlaceOfConcernForm, "Add a place of concern", "Place of concern added"
    ),
}


# --- Helpers --------------------------------------------------------------------------------------


def _child_or_404(user, child_id) -> Child:
    try:
        return selectors.child_for(user, child_id)
    except Child.DoesNotExist as exc:
        raise Http404 from exc


def _require(user, permission: Permission) -> None:
    if not has_permission(user, permission):
        raise PermissionDenied


def _apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError onto the form: on the field it names, else above the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _stale(form, exc: StaleVersion) -> None:
    form.add_error(None, exc.message)


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _missing_now(child: Child) -> bool:
    """Is the child missing now? Read from ``missing_now``, which selectors.child_for annotates."""
    return bool(child.missing_now)


def status_tags(child: Child, *, missing_now: bool) -> list[tuple[str, str]]:
    """(text, colour) for the GOV.UK tags that say what matters most about a child."""
    tags = []
    if missing_now:
        tags.append(("Missing now", "red"))
    if child.is_trafficked:
        tags.append(("Trafficked", "pink"))
    if child.is_current_uasc:
        tags.append(("UASC", "purple"))
    if child.restricted:
        tags.append(("Restricted", "grey"))
    return tags


def _child_context(request, child: Child, **extra) -> dict:
    visible = child_sections(request.user)
    return {
        "child": child,
        "tags": status_tags(child, missing_now=_missing_now(child)),
        "can_edit": has_permission(request.user, Permission.CHILD_EDIT),
        "can_view_access_log": "access_log" in visible,
        "show": {name: name in visible for name in ("care_history", "placements", "pack_details", "history")},
        **extra,
    }


# --- Find a child ---------------------------------------------------------------------------------
# A search may list 50 children, so each row is built here as a string with every value escaped (as a
# template would, at a fraction of the cost), and only the columns the table shows are loaded.

RESULT_FIELDS = (
    "id",
    "first_name",
    "last_name",
    "preferred_name",
    "la_child_id",
    "date_of_birth",
    "dob_estimated",
    "trafficking_status",
    "is_uasc",
    "uasc_ceased_date",
    "restricted",
)
_UUID0 = uuid.UUID(int=0)


class _ResultsPaginator(Paginator):
    """Counts ``counted`` (the matches) rather than the listed queryset, whose join to a child's open episode
    marks who is missing now and never changes how many children match."""

    def __init__(self, object_list, per_page, *, counted):
        super().__init__(object_list, per_page)
        self._counted = counted

    @cached_property
    def count(self) -> int:
        return self._counted.count()


def _result_row(child: Child, *, child_url: str) -> str:
    """One row of the results table as HTML; every value from the database goes through ``escape``."""
    born = date_format(child.date_of_birth, "j M Y") if child.date_of_birth else ""
    if child.dob_estimated:
        born += ' <span class="govuk-hint govuk-!-display-inline">(estimated)</span>'
    tags = " ".join(
        f'<strong class="govuk-tag govuk-tag--{colour}">{escape(text)}</strong>'
        for text, colour in status_tags(child, missing_now=bool(child.missing_now))
    )
    url = child_url.replace(str(_UUID0), str(child.pk))
    return (
        '<tr class="govuk-table__row">'
        f'<td class="govuk-table__cell"><a class="govuk-link" href="{url}">{escape(child.display_name)}</a></td>'
        f'<td class="govuk-table__cell">{escape(child.la_child_id)}</td>'
        f'<td class="govuk-table__cell">{born}</td>'
        f'<td class="govuk-table__cell">{tags}</td>'
        "</tr>"
    )


@require_safe
@login_required
def child_search(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require(user, Permission.CHILD_VIEW)
    teams = selectors.teams_for(user)
    form = ChildSearchForm(request.GET or None, teams=teams)
    q, filters = "", {}
    if form.is_bound and form.is_valid():
        q = form.cleaned_data["q"].strip()
        filters = {
            "trafficked": True if form.cleaned_data["trafficked"] else None,
            "uasc": True if form.cleaned_data["uasc"] else None,
            "team": form.cleaned_data["team"],
        }
    searching = bool(q) or any(v is not None for v in filters.values())
    if searching:
        children = selectors.children_visible_to(user, q=q, **filters)
        heading = "Search results"
    elif user.team_id and selectors.children_visible_to(user, team=user.team).exists():
        children = selectors.children_visible_to(user, team=user.team)
        heading = f"Children in {user.team.name}"
    else:
        children = selectors.children_visible_to(user).order_by("-updated_at")
        heading = "Recently updated children"
    children = children.select_related(None).only(*RESULT_FIELDS)
    with selectors.name_search_plan(bool(q)):
        page = _ResultsPaginator(selectors.with_missing_now(children), PAGE_SIZE, counted=children).get_page(
            request.GET.get("page")
        )
        child_url = reverse("child_detail", args=[_UUID0])
        # Safe: _result_row escapes every value it places.
        rows = [mark_safe(_result_row(child, child_url=child_url)) for child in page]  # noqa: S308
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "q": q,
        "searching": searching,
        "filtered": any(v is not None for v in filters.values()),
        "heading": heading,
        "rows": rows,
        "page_obj": page,
        "querystring": params.urlencode(),
        "show_team_filter": teams.exists(),
        "can_create": has_permission(user, Permission.CHILD_CREATE),
    }
    return render(request, "casework/children/search.html", context)


# --- The child's summary --------------------------------------------------------------------------


def _identity_rows(child: Child) -> list[tuple[str, str]]:
    aliases = "; ".join(f"{a.name} ({a.get_kind_display().lower()})" for a in child.aliases.all())
    dob = long_date(child.date_of_birth) + (" (estimated)" if child.dob_estimated else "")
    rows = [
        ("Name", child.full_name),
        ("Preferred name", child.preferred_name),
        ("Other names", aliases or "None"),
        ("Child ID", child.la_child_id),
        ("Date of birth", dob),
        ("Sex", child.get_sex_display()),
        ("Ethnicity", child.get_ethnicity_display()),
    ]
    if child.sex == codes.Sex.FEMALE:
        mother = yes_no(child.is_mother)
        if child.is_mother and child.first_child_date_of_birth:
            mother += f" (first child born {long_date(child.first_child_date_of_birth)})"
        rows.append(("Mother", mother))
    worker = child.allocated_social_worker
    rows += [
        ("Unique pupil number", child.upn),
        ("Nationality", child.nationality),
        ("First language", child.first_language),
        ("Needs an interpreter", yes_no(child.interpreter_required)),
        ("Team", child.team.name),
        ("Allocated social worker", (worker.get_full_name() or worker.username) if worker else "Not allocated"),
        ("Restricted record", yes_no(child.restricted)),
    ]
    return rows


def _description_rows(child: Child) -> list[tuple[str, str]]:
    return [
        ("Height", child.height),
        ("Build", child.build),
        ("Hair", child.hair),
        ("Eyes", child.eyes),
        ("Distinguishing marks", child.distinguishing_marks),
        ("Clothing and belongings", child.clothing_notes),
    ]


def _trafficking_rows(child: Child) -> list[tuple[str, str]]:
    labels = dict(codes.ExploitationType.choices)
    decision = lambda value, on: (  # noqa: E731
        f"{dict(codes.NrmDecision.choices)[value]}{f' on {long_date(on)}' if on else ''}" if value else ""
    )
    return [
        ("Trafficking concern", child.get_trafficking_status_display()),
        ("Types of exploitation", ", ".join(labels.get(t, t) for t in child.exploitation_types or [])),
        ("NRM referral date", long_date(child.nrm_referral_date)),
        ("First responder", child.nrm_first_responder),
        ("NRM reference", child.nrm_reference),
        ("Reasonable grounds decision", decision(child.reasonable_grounds, child.reasonable_grounds_date)),
        ("Conclusive grounds decision", decision(child.conclusive_grounds, child.conclusive_grounds_date)),
    ]


def _uasc_rows(child: Child) -> list[tuple[str, str]]:
    return [
        ("Unaccompanied asylum-seeking child", yes_no(child.is_uasc)),
        ("Arrived in the UK", long_date(child.arrival_date)),
        ("Asylum claim made", long_date(child.asylum_claim_date)),
        ("Home Office reference", child.home_office_reference),
        ("Immigration status", child.get_immigration_status_display()),
        ("Age disputed", yes_no(child.age_disputed)),
        ("UASC status ceased", long_date(child.uasc_ceased_date)),
    ]


# The lists on a child's page: (context name, Child relation, the section that shows it).
_DETAIL_LISTS = (
    ("photos", "photos", "description"),
    ("age_assessments", "age_assessments", "uasc"),
    ("periods", "periods_of_care", "care_history"),
    ("legal_statuses", "legal_statuses", "care_history"),
    ("placements", "placements", "placements"),
    ("phone_numbers", "phone_numbers", "pack_details"),
    ("social_media", "social_media", "pack_details"),
    ("associates", "associates", "pack_details"),
    ("places_of_concern", "places_of_concern", "pack_details"),
)


@require_safe
@login_required
def child_detail(request: HttpRequest, child_id) -> HttpResponse:
    child = _child_or_404(request.user, child_id)
    _require(request.user, Permission.CHILD_VIEW)
    log_access(user=request.user, obj=child, action="view", detail="summary")
    visible = child_sections(request.user)
    sections = [
        (key, title, rows_for(child), url_name)
        for key, title, rows_for, url_name in (
            ("identity", "Identity", _identity_rows, "child_edit_identity"),
            ("description", "Description", _description_rows, "child_edit_description"),
            ("trafficking", "Trafficking and the NRM", _trafficking_rows, "child_edit_trafficking"),
            ("uasc", "Asylum and UASC", _uasc_rows, "child_edit_uasc"),
        )
        if key in visible
    ]
    context = _child_context(
        request,
        child,
        sections=[
            {"id": key, "title": title, "rows": rows, "change_url": reverse(url_name, args=[child.pk])}
            for key, title, rows, url_name in sections
        ],
        **{
            name: list(getattr(child, relation).all()) if section in visible else []
            for name, relation, section in _DETAIL_LISTS
        },
        extra_sections=child_page_sections(request, child),
    )
    return render(request, "casework/children/detail.html", context)


# --- History --------------------------------------------------------------------------------------


@require_safe
@login_required
def child_history(request: HttpRequest, child_id) -> HttpResponse:
    child = _child_or_404(request.user, child_id)
    _require(request.user, Permission.CHILD_VIEW)
    if "history" not in child_sections(request.user):
        raise PermissionDenied
    log_access(user=request.user, obj=child, action="view", detail="history")
    page = Paginator(history_for(child), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "casework/children/history.html", _child_context(request, child, page_obj=page))


@require_safe
@login_required
def child_access_log(request: HttpRequest, child_id) -> HttpResponse:
    child = _child_or_404(request.user, child_id)
    _require(request.user, Permission.ACCESS_LOG_VIEW)
    log_access(user=request.user, obj=child, action="view", detail="access log")
    page = Paginator(selectors.access_log_for(child), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "casework/children/access_log.html", _child_context(request, child, page_obj=page))


# --- Adding a child -------------------------------------------------------------------------------


def _identity_form_kwargs(user) -> dict:
    return {
        "teams": selectors.teams_for(user),
        "organisation": user.organisation,
        "can_restrict": has_permission(user, Permission.CHILD_RESTRICT),
    }


@login_required
def child_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require(user, Permission.CHILD_CREATE)
    initial = {"team": user.team_id, "allocated_social_worker": user.pk if user.role == "social_worker" else None}
    form = ChildCreateForm(request.POST or None, initial=initial, **_identity_form_kwargs(user))
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not data["confirm_not_duplicate"]:
            duplicates = list(
                selectors.possible_duplicates(
                    user,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    date_of_birth=data["date_of_birth"],
                )
            )
        if duplicates:
            form.add_error(
                "confirm_not_duplicate",
                "Check the children listed. If this is a different child, confirm it to add the record",
            )
        else:
            try:
                child = services.create_child(
                    by=user, organisation=user.organisation, aliases=form.aliases(), **form.child_fields()
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, "Child added")
                return redirect("child_detail", child_id=child.pk)
    context = {"form": form, "duplicates": duplicates}
    return render(request, "casework/children/create.html", context, status=_status(form))


# --- Changing the record, a section at a time -----------------------------------------------------


@dataclass(frozen=True)
class Section:
    title: str
    form_class: type
    fields: tuple[str, ...] | None  # None: the identity form says which fields it has
    anchor: str


SECTIONS = {
    "identity": Section("Change identity", IdentityEditForm, None, "identity"),
    "description": Section("Change description", DescriptionForm, DescriptionForm.FIELDS, "description"),
    "trafficking": Section(
        "Change trafficking and NRM details", TraffickingForm, TraffickingForm.FIELDS, "trafficking"
    ),
    "uasc": Section("Change asylum and UASC details", UascForm, UascForm.FIELDS, "uasc"),
}


def _section_form(request, child: Child, key: str, data=None):
    section = SECTIONS[key]
    if section.fields is None:
        initial = {**IdentityForm.initial_for(child), "version": child.version}
        return section.form_class(
            data,
            initial=initial,
            current_worker_id=child.allocated_social_worker_id,
            **_identity_form_kwargs(request.user),
        )
    initial = {name: getattr(child, name) for name in section.fields}
    return section.form_class(data, initial={**initial, "version": child.version})


def _section_page(
    request, child: Child, key: str, form, status: int | None = None, error_form=None, **extra
) -> HttpResponse:
    """The section's change page. ``form`` there is the one whose errors the summary and title show."""
    section = SECTIONS[key]
    context = _child_context(
        request,
        child,
        form=error_form or form,
        section_form=form,
        title=section.title,
        section=key,
        action=reverse(f"child_edit_{key}", args=[child.pk]),
        **extra,
    )
    return render(request, f"casework/children/edit_{key}.html", context, status=status or _status(form))


def _extra_forms(key: str) -> dict:
    if key == "description":
        return {"photo_form": PhotoForm()}
    if key == "uasc":
        return {"assessment_form": AgeAssessmentForm(initial={"merton_compliant": True})}
    return {}


def _change_section(request: HttpRequest, child_id, key: str) -> HttpResponse:
    child = _child_or_404(request.user, child_id)
    _require(request.user, Permission.CHILD_EDIT)
    if request.method != "POST":
        log_access(user=request.user, obj=child, action="view", detail=f"change {key}")
        return _section_page(request, child, key, _section_form(request, child, key), **_extra_forms(key))
    form = _section_form(request, child, key, request.POST)
    if form.is_valid():
        if key == "identity":
            fields = {"aliases": form.aliases(), **form.child_fields()}
        else:
            fields = {name: form.cleaned_data[name] for name in SECTIONS[key].fields}
        try:
            services.update_child(child=child, by=request.user, version=form.cleaned_data["version"], **fields)
        except StaleVersion as exc:
            _stale(form, exc)
            return _section_page(request, child, key, form, status=409, **_extra_forms(key))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Your changes have been saved")
            return redirect(reverse("child_detail", args=[child.pk]) + f"#{SECTIONS[key].anchor}")
    return _section_page(request, child, key, form, **_extra_forms(key))


@login_required
def child_edit_identity(request, child_id):
    return _change_section(request, child_id, "identity")


@login_required
def child_edit_description(request, child_id):
    return _change_section(request, child_id, "description")


@login_required
def child_edit_trafficking(request, child_id):
    return _change_section(request, child_id, "trafficking")


@login_required
def child_edit_uasc(request, child_id):
    return _change_section(request, child_id, "uasc")


@require_POST
@login_required
def child_photo_add(request: HttpRequest, child_id) -> HttpResponse:
    child = _child_or_404(request.user, child_id)
    _require(request.user, Permission.CHILD_EDIT)
    photo_form = PhotoForm(request.POST, request.FILES)
    if photo_form.is_valid():
        try:
            services.add_photo(child=child, by=request.user, **photo_form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(photo_form, exc)
        else:
            messages.success(request, "Photo added")
            return redirect(reverse("child_detail", args=[child.pk]) + "#description")
    return _section_page(
        request,
        child,
        "description",
        _section_form(request, child, "description"),
        status=400,
        error_form=photo_form,
        photo_form=photo_form,
    )


@require_POST
@login_required
def age_assessment_add(request: HttpRequest, child_id) -> HttpResponse:
    child = _child_or_404(request.user, child_id)
    _require(request.user, Permission.CHILD_EDIT)
    assessment_form = AgeAssessmentForm(request.POST)
    if assessment_form.is_valid():
        try:
            services.add_child_part(
                child=child, part="age_assessments", by=request.user, **assessment_form.cleaned_data
            )
        except ValidationError as exc:
            _apply_errors(assessment_form, exc)
        else:
            messages.success(request, "Age assessment added")
            return redirect(reverse("child_detail", args=[child.pk]) + "#uasc")
    return _section_page(
        request,
        child,
        "uasc",
        _section_form(request, child, "uasc"),
        status=400,
        error_form=assessment_form,
        assessment_form=assessment_form,
    )


# --- Care history ---------------------------------------------------------------------------------


def _care_kind(slug: str) -> str:
    try:
        return CARE_KINDS[slug]
    except KeyError as exc:
        raise Http404 from exc


def _care_page(request, child, kind: str, form, *, record=None, status=None) -> HttpResponse:
    label = CARE_LABELS[kind]
    title = f"Change {label}" if record else f"Add a {label}"
    context = _child_context(request, child, form=form, title=title, kind=kind, record=record)
    return render(request, "casework/children/care_form.html", context, status=status or _status(form))


@login_required
def care_record_add(request: HttpRequest, child_id, kind: str) -> HttpResponse:
    child = _child_or_404(request.user, child_id)
    kind = _care_kind(kind)
    _require(request.user, Permission.CHILD_EDIT)
    form = CARE_FORMS[kind](request.POST or None, adding=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_care_record(child=child, kind=kind, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"{CARE_LABELS[kind].capitalize()} added")
            return redirect(reverse("child_detail", args=[child.pk]) + "#care")
    return _care_page(request, child, kind, form)


@login_required
def care_record_edit(request: HttpRequest, child_id, kind: str, record_id) -> HttpResponse:
    child = _child_or_404(request.user, child_id)
    kind = _care_kind(kind)
    record = next((r for r in getattr(child, kind).all() if r.pk == record_id), None)
    if record is None:
        raise Http404
    _require(request.user, Permission.CHILD_EDIT)
    form_class = CARE_FORMS[kind]
    initial = {name: getattr(record, name) for name in form_class.FIELDS}
    if kind == "placements":
        initial["host_authority"] = record.host_authority_id
    form = form_class(request.POST or None, adding=False, initial={**initial, "version": record.version})
    if request.method == "POST" and form.is_valid():
        fields = {name: value for name, value in form.cleaned_data.items() if name != "version"}
        try:
            services.update_care_record(record=record, by=request.user, version=form.cleaned_data["version"], **fields)
        except StaleVersion as exc:
            _stale(form, exc)
            return _care_page(request, child, kind, form, record=record, status=409)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Your changes have been saved")
            return redirect(reverse("child_detail", args=[child.pk]) + "#care")
    return _care_page(request, child, kind, form, record=record)


# --- Missing-person pack details ------------------------------------------------------------------


@login_required
def child_part_add(request: HttpRequest, child_id, part: str) -> HttpResponse:
    child = _child_or_404(request.user, child_id)
    page = PARTS.get(part)
    if page is None:
        raise Http404
    _require(request.user, Permission.CHILD_EDIT)
    form = page.form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_child_part(child=child, part=page.part, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, page.added)
            return redirect(reverse("child_detail", args=[child.pk]) + "#pack")
    context = _child_context(request, child, form=form, title=page.title)
    return render(request, "casework/children/part_form.html", context, status=_status(form))


# --- Photos ---------------------------------------------------------------------------------------


@require_safe
@login_required
def child_photo(request: HttpRequest, child_id, photo_id) -> FileResponse:
    """A child's photo, only for someone who can see the child: never from a public media URL."""
    child = _child_or_404(request.user, child_id)
    _require(request.user, Permission.CHILD_VIEW)
    photo = next((p for p in child.photos.all() if p.pk == photo_id), None)
    if photo is None:
        raise Http404
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    log_access(user=request.user, obj=child, action="view_photo", detail=str(photo.pk))
    response = FileResponse(handle, filename=photo.image.name.rsplit("/", 1)[-1])
    response["Cache-Control"] = "private, no-store"
    return response
