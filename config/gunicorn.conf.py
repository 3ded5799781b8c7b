"""gunicorn settings for the web container (docker-compose.yml: `gunicorn -c config/gunicorn.conf.py ...`).

The access log carries no personal data: the request's path only (which holds nothing but ids), never its query
string (a search for a child by name travels as ?q=... and the sign-in page's ?next= can carry it on) nor the
Referer header (which would repeat the previous page's query string). gunicorn's default format logs both.
"""

accesslog = "-"
# %(U)s is the path without the query string; %(L)s the request time in seconds.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s'
