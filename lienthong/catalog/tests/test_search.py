"""Public search: diacritics and case ignored, filters, pagination, cancelled procedures never listed.

The builders here (``agency``, ``procedure``) are shared by the other public-catalogue tests.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from django.db import connection

from lienthong.catalog import selectors, services
from lienthong.catalog.models import Field, Procedure
from lienthong.catalog.record import Component, Fee, LegalBasis, ProcedureRecord, Result
from lienthong.directory import services as directory
from lienthong.directory.models import Agency

PROVINCE_CENTRE = "000.00.20.H99"
CONSTRUCTION_DEPT = "000.00.05.H99"
COMMUNE = "000.00.31.H99"

AGENCY_NAMES = {
    PROVINCE_CENTRE: ("Trung tâm Phục vụ hành chính công tỉnh Sông Lam", "TTPVHCC", "province"),
    CONSTRUCTION_DEPT: ("Sở Xây dựng tỉnh Sông Lam", "SXD", "province"),
    COMMUNE: ("Ủy ban nhân dân xã Hòa Bình", "UBND", "commune"),
}


def agency(code: str) -> Agency:
    """The agency ``code`` (one of :data:`AGENCY_NAMES`), created through the directory services once."""
    found = Agency.objects.filter(code=code).first()
    if found is not None:
        return found
    name, short, tier = AGENCY_NAMES[code]
    return directory.create_agency(actor=None, code=code, name=name, short_name=short, tier=tier)


def record(code: str, name: str, **fields: Any) -> ProcedureRecord:
    values: dict[str, Any] = {
        "field_code": "H99-XD01",
        "field_name": "Hoạt động xây dựng",
        "processing_value": 5,
        "tiers": ("province",),
        "online_level": "partial",
    }
    values.update(fields)
    return ProcedureRecord(code=code, name=name, **values)


def procedure(code: str, name: str, **fields: Any) -> Procedure:
    """Save a procedure through the catalogue service (creating the agencies it names)."""
    for agency_code in (*fields.get("agencies", ()), fields.get("receiving_agency", "")):
        if agency_code:
            agency(agency_code)
    return services.save_procedure(actor=None, record=record(code, name, **fields)).procedure


BUILDING_PERMIT = {
    "field_code": "H99-XD01",
    "field_name": "Hoạt động xây dựng",
    "processing_value": 15,
    "agencies": (CONSTRUCTION_DEPT,),
    "receiving_agency": PROVINCE_CENTRE,
    "fees": (Fee(case="", amount=150_000),),
    "components": (
        Component(
            name="Đơn đề nghị cấp giấy phép xây dựng", template_url="https://example.gov.vn/mau-01.docx"
        ),
        Component(name="Bản vẽ thiết kế xây dựng", originals=2, file_types=("pdf", "dwg")),
    ),
    "results": (Result(name="Giấy phép xây dựng", kind="electronic"),),
    "legal_basis": (LegalBasis(number="50/2014/QH13", title="Luật Xây dựng"),),
}
BIRTH = {
    "field_code": "H99-HT01",
    "field_name": "Hộ tịch",
    "processing_value": 1,
    "tiers": ("commune",),
    "agencies": (COMMUNE,),
    "receiving_agency": COMMUNE,
    "online_level": "full",
}


@pytest.fixture
def catalogue(db: None) -> dict[str, Procedure]:
    return {
        "permit": procedure(
            "1.009999", "Cấp giấy phép xây dựng mới đối với công trình cấp I, II", **BUILDING_PERMIT
        ),
        "adjust": procedure("1.009998", "Điều chỉnh giấy phép xây dựng", **BUILDING_PERMIT),
        "birth": procedure("1.001193", "Đăng ký khai sinh", **BIRTH),
        "marriage": procedure("1.000894", "Đăng ký kết hôn", **{**BIRTH, "online_level": "partial"}),
        "death": procedure("1.000656", "Đăng ký khai tử", **BIRTH),
    }


def cancel(p: Procedure) -> None:
    """Cancel through the service path (a new version with status cancelled), as cancel_procedure does."""
    p.refresh_from_db()
    services.save_procedure(actor=None, record=replace(selectors.current_record(p), status="cancelled"))


def codes(rows: Any) -> list[str]:
    return [p.code for p in rows]


def test_query_without_diacritics_finds_the_procedure_with_them(catalogue: dict[str, Procedure]):
    assert codes(selectors.search_procedures("cap phep xay dung")) == ["1.009999"]


def test_case_and_diacritics_are_ignored_in_both_directions(catalogue: dict[str, Procedure]):
    for query in ("ĐĂNG KÝ KHAI SINH", "dang ky khai sinh", "Đăng Ký khai sinh", "  dang   KY  khai sinh "):
        assert codes(selectors.search_procedures(query)) == ["1.001193"], query


def test_every_word_must_match_in_any_order(catalogue: dict[str, Procedure]):
    assert set(codes(selectors.search_procedures("giay phep"))) == {"1.009999", "1.009998"}
    assert codes(selectors.search_procedures("xay dung dieu chinh")) == ["1.009998"]
    assert codes(selectors.search_procedures("giay phep khai sinh")) == []


def test_the_code_and_the_field_name_are_searched_too(catalogue: dict[str, Procedure]):
    assert codes(selectors.search_procedures("1.001193")) == ["1.001193"]
    assert set(codes(selectors.search_procedures("ho tich"))) == {"1.001193", "1.000894", "1.000656"}


def test_a_whole_phrase_match_comes_before_scattered_words(catalogue: dict[str, Procedure]):
    # Both match "khai" and "sinh"; by name "Cấp…" would come first, but only "Đăng ký khai sinh" has the phrase.
    procedure("1.003333", "Cấp trích lục khai tử cho người sinh sống ở nước ngoài", **BIRTH)
    assert codes(selectors.search_procedures("khai sinh")) == ["1.001193", "1.003333"]


def test_empty_query_lists_every_public_procedure(catalogue: dict[str, Procedure]):
    assert set(codes(selectors.search_procedures(""))) == {p.code for p in catalogue.values()}


def test_filter_by_field_agency_tier_and_online_level(catalogue: dict[str, Procedure]):
    assert set(codes(selectors.search_procedures(field="H99-XD01"))) == {"1.009999", "1.009998"}
    assert set(codes(selectors.search_procedures(agency=COMMUNE))) == {"1.001193", "1.000894", "1.000656"}
    assert set(codes(selectors.search_procedures(tier="commune"))) == {"1.001193", "1.000894", "1.000656"}
    assert set(codes(selectors.search_procedures(tier="province"))) == {"1.009999", "1.009998"}
    assert codes(selectors.search_procedures(tier="central")) == []
    assert set(codes(selectors.search_procedures(level="full"))) == {"1.001193", "1.000656"}
    assert codes(selectors.search_procedures("dang ky", field="H99-HT01", level="partial")) == ["1.000894"]


def test_tier_filter_matches_one_tier_of_several(db: None):
    procedure("1.004444", "Cấp bản sao trích lục hộ tịch", **{**BIRTH, "tiers": ("province", "commune")})
    assert codes(selectors.search_procedures(tier="commune")) == ["1.004444"]
    assert codes(selectors.search_procedures(tier="province")) == ["1.004444"]


def test_unknown_filter_values_find_nothing(catalogue: dict[str, Procedure]):
    assert codes(selectors.search_procedures(field="KHONG-CO")) == []
    assert codes(selectors.search_procedures(agency="000.00.99.H99")) == []


def test_a_procedure_implemented_by_two_agencies_is_listed_once(db: None):
    procedure(
        "1.005555",
        "Đăng ký khai sinh có yếu tố nước ngoài",
        **{**BIRTH, "agencies": (COMMUNE, PROVINCE_CENTRE)},
    )
    assert codes(selectors.search_procedures("khai sinh")) == ["1.005555"]


def test_cancelled_procedures_are_never_listed(catalogue: dict[str, Procedure]):
    cancel(catalogue["death"])
    assert "1.000656" not in codes(selectors.search_procedures(""))
    assert codes(selectors.search_procedures("khai tu")) == []
    assert codes(selectors.search_procedures("khai tu", include_cancelled=True)) == ["1.000656"]


def test_suspended_procedures_stay_listed(catalogue: dict[str, Procedure]):
    current = selectors.current_record(catalogue["marriage"])
    services.save_procedure(actor=None, record=replace(current, status="suspended"))
    assert codes(selectors.search_procedures("ket hon")) == ["1.000894"]


def test_results_come_twenty_to_a_page(db: None):
    for n in range(45):
        procedure(
            f"2.{n:06d}", f"Thủ tục thử nghiệm số {n:02d}", field_code="H99-TN01", field_name="Thử nghiệm"
        )
    rows = selectors.search_procedures("thu nghiem")
    first, third = selectors.page_of(rows, 1), selectors.page_of(rows, 3)
    assert first.paginator.count == 45
    assert first.paginator.num_pages == 3
    assert len(first.object_list) == 20
    assert third.object_list[0].name == "Thủ tục thử nghiệm số 40"
    assert len(third.object_list) == 5
    assert selectors.page_of(rows, "rác").number == 1
    assert selectors.page_of(rows, 99).number == 3


def test_filters_from_a_form_drop_values_of_the_wrong_shape():
    cleaned = selectors.clean_filters(
        {"tier": "galaxy", "level": "full", "field": " H99-HT01 ", "agency": ""}
    )
    assert cleaned == {"field": "H99-HT01", "agency": "", "tier": "", "level": "full"}


@pytest.fixture
def large_catalogue(db: None) -> None:
    """3,000 procedures inserted cheaply (no versions: only the search columns matter), then analysed."""
    field = Field.objects.create(code="H99-TN02", name="Thử nghiệm")
    Procedure.objects.bulk_create(
        Procedure(
            code=f"3.{n:06d}",
            name=f"Thủ tục số {n}",
            field=field,
            online_level="partial",
            tiers=["province"],
            processing_value=5,
            processing_unit="working_days",
            search_text=f"3.{n:06d} thu tuc so {n} linh vuc {n % 50} hanh chinh cong",
        )
        for n in range(3000)
    )
    with connection.cursor() as cursor:
        # Rows inserted since the index was built wait in GIN's pending list, which the planner prices as a
        # scan; autovacuum flushes it in production, here we do.
        cursor.execute("SELECT gin_clean_pending_list('catalog_procedure_search_trgm')")
        cursor.execute("ANALYZE catalog_procedure")


def plan_of(rows: Any, *, no_seqscan: bool = False) -> str:
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        if no_seqscan:
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        if no_seqscan:
            cursor.execute("SET LOCAL enable_seqscan = on")
    return plan


@pytest.mark.postgres
def test_search_uses_the_trigram_index_on_postgresql(large_catalogue: None):
    plan = plan_of(selectors.search_procedures("cap phep xay dung"), no_seqscan=True)
    assert "catalog_procedure_search_trgm" in plan, plan


@pytest.mark.postgres
def test_trigram_index_is_chosen_without_hints_for_rare_words(large_catalogue: None):
    plan = plan_of(selectors.search_procedures("photocopy mau", tier="province", level="partial"))
    assert "Bitmap Index Scan on catalog_procedure_search_trgm" in plan, plan
