"""A partner that retries an intake with the same Idempotency-Key gets the first dossier back, never a second."""

from __future__ import annotations

import base64
import json
import threading
from typing import Any

import pytest
from django.test import Client

from lienthong.audit.models import AuditEntry
from lienthong.audit.selectors import verify_chain
from lienthong.directory import services as directory
from lienthong.onestop import services
from lienthong.onestop.idempotency import IdempotencyKey
from lienthong.onestop.models import Dossier, DossierCodeCounter, IntakeKey
from lienthong.worktime.services import seed_calendar

from .helpers import World, build_world
from .test_api import BASE, bearer, intake, signed_in
from .test_concurrency import _run as run_at_once
from .test_intake_page import pdf_bytes


@pytest.fixture
def calendar(world: World) -> None:
    seed_calendar([2026, 2027])


def send(client: Client, body: dict[str, Any], key: str | None) -> Any:
    headers = {} if key is None else {"Idempotency-Key": key}
    return client.post(BASE, data=json.dumps(body), content_type="application/json", headers=headers)


def test_a_retry_with_the_same_key_answers_with_the_first_dossier_and_creates_nothing(
    world: World, calendar: None
) -> None:
    client = bearer(world, world.a)
    first = send(client, intake(), "b5f4c1e2-retry-1")
    assert first.status_code == 201, first.content
    audit_entries = AuditEntry.objects.count()
    again = send(client, intake(), "b5f4c1e2-retry-1")
    assert again.status_code == 200, again.content
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["code"] == first.json()["code"]
    assert again.json()["timeline"] == first.json()["timeline"]
    assert Dossier.objects.count() == 1 and IntakeKey.objects.count() == 1
    assert AuditEntry.objects.count() == audit_entries  # a replay writes nothing, not even an audit line
    # The next new intake still gets the next number: the replay took none.
    third = send(client, intake(), "b5f4c1e2-retry-2")
    assert third.json()["code"].endswith("-0002")


def test_a_retry_answers_with_the_dossier_as_it_is_now(world: World, calendar: None) -> None:
    client = bearer(world, world.a)
    code = send(client, intake(channel="online"), "k-online").json()["code"]
    officer = signed_in(world.officer_a)
    accepted = officer.post(f"/api/v1/dossiers/{code}/actions/accept", content_type="application/json")
    assert accepted.status_code == 200, accepted.content
    again = send(client, intake(channel="online"), "k-online")
    assert again.status_code == 200 and again.json()["national_status"]["code"] == 2


def test_the_same_key_with_a_different_body_is_refused_naming_the_header(
    world: World, calendar: None
) -> None:
    client = bearer(world, world.a)
    first = send(client, intake(), "k-1").json()["code"]
    other_applicant = intake(applicant={"kind": "person", "name": "Lê Thị Lan", "id_number": "001190000001"})
    refused = send(client, other_applicant, "k-1")
    assert refused.status_code == 422
    problem = refused.json()
    assert problem["errors"][0]["field"] == "Idempotency-Key"
    assert problem["errors"][0]["rule"] == "idempotency_key_reused"
    assert first in problem["detail"]
    assert Dossier.objects.count() == 1


@pytest.mark.parametrize("key", ["", " ", "có dấu", "a b", "x" * 256])
def test_a_malformed_key_is_refused_before_anything_is_written(
    world: World, calendar: None, key: str
) -> None:
    refused = send(bearer(world, world.a), intake(), key)
    assert refused.status_code == 422, refused.content
    assert refused.json()["errors"][0] == {
        "field": "Idempotency-Key",
        "rule": "idempotency_key",
        "message": refused.json()["errors"][0]["message"],
    }
    assert Dossier.objects.count() == 0 and DossierCodeCounter.objects.count() == 0


def test_a_key_in_double_quotes_is_the_same_key(world: World, calendar: None) -> None:
    client = bearer(world, world.a)
    first = send(client, intake(), "abc-123").json()["code"]
    again = send(client, intake(), '"abc-123"')
    assert again.status_code == 200 and again.json()["code"] == first


def test_two_callers_may_use_the_same_key_for_their_own_dossiers(world: World, calendar: None) -> None:
    portal = bearer(world, world.a)
    post_office = bearer(world, world.a)
    first = send(portal, intake(), "order-77")
    second = send(post_office, intake(), "order-77")
    assert first.status_code == second.status_code == 201
    assert first.json()["code"] != second.json()["code"]


def test_an_officer_session_can_use_keys_too(world: World, calendar: None) -> None:
    officer = signed_in(world.officer_a)
    first = send(officer, intake(channel="desk"), "desk-1")
    again = send(officer, intake(channel="desk"), "desk-1")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["code"] == first.json()["code"]


def test_a_retry_with_components_stores_no_second_copy_of_the_rows(world: World, calendar: None) -> None:
    component = {
        "title": "Tờ khai",
        "file_name": "to-khai.pdf",
        "content_base64": base64.b64encode(pdf_bytes()).decode(),
    }
    client = bearer(world, world.a)
    first = send(client, intake(components=[component]), "with-file")
    again = send(client, intake(components=[component]), "with-file")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["files"] == first.json()["files"]
    assert Dossier.objects.get().files.count() == 1


def test_a_refused_intake_leaves_its_key_free_for_the_corrected_one(world: World, calendar: None) -> None:
    client = bearer(world, world.a)
    bad = send(client, intake(procedure_code="9.999999"), "k-fix")
    assert bad.status_code in (400, 404, 422) and IntakeKey.objects.count() == 0
    good = send(client, intake(), "k-fix")
    assert good.status_code == 201


def test_an_administrator_finds_which_key_created_which_dossier_and_can_change_nothing(
    world: World, calendar: None
) -> None:
    code = send(bearer(world, world.a), intake(), "partner-order-9").json()["code"]
    admin = directory.create_person(
        actor=None, username="quantri.khoa", full_name="Quản trị", password="x" * 12
    )
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    found = client.get("/quan-tri/onestop/intakekey/?q=partner-order-9")
    assert found.status_code == 200 and code in found.content.decode()
    key = IntakeKey.objects.get()
    assert client.get(f"/quan-tri/onestop/intakekey/{key.pk}/delete/").status_code == 403
    assert client.post(f"/quan-tri/onestop/intakekey/{key.pk}/change/", {"key": "x"}).status_code == 403


def test_the_schema_documents_the_header_and_the_replay_answer(world: World) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/dossiers"]["post"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in operation["parameters"])
    assert {"200", "201"} <= set(operation["responses"])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_retries_racing_each_other_create_one_dossier_and_all_get_its_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = build_world()
    seed_calendar([2026, 2027])
    _, token = directory.create_api_credential(actor=None, agency=world.a, name="Bưu điện tỉnh")
    body = json.dumps(intake())
    answers: list[tuple[int, str]] = []
    # Every retry looks the key up before any of them has written it: the unique index has to settle the race.
    all_checked = threading.Barrier(4)
    first_check_done = threading.local()
    look_up = services.refuse_repeat

    def look_up_then_wait_for_the_others(key: IdempotencyKey) -> None:
        look_up(key)
        if not getattr(first_check_done, "value", False):
            first_check_done.value = True
            all_checked.wait(timeout=30)

    monkeypatch.setattr(services, "refuse_repeat", look_up_then_wait_for_the_others)

    def retry(index: int) -> None:
        client = Client(headers={"Authorization": f"Bearer {token}"})
        response = client.post(
            BASE, data=body, content_type="application/json", headers={"Idempotency-Key": "race"}
        )
        answers.append((response.status_code, response.json()["code"]))

    assert run_at_once(4, retry) == []
    assert sorted(status for status, _code in answers) == [200, 200, 200, 201]
    assert len({code for _status, code in answers}) == 1
    assert Dossier.objects.count() == 1 and IntakeKey.objects.count() == 1
    # The losers' numbers went back: the counter stands at the one dossier, and the audit chain is whole.
    assert DossierCodeCounter.objects.get().last_number == 1
    entries, broken = verify_chain()
    assert broken is None and entries >= 1
