"""What the episode and board pages share: loading in scope, permission checks, errors onto forms."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from casework.access import Permission, has_permission
from missing_episodes import selectors
from missing_episodes.models import MissingEpisode, ReturnInterview


def require(user, perm: Permission) -> None:
    if not has_permission(user, perm):
        raise PermissionDenied


def episode_or_404(user, episode_id) -> MissingEpisode:
    try:
        return selectors.episode_for(user, episode_id)
    except MissingEpisode.DoesNotExist as exc:
        raise Http404 from exc


def apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError onto the form: by field where the form has it, else on the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


def reverse_or_none(name: str, *args) -> str | None:
    """A link to a page another part of the service provides, if it exists yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def duration_text(delta: timedelta) -> str:
    """ "2 days 4 hours", "5 hours 10 minutes", "45 minutes"."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)

    def unit(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    if days:
        return unit(days, "day") + (f" {unit(hours, 'hour')}" if hours else "")
    if hours:
        return unit(hours, "hour") + (f" {unit(minutes, 'minute')}" if minutes else "")
    return unit(minutes, "minute")


def render_form(request, episode, form, *, template: str, status: int = 200, **extra):
    context = {"episode": episode, "child": episode.child, "form": form, **extra}
    return render(request, f"missing_episodes/{template}", context, status=status)


def interview_of(episode: MissingEpisode) -> ReturnInterview | None:
    try:
        return episode.return_interview
    except ReturnInterview.DoesNotExist:
        return None
