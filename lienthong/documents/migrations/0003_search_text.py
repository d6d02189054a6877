"""Document search: a folded ``search_text`` on outgoing and incoming documents, filled for the rows that exist,
and on PostgreSQL the indexes that serve it.

``search_text`` is folded in Python (:func:`lienthong.documents.search.search_fold`: no diacritics, lower case),
so the query needs no ``unaccent()`` (which is not IMMUTABLE and could not be indexed as is) and a trigram GIN
index answers ``LIKE '%phrase%'``. ``fastupdate = off`` writes new rows straight into the index instead of a
pending list the planner distrusts. The btree indexes give the newest-first order per agency, so a page of a
common phrase is read off the index and stops after 21 rows instead of sorting every match. SQLite scans.
"""

from django.db import migrations, models

CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS documents_in_search_trgm
    ON documents_incomingdocument USING gin (search_text gin_trgm_ops) WITH (fastupdate = off);
CREATE INDEX IF NOT EXISTS documents_out_search_trgm
    ON documents_outgoingdocument USING gin (search_text gin_trgm_ops) WITH (fastupdate = off);
CREATE INDEX IF NOT EXISTS documents_in_agency_received
    ON documents_incomingdocument (agency_id, received_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS documents_in_received
    ON documents_incomingdocument (received_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS documents_out_agency_moment
    ON documents_outgoingdocument (agency_id, (COALESCE(issued_at, created_at)) DESC, id DESC);
CREATE INDEX IF NOT EXISTS documents_out_moment
    ON documents_outgoingdocument ((COALESCE(issued_at, created_at)) DESC, id DESC);
"""
DROP = """
DROP INDEX IF EXISTS documents_in_search_trgm;
DROP INDEX IF EXISTS documents_out_search_trgm;
DROP INDEX IF EXISTS documents_in_agency_received;
DROP INDEX IF EXISTS documents_in_received;
DROP INDEX IF EXISTS documents_out_agency_moment;
DROP INDEX IF EXISTS documents_out_moment;
"""
BATCH = 500


def _on_postgresql(sql: str):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


def _printed(number, notation):  # type: ignore[no-untyped-def]
    # The historical model lacks the number_notation property: the same "05/QĐ-UBND" spelled out here.
    if number is None:
        return ""
    return f"{number:02d}/{notation}" if notation else f"{number:02d}"


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    from lienthong.documents.search import compose_search_text

    outgoing = apps.get_model("documents", "OutgoingDocument")
    rows = outgoing.objects.select_related("agency", "document_type").order_by("pk")
    changed = []
    for row in rows.iterator(chunk_size=BATCH):
        row.search_text = compose_search_text(
            [
                _printed(row.number, row.notation),
                row.notation,
                row.document_type.name,
                row.subject,
                row.agency.name,
                row.extracted_text,
            ]
        )
        changed.append(row)
        if len(changed) >= BATCH:
            outgoing.objects.bulk_update(changed, ["search_text"])
            changed = []
    outgoing.objects.bulk_update(changed, ["search_text"])

    incoming = apps.get_model("documents", "IncomingDocument")
    changed = []
    for row in incoming.objects.select_related("document_type").order_by("pk").iterator(chunk_size=BATCH):
        printed = "/".join(p for p in (row.source_number, row.source_notation) if p)
        row.search_text = compose_search_text(
            [
                printed,
                row.document_type.name if row.document_type_id else "",
                row.subject,
                row.issuer_name,
                row.issuer_code,
                row.extracted_text,
            ]
        )
        changed.append(row)
        if len(changed) >= BATCH:
            incoming.objects.bulk_update(changed, ["search_text"])
            changed = []
    incoming.objects.bulk_update(changed, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_reference_data")]

    operations = [
        migrations.AddField(
            model_name="incomingdocument",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="outgoingdocument",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP)),
    ]
