"""On PostgreSQL, a trigram index over the folded search text, so "cap phep xay dung" is an index scan.

``search_text`` is already folded in Python (no diacritics, lower case), so no ``unaccent`` is needed at query
time and the index stays usable for ``LIKE '%…%'`` with any number of words. ``fastupdate = off`` writes new
rows straight into the index instead of a pending list the planner distrusts. SQLite scans (fine for the
embedded default's size).
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS catalog_procedure_search_trgm
    ON catalog_procedure USING gin (search_text gin_trgm_ops) WITH (fastupdate = off);
"""
DROP = "DROP INDEX IF EXISTS catalog_procedure_search_trgm;"


def _on_postgresql(sql: str):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
