"""How API callers prove who they are.

External systems send ``Authorization: Bearer <key_id>.<secret>`` with a credential issued to one agency;
officers' browsers use their session (with CSRF on unsafe methods). Every router that serves both reuses
:data:`api_auth`; ``request.auth`` is then the :class:`ApiCredential` or the signed-in :class:`Person`.
"""

from __future__ import annotations

import functools
import hmac
from datetime import timedelta
from typing import Any

from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from .models import Agency, ApiCredential
from .services import mark_api_credential_used

# last_used_at is written at most this often per credential, so busy callers do not write on every call.
LAST_USED_EVERY = timedelta(minutes=1)

# Compared against when the key id is unknown, so both failures take about the same time.
_NO_SUCH_KEY = ApiCredential.hash_secret("no such key")


@functools.cache
def _credential_query(vendor: str) -> tuple[str, list[Any], list[Any]]:
    """The SQL and, per column, the field and its converters (built once per process and database)."""
    quote = connection.ops.quote_name
    columns: list[str] = []
    plans: list[list[Any]] = []
    for alias, model in (("c", ApiCredential), ("a", Agency)):
        plan = []
        for field in model._meta.concrete_fields:
            columns.append(f"{alias}.{quote(field.column)}")
            expression = field.get_col(model._meta.db_table)
            converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(
                connection
            )
            plan.append((field.attname, expression, converters))
        plans.append(plan)
    sql = (
        f"SELECT {', '.join(columns)} FROM {quote(ApiCredential._meta.db_table)} c "
        f"JOIN {quote(Agency._meta.db_table)} a ON a.id = c.agency_id WHERE c.key_id = %s"
    )
    return sql, plans[0], plans[1]


def _build(model: Any, plan: list[Any], values: tuple[Any, ...]) -> Any:
    converted = []
    for (_name, expression, converters), value in zip(plan, values, strict=True):
        for converter in converters:
            value = converter(value, expression, connection)
        converted.append(value)
    # from_db is how the ORM itself builds instances from rows.
    return model.from_db(connection.alias, [name for name, _e, _c in plan], converted)


def _credential(key_id: str) -> ApiCredential | None:
    """The credential with ``key_id`` and its agency, in one plain query.

    Every API call from an external system runs this; building the same query through the ORM cost several
    times the query itself (bench/README.md, dossier intake).
    """
    sql, credential_plan, agency_plan = _credential_query(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [key_id])
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(credential_plan)
    credential: ApiCredential = _build(ApiCredential, credential_plan, row[:split])
    credential.agency = _build(Agency, agency_plan, row[split:])
    return credential


class ApiCredentialAuth(HttpBearer):
    """``Bearer <key_id>.<secret>``: the credential of an external system, bound to one agency."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiCredential | None:
        key_id, dot, secret = token.strip().partition(".")
        if not dot or not key_id or not secret:
            return None
        credential = _credential(key_id)
        offered = ApiCredential.hash_secret(secret)
        if credential is None:
            hmac.compare_digest(_NO_SUCH_KEY, offered)
            return None
        if not hmac.compare_digest(credential.secret_hash, offered) or not credential.is_active:
            return None
        mark_api_credential_used(credential=credential, at=timezone.now(), every=LAST_USED_EVERY)
        return credential


api_auth: list[Any] = [ApiCredentialAuth(), django_auth]
