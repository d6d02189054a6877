"""How API callers prove who they are.

External systems send ``Authorization: Bearer <key_id>.<secret>`` with a credential issued to one agency;
officers' browsers use their session (with CSRF on unsafe methods). Every router that serves both reuses
:data:`api_auth`; ``request.auth`` is then the :class:`ApiCredential` or the signed-in :class:`Person`.
"""

from __future__ import annotations

import hmac
from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from .models import ApiCredential
from .selectors import credential_for_key
from .services import mark_api_credential_used

# last_used_at is written at most this often per credential, so busy callers do not write on every call.
LAST_USED_EVERY = timedelta(minutes=1)

# Compared against when the key id is unknown, so both failures take about the same time.
_NO_SUCH_KEY = ApiCredential.hash_secret("no such key")


class ApiCredentialAuth(HttpBearer):
    """``Bearer <key_id>.<secret>``: the credential of an external system, bound to one agency."""

    def __call__(self, request: HttpRequest) -> ApiCredential | None:
        # ninja's HttpBearer reads request.headers; building that mapping of every header costs more than the
        # rest of the check on each call of the intake, so META first. (ninja's test client files headers in META
        # under their own case, hence the fallback, paid only by calls without a bearer token.)
        value = request.META.get("HTTP_AUTHORIZATION") or request.headers.get("Authorization", "")
        scheme, _space, token = value.partition(" ")
        if not token or scheme.lower() != self.openapi_scheme:
            return None
        return self.authenticate(request, token)

    def authenticate(self, request: HttpRequest, token: str) -> ApiCredential | None:
        key_id, dot, secret = token.strip().partition(".")
        if not dot or not key_id or not secret:
            return None
        credential = credential_for_key(key_id)
        offered = ApiCredential.hash_secret(secret)
        if credential is None:
            hmac.compare_digest(_NO_SUCH_KEY, offered)
            return None
        if not hmac.compare_digest(credential.secret_hash, offered) or not credential.is_active:
            return None
        mark_api_credential_used(credential=credential, at=timezone.now(), every=LAST_USED_EVERY)
        return credential


api_auth: list[Any] = [ApiCredentialAuth(), django_auth]
