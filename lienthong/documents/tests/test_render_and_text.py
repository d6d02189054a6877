"""The rendered draft knows its places; the background task reads the final text for search; events go out
after commit."""

from __future__ import annotations

from lienthong.documents import layout, services
from lienthong.documents.models import OutgoingDocument
from lienthong.documents.render import Sheet, render_sheet
from lienthong.documents.signals import outgoing_issued
from lienthong.documents.tasks import extract_now

from .world import SECRET, World

A4 = (595.28, 841.89)


def _sheet(**overrides: object) -> Sheet:
    values: dict[str, object] = {
        "agency_name": "Sở Nội vụ tỉnh Thanh Lâm",
        "parent_name": "UBND tỉnh Thanh Lâm",
        "type_name": "Quyết định",
        "is_letter": False,
        "subject": "Về việc cử cán bộ",
        "body": "Điều 1. Nội dung.",
        "recipients": ["Ủy ban nhân dân phường Đông Lâm"],
    }
    values.update(overrides)
    return Sheet(**values)  # type: ignore[arg-type]


def test_a_rendered_draft_has_number_and_date_at_the_top_and_the_signature_below_the_body() -> None:
    rendered = render_sheet(_sheet())
    number, day, signer = (rendered.places[n] for n in (layout.NUMBER, layout.DATE, layout.SIGNER))
    assert rendered.page_sizes == ((595.2755905511812, 841.8897637795276),)
    assert number.page == day.page == signer.page == 0
    assert number.x2 <= day.x1, "the number is in the left column, the date in the right"
    assert abs(number.y1 - day.y1) < 1 and number.y1 > 650
    assert signer.x1 > A4[0] / 2 and signer.y2 < number.y1 - 100
    for place in (number, day, signer):
        assert 0 <= place.x1 < place.x2 <= A4[0] and 0 <= place.y1 < place.y2 <= A4[1]


def test_a_long_body_moves_the_signature_to_a_later_page() -> None:
    rendered = render_sheet(
        _sheet(body="\n".join(f"Điều {i}. " + "Nội dung dài. " * 30 for i in range(1, 12)))
    )
    assert len(rendered.page_sizes) >= 2
    assert rendered.places[layout.SIGNER].page == len(rendered.page_sizes) - 1
    assert rendered.places[layout.NUMBER].page == 0


def test_the_seal_covers_the_left_third_of_the_signature_at_real_size() -> None:
    signer = layout.Place(0, 300, 200, 540, 330)
    seal = layout.seal_place(signer, (102.0, 102.0), A4)
    assert seal.x2 == 300 + 80 and seal.width == 102.0
    assert abs((seal.y1 + seal.y2) / 2 - 265) < 0.01


def test_the_text_of_the_issued_document_is_extracted_for_search(
    world: World, django_capture_on_commit_callbacks
) -> None:
    seen: list[str] = []

    def receiver(sender, document, **kwargs):
        seen.append(document.number_notation)

    document = services.create_draft(
        actor=world.a_unit_head,
        agency=world.a,
        content=world.content(
            body="Điều 1. Cử ông Nguyễn Văn Bình dự tập huấn chuyển đổi số.", recipients=[]
        ),
    )
    services.submit_draft(actor=world.a_unit_head, document=document)
    services.sign_document(actor=world.a_director, document=document, secret=SECRET)
    outgoing_issued.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.issue_document(actor=world.a_clerk, document=document, secret=SECRET)
    finally:
        outgoing_issued.disconnect(receiver)
    assert seen == ["01/QĐ-SNV"]
    assert extract_now("outgoing", document.pk)
    stored = OutgoingDocument.objects.get(pk=document.pk)
    assert "Nguyễn Văn Bình" in stored.extracted_text and "Số: 01/QĐ-SNV" in stored.extracted_text
    assert stored.text_extracted_at is not None
