# The production image: the app with the production dependency group, whose PostgreSQL driver (psycopg2) is
# built from source against Debian's libpq, as psycopg2's maintainers advise for production; development and
# tests use the binary wheel (psycopg2-binary, in the dev group).
FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpq5 libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev libpq-dev \
    && uv sync --frozen --no-dev --group production --no-binary-package psycopg2 --python python3 \
    && apt-get purge -y gcc libc6-dev libpq-dev && apt-get autoremove -y && rm -rf /var/lib/apt/lists/* /root/.cache
ENV PATH="/app/.venv/bin:$PATH" PYTHONUNBUFFERED=1
COPY . .
USER nobody
