"""Administrators' versions of the slip templates (forms 01–05): starting from the built-in, checking, saving.

A template is refused unless it compiles in the slips' own engine (:mod:`.slips`) and renders a made-up
dossier (:func:`sample_context`, the same shape as :func:`.slips.slip_context`): a missing ``{% include %}``
only shows while rendering. Saving and deleting are audited like every other change.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.template import Context, TemplateDoesNotExist, TemplateSyntaxError
from django.utils.translation import gettext as _

from lienthong.audit.services import record as audit
from lienthong.core.errors import DomainError
from lienthong.directory.models import Person

from .models import SlipTemplate
from .slips import DESK, SLIP_FORMS, SLIP_TEMPLATE_DIR, qr_data_uri, slip_engine, status_url


def builtin_source(form: str) -> str:
    """The text of the built-in template of ``form``: where an administrator starts an override."""
    return (SLIP_TEMPLATE_DIR / f"form_{form}.html").read_text("utf-8")


def sample_context(form: str) -> dict[str, Any]:
    """A made-up dossier's context, the same shape as :func:`slip_context`: to try an administrator's template."""
    url = status_url("000.00.00.H00-270101-0001")
    person = {
        "name": "Nguyễn Văn A",
        "id_number": "001099000001",
        "address": "Số 1",
        "phone": "0900000000",
        "email": "",
    }
    step = dict.fromkeys(
        (
            "number",
            "title",
            "agency",
            "from",
            "to",
            "handed_at",
            "due",
            "finished",
            "outcome",
            "result",
            "note",
        ),
        "…",
    )
    when = "01/01/2027 08:00"
    return {
        "form": form,
        "title": str(SLIP_FORMS.get(form, "")),
        "agency": {
            "code": "000.00.00.H00",
            "name": "Cơ quan mẫu",
            "short_name": "CQ",
            "parent_name": "",
            "address": "",
            "phone": "",
            "email": "",
        },
        "dossier": {
            "code": "000.00.00.H00-270101-0001",
            "status": "Đã tiếp nhận",
            "channel": "Trực tiếp",
            "received": when,
            "accepted": when,
            "due": when,
            "rescheduled_due": "",
            "return_method": "",
            "components": ["Tờ khai"],
            "sets": 1,
        },
        "applicant": person,
        "procedure": {"code": "1.000000", "name": "Thủ tục mẫu", "processing_time": "3 ngày làm việc"},
        "officer": "Cán bộ một cửa",
        "desk": DESK,
        "issued": "ngày 01 tháng 01 năm 2027",
        "printed": when,
        "status_url": url,
        "qr_data_uri": qr_data_uri(url),
        "reason": "Lý do mẫu",
        "reason_at": when,
        "reason_by": "Cán bộ",
        "apology": {
            "reason": "Lý do",
            "unit": "",
            "previous_due": when,
            "new_due": when,
            "new_due_date": "ngày 01 tháng 01 năm 2027",
            "decided_by": "Lãnh đạo",
            "decided_at": when,
        },
        "steps": [step],
    }


def check_template_body(body: str, form: str = "01") -> None:
    """Refuse (400, field ``body``) a template that does not compile in the slips' engine or fails to render
    a sample dossier (an ``{% include %}`` of a template that does not exist shows only then)."""
    try:
        slip_engine().from_string(body).render(Context(sample_context(form)))
    except (TemplateSyntaxError, TemplateDoesNotExist) as exc:
        raise DomainError(
            message=_("Mẫu không hợp lệ: %(error)s") % {"error": exc}, rule="template_syntax", field="body"
        ) from exc


@transaction.atomic
def save_slip_template(*, actor: Person | None, form: str, title: str, body: str) -> SlipTemplate:
    """Create or replace the administrator's template of ``form``; checked, then audited."""
    if form not in SLIP_FORMS:
        raise DomainError(message=_("Mẫu số phải là 01 đến 05."), rule="unknown_form", field="form")
    check_template_body(body, form)
    template = SlipTemplate.objects.select_for_update().filter(form=form).first()
    before = {"title": template.title, "body": template.body} if template is not None else {}
    if template is None:
        template = SlipTemplate(form=form)
    template.title = title.strip() or str(SLIP_FORMS[form])
    template.body = body
    template.updated_by = actor.get_username() if actor is not None else ""
    template.save()
    changes = {
        key: [before.get(key), getattr(template, key)]
        for key in ("title", "body")
        if before.get(key) != getattr(template, key)
    }
    audit(actor=actor, action="slip_template.save", obj=template, changes=changes)
    return template


@transaction.atomic
def delete_slip_template(*, actor: Person | None, template: SlipTemplate) -> None:
    """Drop the administrator's template: the built-in one is used again."""
    audit(actor=actor, action="slip_template.delete", obj=template, changes={"body": [template.body, None]})
    template.delete()
