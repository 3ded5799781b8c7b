"""Load test (make loadtest): a locust scenario against gunicorn, PostgreSQL, Redis and a Celery worker."""
