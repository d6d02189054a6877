"""The one-stop slips (forms 01–05): which a dossier has, what the PDF says, the QR link, administrators'
templates that cannot reach the disk or the network, and the officer's and the API's download."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from ninja import NinjaAPI
from ninja.testing import TestClient

from lienthong.audit.models import AuditEntry
from lienthong.core.errors import DomainError
from lienthong.core.problems import from_domain_error
from lienthong.directory import services as directory
from lienthong.onestop import actions, slip_templates, slips
from lienthong.onestop.api_slips import router as slips_router
from lienthong.onestop.models import Apology, Dossier, DossierStep, SlipTemplate
from lienthong.onestop.services import receive_dossier
from lienthong.worktime.services import seed_calendar

from .helpers import P_ONLY_B, P_WORKING_DAYS, World, applicant, vn

Clock = Callable[[datetime], None]
RECEIVED = vn(2027, 3, 3, 9, 30)  # Wednesday, an ordinary working week
PUBLIC = "https://dichvucong.thanhlam.gov.vn"


@pytest.fixture
def desk(world: World, clock: Clock) -> Dossier:
    """A dossier handed in at A's desk: accepted at once, with its appointment."""
    seed_calendar([2027])
    clock(RECEIVED)
    return receive_dossier(
        actor=world.officer_a,
        procedure_code=P_WORKING_DAYS,
        agency=world.a,
        applicant=applicant(name="Đỗ Thị Hường"),
        channel="desk",
    )


@pytest.fixture
def online(world: World, clock: Clock) -> Dossier:
    """A dossier submitted online to A, not yet accepted."""
    seed_calendar([2027])
    clock(RECEIVED)
    return receive_dossier(
        actor=None, procedure_code=P_WORKING_DAYS, agency=world.a, applicant=applicant(), channel="online"
    )


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "slip.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def approve_apology(dossier: Dossier, world: World) -> Apology:
    assert dossier.due_at is not None
    return Apology.objects.create(
        dossier=dossier,
        agency=world.a,
        reason="Cần xác minh thêm với Ủy ban nhân dân phường.",
        previous_due_at=dossier.due_at,
        new_due_at=vn(2027, 3, 15, 16),
        status="approved",
        drafted_by="chuyenvien.a",
        drafted_at=vn(2027, 3, 8, 10),
        decided_by="quantri",
        decided_at=vn(2027, 3, 8, 14),
    )


# --- which slips a dossier has --------------------------------------------------------------------------------


def test_a_desk_dossier_has_its_receipt_and_control_slip(desk: Dossier) -> None:
    assert slips.available_slips(desk) == ["01", "05"]


def test_an_online_dossier_not_yet_accepted_has_no_slip(online: Dossier) -> None:
    assert slips.available_slips(online) == []
    with pytest.raises(DomainError) as refused:
        slips.render_slip_pdf(online, "01")
    assert (refused.value.rule, refused.value.field, refused.value.status) == (
        "slip_not_available",
        "form",
        409,
    )


def test_an_unknown_form_is_refused(desk: Dossier) -> None:
    with pytest.raises(DomainError) as refused:
        slips.render_slip_html(desk, "07")
    assert (refused.value.rule, refused.value.field) == ("unknown_form", "form")


def test_supplement_refusal_and_apology_slips_appear_with_their_events(
    world: World, desk: Dossier, online: Dossier, clock: Clock
) -> None:
    clock(vn(2027, 3, 4, 10))
    actions.request_supplement(actor=world.officer_a, dossier=desk, reason="Thiếu bản sao giấy khai sinh.")
    actions.refuse_at_intake(actor=world.officer_a, dossier=online, reason="Không thuộc thẩm quyền.")
    approve_apology(desk, world)
    assert slips.available_slips(desk) == ["01", "02", "04", "05"]
    assert slips.available_slips(online) == ["03"]


def test_a_draft_apology_gives_no_slip(world: World, desk: Dossier) -> None:
    apology = approve_apology(desk, world)
    Apology.objects.filter(pk=apology.pk).update(status="draft", decided_by="", decided_at=None)
    assert "04" not in slips.available_slips(desk)


# --- what the slips say ---------------------------------------------------------------------------------------


def test_receipt_pdf_shows_code_agency_and_appointment(desk: Dossier, tmp_path: Path) -> None:
    pdf = slips.render_slip_pdf(desk, "01")
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    assert desk.code in text
    assert "SỞ TƯ PHÁP" in text and "Sở Tư pháp" in text
    assert "Mã định danh: 000.00.03.H56" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "Đỗ Thị Hường" in text and "Thủ tục thử 1.000001" in text
    assert "03/03/2027 09:30" in text  # received, Vietnam time
    assert desk.due_at is not None
    assert slips.moment_text(desk.due_at) in text
    assert "Nguyễn Thị Hoa" in text  # the officer who received it signs


def test_the_qr_code_links_to_the_status_page_with_the_code_filled_in(
    desk: Dossier, settings: Any, client: Client
) -> None:
    settings.LIENTHONG_PUBLIC_URL = PUBLIC
    context = slips.slip_context(desk, "01")
    assert context["status_url"] == f"{PUBLIC}/ho-so/tra-cuu/?ma={desk.code}"
    assert context["qr_data_uri"] == slips.qr_data_uri(context["status_url"])
    assert context["qr_data_uri"].startswith("data:image/svg+xml")
    page = client.get(context["status_url"].removeprefix(PUBLIC))
    assert page.status_code == 200
    assert f'value="{desk.code}"' in page.content.decode()


def test_supplement_slip_carries_what_is_missing(
    world: World, desk: Dossier, clock: Clock, tmp_path: Path
) -> None:
    clock(vn(2027, 3, 4, 10, 15))
    actions.request_supplement(actor=world.officer_a, dossier=desk, reason="Thiếu bản sao giấy khai sinh.")
    text = pdf_text(slips.render_slip_pdf(desk, "02"), tmp_path)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "Thiếu bản sao giấy khai sinh." in text
    assert "04/03/2027 10:15" in text


def test_refusal_slip_carries_the_reason(world: World, online: Dossier, tmp_path: Path) -> None:
    actions.refuse_at_intake(
        actor=world.officer_a, dossier=online, reason="Hồ sơ không thuộc thẩm quyền của Sở."
    )
    text = pdf_text(slips.render_slip_pdf(online, "03"), tmp_path)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert "Hồ sơ không thuộc thẩm quyền của Sở." in text
    assert online.code in text


def test_apology_slip_shows_the_old_and_the_new_appointment(
    world: World, desk: Dossier, tmp_path: Path
) -> None:
    approve_apology(desk, world)
    text = pdf_text(slips.render_slip_pdf(desk, "04"), tmp_path)
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
    assert desk.due_at is not None and slips.moment_text(desk.due_at) in text
    assert "15/03/2027 16:00" in text
    assert "Cần xác minh thêm với Ủy ban nhân dân phường." in text
    assert "Phạm Văn Bình" in text  # the leader who approved it signs


def test_control_slip_has_one_line_per_hand_over(world: World, desk: Dossier) -> None:
    common = {"dossier": desk, "agency": world.a, "allowance_hours": Decimal("8")}
    DossierStep.objects.create(
        **common,
        sequence=1,
        step_order=1,
        title="Thẩm định hồ sơ",
        assignee=world.specialist_a,
        started_at=vn(2027, 3, 3, 10),
        due_at=vn(2027, 3, 4, 10),
        finished_at=vn(2027, 3, 4, 9),
        outcome="forwarded",
    )
    DossierStep.objects.create(
        **common,
        sequence=2,
        step_order=2,
        title="Lãnh đạo phê duyệt",
        started_at=vn(2027, 3, 4, 9),
        due_at=vn(2027, 3, 4, 17),
        finished_at=vn(2027, 3, 5, 8),
        outcome="finished",
    )
    context = slips.slip_context(desk, "05")
    steps = context["steps"]
    assert [s["title"] for s in steps] == ["Thẩm định hồ sơ", "Lãnh đạo phê duyệt"]
    assert steps[0]["from"] == "Bộ phận tiếp nhận và trả kết quả (Nguyễn Thị Hoa)"
    assert steps[0]["to"] == "Trần Văn Nam – Sở Tư pháp"
    assert steps[1]["from"] == steps[0]["to"]  # the next line starts where the last one handed over
    assert (steps[0]["handed_at"], steps[0]["due"]) == ("03/03/2027 10:00", "04/03/2027 10:00")
    assert [s["result"] for s in steps] == ["Đúng hạn", "Quá hạn"]
    html = slips.render_slip_html(desk, "05")
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert body.count("<tr>") == 2


# --- administrators' templates ----------------------------------------------------------------------------------


def test_an_administrators_template_replaces_the_built_in(desk: Dossier, tmp_path: Path) -> None:
    SlipTemplate.objects.create(
        form="01",
        title="Giấy tiếp nhận (mẫu tỉnh)",
        body='{% extends "onestop/slips/base.html" %}{% block body %}<p>Mẫu riêng của tỉnh: {{ applicant.name }},'
        " hẹn trả {{ dossier.due }}</p>{% endblock %}",
    )
    text = pdf_text(slips.render_slip_pdf(desk, "01"), tmp_path)
    assert "Mẫu riêng của tỉnh: Đỗ Thị Hường" in text
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" not in text
    assert slips.render_slip_html(desk, "05").count("Mẫu riêng") == 0  # only form 01 is replaced


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def web_server() -> Iterator[tuple[str, list[str]]]:
    """A local web server that records every request made to it."""
    _Recorder.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.hits
    server.shutdown()
    server.server_close()


def test_a_template_cannot_reach_files_or_the_network(
    desk: Dossier, web_server: tuple[str, list[str]], tmp_path: Path
) -> None:
    base, hits = web_server
    SlipTemplate.objects.create(
        form="01",
        title="Mẫu thử",
        body=(
            f'<html><head><link rel="stylesheet" href="{base}/kieu.css"><style>@import url("{base}/them.css");'
            '</style><link rel="attachment" href="file:///etc/passwd" title="passwd"></head><body>'
            f'<img src="file:///etc/passwd"><img src="{base}/anh.png"><a rel="attachment" href="file:///etc/hosts">x</a>'
            f"<img src=\"data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' width='9' height='9'>"
            f"<image href='{base}/trong-svg.png' width='9' height='9'/></svg>\">"
            '<img src="{{ qr_data_uri }}"><p>{{ dossier.code }}</p></body></html>'
        ),
    )
    fetcher = slips.DataOnlyFetcher()
    pdf = slips.html_to_pdf(slips.render_slip_html(desk, "01"), fetcher)
    assert pdf.startswith(b"%PDF")
    assert hits == []
    assert {"file:///etc/passwd", f"{base}/kieu.css", f"{base}/anh.png"} <= set(fetcher.refused)
    path = tmp_path / "slip.pdf"
    path.write_bytes(pdf)
    attachments = subprocess.run(
        ["pdfdetach", "-list", str(path)], check=True, capture_output=True, text=True
    )
    assert attachments.stdout.startswith("0 embedded files")
    assert desk.code in pdf_text(pdf, tmp_path)  # the data: QR code and the text still render


@pytest.mark.parametrize(
    "body",
    ["{% debug %}", "{% load static %}{% static 'x.css' %}", "{% if %}", '{% include "/etc/passwd" %}'],
)
def test_a_template_that_does_not_compile_is_refused_naming_the_body(db: None, body: str) -> None:
    with pytest.raises(DomainError) as refused:
        slip_templates.save_slip_template(actor=None, form="01", title="", body=body)
    assert (refused.value.rule, refused.value.field) == ("template_syntax", "body")
    assert not SlipTemplate.objects.exists()


def test_a_template_that_breaks_while_rendering_falls_back_to_the_built_in(desk: Dossier) -> None:
    SlipTemplate.objects.create(form="01", title="Hỏng", body='{% include "onestop/slips/khong-co.html" %}')
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in slips.render_slip_html(desk, "01")


def test_the_admin_saves_a_template_starting_from_the_built_in(world: World) -> None:
    admin = directory.create_person(actor=None, username="admin", full_name="Quản trị")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    add = reverse("admin:onestop_sliptemplate_add")
    prefilled = client.get(add + "?form=02")
    assert "{{ reason|linebreaksbr }}" in prefilled.content.decode()  # the built-in form 02, ready to edit
    broken = client.post(add, {"form": "03", "title": "", "body": "{% if %}"})
    assert broken.status_code == 200 and "Mẫu không hợp lệ" in broken.content.decode()
    saved = client.post(add, {"form": "03", "title": "", "body": ""})
    assert saved.status_code == 302
    template = SlipTemplate.objects.get(form="03")
    assert template.body == slip_templates.builtin_source("03")
    assert template.title == "Phiếu từ chối tiếp nhận giải quyết hồ sơ"
    assert template.updated_by == "admin"
    change = reverse("admin:onestop_sliptemplate_change", args=[template.pk])
    assert client.get(change).status_code == 200
    edited = client.post(change, {"title": "Mẫu 03 của tỉnh", "body": "<p>{{ reason }}</p>"})
    assert edited.status_code == 302
    template.refresh_from_db()
    assert (template.form, template.body) == ("03", "<p>{{ reason }}</p>")
    logged = AuditEntry.objects.filter(object_type="onestop.sliptemplate").values_list("action", flat=True)
    assert list(logged) == ["slip_template.save", "slip_template.save"]
    client.post(reverse("admin:onestop_sliptemplate_delete", args=[template.pk]), {"post": "yes"})
    assert not SlipTemplate.objects.exists()


# --- downloads ----------------------------------------------------------------------------------------------------


def signed_in(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_the_officer_downloads_the_receipt_inline(world: World, desk: Dossier) -> None:
    response = signed_in(world.officer_a).get(reverse("onestop:slip_pdf", args=[desk.code, "01"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{desk.code}-mau-01.pdf"'
    assert response.content.startswith(b"%PDF")


def test_an_officer_of_another_agency_gets_404(world: World, desk: Dossier) -> None:
    response = signed_in(world.officer_b).get(reverse("onestop:slip_pdf", args=[desk.code, "01"]))
    assert response.status_code == 404


def test_a_slip_the_dossier_has_not_got_answers_409_naming_the_form(world: World, desk: Dossier) -> None:
    response = signed_in(world.officer_a).get(reverse("onestop:slip_pdf", args=[desk.code, "03"]))
    assert response.status_code == 409
    assert 'data-field="form"' in response.content.decode()
    unknown = signed_in(world.officer_a).get(reverse("onestop:slip_pdf", args=[desk.code, "99"]))
    assert unknown.status_code == 404


def _api() -> TestClient:
    # The router as the platform's API serves it: Http404 and domain errors become problem documents.
    api = NinjaAPI(urls_namespace="slips-test")
    api.add_exception_handler(DomainError, lambda request, exc: from_domain_error(exc))
    api.add_router("/dossiers", slips_router)
    return TestClient(api)


def bearer(agency: Any) -> dict[str, str]:
    _, token = directory.create_api_credential(actor=None, agency=agency, name="Cổng dịch vụ công")
    return {"Authorization": f"Bearer {token}"}


def test_the_api_lists_and_serves_the_slips_in_scope(world: World, desk: Dossier) -> None:
    client, headers = _api(), bearer(world.a)
    listed = client.get(f"/dossiers/{desk.code}/slips", headers=headers)
    assert listed.status_code == 200
    assert [row["form"] for row in listed.json()] == ["01", "05"]
    assert listed.json()[0]["url"] == f"/dossiers/{desk.code}/slips/01"
    pdf = client.get(f"/dossiers/{desk.code}/slips/01", headers=headers)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    missing = client.get(f"/dossiers/{desk.code}/slips/02", headers=headers)
    assert missing.status_code == 409 and missing.json()["errors"][0]["rule"] == "slip_not_available"
    other = client.get(f"/dossiers/{desk.code}/slips/01", headers=bearer(world.b))
    assert other.status_code == 404


def test_the_api_documents_the_pdf_and_the_problems() -> None:
    schema = NinjaAPI(urls_namespace="slips-schema")
    schema.add_router("/dossiers", slips_router)
    operation = schema.get_openapi_schema(path_prefix="")["paths"]["/dossiers/{code}/slips/{form}"]["get"]
    assert operation["description"]
    assert "application/pdf" in operation["responses"][200]["content"]
    assert "application/problem+json" in operation["responses"][409]["content"]
    assert 404 in operation["responses"]


def test_slips_of_a_dossier_at_another_agency_stay_apart(world: World, clock: Clock) -> None:
    seed_calendar([2027])
    clock(RECEIVED)
    at_b = receive_dossier(
        actor=world.officer_b, procedure_code=P_ONLY_B, agency=world.b, applicant=applicant(), channel="desk"
    )
    assert slips.slip_context(at_b, "01")["agency"]["name"] == "Sở Xây dựng"
