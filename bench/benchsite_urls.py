"""URLconf of :mod:`benchsite`: the application's URLs plus the minimal write endpoint ``/bench/insert``."""

from __future__ import annotations

import json

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

#: Created by the driver before the server starts.
TABLE_SQL = (
    "CREATE TABLE IF NOT EXISTS bench_insert ("
    "id bigserial PRIMARY KEY, at timestamptz NOT NULL, name text NOT NULL, body jsonb NOT NULL)"
)
INSERT_SQL = "INSERT INTO bench_insert (at, name, body) VALUES (now(), %s, %s) RETURNING id"


@csrf_exempt  # an API-style endpoint, like the dossier API (which authenticates by bearer token)
@require_POST
def insert_one(request: HttpRequest) -> HttpResponse:
    payload = json.loads(request.body)
    with connection.cursor() as cursor:
        cursor.execute(INSERT_SQL, [str(payload.get("name", "")), json.dumps(payload)])
        row = cursor.fetchone()
    return JsonResponse({"id": row[0]}, status=201)


urlpatterns = [
    path("bench/insert", insert_one),
    path("", include("lienthong.urls")),
]

handler404 = "lienthong.views.not_found"
handler403 = "lienthong.views.forbidden"
handler500 = "lienthong.views.server_error"
