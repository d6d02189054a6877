"""Demo dossiers at the one-stop desk of phường Thành Lam, one in every queue, so a newcomer who signs in as
``thanhlam.motcua``, ``thanhlam.chuyenvien``, ``thanhlam.truongphong`` or ``thanhlam.chutich`` has work to see.

Everything goes through the services (audited, with timelines), dated in the recent past so the dates look
real. A second run finds dossiers and writes nothing.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from lienthong.catalog.models import Procedure
from lienthong.core.demo import DemoReport
from lienthong.directory.models import Agency, Person
from lienthong.worktime.arith import VN_TZ
from lienthong.worktime.selectors import calendar_for

from . import actions, fees, services, workflow
from .files import Upload
from .models import Dossier

THANH_LAM = "000.00.31.H99"
BUSINESS = "Đăng ký thành lập hộ kinh doanh"

_APPLICANTS = (
    ("Nguyễn Văn An", "038090001111", "0912000111"),
    ("Trần Thị Bình", "038091002222", "0912000222"),
    ("Lê Văn Cường", "038092003333", "0912000333"),
    ("Phạm Thị Dung", "038093004444", "0912000444"),
    ("Hoàng Văn Em", "038094005555", "0912000555"),
    ("Vũ Thị Giang", "038095006666", "0912000666"),
)


def has_dossiers() -> bool:
    return Dossier.objects.exists()


def _demo_pdf(title: str) -> bytes:
    body = f"1 0 obj << /Type /Catalog /Title ({title}) >> endobj\n".encode("latin-1", "replace")
    head = b"%PDF-1.4\n"
    xref = len(head) + len(body)
    trailer = (
        f"xref\n0 2\n0000000000 65535 f \n{len(head):010d} 00000 n \ntrailer << /Size 2 /Root 1 0 R >>\n"
    )
    return head + body + trailer.encode() + f"startxref\n{xref}\n%%EOF\n".encode()


def _moments(start: datetime, count: int) -> list[datetime]:
    return [start + timedelta(minutes=20 * i) for i in range(count)]


def _working_morning(agency_code: str, now: datetime, days_back: int) -> datetime:
    """08:00 (Vietnam) on the working date ``days_back`` working dates before today, so demo desk work
    happened in office hours."""
    calendar = calendar_for(agency_code)
    day = timezone.localdate(now)
    found = 0
    while found < days_back:
        day -= timedelta(days=1)
        found += calendar.is_working_date(day)
    return datetime.combine(day, time(8, 0), tzinfo=VN_TZ)


def load_demo_dossiers(report: DemoReport) -> None:
    """Six dossiers of the business registration procedure at Thành Lam, spread over the queues."""
    if has_dossiers():
        return
    agency = Agency.objects.filter(code=THANH_LAM).first()
    procedure = Procedure.objects.filter(name=BUSINESS).first()
    people = {p.username: p for p in Person.objects.filter(username__startswith="thanhlam.")}
    needed = ("thanhlam.motcua", "thanhlam.chuyenvien", "thanhlam.truongphong", "thanhlam.chutich")
    if agency is None or procedure is None or any(name not in people for name in needed):
        return
    desk, specialist, head, leader = (people[name] for name in needed)
    now = timezone.now()
    morning = _working_morning(THANH_LAM, now, 2)
    made = []
    for index, (name, id_number, phone) in enumerate(_APPLICANTS):
        # Online dossiers wait for the desk; the others came to the desk two days ago.
        online = index < 2
        received = now - timedelta(hours=3) if online else morning + timedelta(minutes=15 * index)
        dossier = services.receive_dossier(
            actor=None if online else desk,
            procedure_code=procedure.code,
            agency=agency,
            applicant={"kind": "person", "name": name, "id_number": id_number, "phone": phone},
            channel="online" if online else "desk",
            received_at=received,
            components=[Upload("Giấy đề nghị đăng ký hộ kinh doanh", "de-nghi.pdf", _demo_pdf(name))],
        )
        made.append(dossier)
    _, _, processing, assigned, paying, finished = made
    t = _moments(morning + timedelta(hours=2), 12)
    actions.start_processing(actor=desk, dossier=processing, at=t[0])
    for dossier in (assigned, paying, finished):
        actions.start_processing(actor=desk, dossier=dossier, at=t[1])
        workflow.forward(actor=desk, dossier=dossier, assignee=specialist, at=t[2])
    fees.request_payment(
        actor=specialist, dossier=paying, amount=100_000, reason="Lệ phí đăng ký hộ kinh doanh", at=t[3]
    )
    workflow.forward(actor=specialist, dossier=finished, at=t[4])
    workflow.forward(actor=head, dossier=finished, at=t[5])
    workflow.attach_result(
        actor=specialist,
        dossier=finished,
        result=Upload("Giấy chứng nhận đăng ký hộ kinh doanh", "giay-chung-nhan.pdf", _demo_pdf("GCN")),
        at=t[6],
    )
    workflow.sign_result(actor=leader, dossier=finished, at=t[7])
    workflow.approve(actor=leader, dossier=finished, at=t[8])
    actions.finish(actor=desk, dossier=finished, at=t[9])
    report.notes.append(f"{len(made)} hồ sơ một cửa mẫu tại phường Thành Lam")
