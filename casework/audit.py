"""Writing to the access log: every view of a child's record, every pack or export generated."""

from casework.models import AccessLogEntry


def log_access(*, user, obj, action: str, detail: str = "") -> AccessLogEntry:
    return AccessLogEntry.objects.create(
        user=user, object_type=obj._meta.model_name, object_id=obj.pk, action=action, detail=detail[:200]
    )
