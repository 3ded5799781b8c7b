"""The missing-person pack: a Philomena-style PDF to hand to the police when a child goes missing.

Part 1 is what the authority already knows (identity, photo, description, phones, associates, places,
history, risk, placement, contacts); part 2 is this episode (last seen, circumstances, police reference).
The caller loads everything through the user's scope and writes the access log; this module only draws.
"""

import base64
import logging
import mimetypes

from django.template.loader import render_to_string
from django.utils import timezone

from casework import codes
from casework.models import Child
from missing_episodes.models import MissingEpisode

logger = logging.getLogger(__name__)


def _photo_data_uri(child: Child) -> str | None:
    """The newest photo, embedded so the PDF needs no access to the private media store."""
    photos = sorted(child.photos.all(), key=lambda p: p.uploaded_at, reverse=True)
    if not photos:
        return None
    photo = photos[0]
    try:
        with photo.image.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        logger.warning("Photo %s could not be read for a missing-person pack", photo.pk)
        return None
    mime = mimetypes.guess_type(photo.image.name)[0] or "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _current_placement(child: Child):
    placements = [p for p in child.placements.all() if p.end_date is None]
    return max(placements, key=lambda p: p.start_date) if placements else None


def _exploitation(child: Child) -> list[str]:
    labels = dict(codes.ExploitationType.choices)
    return [labels.get(code, code) for code in child.exploitation_types or []]


def pack_context(*, child: Child, episode: MissingEpisode, previous_episodes: list[MissingEpisode], by) -> dict:
    return {
        "child": child,
        "episode": episode,
        "previous_episodes": previous_episodes,
        "photo": _photo_data_uri(child),
        "placement": _current_placement(child),
        "exploitation_types": _exploitation(child),
        "generated_at": timezone.localtime(),
        "generated_by": by,
    }


def render_pack(*, child: Child, episode: MissingEpisode, previous_episodes: list[MissingEpisode], by) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "missing_episodes/pack.html",
        pack_context(child=child, episode=episode, previous_episodes=previous_episodes, by=by),
    )
    return HTML(string=html).write_pdf()
