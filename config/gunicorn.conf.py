"""gunicorn settings for the web container (docker-compose.yml: `gunicorn -c config/gunicorn.conf.py ...`).

The access log carries no personal data: the request's path only (which holds nothing but ids), never its query
string (a search for a child by name travels as ?q=... and the sign-in page's ?next= can carry it on) nor the
Referer header (which would repeat the previous page's query string). gunicorn's default format logs both.
"""

accesslog = "-"
# %(U)s is the path without the query string; %(L)s the request time in seconds.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s'


def post_worker_init(worker):
    """Load the URL conf (and so every view) now, then move everything loaded so far out of the garbage
    collector's reach: its full collections walk only what requests create. Over the load test's mix of pages
    (in one process, gc.callbacks) a full collection took about 8 ms instead of about 100 ms."""
    import gc

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports the URL conf and the views)
    gc.collect()
    gc.freeze()
