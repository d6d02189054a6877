"""GET /api/v1/worktime/deadline: public, Vietnam time, skipped days with reasons, clear refusals."""

from __future__ import annotations

from datetime import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lienthong.worktime import services

pytestmark = pytest.mark.django_db
URL = "/api/v1/worktime/deadline"


def get(client, **params):
    return client.get(URL, params)


def test_five_working_days_before_tet_2026_are_due_after_tet(client, seeded) -> None:
    response = get(client, start="2026-02-12T09:00:00+07:00", working_days=5)
    assert response.status_code == 200
    body = response.json()
    assert body["due"] == "2026-02-26T09:00:00+07:00"
    assert body["working_days"] == 5 and body["working_hours"] is None
    assert [s["date"] for s in body["skipped"]] == [f"2026-02-{d}" for d in range(14, 23)]
    assert body["skipped"][0] == {"date": "2026-02-14", "kind": "weekend", "reason": "Thứ Bảy"}
    assert body["skipped"][3] == {"date": "2026-02-17", "kind": "holiday", "reason": "Tết Nguyên Đán"}
    assert body["calendar_years_missing"] == []


def test_the_swapped_saturday_of_2026_is_a_working_day(client, seeded) -> None:
    body = get(client, start="2026-08-21T16:00:00+07:00", working_days=1).json()
    assert body["due"] == "2026-08-22T16:00:00+07:00"
    body = get(client, start="2026-08-28T10:00:00+07:00", working_days=1).json()
    assert body["due"] == "2026-09-03T10:00:00+07:00"
    assert {s["date"]: s["kind"] for s in body["skipped"]}["2026-08-31"] == "day_off"


def test_working_hours_and_the_evening_rule(client, seeded) -> None:
    body = get(client, start="2026-02-13T17:30:00+07:00", working_hours=4).json()
    assert body["counted_from"] == "2026-02-23T07:00:00+07:00"
    assert body["due"] == "2026-02-23T11:00:00+07:00"


def test_calendar_days_are_moved_off_tet(client, seeded) -> None:
    body = get(client, start="2026-02-10T10:00:00+07:00", calendar_days=6).json()
    assert body["due"] == "2026-02-23T17:00:00+07:00"


def test_a_start_without_offset_is_vietnam_time_and_utc_is_converted(client, seeded) -> None:
    naive = get(client, start="2026-02-12T09:00:00", working_days=5).json()
    utc = get(client, start="2026-02-12T02:00:00Z", working_days=5).json()
    assert naive["due"] == utc["due"] == "2026-02-26T09:00:00+07:00"
    assert utc["start"] == "2026-02-12T09:00:00+07:00"


def test_an_unencoded_plus_in_the_query_string_is_understood(client, seeded) -> None:
    response = client.get(URL + "?start=2026-02-12T09:00:00+07:00&working_days=5")
    assert response.json()["due"] == "2026-02-26T09:00:00+07:00"
    response = client.get(URL + "?start=2026-02-12T02:00Z&working_days=5")
    assert response.json()["due"] == "2026-02-26T09:00:00+07:00"


def test_a_space_between_date_and_time_and_a_bare_date_are_accepted(client, seeded) -> None:
    assert get(client, start="2026-02-12 09:00", working_days=5).json()["due"] == "2026-02-26T09:00:00+07:00"
    body = get(client, start="2026-02-13", working_days=1).json()
    assert body["counted_from"] == "2026-02-13T07:00:00+07:00"
    assert body["due"] == "2026-02-13T17:00:00+07:00"


def test_agency_hours_are_used_and_an_unknown_agency_gets_the_province_hours(client, seeded, admin) -> None:
    services.set_working_hours(
        actor=admin,
        agency_code="000.00.00.H56",
        morning_start=time(7, 30),
        morning_end=time(11, 30),
        afternoon_start=time(13, 0),
        afternoon_end=time(17, 0),
    )
    own = get(client, start="2026-03-09T11:00:00+07:00", working_hours=1, agency="000.00.00.H56").json()
    unknown = get(client, start="2026-03-09T11:00:00+07:00", working_hours=1, agency="000.00.00.H99").json()
    assert own["due"] == "2026-03-09T13:30:00+07:00"
    assert own["working_periods"] == "07:30–11:30, 13:00–17:00"
    assert unknown["due"] == "2026-03-09T14:00:00+07:00"


def test_years_without_calendar_data_are_named(client, seeded) -> None:
    body = get(client, start="2031-12-30T09:00:00+07:00", working_days=3).json()
    assert body["calendar_years_missing"] == [2031, 2032]


def test_no_sign_in_is_needed_and_an_unchanged_calendar_costs_one_query(client, seeded) -> None:
    get(client, start="2026-02-12T09:00:00+07:00", working_days=5)
    with CaptureQueriesContext(connection) as queries:
        response = get(client, start="2026-02-12T09:00:00+07:00", working_days=5)
    assert response.status_code == 200
    assert len(queries) == 1


@pytest.mark.parametrize(
    ("params", "field", "rule"),
    [
        ({"start": "2026-02-12T09:00:00+07:00"}, "working_days", "exactly_one"),
        ({"working_days": 1, "working_hours": 2}, "working_days", "exactly_one"),
        ({"working_days": -1}, "working_days", "min"),
        ({"working_hours": 100000}, "working_hours", "max"),
        ({"working_days": "năm"}, "working_days", "int_parsing"),
        ({"start": "12/02/2026", "working_days": 1}, "start", "iso8601"),
        ({"start": "2026-02-30T09:00", "working_days": 1}, "start", "iso8601"),
        ({"start": "9999-01-01", "working_days": 1}, "start", "year_range"),
        ({"working_days": 1, "agency": "mã sai!"}, "agency", "agency_code"),
    ],
)
def test_bad_input_is_refused_as_problem_details_naming_the_field(client, params, field, rule) -> None:
    response = get(client, **params)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["errors"][0]["field"] == field
    assert body["errors"][0]["rule"] == rule


def test_the_endpoint_is_in_the_openapi_schema(client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/worktime/deadline" in schema["paths"]
