"""How API callers prove who they are.

External systems send ``Authorization: Bearer <key_id>.<secret>`` with a credential issued to one agency;
officers' browsers use their session (with CSRF on unsafe methods). Every router that serves both reuses
:data:`api_auth`; ``request.auth`` is then the :class:`ApiCredential` or the signed-in :class:`Person`.
"""

from __future__ import annotations

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


def _credential(key_id: str) -> ApiCredential | None:
    """The credential with ``key_id`` and its agency, in one plain query.

    Every API call from an external system runs this; building the same query through the ORM cost several
    times the query itself (see bench/README.md, dossier intake).
    """
    cred_fields = [f.column for f in ApiCredential._meta.concrete_fields]
    agency_fields = [f.column for f in Agency._meta.concrete_fields]
    quote = connection.ops.quote_name
    columns = ", ".join([f"c.{quote(c)}" for c in cred_fields] + [f"a.{quote(c)}" for c in agency_fields])
    sql = (
        f"SELECT {columns} FROM {quote(ApiCredential._meta.db_table)} c "
        f"JOIN {quote(Agency._meta.db_table)} a ON a.id = c.agency_id WHERE c.key_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key_id])
        row = cursor.fetchone()
    if row is None:
        return None
    # from_db applies the fields' own conversions, so the objects are the ones the ORM would build.
    split = len(cred_fields)
    credential = ApiCredential.from_db(
        "default",
        [f.attname for f in ApiCredential._meta.concrete_fields],
        _converted(ApiCredential, row[:split]),
    )
    credential.agency = Agency.from_db(
        "default", [f.attname for f in Agency._meta.concrete_fields], _converted(Agency, row[split:])
    )
    return credential


def _converted(model: Any, values: tuple[Any, ...]) -> list[Any]:
    out = []
    for field, value in zip(model._meta.concrete_fields, values, strict=True):
        for converter in connection.ops.get_db_converters(
            field.get_col(model._meta.db_table)
        ) + field.get_db_converters(connection):
            value = converter(value, field.get_col(model._meta.db_table), connection)
        out.append(value)
    return out


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
