"""The one-stop slips (phiếu, forms 01–05 of Circular 01/2018/TT-VPCP) as HTML and PDF.

A slip is a Django template rendered with :func:`slip_context` — plain values only (strings, lists, dicts), no
model objects, so a template an administrator writes can print what the slip should carry and nothing more
(no related managers that walk to other dossiers). The built-in templates live in
``templates/onestop/slips/``; a :class:`SlipTemplate` row for the same form replaces the built-in.

Templates render in an engine of their own: it loads only the slip templates, offers only the ``i18n`` and
``l10n`` tag libraries and no ``{% debug %}``. WeasyPrint then fetches nothing but ``data:`` URIs, so an
administrator's template cannot pull a file from the server's disk (``<link rel="attachment"
href="file:///…">`` would otherwise embed it in the PDF) or call the network. Slips are legal forms, always in
Vietnamese whatever the officer's interface language.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import segno
from django.conf import settings
from django.template import Context, Engine, Library, defaulttags
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from lienthong.catalog.models import TimeUnit
from lienthong.core.errors import DomainError
from lienthong.directory.models import Person

from .models import (
    Apology,
    ApologyStatus,
    Channel,
    Dossier,
    DossierEvent,
    DossierFile,
    DossierStep,
    FileKind,
    NationalStatus,
    ReturnMethod,
    SlipTemplate,
    StepOutcome,
)
from .timeliness import VN_TZ

logger = logging.getLogger(__name__)

#: The slips a dossier can have, by form number, with the names Circular 01/2018 gives them (form 06, the
#: tracking register, is a spreadsheet: :mod:`.register`).
SLIP_FORMS: dict[str, Promise] = {
    "01": gettext_lazy("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    "02": gettext_lazy("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "03": gettext_lazy("Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    "04": gettext_lazy("Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    "05": gettext_lazy("Phiếu kiểm soát quá trình giải quyết hồ sơ"),
}

SLIP_TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "onestop" / "slips"
DESK = "Bộ phận tiếp nhận và trả kết quả"


# --- which slips exist -------------------------------------------------------------------------------------


def _last_event(dossier: Dossier, action: str) -> DossierEvent | None:
    return DossierEvent.objects.filter(dossier=dossier, action=action).order_by("-at", "-id").first()


def _approved_apology(dossier: Dossier) -> Apology | None:
    return (
        Apology.objects.filter(dossier=dossier, status=ApologyStatus.APPROVED)
        .select_related("unit")
        .order_by("-decided_at", "-id")
        .first()
    )


def available_slips(dossier: Dossier) -> list[str]:
    """The form numbers the dossier has a slip for now, in form order."""
    accepted = dossier.accepted_at is not None
    refused = dossier.national_status == NationalStatus.REFUSED or _last_event(dossier, "refuse") is not None
    found = {
        "01": accepted,
        "02": _last_event(dossier, "request_supplement") is not None,
        "03": refused,
        "04": _approved_apology(dossier) is not None,
        "05": accepted,
    }
    return [form for form, present in found.items() if present]


def check_form(dossier: Dossier, form: str) -> None:
    """Refuse a form number that does not exist (404) or a slip the dossier has not got yet (409)."""
    if form not in SLIP_FORMS:
        raise DomainError(
            message=_("Không có mẫu phiếu số “%(form)s”; các mẫu là 01 đến 05.") % {"form": form[:10]},
            rule="unknown_form",
            field="form",
            status=404,
        )
    if form not in available_slips(dossier):
        raise DomainError(
            message=_("Hồ sơ %(code)s chưa có %(title)s.")
            % {"code": dossier.code, "title": SLIP_FORMS[form]},
            rule="slip_not_available",
            field="form",
            status=409,
        )


# --- context ---------------------------------------------------------------------------------------------


def moment_text(value: datetime | None) -> str:
    """``dd/mm/yyyy HH:MM`` in Vietnam time, or an empty string."""
    return value.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M") if value is not None else ""


def _long_date(value: datetime) -> str:
    local = value.astimezone(VN_TZ)
    return f"ngày {local:%d} tháng {local:%m} năm {local:%Y}"


def status_url(code: str) -> str:
    """The public status page with the code filled in: what the slip's QR code holds."""
    return f"{settings.LIENTHONG_PUBLIC_URL}{reverse('onestop:status')}?ma={quote(code, safe='')}"


def _full_names(usernames: Iterable[str]) -> dict[str, str]:
    wanted = {name for name in usernames if name}
    rows = Person.objects.filter(username__in=wanted).values_list("username", "full_name")
    return {username: full_name or username for username, full_name in rows}


def _processing_time(record: dict[str, Any]) -> str:
    value, unit = record.get("processing_value"), record.get("processing_unit", "")
    if value is None:
        return ""
    number = f"{value:g}".replace(".", ",")
    label = TimeUnit(unit).label if unit in TimeUnit.values else unit
    return f"{number} {label}"


def _step_result(step: DossierStep, now: datetime) -> str:
    # A step's allowance is counted in working hours, so it is judged by the moment, not the date.
    if step.finished_at is None:
        return _("Quá hạn") if now > step.due_at else _("Đang xử lý, trong hạn")
    if step.finished_at > step.due_at:
        return _("Quá hạn")
    if step.finished_at.astimezone(VN_TZ).date() < step.due_at.astimezone(VN_TZ).date():
        return _("Trước hạn")
    return _("Đúng hạn")


def _steps(dossier: Dossier, desk_officer: str, now: datetime) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    previous = f"{DESK} ({desk_officer})" if desk_officer else DESK
    queryset = (
        DossierStep.objects.filter(dossier=dossier)
        .select_related("agency", "unit", "assignee")
        .order_by("sequence")
    )
    for step in queryset:
        person = step.assignee.full_name or step.assignee.username if step.assignee else ""
        place = step.unit.name if step.unit is not None else step.agency.name
        receiver = f"{person} – {place}" if person else place
        rows.append(
            {
                "number": str(step.sequence),
                "title": step.title,
                "agency": step.agency.name,
                "from": previous,
                "to": receiver,
                "handed_at": moment_text(step.started_at),
                "due": moment_text(step.due_at),
                "finished": moment_text(step.finished_at),
                "outcome": str(StepOutcome(step.outcome).label),
                "result": _step_result(step, now),
                "note": step.note,
            }
        )
        previous = receiver
    return rows


def slip_context(dossier: Dossier, form: str) -> dict[str, Any]:
    """Everything a slip template may print (the variables are listed in ``docs/mot-cua-phieu.md``)."""
    check_form(dossier, form)
    now = timezone.now()
    agency = dossier.agency
    events = {"02": "request_supplement", "03": "refuse"}
    extra: dict[str, Any] = {"reason": "", "reason_at": "", "reason_by": "", "apology": None, "steps": []}
    # The slip is dated by the act it records: acceptance, the request, the refusal, the leader's approval.
    issued_at = dossier.accepted_at if form == "01" and dossier.accepted_at is not None else now
    desk_event = _last_event(dossier, "accept") or _last_event(dossier, "receive")
    reason_event = _last_event(dossier, events[form]) if form in events else None
    names = _full_names(e.actor for e in (desk_event, reason_event) if e is not None)
    officer = names.get(desk_event.actor, "") if desk_event is not None else ""
    if reason_event is not None:
        extra.update(
            reason=reason_event.note,
            reason_at=moment_text(reason_event.at),
            reason_by=names.get(reason_event.actor, ""),
        )
        issued_at = reason_event.at
    if form == "04":
        apology = _approved_apology(dossier)
        assert apology is not None  # check_form saw it
        extra["apology"] = {
            "reason": apology.reason,
            "unit": apology.unit.name if apology.unit is not None else "",
            "previous_due": moment_text(apology.previous_due_at),
            "new_due": moment_text(apology.new_due_at),
            "new_due_date": _long_date(apology.new_due_at),
            "decided_by": _full_names([apology.decided_by]).get(apology.decided_by, apology.decided_by),
            "decided_at": moment_text(apology.decided_at),
        }
        issued_at = apology.decided_at or apology.drafted_at
    if form == "05":
        extra["steps"] = _steps(dossier, officer, now)
    url = status_url(dossier.code)
    components = DossierFile.objects.filter(dossier=dossier, kind=FileKind.COMPONENT).values_list(
        "title", flat=True
    )
    context: dict[str, Any] = {
        "form": form,
        "title": str(SLIP_FORMS[form]),
        "agency": {
            "code": agency.code,
            "name": agency.name,
            "short_name": agency.short_name,
            "parent_name": agency.parent.name if agency.parent_id and agency.parent else "",
            "address": agency.address,
            "phone": agency.phone,
            "email": agency.email,
        },
        "dossier": {
            "code": dossier.code,
            "status": str(NationalStatus(dossier.national_status).label),
            "channel": str(Channel(dossier.channel).label),
            "received": moment_text(dossier.received_at),
            "accepted": moment_text(dossier.accepted_at),
            "due": moment_text(dossier.due_at),
            "rescheduled_due": moment_text(dossier.rescheduled_due_at),
            "return_method": str(ReturnMethod(dossier.return_method).label) if dossier.return_method else "",
            "components": list(components),
            "sets": 1,
        },
        "applicant": {
            "name": dossier.applicant_name,
            "id_number": dossier.applicant_id_number,
            "address": dossier.applicant_address,
            "phone": dossier.applicant_phone,
            "email": dossier.applicant_email,
        },
        "procedure": {
            "code": dossier.procedure.code,
            "name": dossier.procedure.name,
            "processing_time": _processing_time(dossier.procedure_version.record),
        },
        "officer": officer,
        "desk": DESK,
        "issued": _long_date(issued_at),
        "printed": moment_text(now),
        "status_url": url,
        "qr_data_uri": qr_data_uri(url),
    }
    context.update(extra)
    return context


def qr_data_uri(payload: str) -> str:
    """The QR code of ``payload`` as an SVG ``data:`` URI (no file, no network)."""
    return str(segno.make(payload, error="m").svg_data_uri(scale=4, border=2))


# --- rendering -------------------------------------------------------------------------------------------


@functools.cache
def slip_engine() -> Engine:
    sources = {
        f"onestop/slips/{path.name}": path.read_text("utf-8") for path in SLIP_TEMPLATE_DIR.glob("*.html")
    }
    engine = Engine(
        loaders=[("django.template.loaders.locmem.Loader", sources)],
        libraries={"i18n": "django.templatetags.i18n", "l10n": "django.templatetags.l10n"},
        autoescape=True,
    )
    # {% debug %} would print the context and the server's module list into a slip.
    safe_tags = Library()
    safe_tags.tags = {name: tag for name, tag in defaulttags.register.tags.items() if name != "debug"}
    safe_tags.filters = dict(defaulttags.register.filters)
    engine.template_builtins = [safe_tags, *engine.template_builtins[1:]]
    return engine


def render_with(body: str | None, form: str, context: dict[str, Any]) -> str:
    """Render ``body`` (an administrator's template) or, without one, the built-in template of ``form``."""
    engine = slip_engine()
    with translation.override("vi"):
        if body is not None:
            try:
                return engine.from_string(body).render(Context(context))
            except Exception:
                # Whatever breaks in an administrator's template, the desk must still print the slip for the
                # citizen in front of it: the built-in one is used and the log tells the administrator.
                logger.exception("slip template %s is broken; the built-in one is used", form)
        return engine.get_template(f"onestop/slips/form_{form}.html").render(Context(context))


def render_slip_html(dossier: Dossier, form: str) -> str:
    """The slip ``form`` of ``dossier`` as HTML: the administrator's template if there is one, else the built-in."""
    context = slip_context(dossier, form)
    override = SlipTemplate.objects.filter(form=form).values_list("body", flat=True).first()
    return render_with(override, form, context)


class DataOnlyFetcher(URLFetcher):
    """Fetches ``data:`` URIs and refuses everything else, keeping what it refused."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if not url.lower().startswith("data:"):
            self.refused.append(url)
            raise ValueError(f"slips may only use data: URIs, not {url[:80]}")
        return super().fetch(url, headers)


def html_to_pdf(html: str, fetcher: DataOnlyFetcher | None = None) -> bytes:
    """A4 PDF of a slip's HTML, fetching only ``data:`` URIs."""
    pdf = HTML(string=html, base_url=None, url_fetcher=fetcher or DataOnlyFetcher()).write_pdf()
    assert isinstance(pdf, bytes)
    return pdf


def render_slip_pdf(dossier: Dossier, form: str) -> bytes:
    """The slip ``form`` of ``dossier`` as a PDF (WeasyPrint, Liberation Serif, A4)."""
    return html_to_pdf(render_slip_html(dossier, form))
