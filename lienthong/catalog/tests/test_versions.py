"""Versions of a procedure: the list, field-by-field diffs with Vietnamese labels, and the read-only admin."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.test import Client

from lienthong.catalog import selectors, services
from lienthong.catalog.models import Procedure, ProcedureVersion
from lienthong.catalog.record import Component, Fee, LegalBasis, Result
from lienthong.core.errors import NotFound
from lienthong.directory import services as directory

from .test_search import BIRTH, COMMUNE, PROVINCE_CENTRE, agency, procedure


@pytest.fixture
def birth(db: None) -> Procedure:
    return procedure("1.001193", "Đăng ký khai sinh", **BIRTH)


def save(p: Procedure, **changes: object) -> None:
    p.refresh_from_db()
    services.save_procedure(actor=None, record=replace(selectors.current_record(p), **changes))


def test_versions_are_listed_oldest_first(birth: Procedure):
    save(birth, processing_value=2)
    save(birth, processing_value=3)
    assert [v.number for v in selectors.versions_of(birth)] == [1, 2, 3]


def test_saving_the_same_record_makes_no_new_version(birth: Procedure):
    save(birth)
    assert ProcedureVersion.objects.filter(procedure=birth).count() == 1
    assert [e.version.number for e in selectors.history_of(birth)] == [1]


def test_diff_between_any_two_versions_names_each_field_in_vietnamese(birth: Procedure):
    save(birth, processing_value=2)
    save(birth, processing_value=2, name="Đăng ký khai sinh cho trẻ em", online_level="partial")
    result = selectors.version_diff(birth, 1, 3)
    assert [(c.name, c.label) for c in result.changes] == [
        ("name", "Tên thủ tục"),
        ("processing_value", "Thời hạn giải quyết"),
        ("online_level", "Mức độ trực tuyến"),
    ]
    by_name = {c.name: c for c in result.changes}
    assert by_name["processing_value"].old == ["1"] and by_name["processing_value"].new == ["2"]
    assert by_name["online_level"].old == ["Toàn trình"] and by_name["online_level"].new == ["Một phần"]
    # Backwards works too: from 3 to 1 swaps the sides.
    back = {c.name: c for c in selectors.version_diff(birth, 3, 1).changes}
    assert back["processing_value"].old == ["2"] and back["processing_value"].new == ["1"]
    # Neighbours: only what changed between them.
    assert [c.name for c in selectors.version_diff(birth, 2, 3).changes] == ["name", "online_level"]


def test_lists_in_a_diff_read_as_sentences(birth: Procedure):
    save(
        birth,
        fees=(Fee(case="Đăng ký quá hạn", amount=1_500_000),),
        components=(
            Component(name="Tờ khai", originals=1, copies=2, required=False, file_types=("pdf", "jpg")),
        ),
        results=(Result(name="Giấy khai sinh", kind="paper"),),
        legal_basis=(LegalBasis(number="123/2015/NĐ-CP", title="Nghị định quy định chi tiết Luật Hộ tịch"),),
        tiers=("province", "commune"),
        agencies=(COMMUNE, agency(PROVINCE_CENTRE).code),
    )
    changes = {c.name: c for c in selectors.version_diff(birth, 1, 2).changes}
    assert changes["fees"].old == [] and changes["fees"].new == ["lệ phí (Đăng ký quá hạn): 1.500.000 đ"]
    assert changes["components"].new == ["Tờ khai (1 bản chính; 2 bản sao; không bắt buộc; tệp pdf, jpg)"]
    assert changes["results"].new == ["Giấy khai sinh (bản giấy)"]
    assert changes["legal_basis"].new == ["123/2015/NĐ-CP – Nghị định quy định chi tiết Luật Hộ tịch"]
    assert changes["tiers"].old == ["Cấp xã"] and changes["tiers"].new == ["Cấp tỉnh, Cấp xã"]
    assert changes["agencies"].new == [COMMUNE, PROVINCE_CENTRE]
    assert changes["components"].label == "Thành phần hồ sơ"


def test_a_cancellation_shows_as_a_status_change(birth: Procedure):
    save(birth, status="cancelled")
    changes = selectors.version_diff(birth, 1, 2).changes
    assert [(c.label, c.old, c.new) for c in changes] == [("Trạng thái", ["Đang áp dụng"], ["Đã bãi bỏ"])]


def test_a_missing_version_is_not_found(birth: Procedure):
    with pytest.raises(NotFound):
        selectors.version_diff(birth, 1, 2)


def test_history_says_what_each_version_changed_newest_first(birth: Procedure):
    save(birth, steps="Bước 1: nộp tờ khai.")
    save(
        birth, steps="Bước 1: nộp tờ khai.", eligibility="Trẻ em sinh ra tại Việt Nam.", processing_value=0.5
    )
    entries = selectors.history_of(birth)
    assert [(e.version.number, e.changed) for e in entries] == [
        (3, ["Thời hạn giải quyết", "Yêu cầu, điều kiện"]),
        (2, ["Trình tự thực hiện"]),
        (1, []),
    ]


def test_formatting_of_money_and_time():
    assert selectors.format_vnd(1_500_000) == "1.500.000 đ"
    assert selectors.format_vnd(0) == "0 đ"
    assert selectors.processing_time_text(0.5, "working_days") == "0,5 ngày làm việc"
    assert selectors.processing_time_text(4, "working_hours") == "4 giờ làm việc"
    assert selectors.processing_time_text(30, "calendar_days") == "30 ngày"


def test_the_admin_shows_the_catalogue_but_changes_nothing(birth: Procedure):
    admin = directory.create_person(actor=None, username="quantri", full_name="Quản trị", password="x" * 12)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    version = ProcedureVersion.objects.get(procedure=birth, number=1)
    pages = [
        "/quan-tri/catalog/procedure/",
        f"/quan-tri/catalog/procedure/{birth.pk}/change/",
        "/quan-tri/catalog/procedureversion/",
        f"/quan-tri/catalog/procedureversion/{version.pk}/change/",
        "/quan-tri/catalog/field/",
        "/quan-tri/catalog/catalogimport/",
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    assert client.get("/quan-tri/catalog/procedure/?q=khai+sinh").status_code == 200
    assert client.get("/quan-tri/catalog/procedure/add/").status_code == 403
    assert client.get(f"/quan-tri/catalog/procedure/{birth.pk}/delete/").status_code == 403
    response = client.post(f"/quan-tri/catalog/procedure/{birth.pk}/change/", {"name": "Sửa trong admin"})
    assert response.status_code == 403
    birth.refresh_from_db()
    assert birth.name == "Đăng ký khai sinh"
