"""The officer pages of the one-stop desk: queues scoped to the officer's agencies, the dossier page and its
actions (accept through the page, a refusal without reason, a missing role, someone acting first)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lienthong.directory.models import Person
from lienthong.onestop import actions
from lienthong.onestop.models import Dossier, NationalStatus
from lienthong.onestop.selectors import QUEUE_LABELS
from lienthong.onestop.services import receive_dossier
from lienthong.worktime.services import seed_calendar

from .helpers import P_ONLY_B, P_TWO_DAYS, P_WORKING_DAYS, World, applicant, vn

Clock = Callable[[datetime], None]
NOW = vn(2026, 8, 20, 10)  # Thursday


@pytest.fixture
def calendar(world: World) -> None:
    seed_calendar([2026, 2027])


def _receive(
    world: World, clock: Clock, at: datetime, *, code: str, agency: str, channel: str, name: str
) -> Dossier:
    clock(at)
    officer = world.officer_a if agency == "a" else world.officer_b
    return receive_dossier(
        actor=None if channel == "online" else officer,
        procedure_code=code,
        agency=world.a if agency == "a" else world.b,
        applicant=applicant(name=name),
        channel=channel,
    )


@pytest.fixture
def dossiers(world: World, calendar: None, clock: Clock) -> dict[str, Dossier]:
    made = {
        "late": _receive(
            world,
            clock,
            vn(2026, 8, 3, 9),
            code=P_WORKING_DAYS,
            agency="a",
            channel="desk",
            name="Hồ Văn Trễ",
        ),
        "paused": _receive(
            world,
            clock,
            vn(2026, 8, 19, 9),
            code=P_WORKING_DAYS,
            agency="a",
            channel="desk",
            name="Vũ Thị Chờ",
        ),
        "new": _receive(
            world,
            clock,
            vn(2026, 8, 20, 8, 30),
            code=P_WORKING_DAYS,
            agency="a",
            channel="online",
            name="Đặng Văn Mới",
        ),
        "soon": _receive(
            world, clock, vn(2026, 8, 20, 9), code=P_TWO_DAYS, agency="a", channel="desk", name="Bùi Thị Gấp"
        ),
        "b_new": _receive(
            world, clock, vn(2026, 8, 20, 9), code=P_ONLY_B, agency="b", channel="online", name="Lý Văn Bê"
        ),
    }
    clock(vn(2026, 8, 20, 9, 30))
    made["paused"] = actions.request_supplement(
        actor=world.officer_a, dossier=made["paused"], reason="Thiếu bản sao giấy khai sinh"
    )
    clock(NOW)
    return made


def _client(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _queue(client: Client, queue: str) -> str:
    response = client.get(reverse("onestop:queues"), {"hang": queue})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_officer_of_agency_a_sees_a_dossiers_in_the_right_queues_and_never_b(
    world: World, dossiers: dict[str, Dossier]
) -> None:
    client = _client(world.officer_a)
    expected = {
        "receive": {"new"},
        "processing": {"late", "soon"},
        "due_soon": {"soon"},
        "overdue": {"late"},
        "paused": {"paused"},
    }
    for queue, keys in expected.items():
        html = _queue(client, queue)
        for key, dossier in dossiers.items():
            assert (dossier.code in html) == (key in keys), (queue, key)
        assert "Lý Văn Bê" not in html
    receive = _queue(client, "receive")
    assert "Đặng Văn Mới" in receive and "Thủ tục thử 1.000001" in receive
    assert "Mới đăng ký, chưa tiếp nhận" in receive
    overdue = _queue(client, "overdue")
    assert "Quá hạn</span>" in overdue and "Hồ Văn Trễ" in overdue
    assert "Trong hạn" in _queue(client, "due_soon")


@pytest.mark.django_db
def test_officer_of_agency_b_sees_only_b(world: World, dossiers: dict[str, Dossier]) -> None:
    html = _queue(_client(world.officer_b), "receive")
    assert dossiers["b_new"].code in html
    assert dossiers["new"].code not in html


@pytest.mark.django_db
def test_the_queue_page_does_not_query_per_row(
    world: World, dossiers: dict[str, Dossier], clock: Clock
) -> None:
    client = _client(world.officer_a)
    with CaptureQueriesContext(connection) as few:
        _queue(client, "processing")
    for hour in (11, 12, 13):
        _receive(
            world, clock, vn(2026, 8, 20, hour), code=P_WORKING_DAYS, agency="a", channel="desk", name="Thêm"
        )
    clock(vn(2026, 8, 20, 14))
    with CaptureQueriesContext(connection) as more:
        html = _queue(client, "processing")
    assert html.count("Thêm") == 3
    assert len(more) == len(few)


@pytest.mark.django_db
def test_officer_of_agency_a_cannot_open_agency_b_dossier(world: World, dossiers: dict[str, Dossier]) -> None:
    client = _client(world.officer_a)
    code = dossiers["b_new"].code
    assert client.get(reverse("onestop:detail", args=[code])).status_code == 404
    response = client.post(reverse("onestop:act", args=[code]), {"action": "accept", "accept-version": 1})
    assert response.status_code == 404
    assert Dossier.objects.get(code=code).national_status == NationalStatus.SUBMITTED


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_sign_in(world: World, dossiers: dict[str, Dossier]) -> None:
    response = Client().get(reverse("onestop:detail", args=[dossiers["new"].code]))
    assert response.status_code == 302
    assert "Hồ sơ" not in response.content.decode()


@pytest.mark.django_db
def test_dossier_page_shows_what_the_officer_needs(world: World, dossiers: dict[str, Dossier]) -> None:
    dossier = dossiers["paused"]
    html = _client(world.officer_a).get(reverse("onestop:detail", args=[dossier.code])).content.decode()
    assert "Vũ Thị Chờ" in html and "Trực tiếp" in html
    assert reverse("catalog:detail", args=[P_WORKING_DAYS]) in html
    assert "Yêu cầu bổ sung hồ sơ" in html and "Thiếu bản sao giấy khai sinh" in html
    assert "đang tạm dừng từ" in html
    # Offered in status 5: answer the supplement, withdraw, stop — not accept.
    assert 'value="answer_supplement"' in html and 'value="stop"' in html
    assert 'value="accept"' not in html
    assert "csrfmiddlewaretoken" in html


@pytest.mark.django_db
def test_accept_through_the_page_moves_status_1_to_2_and_the_timeline_shows_it(
    world: World, dossiers: dict[str, Dossier]
) -> None:
    dossier = dossiers["new"]
    client = _client(world.officer_a)
    url = reverse("onestop:act", args=[dossier.code])
    response = client.post(url, {"action": "accept", "accept-version": dossier.version}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    dossier.refresh_from_db()
    assert dossier.national_status == NationalStatus.ACCEPTED
    assert "Đã thực hiện “Tiếp nhận hồ sơ”" in html
    assert "Tiếp nhận hồ sơ</td>" in html
    assert "Mới đăng ký, chưa tiếp nhận → Đã tiếp nhận" in html
    assert 'value="start_processing"' in html and 'value="accept"' not in html


@pytest.mark.django_db
def test_refusal_without_a_reason_shows_the_error_and_changes_nothing(
    world: World, dossiers: dict[str, Dossier]
) -> None:
    dossier = dossiers["new"]
    client = _client(world.officer_a)
    response = client.post(
        reverse("onestop:act", args=[dossier.code]),
        {"action": "refuse", "refuse-version": dossier.version, "refuse-reason": "  "},
    )
    assert response.status_code == 400
    assert "Phải nêu rõ lý do." in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.national_status == NationalStatus.SUBMITTED


@pytest.mark.django_db
def test_refusal_with_a_reason_moves_to_status_3(world: World, dossiers: dict[str, Dossier]) -> None:
    dossier = dossiers["new"]
    response = _client(world.officer_a).post(
        reverse("onestop:act", args=[dossier.code]),
        {"action": "refuse", "refuse-version": dossier.version, "refuse-reason": "Sai thẩm quyền"},
        follow=True,
    )
    dossier.refresh_from_db()
    assert dossier.national_status == NationalStatus.REFUSED
    assert "Sai thẩm quyền" in response.content.decode()


@pytest.mark.django_db
def test_specialist_without_the_desk_role_gets_the_message(
    world: World, dossiers: dict[str, Dossier]
) -> None:
    dossier = dossiers["new"]
    client = _client(world.specialist_a)
    assert client.get(reverse("onestop:detail", args=[dossier.code])).status_code == 200
    response = client.post(
        reverse("onestop:act", args=[dossier.code]), {"action": "accept", "accept-version": dossier.version}
    )
    assert response.status_code == 403
    assert "Chỉ cán bộ một cửa của Sở Tư pháp mới được tiếp nhận hồ sơ của cơ quan này." in (
        response.content.decode()
    )
    dossier.refresh_from_db()
    assert dossier.national_status == NationalStatus.SUBMITTED


@pytest.mark.django_db
def test_someone_acted_first_shows_the_message_and_the_fresh_state(
    world: World, dossiers: dict[str, Dossier]
) -> None:
    dossier = dossiers["new"]
    seen = dossier.version
    url = reverse("onestop:act", args=[dossier.code])
    _client(world.officer_a).post(url, {"action": "accept", "accept-version": seen})
    response = _client(world.officer_a).post(url, {"action": "accept", "accept-version": seen})
    assert response.status_code == 409
    html = response.content.decode()
    assert "vừa được người khác cập nhật" in html
    assert 'id="trang-thai">Đã tiếp nhận<' in html
    assert 'value="start_processing"' in html


@pytest.mark.django_db
def test_return_by_post_without_tracking_number_names_the_field(
    world: World, dossiers: dict[str, Dossier], clock: Clock
) -> None:
    dossier = actions.start_processing(actor=world.officer_a, dossier=dossiers["soon"])
    dossier = actions.finish(actor=world.officer_a, dossier=dossier)
    client = _client(world.officer_a)
    url = reverse("onestop:act", args=[dossier.code])
    response = client.post(
        url,
        {
            "action": "return_result",
            "return_result-version": dossier.version,
            "return_result-method": "postal",
        },
    )
    assert response.status_code == 400
    assert "Trả kết quả qua bưu chính phải có số hiệu bưu gửi." in response.content.decode()
    response = client.post(
        url,
        {
            "action": "return_result",
            "return_result-version": dossier.version,
            "return_result-method": "postal",
            "return_result-tracking_number": "EA123456789VN",
        },
        follow=True,
    )
    dossier.refresh_from_db()
    assert dossier.national_status == NationalStatus.RETURNED
    assert "EA123456789VN" in response.content.decode()


@pytest.mark.django_db
def test_the_queue_page_counts_each_queue_once(world: World, dossiers: dict[str, Dossier]) -> None:
    client = _client(world.officer_a)
    with CaptureQueriesContext(connection) as queries:
        html = _queue(client, "processing")
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    # Every tab counted in one statement; the page list reuses its tab's count instead of counting again.
    assert len(counts) == 1
    assert counts[0].upper().count("COUNT(") == len(QUEUE_LABELS)
    assert "Tiếp nhận hồ sơ trực tiếp" in html
    assert "Bước xử lý" in html and "Người xử lý" in html


def test_the_tab_counts_agree_with_the_queues_they_count(world: World, dossiers: dict[str, Dossier]) -> None:
    from lienthong.onestop.selectors import officer_queue, queue_counts

    for person in (world.officer_a, world.specialist_a, world.officer_b, world.sysadmin):
        counts = queue_counts(person)
        assert counts == {key: officer_queue(person, key).count() for key in QUEUE_LABELS}
