"""Pages for advocacy: recording a contact; managers allocating and ending allocations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from advocates import selectors, services
from advocates.forms.allocations import AllocationForm, ContactForm, EndAllocationForm
from advocates.models import AdvocateAllocation
from casework.access import Permission, has_permission
from casework.exceptions import StaleVersion, StateConflict
from casework.models import Child, Role, User
from casework.selectors import child_for


def _add_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def _status(form) -> int:
    """400 for a submitted form with errors, as on every other page."""
    return 400 if form.is_bound and form.errors else 200


def _allocation_or_404(user, allocation_id) -> AdvocateAllocation:
    try:
        return selectors.allocations_visible_to(user).get(pk=allocation_id)
    except AdvocateAllocation.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def contact_new(request, allocation_id):
    if not has_permission(request.user, Permission.ADVOCATE_CONTACT_WRITE):
        _allocation_or_404(request.user, allocation_id)
        raise PermissionDenied
    # Only the advocate's own allocations in force today: an ended one no longer reaches the child (404).
    try:
        allocation = selectors.allocations_in_force_for(request.user).get(pk=allocation_id)
    except AdvocateAllocation.DoesNotExist as exc:
        raise Http404 from exc
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_contact(allocation=allocation, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Contact with {allocation.child.full_name} recorded")
            return redirect("home")
    context = {"form": form, "allocation": allocation}
    return render(request, "advocates/contact_form.html", context, status=_status(form))


@login_required
def allocate(request, child_id):
    try:
        child = child_for(request.user, child_id)
    except Child.DoesNotExist as exc:
        raise Http404 from exc
    if not has_permission(request.user, Permission.ADVOCATE_ALLOCATE):
        raise PermissionDenied
    advocates = User.objects.filter(role=Role.ADVOCATE, is_active=True).order_by("last_name", "first_name")
    form = AllocationForm(request.POST or None, advocates=advocates)
    if request.method == "POST" and form.is_valid():
        try:
            services.allocate_advocate(child=child, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"{form.cleaned_data['advocate']} is allocated to {child.full_name}")
            return redirect("child_detail", child_id=child.pk)
    return render(request, "advocates/allocate.html", {"form": form, "child": child}, status=_status(form))


@login_required
def end_allocation(request, allocation_id):
    allocation = _allocation_or_404(request.user, allocation_id)
    if not has_permission(request.user, Permission.ADVOCATE_ALLOCATE):
        raise PermissionDenied
    form = EndAllocationForm(request.POST or None, initial={"version": allocation.version})
    status = None
    if request.method == "POST" and form.is_valid():
        try:
            services.end_allocation(
                allocation=allocation,
                by=request.user,
                end_date=form.cleaned_data["end_date"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except (StaleVersion, StateConflict) as exc:
            form.add_error(None, exc.message)
            status = 409
        else:
            messages.success(request, f"The allocation of {allocation.advocate} has ended")
            return redirect("child_detail", child_id=allocation.child_id)
    context = {"form": form, "allocation": allocation}
    return render(request, "advocates/end_allocation.html", context, status=status or _status(form))
