"""A return's file as a download, for the pages and the API alike (each download is logged by the service)."""

import mimetypes

from django.http import FileResponse

from reporting import services
from reporting.models import ReturnRun

CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def content_type_for(name: str) -> str:
    if name.lower().endswith(".csv"):
        return f"{CSV}; charset=utf-8"
    if name.lower().endswith(".xlsx"):
        return XLSX
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def file_response(run: ReturnRun, name: str, *, by) -> FileResponse:
    """The file as an attachment, never cached; FileNotFoundError when the run has no such file."""
    handle = services.open_file(run, name, by=by)
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type_for(name))
    response["Cache-Control"] = "no-store"
    return response
