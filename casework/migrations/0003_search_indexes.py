"""Trigram search on PostgreSQL (pg_trgm): extensions and GIN indexes. Nothing on SQLite."""

from django.db import migrations

POSTGRES_SQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE INDEX IF NOT EXISTS child_search_names_trgm ON casework_child USING gin (search_names gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS child_name_keys_trgm ON casework_child USING gin (name_keys gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS child_la_child_id_upper ON casework_child (organisation_id, upper(la_child_id))",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS child_la_child_id_upper",
    "DROP INDEX IF EXISTS child_name_keys_trgm",
    "DROP INDEX IF EXISTS child_search_names_trgm",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_SQL:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_REVERSE:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("casework", "0002_child_records")]
    operations = [migrations.RunPython(forwards, backwards)]
