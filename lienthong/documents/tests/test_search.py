"""Document search: diacritics ignored both ways, number and notation, issuing agency, the text read from the
PDF, filters by type, period and status, newest first in pages, only what the person may see; on PostgreSQL
the trigram and word-pairs indexes serve it."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from lienthong.core.errors import DomainError
from lienthong.documents import services, tasks
from lienthong.documents.models import IncomingDocument, IncomingStatus, OutgoingDocument
from lienthong.documents.search import (
    PAGE_SIZE,
    SearchCriteria,
    _prepare,
    _rare_pairs,
    criteria_from,
    search_documents,
    search_fold,
    word_pairs,
)
from lienthong.documents.services import IncomingContent
from lienthong.worktime.arith import VN_TZ

from .world import World, tiny_pdf


def _register(world: World, **overrides: object) -> IncomingDocument:
    values: dict[str, object] = {
        "issuer_name": "Bảo hiểm xã hội tỉnh Thanh Lâm",
        "document_date": date(2025, 12, 1),
        "subject": "Về việc đối chiếu số liệu đóng bảo hiểm năm 2026",
        "pdf": tiny_pdf("Ban quet"),
        "number_notation": "215/BHXH-QLT",
        "document_type": "CV",
    }
    values.update(overrides)
    return services.register_incoming(
        actor=world.b_clerk,
        agency=world.b,
        content=IncomingContent(**values),  # type: ignore[arg-type]
    )


def _found(person: object, **criteria: object) -> list[int]:
    page = search_documents(person, SearchCriteria(**criteria))  # type: ignore[arg-type]
    return [doc.pk for doc in page.items]


def test_folding_drops_diacritics_and_loose_punctuation_but_keeps_a_notation_whole() -> None:
    assert search_fold("Kế hoạch phòng, chống (thiên tai).") == "ke hoach phong chong thien tai"
    assert search_fold("Số: 123/QĐ-UBND") == "so 123/qd-ubnd"
    assert search_fold("ĐỀ ÁN") == "de an"


def test_a_subject_typed_without_diacritics_finds_the_document_written_with_them(world: World) -> None:
    wanted = _register(
        world, subject="Kế hoạch phòng, chống thiên tai năm 2027", number_notation="07/KH-UBND"
    )
    _register(world, subject="Về việc phòng chống dịch bệnh", number_notation="08/CV-UBND")
    assert _found(world.b_clerk, q="ke hoach phong chong") == [wanted.pk]
    assert _found(world.b_clerk, q="KE HOACH PHONG CHONG THIEN TAI") == [wanted.pk]


def test_a_query_with_diacritics_finds_text_stored_without_them(world: World) -> None:
    wanted = _register(world, subject="Ve viec bao cao so lieu cong chuc", number_notation="09/BC-SNV")
    assert _found(world.b_clerk, q="Về việc báo cáo số liệu") == [wanted.pk]


def test_the_number_and_notation_finds_exactly_that_document(world: World) -> None:
    wanted = _register(world, number_notation="123/QĐ-UBND")
    _register(world, number_notation="124/QĐ-UBND")
    assert _found(world.b_clerk, q="123/QĐ-UBND") == [wanted.pk]
    assert _found(world.b_clerk, q="123/qd-ubnd") == [wanted.pk]
    assert _found(world.b_clerk, q="125/QĐ-UBND") == []


def test_the_issuing_agency_is_searched_too(world: World) -> None:
    wanted = _register(
        world, issuer_name="Sở Tài nguyên và Môi trường tỉnh Thanh Lâm", number_notation="5/STNMT"
    )
    _register(world)
    assert _found(world.b_clerk, q="tai nguyen va moi truong") == [wanted.pk]


def test_the_text_read_from_the_pdf_becomes_searchable_once_extracted(world: World) -> None:
    document = _register(
        world, pdf=tiny_pdf("Dien tap phong chay chua chay tai tru so"), number_notation="3/TB"
    )
    assert _found(world.b_clerk, q="phong chay chua chay") == []
    assert tasks.extract_now("incoming", document.pk)
    assert _found(world.b_clerk, q="phòng cháy chữa cháy") == [document.pk]


def test_the_body_of_a_rendered_draft_with_diacritics_is_found_after_extraction(world: World) -> None:
    body = (
        "Điều 1. Tổ chức diễn tập phương án chữa cháy tại trụ sở cơ quan.\nĐiều 2. Giao Văn phòng thực hiện."
    )
    draft = services.create_draft(actor=world.a_specialist, agency=world.a, content=world.content(body=body))
    assert tasks.extract_now("outgoing", draft.pk)
    assert _found(world.a_specialist, direction="outgoing", q="dien tap phuong an chua chay") == [draft.pk]


def test_an_edited_subject_is_found_by_its_new_words_and_not_the_old_ones(world: World) -> None:
    draft = services.create_draft(actor=world.a_specialist, agency=world.a, content=world.content())
    assert _found(world.a_specialist, direction="outgoing", q="tap huan chuyen doi so") == [draft.pk]
    services.update_draft(
        actor=world.a_specialist,
        document=draft,
        content=world.content(subject="Về việc tổ chức hội nghị tổng kết năm"),
    )
    assert _found(world.a_specialist, direction="outgoing", q="tap huan chuyen doi so") == []
    assert _found(world.a_specialist, direction="outgoing", q="hoi nghi tong ket") == [draft.pk]


def test_filters_by_type_period_and_status(world: World, clock) -> None:
    clock(datetime(2026, 11, 20, 9, 0, tzinfo=VN_TZ))
    november_letter = _register(world, number_notation="11/CV", document_type="CV")
    clock(datetime(2026, 12, 3, 9, 0, tzinfo=VN_TZ))
    december_decision = _register(world, number_notation="12/QĐ", document_type="QĐ")
    december_letter = _register(world, number_notation="13/CV", document_type="CV")
    services.assign_incoming(
        actor=world.b_leader,
        document=december_letter,
        main=world.b_specialist,
        due_in_days=5,
    )
    clerk = world.b_clerk
    assert _found(clerk, document_type="QĐ") == [december_decision.pk]
    assert _found(clerk, date_to=date(2026, 11, 30)) == [november_letter.pk]
    assert set(_found(clerk, date_from=date(2026, 12, 3), date_to=date(2026, 12, 3))) == {
        december_decision.pk,
        december_letter.pk,
    }
    assert _found(clerk, status=IncomingStatus.ASSIGNED) == [december_letter.pk]
    assert _found(clerk, q="bao hiem", document_type="CV", status=IncomingStatus.REGISTERED) == [
        november_letter.pk
    ]


def test_results_come_newest_first_in_pages(world: World, clock) -> None:
    made = []
    for day in range(1, PAGE_SIZE + 6):
        clock(datetime(2026, 1, 1, 8, 0, tzinfo=VN_TZ).replace(day=min(day, 28), hour=8 + day // 28))
        made.append(_register(world, number_notation=f"{day}/TB-BHXH").pk)
    first = search_documents(world.b_clerk, SearchCriteria(q="bao hiem"))
    second = search_documents(world.b_clerk, SearchCriteria(q="bao hiem", page=2))
    assert [d.pk for d in first.items] == list(reversed(made))[:PAGE_SIZE] and first.has_next
    assert [d.pk for d in second.items] == list(reversed(made))[PAGE_SIZE:] and not second.has_next


def test_someone_cannot_find_another_agencys_outgoing_draft(world: World) -> None:
    draft = services.create_draft(
        actor=world.a_specialist, agency=world.a, content=world.content(subject="Về việc kế hoạch mật thư")
    )
    assert _found(world.a_specialist, direction="outgoing", q="ke hoach mat thu") == [draft.pk]
    assert _found(world.a_clerk, direction="outgoing", q="ke hoach mat thu") == [draft.pk]
    assert _found(world.b_clerk, direction="outgoing", q="ke hoach mat thu") == []
    assert _found(world.b_leader, direction="outgoing", q="ke hoach mat thu") == []


def test_an_officer_finds_only_the_incoming_documents_given_to_them(world: World) -> None:
    mine = _register(world, number_notation="21/CV")
    other = _register(world, number_notation="22/CV")
    services.assign_incoming(
        actor=world.b_leader,
        document=mine,
        main=world.b_specialist,
        due_in_days=5,
    )
    assert _found(world.b_specialist, q="bao hiem") == [mine.pk]
    assert set(_found(world.b_clerk, q="bao hiem")) == {mine.pk, other.pk}
    assert _found(world.a_clerk, q="bao hiem") == []


def test_bad_criteria_name_the_field_and_the_rule(world: World) -> None:
    with pytest.raises(DomainError) as caught:
        criteria_from(
            {"direction": "incoming", "status": "issued", "date_from": "2026-12-31", "date_to": "2026-01-01"}
        )
    assert {(p.field, p.rule) for p in caught.value.problems} == {
        ("status", "status_choice"),
        ("date_to", "period_order"),
    }
    for raw, field, rule in (
        ({"direction": "sideways"}, "direction", "direction_choice"),
        ({"q": "x"}, "q", "q_too_short"),
        ({"q": "a" * 201}, "q", "q_length"),
        ({"document_type": "XYZ"}, "document_type", "unknown_document_type"),
        ({"date_from": "31/12/2026"}, "date_from", "date_format"),
        ({"page": "0"}, "page", "page_range"),
    ):
        with pytest.raises(DomainError) as caught:
            criteria_from(raw)
        assert (caught.value.problems[0].field, caught.value.problems[0].rule) == (field, rule)


def test_the_api_searches_and_refuses_bad_criteria_with_a_problem_document(world: World) -> None:
    wanted = _register(world, subject="Kế hoạch phòng, chống thiên tai", number_notation="31/KH")
    client = Client()
    client.force_login(world.b_clerk)
    url = reverse("api:documents_search")
    answer = client.get(url, {"q": "ke hoach phong chong", "direction": "incoming"})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert [item["id"] for item in body["items"]] == [wanted.pk] and body["has_next"] is False
    assert body["items"][0]["number_notation"] == "31/KH" and body["items"][0]["arrival_number"] == 1
    refused = client.get(url, {"status": "issued"})
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "status"
    assert "/documents/search" in str(client.get("/api/v1/openapi.json").json()["paths"])


def test_the_search_page_shows_results_and_explains_a_bad_field(world: World) -> None:
    _register(world, subject="Kế hoạch phòng, chống thiên tai", number_notation="41/KH")
    client = Client()
    client.force_login(world.b_clerk)
    page = client.get(reverse("documents:search"), {"q": "ke hoach phong chong"})
    assert page.status_code == 200
    assert "Kế hoạch phòng, chống thiên tai" in page.content.decode()
    bad = client.get(reverse("documents:search"), {"date_from": "2026-12-31", "date_to": "2026-01-01"})
    assert bad.status_code == 400
    assert "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu." in bad.content.decode()


# --- PostgreSQL: the index ----------------------------------------------------------------------------------


def _many_incoming(world: World, count: int) -> IncomingDocument:
    """``count`` copies of one registered document with varied subjects, straight into the table."""
    model = _register(world)
    subjects = (
        "Về việc quyết toán ngân sách năm",
        "Về việc tuyển dụng viên chức",
        "Kế hoạch kiểm tra công tác cải cách hành chính",
        "Về việc đôn đốc thu thuế sử dụng đất",
    )
    rows = []
    for index in range(count):
        subject = f"{subjects[index % len(subjects)]} {index}"
        rows.append(
            IncomingDocument(
                **{
                    f.attname: getattr(model, f.attname)
                    for f in IncomingDocument._meta.concrete_fields
                    if f.attname not in ("id", "arrival_number", "subject", "search_text")
                },
                arrival_number=index + 2,
                subject=subject,
                search_text=search_fold(f"{index + 2}/CV {subject} Bảo hiểm xã hội tỉnh Thanh Lâm"),
            )
        )
    IncomingDocument.objects.bulk_create(rows, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE documents_incomingdocument")
    return model


def _plan(rows: object, *, bitmaps_only: bool = False) -> str:
    sql, params = rows.query.sql_with_params()  # type: ignore[attr-defined]
    with transaction.atomic(), connection.cursor() as cursor:
        if bitmaps_only:
            cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.postgres
def test_a_rare_phrase_is_read_through_the_word_pairs_index_on_postgresql(world: World) -> None:
    _many_incoming(world, 20_000)
    search = _prepare(world.b_clerk, SearchCriteria(q="tuyen dung vien chuc 2001"))

    assert search.through_pairs
    assert "documents_in_search_pairs" in _plan(search.rows[: PAGE_SIZE + 1], bitmaps_only=True)
    assert _found(world.b_clerk, q="tuyển dụng viên chức 2001") == [
        IncomingDocument.objects.get(subject="Về việc tuyển dụng viên chức 2001").pk
    ]


@pytest.mark.postgres
def test_a_phrase_in_thousands_of_documents_is_read_newest_first_without_the_pairs_index(
    world: World,
) -> None:
    _many_incoming(world, 24_000)  # 6,000 with this phrase: more than RARE_PHRASE_DOCUMENTS
    search = _prepare(world.b_clerk, SearchCriteria(q="tuyen dung vien chuc"))

    assert not search.through_pairs
    assert "documents_in_search_pairs" not in _plan(search.rows[: PAGE_SIZE + 1])
    page = search_documents(world.b_clerk, SearchCriteria(q="tuyen dung vien chuc"))
    assert len(page.items) == PAGE_SIZE and page.has_next


@pytest.mark.postgres
def test_a_phrase_is_not_counted_by_scanning_when_the_pairs_index_cannot_be_read(world: World) -> None:
    _many_incoming(world, 2_000)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        assert _rare_pairs(IncomingDocument, word_pairs("tuyen dung vien chuc 1001"), limit=5000) == []
        cursor.execute("SET LOCAL enable_bitmapscan = on")
    assert _rare_pairs(IncomingDocument, word_pairs("tuyen dung vien chuc 1001"), limit=5000) == ["chuc 1001"]


@pytest.mark.postgres
def test_a_search_inside_a_callers_transaction_leaves_the_planner_settings_as_they_were(world: World) -> None:
    _many_incoming(world, 2_000)
    settings = "SELECT current_setting('enable_indexscan'), current_setting('enable_seqscan'), " + (
        "current_setting('plan_cache_mode')"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(settings)
        before = cursor.fetchone()
        page = search_documents(world.b_clerk, SearchCriteria(q="tuyển dụng viên chức 1001"))
        cursor.execute(settings)
        after = cursor.fetchone()

    assert len(page.items) == 1
    assert after == before


@pytest.mark.postgres
def test_the_word_pairs_of_postgresql_are_the_pairs_of_the_query(world: World) -> None:
    text = search_fold("Về việc tuyển dụng viên chức")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lienthong_word_pairs(%s), lienthong_word_pairs('mot'), lienthong_word_pairs('')", [text]
        )
        pairs, single, empty = cursor.fetchone()

    assert pairs == word_pairs(text) == ["ve viec", "viec tuyen", "tuyen dung", "dung vien", "vien chuc"]
    assert single == [] and empty == []


def test_marks_inside_a_word_match_themselves_and_nothing_else(world: World) -> None:
    wanted = _register(
        world, subject="Cấu hình máy chủ phiên bản v1.2 theo chuẩn a+b", number_notation="7/TB"
    )
    _register(world, subject="Cấu hình máy chủ phiên bản v1x2 theo chuẩn aab", number_notation="8/TB")

    assert _found(world.b_clerk, q="v1.2") == [wanted.pk]
    assert _found(world.b_clerk, q="a+b") == [wanted.pk]


def test_one_word_is_found_inside_longer_words_but_a_phrase_only_as_whole_words(world: World) -> None:
    document = _register(
        world, subject="Kế hoạch phòng chống thiên tai năm 2027", number_notation="123/QĐ-UBND"
    )

    assert _found(world.b_clerk, q="UBND") == [document.pk]
    assert _found(world.b_clerk, q="oạch") == [document.pk]
    assert _found(world.b_clerk, q="hoạch phòng chống thiên") == [document.pk]
    assert _found(world.b_clerk, q="oach phòng chống thiê") == []
    assert _found(world.b_clerk, q="hoach phong chong dich") == []


@pytest.mark.postgres
def test_the_outgoing_search_has_its_trigram_index_on_postgresql(world: World) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'documents_out_search_trgm'")
        (definition,) = cursor.fetchone()
    assert "gin_trgm_ops" in definition and OutgoingDocument._meta.db_table in definition
