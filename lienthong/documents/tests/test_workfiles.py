"""Work files: opened by staff, documents of the same agency added and removed, closed for good."""

from __future__ import annotations

import pytest

from lienthong.core.errors import DomainError
from lienthong.documents import services
from lienthong.documents.models import RetentionPeriod, WorkFileStatus
from lienthong.documents.services import IncomingContent

from .world import SECRET, World, tiny_pdf


def _issued(world: World):
    document = services.create_draft(
        actor=world.a_unit_head, agency=world.a, content=world.content(recipients=[])
    )
    services.submit_draft(actor=world.a_unit_head, document=document)
    services.sign_document(actor=world.a_director, document=document, secret=SECRET)
    return services.issue_document(actor=world.a_clerk, document=document, secret=SECRET), document


def _retention(years: int | None) -> RetentionPeriod:
    return (
        RetentionPeriod.objects.get(years=years) if years else RetentionPeriod.objects.get(years__isnull=True)
    )


def test_a_work_file_collects_the_agencys_documents_in_order_until_it_is_closed(world: World) -> None:
    work_file = services.create_work_file(
        actor=world.a_specialist,
        agency=world.a,
        year=2026,
        code="CCVC.01",
        title="Hồ sơ tuyển dụng",
        retention=_retention(None),
    )
    assert work_file.file_code == "000.00.02.H56.2026.CCVC.01" and work_file.retention.is_permanent
    assert work_file.responsible_person == world.a_specialist
    issued, _ = _issued(world)
    incoming = services.register_incoming(
        actor=world.a_clerk,
        agency=world.a,
        content=IncomingContent(
            issuer_name="Bộ Nội vụ", document_date=issued.issue_date, subject="Hướng dẫn", pdf=tiny_pdf()
        ),
    )
    first = services.add_to_work_file(actor=world.a_specialist, work_file=work_file, document=issued)
    second = services.add_to_work_file(actor=world.a_specialist, work_file=work_file, document=incoming)
    assert (first.ordinal, second.ordinal) == (1, 2)
    with pytest.raises(DomainError) as info:
        services.add_to_work_file(actor=world.a_specialist, work_file=work_file, document=issued)
    assert info.value.rule == "already_in_file"

    services.remove_from_work_file(actor=world.a_specialist, work_file=work_file, document=incoming)
    assert list(work_file.items.values_list("ordinal", flat=True)) == [1]
    closed = services.close_work_file(actor=world.a_clerk, work_file=work_file)
    assert closed.status == WorkFileStatus.CLOSED and closed.closed_by == world.a_clerk
    for action in (services.add_to_work_file, services.remove_from_work_file):
        with pytest.raises(DomainError) as info:
            action(actor=world.a_specialist, work_file=work_file, document=issued)
        assert info.value.rule == "work_file_closed"


def test_work_file_refusals(world: World) -> None:
    work_file = services.create_work_file(
        actor=world.a_specialist,
        agency=world.a,
        year=2026,
        code="CCVC.02",
        title="Hồ sơ",
        retention=_retention(10),
    )
    with pytest.raises(DomainError) as info:
        services.create_work_file(
            actor=world.a_unit_head,
            agency=world.a,
            year=2026,
            code="CCVC.02",
            title="Trùng",
            retention=_retention(10),
        )
    assert (info.value.status, info.value.rule) == (409, "duplicate_code")
    with pytest.raises(DomainError) as info:
        services.create_work_file(
            actor=world.a_specialist,
            agency=world.a,
            year=2026,
            code="có khoảng trắng",
            title="x",
            retention=_retention(10),
        )
    assert info.value.rule == "code_shape"
    with pytest.raises(DomainError) as info:
        services.create_work_file(
            actor=world.b_specialist,
            agency=world.a,
            year=2026,
            code="X.1",
            title="x",
            retention=_retention(10),
        )
    assert info.value.rule == "staff_role_required"
    draft = services.create_draft(actor=world.a_specialist, agency=world.a, content=world.content())
    with pytest.raises(DomainError) as info:
        services.add_to_work_file(actor=world.a_specialist, work_file=work_file, document=draft)
    assert info.value.rule == "not_issued"
    with pytest.raises(DomainError) as info:
        services.add_to_work_file(actor=world.b_specialist, work_file=work_file, document=draft)
    assert info.value.rule == "work_file_manager_required"
    ward_scan = services.register_incoming(
        actor=world.b_clerk,
        agency=world.b,
        content=IncomingContent(
            issuer_name="Sở Y tế", document_date=draft.created_at.date(), subject="x", pdf=tiny_pdf()
        ),
    )
    with pytest.raises(DomainError) as info:
        services.add_to_work_file(actor=world.a_specialist, work_file=work_file, document=ward_scan)
    assert info.value.rule == "document_other_agency"
