"""Demo documents at Sở Nội vụ and phường Thành Lam, so each demo role finds work:

- Thành Lam: a draft by ``thanhlam.chuyenvien`` (not yet submitted);
- Sở Nội vụ: a plan in review with ``snv.truongphong``; a decision signed by ``snv.giamdoc`` waiting for
  ``snv.vanthu`` to issue it; an official letter issued to Thành Lam (and one agency outside the platform,
  waiting for the exchange), which Thành Lam received at once and ``thanhlam.chutich`` assigned to
  ``thanhlam.chuyenvien`` with the economy unit cooperating; a work file holding the issued letter.

Everything goes through the services with the demo keys of the signing app (password ``demo``), so the
signatures are real. A second run finds the documents and writes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from lienthong.core.demo import DemoReport
from lienthong.directory.models import Agency, Person, Unit
from lienthong.signing.pki import DEFAULT_PASSWORD
from lienthong.signing.selectors import agency_key_for, personal_key_for

from . import services
from .models import IncomingDocument, OutgoingDocument, RetentionPeriod
from .services import DraftContent, RecipientInput

SNV = "000.00.02.H99"
THANH_LAM = "000.00.31.H99"
OUTSIDE = "000.00.00.G22"  # the Government Office: outside the platform, reached over the exchange
_PEOPLE = (
    "snv.chuyenvien",
    "snv.truongphong",
    "snv.giamdoc",
    "snv.vanthu",
    "thanhlam.chutich",
    "thanhlam.chuyenvien",
)


def has_documents() -> bool:
    return OutgoingDocument.objects.exists() or IncomingDocument.objects.exists()


def load_demo_documents(report: DemoReport) -> None:
    if has_documents():
        return
    agencies = {a.code: a for a in Agency.objects.filter(code__in=(SNV, THANH_LAM))}
    people = {p.username: p for p in Person.objects.filter(username__in=_PEOPLE)}
    if len(agencies) < 2 or len(people) < len(_PEOPLE):
        return
    snv, ward = agencies[SNV], agencies[THANH_LAM]
    specialist, head, director, clerk = (people[n] for n in _PEOPLE[:4])
    ward_leader, ward_specialist = people["thanhlam.chutich"], people["thanhlam.chuyenvien"]
    keys_ready = all(personal_key_for(p) for p in (director, ward_leader)) and agency_key_for(snv) is not None

    def draft(actor: Person, agency: Agency, **content: object) -> OutgoingDocument:
        return services.create_draft(actor=actor, agency=agency, content=DraftContent(**content))  # type: ignore[arg-type]

    draft(
        ward_specialist,
        ward,
        document_type="TB",
        subject="Về lịch tiếp công dân tháng tới của Chủ tịch Ủy ban nhân dân phường",
        body="Ủy ban nhân dân phường Thành Lam thông báo lịch tiếp công dân định kỳ như sau.\n"
        "Thời gian: sáng thứ Năm hằng tuần, từ 7 giờ 30 đến 11 giờ 00.\nĐịa điểm: Trụ sở Ủy ban nhân dân phường.",
        signer=ward_leader,
        authority_prefix="TM",
        authority_of="Ủy ban nhân dân",
    )
    plan = draft(
        specialist,
        snv,
        document_type="KH",
        subject="Kế hoạch bồi dưỡng kỹ năng chuyển đổi số cho công chức cấp xã",
        body="Thực hiện chương trình chuyển đổi số của tỉnh, Sở Nội vụ xây dựng kế hoạch bồi dưỡng như sau.\n"
        "I. Mục đích, yêu cầu.\nII. Đối tượng, thời gian.\nIII. Tổ chức thực hiện.",
        signer=director,
        recipients=[RecipientInput(THANH_LAM)],
    )
    services.submit_draft(actor=specialist, document=plan, reviewer=head)
    notes = ["1 dự thảo ở phường Thành Lam", "1 kế hoạch chờ thẩm định ở Sở Nội vụ"]
    if keys_ready:
        decision = draft(
            specialist,
            snv,
            document_type="QĐ",
            subject="Về việc cử công chức tham gia lớp bồi dưỡng quản lý nhà nước",
            body="Điều 1. Cử các công chức có tên trong danh sách kèm theo tham gia lớp bồi dưỡng.\n"
            "Điều 2. Quyết định có hiệu lực kể từ ngày ký.",
            signer=director,
            recipients=[RecipientInput(THANH_LAM)],
        )
        services.submit_draft(actor=specialist, document=decision, reviewer=head)
        services.review_draft(actor=head, document=decision, decision="approve")
        services.sign_document(actor=director, document=decision, secret=DEFAULT_PASSWORD)
        letter = draft(
            specialist,
            snv,
            document_type="CV",
            subject="Đề nghị báo cáo số lượng công chức cấp xã cần bồi dưỡng",
            body="Để có cơ sở tổ chức bồi dưỡng, Sở Nội vụ đề nghị Ủy ban nhân dân phường báo cáo số lượng công "
            "chức cần bồi dưỡng trong năm.\nBáo cáo gửi về Sở Nội vụ trước ngày hạn ghi trên văn bản.",
            signer=director,
            recipients=[RecipientInput(THANH_LAM), RecipientInput(OUTSIDE, "Văn phòng Chính phủ")],
            reply_due=timezone.localdate() + timedelta(days=14),
        )
        services.submit_draft(actor=specialist, document=letter, reviewer=head)
        services.review_draft(actor=head, document=letter, decision="approve")
        services.sign_document(actor=director, document=letter, secret=DEFAULT_PASSWORD)
        services.issue_document(actor=clerk, document=letter, secret=DEFAULT_PASSWORD)
        received = IncomingDocument.objects.get(agency=ward, outgoing=letter)
        economy = Unit.objects.filter(agency=ward, code="KT").first()
        services.assign_incoming(
            actor=ward_leader,
            document=received,
            main=ward_specialist,
            cooperating=[economy] if economy is not None else [],
            due_in_days=5,
            note="Giao phòng Kinh tế tổng hợp, tham mưu báo cáo đúng hạn.",
        )
        retention = RetentionPeriod.objects.filter(years=10).first() or RetentionPeriod.objects.first()
        if retention is not None:
            work_file = services.create_work_file(
                actor=specialist,
                agency=snv,
                year=timezone.localdate().year,
                code="CCVC.05",
                title="Hồ sơ bồi dưỡng công chức cấp xã",
                retention=retention,
            )
            services.add_to_work_file(actor=specialist, work_file=work_file, document=letter)
        notes.append(
            "1 quyết định chờ văn thư phát hành, 1 công văn đã phát hành và được phường phân công xử lý"
        )
    report.notes.append("Văn bản mẫu: " + "; ".join(notes))
