"""The dossier's actions after reception: a full walk with exact dates, the stopped clock across a swapped
working Saturday, refusals that name the field or the status, roles, and stale versions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest

from lienthong.audit.selectors import history_of, verify_chain
from lienthong.audit.services import SYSTEM
from lienthong.core.errors import Conflict, DomainError
from lienthong.onestop import actions
from lienthong.onestop.models import Dossier, NationalStatus
from lienthong.onestop.selectors import timeline_of
from lienthong.onestop.services import accept_dossier, receive_dossier
from lienthong.onestop.signals import dossier_status_changed
from lienthong.onestop.timeliness import Timeliness, classify
from lienthong.worktime.services import seed_calendar

from .helpers import P_WORKING_DAYS, World, applicant, vn

Clock = Callable[[datetime], None]
S = NationalStatus


@pytest.fixture
def calendar(world: World) -> None:
    seed_calendar([2026, 2027])


@pytest.fixture
def events() -> Iterator[list[dict[str, Any]]]:
    seen: list[dict[str, Any]] = []

    def receiver(sender: object, **kwargs: Any) -> None:
        seen.append(kwargs)

    dossier_status_changed.connect(receiver, weak=False)
    yield seen
    dossier_status_changed.disconnect(receiver)


def _desk(world: World, at: datetime, clock: Clock) -> Dossier:
    clock(at)
    return receive_dossier(
        actor=world.officer_a,
        procedure_code=P_WORKING_DAYS,
        agency=world.a,
        applicant=applicant(),
        channel="desk",
    )


def _online(world: World, at: datetime, clock: Clock) -> Dossier:
    clock(at)
    return receive_dossier(
        actor=None, procedure_code=P_WORKING_DAYS, agency=world.a, applicant=applicant(), channel="online"
    )


# --- the stopped clock ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_supplement_over_a_weekend_counts_the_swapped_working_saturday(
    world: World, calendar: None, clock: Clock
) -> None:
    # Thu 20 Aug 2026 09:00, 3 working days: Fri 21, Sat 22 (worked in exchange for Mon 31 Aug), Mon 24 09:00.
    dossier = _desk(world, vn(2026, 8, 20, 9), clock)
    assert dossier.due_at == vn(2026, 8, 24, 9)
    clock(vn(2026, 8, 24, 12))
    dossier = actions.start_processing(actor=world.specialist_a, dossier=dossier, at=vn(2026, 8, 20, 10))
    dossier = actions.request_supplement(
        actor=world.specialist_a,
        dossier=dossier,
        reason="Thiếu bản sao giấy khai sinh",
        at=vn(2026, 8, 21, 10),
    )
    assert dossier.national_status == S.SUPPLEMENT_REQUESTED
    assert dossier.paused_at == vn(2026, 8, 21, 10)
    dossier = actions.answer_supplement(actor=world.officer_a, dossier=dossier, at=vn(2026, 8, 24, 10))
    # Stopped: Fri 10:00–11:30 and 13:30–17:00 (5 h), Saturday 22 (8 h), Mon 07:00–10:00 (3 h) = 16 h.
    assert dossier.paused_seconds == 16 * 3600
    assert dossier.paused_at is None
    # The appointment moves by two working days: Mon 24 09:00 → Tue 25 → Wed 26 Aug 2026 09:00.
    assert dossier.due_at == vn(2026, 8, 26, 9)
    stored = Dossier.objects.get(pk=dossier.pk)
    assert (stored.national_status, stored.due_at, stored.paused_seconds) == (
        S.PROCESSING,
        vn(2026, 8, 26, 9),
        57600,
    )


@pytest.mark.django_db
def test_a_second_supplement_adds_to_the_paused_time_and_moves_the_appointment_again(
    world: World, calendar: None, clock: Clock
) -> None:
    dossier = _desk(world, vn(2026, 8, 20, 9), clock)
    clock(vn(2026, 9, 10, 12))
    dossier = actions.request_supplement(
        actor=world.officer_a, dossier=dossier, reason="Thiếu ảnh", at=vn(2026, 8, 20, 14)
    )
    dossier = actions.answer_supplement(actor=None, dossier=dossier, at=vn(2026, 8, 20, 16))  # 2 h
    assert dossier.due_at == vn(2026, 8, 24, 11)
    dossier = actions.request_supplement(
        actor=world.officer_a, dossier=dossier, reason="Thiếu chữ ký", at=vn(2026, 8, 21, 9)
    )
    # Answered on Tue 1 Sep 2026 at 08:00: stopped Fri 21 09:00–17:00 (6 h), the worked Sat 22 (8 h) and
    # Mon 24–Fri 28 (5 × 8 h); Mon 31 Aug (swapped for Sat 22) and Tue 1 Sep (National Day) are off.
    dossier = actions.answer_supplement(actor=None, dossier=dossier, at=vn(2026, 9, 1, 8))
    assert dossier.paused_seconds == (2 + 6 + 8 + 40) * 3600
    # Mon 24 Aug 11:00 + 54 h: 6 working days (Tue 25 … Fri 28, then Thu 3 and Fri 4 Sep — 31 Aug, 1 and
    # 2 Sep are off) → Fri 4 Sep 11:00; then 6 h more: 11:00–11:30, 13:30–17:00, Mon 7 Sep 07:00–09:00.
    assert dossier.due_at == vn(2026, 9, 7, 9)


# --- a full walk ----------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_online_dossier_walks_from_submission_to_its_returned_result(
    world: World, calendar: None, clock: Clock, events: list[dict[str, Any]]
) -> None:
    dossier = _online(world, vn(2026, 8, 19, 8), clock)  # Wed 19 Aug 2026
    clock(vn(2026, 8, 19, 9))
    dossier = accept_dossier(actor=world.officer_a, dossier=dossier, expected_version=1)
    assert dossier.due_at == vn(2026, 8, 22, 9)  # Thu, Fri, and the worked Saturday
    clock(vn(2026, 8, 28, 17))
    dossier = actions.start_processing(
        actor=world.specialist_a, dossier=dossier, at=vn(2026, 8, 19, 10), expected_version=2
    )
    dossier = actions.request_supplement(
        actor=world.specialist_a,
        dossier=dossier,
        reason="Thiếu tờ khai",
        at=vn(2026, 8, 21, 10),
        expected_version=3,
    )
    dossier = actions.answer_supplement(
        actor=world.officer_a, dossier=dossier, at=vn(2026, 8, 24, 10), expected_version=4
    )
    assert dossier.due_at == vn(2026, 8, 25, 9)  # Sat 22 09:00 + 16 h → Mon 24 09:00 → Tue 25 09:00
    dossier = actions.finish(
        actor=world.specialist_a, dossier=dossier, at=vn(2026, 8, 25, 16), expected_version=5
    )
    assert dossier.finished_at == vn(2026, 8, 25, 16)
    assert classify(dossier.due_at, dossier.finished_at, vn(2026, 8, 28).date()) == Timeliness.ON_TIME
    dossier = actions.return_result(
        actor=world.officer_a,
        dossier=dossier,
        method="postal",
        tracking_number="EL123456789VN",
        at=vn(2026, 8, 26, 8),
        expected_version=6,
    )
    assert (dossier.national_status, dossier.version) == (S.RETURNED, 7)
    assert (dossier.return_method, dossier.tracking_number) == ("postal", "EL123456789VN")
    assert dossier.returned_at == vn(2026, 8, 26, 8)

    line = [(e.action, e.from_status, e.to_status, e.actor) for e in timeline_of(dossier)]
    assert line == [
        ("receive", None, 1, SYSTEM),
        ("accept", 1, 2, "motcua.a"),
        ("start_processing", 2, 4, "chuyenvien.a"),
        ("request_supplement", 4, 5, "chuyenvien.a"),
        ("answer_supplement", 5, 4, "motcua.a"),
        ("finish", 4, 9, "chuyenvien.a"),
        ("return", 9, 10, "motcua.a"),
    ]
    assert timeline_of(dossier)[3].note == "Thiếu tờ khai"
    audited = [e.action for e in history_of(dossier)]
    assert audited == [
        "dossier.receive",
        "dossier.accept",
        "dossier.start_processing",
        "dossier.request_supplement",
        "dossier.answer_supplement",
        "dossier.finish",
        "dossier.return",
    ]
    resumed = history_of(dossier).get(action="dossier.answer_supplement")
    assert resumed.changes["paused_seconds"] == [0, 57600]
    assert verify_chain()[1] is None
    assert [(e["action"], e["from_status"], e["to_status"]) for e in events] == [
        ("receive", None, 1),
        ("accept", 1, 2),
        ("start_processing", 2, 4),
        ("request_supplement", 4, 5),
        ("answer_supplement", 5, 4),
        ("finish", 4, 9),
        ("return", 9, 10),
    ]


@pytest.mark.django_db
def test_a_late_finish_is_late_by_date_not_by_hour(world: World, calendar: None, clock: Clock) -> None:
    dossier = _desk(world, vn(2026, 8, 20, 9), clock)  # due Mon 24 Aug 09:00
    clock(vn(2026, 8, 26, 9))
    dossier = actions.start_processing(actor=world.officer_a, dossier=dossier, at=vn(2026, 8, 20, 9, 30))
    dossier = actions.finish(actor=world.officer_a, dossier=dossier, at=vn(2026, 8, 24, 16, 59))
    assert classify(dossier.due_at, dossier.finished_at, vn(2026, 8, 26).date()) == Timeliness.ON_TIME


# --- endings ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_online_dossier_refused_at_intake_keeps_the_reason(
    world: World, calendar: None, clock: Clock
) -> None:
    dossier = _online(world, vn(2026, 8, 19, 8), clock)
    clock(vn(2026, 8, 19, 9))
    dossier = actions.refuse_at_intake(
        actor=world.officer_a, dossier=dossier, reason="Không thuộc thẩm quyền"
    )
    assert dossier.national_status == S.REFUSED
    assert timeline_of(dossier).last().note == "Không thuộc thẩm quyền"  # type: ignore[union-attr]
    assert history_of(dossier).last().changes["reason"] == [None, "Không thuộc thẩm quyền"]  # type: ignore[union-attr]


@pytest.mark.django_db
def test_withdrawing_a_paused_dossier_closes_the_stopped_clock(
    world: World, calendar: None, clock: Clock
) -> None:
    dossier = _desk(world, vn(2026, 8, 20, 9), clock)
    clock(vn(2026, 8, 21, 16))
    dossier = actions.request_supplement(
        actor=world.officer_a, dossier=dossier, reason="Thiếu ảnh", at=vn(2026, 8, 21, 10)
    )
    dossier = actions.withdraw(actor=world.officer_a, dossier=dossier, reason="Người nộp xin rút")
    assert dossier.national_status == S.WITHDRAWN
    assert dossier.paused_at is None
    assert dossier.paused_seconds == 4 * 3600  # Fri 21 Aug 10:00–11:30 and 13:30–16:00


@pytest.mark.django_db
@pytest.mark.parametrize("start", [S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT_REQUESTED])
def test_processing_can_be_stopped_from_every_open_status(
    world: World, calendar: None, clock: Clock, start: int
) -> None:
    dossier = _desk(world, vn(2026, 8, 20, 9), clock)
    clock(vn(2026, 8, 20, 15))
    if start == S.PROCESSING:
        dossier = actions.start_processing(actor=world.officer_a, dossier=dossier)
    if start == S.SUPPLEMENT_REQUESTED:
        dossier = actions.request_supplement(actor=world.officer_a, dossier=dossier, reason="Thiếu ảnh")
    dossier = actions.stop_processing(
        actor=world.specialist_a, dossier=dossier, reason="Người nộp đã qua đời"
    )
    assert dossier.national_status == S.STOPPED
    assert timeline_of(dossier).last().from_status == start  # type: ignore[union-attr]


# --- refusals ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_postal_return_without_tracking_number_is_refused_naming_the_field(
    world: World, calendar: None, clock: Clock
) -> None:
    dossier = _desk(world, vn(2026, 8, 20, 9), clock)
    clock(vn(2026, 8, 21, 9))
    dossier = actions.start_processing(actor=world.officer_a, dossier=dossier)
    dossier = actions.finish(actor=world.officer_a, dossier=dossier)
    with pytest.raises(DomainError) as refused:
        actions.return_result(actor=world.officer_a, dossier=dossier, method="postal", tracking_number="  ")
    assert (refused.value.field, refused.value.rule, refused.value.status) == (
        "tracking_number",
        "required_for_postal",
        400,
    )
    with pytest.raises(DomainError) as wrong:
        actions.return_result(actor=world.officer_a, dossier=dossier, method="pigeon")
    assert (wrong.value.field, wrong.value.rule) == ("method", "choice")
    stored = Dossier.objects.get(pk=dossier.pk)
    assert (stored.national_status, stored.version) == (S.FINISHED, dossier.version)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "kwargs"),
    [
        ("refuse_at_intake", {"reason": "x"}),
        ("answer_supplement", {}),
        ("finish", {}),
        ("return_result", {"method": "desk"}),
    ],
)
def test_an_action_from_the_wrong_status_is_a_conflict_naming_the_status(
    world: World, calendar: None, clock: Clock, action: str, kwargs: dict[str, Any]
) -> None:
    dossier = _desk(world, vn(2026, 8, 20, 9), clock)  # accepted: status 2
    with pytest.raises(Conflict) as refused:
        getattr(actions, action)(actor=world.officer_a, dossier=dossier, **kwargs)
    assert (refused.value.status, refused.value.field, refused.value.rule) == (
        409,
        "national_status",
        "status",
    )
    assert "Đã tiếp nhận" in refused.value.message
    assert timeline_of(dossier).count() == 1


@pytest.mark.django_db
def test_a_returned_dossier_can_no_longer_be_withdrawn_or_stopped(
    world: World, calendar: None, clock: Clock
) -> None:
    dossier = _desk(world, vn(2026, 8, 20, 9), clock)
    dossier = actions.start_processing(actor=world.officer_a, dossier=dossier)
    dossier = actions.finish(actor=world.officer_a, dossier=dossier)
    dossier = actions.return_result(actor=world.officer_a, dossier=dossier, method="desk")
    with pytest.raises(Conflict):
        actions.withdraw(actor=world.officer_a, dossier=dossier)
    with pytest.raises(Conflict):
        actions.stop_processing(actor=world.officer_a, dossier=dossier, reason="x")


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   "])
def test_a_supplement_request_or_refusal_without_reason_is_refused(
    world: World, calendar: None, clock: Clock, reason: str
) -> None:
    dossier = _desk(world, vn(2026, 8, 20, 9), clock)
    with pytest.raises(DomainError) as refused:
        actions.request_supplement(actor=world.officer_a, dossier=dossier, reason=reason)
    assert (refused.value.field, refused.value.rule) == ("reason", "required")
    online = _online(world, vn(2026, 8, 20, 10), clock)
    with pytest.raises(DomainError) as refused:
        actions.refuse_at_intake(actor=world.officer_a, dossier=online, reason=reason)
    assert (refused.value.field, refused.value.rule) == ("reason", "required")


@pytest.mark.django_db
def test_a_stale_version_is_a_conflict_and_nothing_changes(
    world: World, calendar: None, clock: Clock
) -> None:
    dossier = _desk(world, vn(2026, 8, 20, 9), clock)
    actions.start_processing(actor=world.officer_a, dossier=dossier, expected_version=1)
    with pytest.raises(Conflict) as refused:
        actions.stop_processing(actor=world.officer_a, dossier=dossier, reason="x", expected_version=1)
    assert (refused.value.field, refused.value.rule) == ("version", "stale_version")
    assert Dossier.objects.get(pk=dossier.pk).national_status == S.PROCESSING


@pytest.mark.django_db
def test_an_officer_of_another_agency_may_not_act(world: World, calendar: None, clock: Clock) -> None:
    dossier = _desk(world, vn(2026, 8, 20, 9), clock)
    with pytest.raises(DomainError) as refused:
        actions.start_processing(actor=world.officer_b, dossier=dossier)
    assert (refused.value.status, refused.value.rule) == (403, "processing_role_required")
    with pytest.raises(DomainError) as desk_only:
        actions.withdraw(actor=world.specialist_a, dossier=dossier)  # a specialist is not the desk
    assert desk_only.value.status == 403


@pytest.mark.django_db
def test_an_action_dated_before_the_last_event_is_refused(world: World, calendar: None, clock: Clock) -> None:
    dossier = _desk(world, vn(2026, 8, 20, 9), clock)
    with pytest.raises(DomainError) as refused:
        actions.start_processing(actor=world.officer_a, dossier=dossier, at=vn(2026, 8, 20, 8))
    assert (refused.value.field, refused.value.rule) == ("at", "after_last_event")


@pytest.mark.django_db
def test_a_supplement_across_tet_2027_counts_only_the_working_hours_around_it(
    world: World, calendar: None, clock: Clock
) -> None:
    # Tue 2 Feb 2027 10:00, 3 working days; Tết keeps the desk closed Thu 4 – Wed 10 Feb 2027.
    dossier = _desk(world, vn(2027, 2, 2, 10), clock)
    assert dossier.due_at == vn(2027, 2, 12, 10)  # Wed 3, Thu 11, Fri 12 Feb
    clock(vn(2027, 2, 12, 12))
    dossier = actions.request_supplement(
        actor=world.specialist_a, dossier=dossier, reason="Thiếu bản chụp CCCD", at=vn(2027, 2, 3, 15)
    )
    dossier = actions.answer_supplement(actor=None, dossier=dossier, at=vn(2027, 2, 11, 9))
    # Stopped Wed 3 Feb 15:00–17:00 and Thu 11 Feb 07:00–09:00: 4 h; the seven days of Tết do not count.
    assert dossier.paused_seconds == 4 * 3600
    # Fri 12 Feb 10:00 + 4 h: 10:00–11:30 and 13:30–16:00.
    assert dossier.due_at == vn(2027, 2, 12, 16)
