"""On PostgreSQL an audit entry is appended by one function call instead of three statements.

``audit_append`` takes the chain's advisory lock, reads the head, computes the new entry's hash with the same
formula as :func:`lienthong.audit.chain.entry_hash` (SHA-256 of the previous hash, a newline and the entry's
canonical content as UTF-8) and inserts the row, its columns read from that same content — so the row holds
exactly what was hashed. Each statement of a volatile PL/pgSQL function takes a fresh
snapshot, so the head read after the lock sees the entry its previous holder committed. One round trip instead of
three shortens the time every audited write holds the chain's lock (bench/README.md, dossier intake).
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_append(p_lock_key bigint, p_content text)
RETURNS TABLE (entry_id bigint, entry_prev_hash text, entry_hash text)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_prev text;
    v_hash text;
    c jsonb := p_content::jsonb;
BEGIN
    PERFORM pg_advisory_xact_lock(p_lock_key);
    SELECT a.hash INTO v_prev FROM audit_auditentry a ORDER BY a.id DESC LIMIT 1;
    v_prev := coalesce(v_prev, repeat('0', 64));
    v_hash := encode(sha256(convert_to(v_prev || E'\\n' || p_content, 'UTF8')), 'hex');
    RETURN QUERY
        INSERT INTO audit_auditentry (
            at, actor_id, actor, agency_code, action, object_type, object_id, object_label, changes,
            prev_hash, hash
        ) VALUES (
            (c->>'at')::timestamptz, (c->>'actor_id')::bigint, c->>'actor', c->>'agency_code', c->>'action',
            c->>'object_type', c->>'object_id', c->>'object_label', c->'changes', v_prev, v_hash
        )
        RETURNING id, prev_hash::text, hash::text;
END;
$$;
"""

DROP = "DROP FUNCTION IF EXISTS audit_append(bigint, text);"


def _on_postgresql(sql: str):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
