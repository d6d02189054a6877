"""Every refusal on the way from draft to issued document: who may act, in which state, with which input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import IntegrityError, connection, transaction

from lienthong.core.errors import DomainError
from lienthong.directory import services as directory
from lienthong.directory.models import ApiCredential
from lienthong.documents import services
from lienthong.documents.models import (
    IncomingDocument,
    OutboundDelivery,
    OutgoingDocument,
    OutgoingStatus,
    Register,
)
from lienthong.documents.services import RecipientInput

from .world import CODE_B, OUTSIDE, SECRET, SIGNATURE_PNG, World, tiny_pdf


def _refused(rule: str, status: int | None = None):
    class Expect:
        def __enter__(self):
            self.ctx = pytest.raises(DomainError)
            self.info = self.ctx.__enter__()
            return self.info

        def __exit__(self, *exc):
            handled = self.ctx.__exit__(*exc)
            assert self.info.value.rule == rule, (self.info.value.rule, self.info.value.message)
            if status is not None:
                assert self.info.value.status == status
            return handled

    return Expect()


def _signed(world: World, **content: object) -> OutgoingDocument:
    document = services.create_draft(
        actor=world.a_specialist, agency=world.a, content=world.content(**content)
    )
    services.submit_draft(actor=world.a_specialist, document=document, reviewer=world.a_unit_head)
    services.review_draft(actor=world.a_unit_head, document=document, decision="approve")
    return services.sign_document(actor=world.a_director, document=document, secret=SECRET)


# --- drafting --------------------------------------------------------------------------------------------


def test_a_clerk_cannot_draft_and_nobody_drafts_for_another_agency(world: World) -> None:
    with _refused("drafter_role_required", 403):
        services.create_draft(actor=world.a_clerk, agency=world.a, content=world.content())
    with _refused("drafter_role_required", 403):
        services.create_draft(actor=world.b_specialist, agency=world.a, content=world.content())
    assert not OutgoingDocument.objects.exists()


def test_an_api_credential_is_not_a_person_and_cannot_draft(world: World) -> None:
    credential, _secret = directory.create_api_credential(actor=None, agency=world.a, name="Phần mềm cũ")
    assert isinstance(credential, ApiCredential)
    with _refused("person_required", 403):
        services.create_draft(actor=credential, agency=world.a, content=world.content())  # type: ignore[arg-type]


def test_the_signer_must_be_a_leader_of_the_issuing_agency(world: World) -> None:
    with _refused("signer_not_leader"):
        services.create_draft(
            actor=world.a_specialist, agency=world.a, content=world.content(signer=world.a_unit_head)
        )
    with _refused("signer_not_leader"):
        services.create_draft(
            actor=world.a_specialist, agency=world.a, content=world.content(signer=world.b_leader)
        )


def test_a_secret_document_cannot_go_to_a_recipient_outside_the_platform(world: World) -> None:
    for recipient in (RecipientInput(OUTSIDE, "Văn phòng Chính phủ"), RecipientInput(CODE_B, external=True)):
        with _refused("secret_not_external") as info:
            services.create_draft(
                actor=world.a_specialist,
                agency=world.a,
                content=world.content(secrecy="confidential", recipients=[RecipientInput(CODE_B), recipient])
                if not recipient.external
                else world.content(secrecy="confidential", recipients=[recipient]),
            )
        assert info.value.field in {"recipients[0].agency_code", "recipients[1].agency_code"}


@pytest.mark.parametrize(
    ("recipients", "rule", "field"),
    [
        ([RecipientInput("000.00.2.H56")], "agency_code_shape", "recipients[0].agency_code"),
        ([RecipientInput("000.00.00.h56")], "agency_code_shape", "recipients[0].agency_code"),
        ([RecipientInput(CODE_B), RecipientInput(CODE_B)], "duplicate", "recipients[1].agency_code"),
        ([RecipientInput("000.00.02.H56")], "recipient_self", "recipients[0].agency_code"),
        ([RecipientInput("000.00.00.G01")], "required", "recipients[0].name"),
        ([{"agency_code": CODE_B, "fax": "x"}], "unknown_field", "recipients[0].fax"),
    ],
)
def test_bad_recipients_are_refused_naming_the_field(world: World, recipients, rule: str, field: str) -> None:
    with _refused(rule) as info:
        services.create_draft(
            actor=world.a_specialist, agency=world.a, content=world.content(recipients=recipients)
        )
    assert info.value.field == field


def test_an_agency_that_ended_is_refused_and_its_successor_named(world: World) -> None:
    ended = directory.create_agency(
        actor=None,
        code="000.00.81.H56",
        name="Ủy ban nhân dân huyện Cũ",
        short_name="UBND",
        tier="district",
        parent=world.province,
        is_active=False,
        successor=world.b,
    )
    with _refused("recipient_inactive") as info:
        services.create_draft(
            actor=world.a_specialist,
            agency=world.a,
            content=world.content(recipients=[RecipientInput(ended.code)]),
        )
    assert world.b.name in info.value.message


@pytest.mark.parametrize(
    ("data", "rule"),
    [
        (b"", "empty_file"),
        (b"just text, not a document", "file_type"),
        (SIGNATURE_PNG, "pdf_required"),
        (b"%PDF-1.7\n1 0 obj << >> endobj\n", "pdf_structure"),
        (b"%PDF-1.7\ngarbage garbage\nstartxref\n999999\n%%EOF\n", "pdf_damaged"),
    ],
)
def test_a_file_that_is_not_a_sound_pdf_is_refused(world: World, data: bytes, rule: str) -> None:
    with _refused(rule) as info:
        services.create_draft(actor=world.a_specialist, agency=world.a, content=world.content(pdf=data))
    assert info.value.field == "pdf"


def test_places_on_an_uploaded_pdf_must_lie_on_its_pages(world: World) -> None:
    outside = {"signer": {"page": 0, "x1": 500, "y1": 10, "x2": 700, "y2": 90}}
    with _refused("box_outside_page") as info:
        services.create_draft(
            actor=world.a_specialist, agency=world.a, content=world.content(pdf=tiny_pdf(), layout=outside)
        )
    assert info.value.field == "layout.signer"
    with _refused("box_outside_page"):
        services.create_draft(
            actor=world.a_specialist,
            agency=world.a,
            content=world.content(
                pdf=tiny_pdf(), layout={"signer": {"page": 3, "x1": 1, "y1": 1, "x2": 90, "y2": 90}}
            ),
        )
    with _refused("unknown_field"):
        services.create_draft(
            actor=world.a_specialist,
            agency=world.a,
            content=world.content(pdf=tiny_pdf(), layout={"stamp": {}}),
        )
    with _refused("layout_only_for_upload"):
        services.create_draft(actor=world.a_specialist, agency=world.a, content=world.content(layout=outside))


def test_unknown_document_type_and_empty_subject_are_refused(world: World) -> None:
    with _refused("unknown_document_type"):
        services.create_draft(
            actor=world.a_specialist, agency=world.a, content=world.content(document_type="XYZ")
        )
    with _refused("required") as info:
        services.create_draft(actor=world.a_specialist, agency=world.a, content=world.content(subject="  "))
    assert info.value.field == "subject"
    with _refused("required") as info:
        services.create_draft(
            actor=world.a_specialist,
            agency=world.a,
            content=world.content(authority_prefix="KT", authority_of=""),
        )
    assert info.value.field == "authority_of"


# --- review ----------------------------------------------------------------------------------------------


def test_a_returned_draft_goes_back_to_the_drafter_who_edits_it_into_a_new_version(world: World) -> None:
    document = services.create_draft(actor=world.a_specialist, agency=world.a, content=world.content())
    services.submit_draft(actor=world.a_specialist, document=document, reviewer=world.a_unit_head)
    with _refused("not_editable", 409):
        services.update_draft(
            actor=world.a_specialist, document=document, content=world.content(subject="Sửa")
        )
    with _refused("not_your_step", 403):
        services.review_draft(actor=world.a_director, document=document, decision="approve")
    with _refused("required"):
        services.review_draft(actor=world.a_unit_head, document=document, decision="return", note="")
    step = services.review_draft(
        actor=world.a_unit_head, document=document, decision="return", note="Sửa trích yếu"
    )
    assert step.decision == "returned" and document.status == OutgoingStatus.RETURNED

    with _refused("drafter_only", 403):
        services.update_draft(
            actor=world.a_unit_head, document=document, content=world.content(subject="Khác")
        )
    with _refused("stale_version", 409):
        services.update_draft(
            actor=world.a_specialist,
            document=document,
            content=world.content(subject="Sửa"),
            expected_version=7,
        )
    updated = services.update_draft(
        actor=world.a_specialist,
        document=document,
        content=world.content(subject="Về việc cử cán bộ (sửa)"),
        expected_version=1,
    )
    assert updated.version == 2 and updated.subject.endswith("(sửa)")
    again = services.submit_draft(actor=world.a_specialist, document=document, reviewer=world.a_unit_head)
    assert again.document_version == 2


def test_a_specialist_must_name_a_reviewer_and_cannot_review_their_own_draft(world: World) -> None:
    document = services.create_draft(actor=world.a_specialist, agency=world.a, content=world.content())
    with _refused("required") as info:
        services.submit_draft(actor=world.a_specialist, document=document)
    assert info.value.field == "reviewer"
    with _refused("reviewer_is_drafter"):
        services.submit_draft(actor=world.a_specialist, document=document, reviewer=world.a_specialist)
    with _refused("reviewer_role_required"):
        services.submit_draft(actor=world.a_specialist, document=document, reviewer=world.a_clerk)


def test_the_signer_may_return_the_draft_but_approves_only_by_signing(world: World) -> None:
    document = services.create_draft(actor=world.a_specialist, agency=world.a, content=world.content())
    services.submit_draft(actor=world.a_specialist, document=document, reviewer=world.a_unit_head)
    services.review_draft(actor=world.a_unit_head, document=document, decision="approve")
    with _refused("sign_to_approve", 409):
        services.review_draft(actor=world.a_director, document=document, decision="approve")
    services.review_draft(actor=world.a_director, document=document, decision="return", note="Bổ sung căn cứ")
    assert document.status == OutgoingStatus.RETURNED


# --- signing and issuing ---------------------------------------------------------------------------------


def test_only_the_designated_signer_signs_and_only_once(world: World) -> None:
    document = services.create_draft(actor=world.a_specialist, agency=world.a, content=world.content())
    with _refused("not_awaiting_signature", 409):
        services.sign_document(actor=world.a_director, document=document, secret=SECRET)
    services.submit_draft(actor=world.a_specialist, document=document, reviewer=world.a_unit_head)
    services.review_draft(actor=world.a_unit_head, document=document, decision="approve")
    with _refused("not_designated_signer", 403):
        services.sign_document(actor=world.a_deputy, document=document, secret=SECRET)
    with _refused("wrong_secret"):
        services.sign_document(actor=world.a_director, document=document, secret="sai")
    document.refresh_from_db()
    assert document.personal_signed_at is None and document.status == OutgoingStatus.AWAITING_SIGNATURE
    services.sign_document(actor=world.a_director, document=document, secret=SECRET)
    with _refused("already_signed", 409):
        services.sign_document(actor=world.a_director, document=document, secret=SECRET)


def test_the_clerk_cannot_issue_a_number_before_the_leader_signs(world: World) -> None:
    document = services.create_draft(actor=world.a_specialist, agency=world.a, content=world.content())
    steps = [
        lambda: services.submit_draft(
            actor=world.a_specialist, document=document, reviewer=world.a_unit_head
        ),
        lambda: services.review_draft(actor=world.a_unit_head, document=document, decision="approve"),
    ]
    for next_step in [*steps, None]:
        with _refused("not_signed", 409):
            services.issue_document(actor=world.a_clerk, document=document, secret=SECRET)
        if next_step is not None:
            next_step()
    document.refresh_from_db()
    assert document.status == OutgoingStatus.AWAITING_SIGNATURE and document.number is None
    assert not Register.objects.exists()


def test_only_a_clerk_of_the_issuing_agency_issues_and_only_once(world: World) -> None:
    document = _signed(world)
    with _refused("clerk_role_required", 403):
        services.issue_document(actor=world.b_clerk, document=document, secret=SECRET)
    with _refused("clerk_role_required", 403):
        services.issue_document(actor=world.a_director, document=document, secret=SECRET)
    services.issue_document(actor=world.a_clerk, document=document, secret=SECRET)
    with _refused("already_issued", 409):
        services.issue_document(actor=world.a_clerk, document=document, secret=SECRET)
    assert Register.objects.get(agency=world.a).last_number == 1


def test_a_wrong_agency_secret_rolls_everything_back_and_the_number_is_not_used(world: World) -> None:
    document = _signed(
        world, recipients=[RecipientInput(CODE_B), RecipientInput(OUTSIDE, "Văn phòng Chính phủ")]
    )
    with _refused("wrong_secret"):
        services.issue_document(actor=world.a_clerk, document=document, secret="sai")
    document.refresh_from_db()
    assert document.status == OutgoingStatus.SIGNED and document.number is None and not document.issued_sha256
    assert Register.objects.filter(agency=world.a, last_number__gt=0).count() == 0
    assert not IncomingDocument.objects.exists() and not OutboundDelivery.objects.exists()
    issued = services.issue_document(actor=world.a_clerk, document=document, secret=SECRET)
    assert issued.number == 1


def test_the_database_refuses_a_number_on_a_document_nobody_signed(world: World) -> None:
    document = services.create_draft(actor=world.a_specialist, agency=world.a, content=world.content())
    table = connection.ops.quote_name(OutgoingDocument._meta.db_table)
    register = Register.objects.create(agency=world.a, year=2026, direction="outgoing")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET number = 1, register_id = %s, issue_date = %s WHERE id = %s",
            [register.pk, "2026-12-06", document.pk],
        )


def test_no_code_but_the_issuing_service_writes_a_document_number() -> None:
    """The documents app and every module that uses it: one assignment to ``.number``, in issue_document."""
    package = Path(__file__).resolve().parents[2]
    # An attribute set, a keyword to create()/update()/a constructor, or setattr by name.
    assignment = re.compile(
        r"\.number\s*=(?!=)|(?:update|create|Document)\([^)]*\bnumber\s*=|setattr\([^,]+,\s*[\"']number[\"']"
    )
    found = []
    for path in package.rglob("*.py"):
        relative = path.relative_to(package).as_posix()
        if "/tests/" in f"/{relative}" or "/migrations/" in f"/{relative}":
            continue
        text = path.read_text(encoding="utf-8")
        if not relative.startswith("documents/") and "lienthong.documents" not in text:
            continue
        found += [f"{relative}: {line.strip()}" for line in text.splitlines() if assignment.search(line)]
    assert found == ["documents/services/issuing.py: locked.number = number"]


def test_an_uploaded_pdf_with_its_own_number_and_date_fields_is_filled_in_them(world: World) -> None:
    from lienthong.signing import pades
    from lienthong.signing.pades import Box

    pdf = pades.add_designated_fields(
        tiny_pdf(), {"so_ky_hieu": Box(0, 90, 700, 260, 722), "ngay_ban_hanh": Box(0, 300, 700, 540, 722)}
    )
    document = _signed(
        world, pdf=pdf, layout={"signer": {"page": 0, "x1": 330, "y1": 200, "x2": 540, "y2": 330}}
    )
    assert sorted(document.own_fields) == ["ngay_ban_hanh", "so_ky_hieu"]
    assert document.layout["so_ky_hieu"]["x1"] == 90
    issued = services.issue_document(actor=world.a_clerk, document=document, secret=SECRET)
    from lienthong.documents.selectors import file_of
    from lienthong.signing.validation import validate_pdf

    report = validate_pdf(file_of(issued))
    assert report.all_valid_and_trusted and len(report.signatures) == 2


def test_no_number_when_the_stored_copy_lacks_the_signers_recorded_signature(world: World) -> None:
    document = _signed(world)
    OutgoingDocument.objects.filter(pk=document.pk).update(personal_certificate_sha256="0" * 64)
    with _refused("personal_signature_invalid", 409):
        services.issue_document(actor=world.a_clerk, document=document, secret=SECRET)
    document.refresh_from_db()
    assert document.number is None and not Register.objects.filter(last_number__gt=0).exists()
