"""Forms of the officer pages: one small form per dossier action (each carrying the version the officer saw)
and the desk intake form with its component files.

Forms only shape input; the services decide. A form checks what it can say at once — required fields, number
and date shapes, each file's type by its content — so the officer sees every mistake in one round, and the
service's refusals are then placed on the field they name.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lienthong.catalog.models import ProcedureAgency
from lienthong.core import files as storage
from lienthong.core.errors import DomainError
from lienthong.directory.models import Agency, Person, RoleAssignment

from .actions import PROCESSING_ROLES, handling_agency
from .codes import is_citizen_id, is_tax_code
from .files import MAX_COMPONENTS
from .models import ApplicantKind, Channel, Dossier, ReturnMethod

_REASON_WIDGET = {"rows": 3}


class ActionForm(forms.Form):
    """An action without input of its own; ``version`` guards against acting on a stale page.

    ``dossier`` lets a form offer choices that depend on it (the officers or agencies to pick from).
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, dossier: Dossier | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dossier = dossier


class ReasonForm(ActionForm):
    """An action that needs a reason (refusal, supplement request, stop). The service checks it's not blank."""

    reason = forms.CharField(
        label=_("Lý do"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs=_REASON_WIDGET),
    )


class NoteForm(ActionForm):
    """An action with an optional note (withdrawal on request, supplement received, approval)."""

    reason = forms.CharField(
        label=_("Ghi chú"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReturnForm(ActionForm):
    method = forms.ChoiceField(label=_("Hình thức trả kết quả"), choices=ReturnMethod.choices)
    tracking_number = forms.CharField(
        label=_("Số hiệu bưu gửi"),
        required=False,
        max_length=40,
        help_text=_("Bắt buộc khi trả qua bưu chính công ích."),
    )


class OfficerChoiceField(forms.ModelChoiceField[Person]):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.full_name or obj.username} ({obj.username})"


def officers_of(agency: Agency) -> QuerySet[Person]:
    """The active officers who may be given a step of ``agency``'s dossiers (the roles the service accepts)."""
    held = RoleAssignment.objects.filter(agency=agency, role__in=PROCESSING_ROLES, is_active=True).values(
        "person_id"
    )
    return Person.objects.filter(pk__in=held, is_active=True).order_by("full_name", "username")


class ForwardForm(NoteForm):
    assignee = OfficerChoiceField(
        label=_("Người xử lý bước sau"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("— Chưa giao, để đơn vị phân công —"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.dossier is not None:
            field = self.fields["assignee"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = officers_of(handling_agency(self.dossier))


class AssignForm(ActionForm):
    assignee = OfficerChoiceField(label=_("Giao cho"), queryset=Person.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.dossier is not None:
            field = self.fields["assignee"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = officers_of(handling_agency(self.dossier))


def _check_file(upload: Any, field_label: str) -> None:
    """Refuse a file too big to read or whose bytes are no type we accept (the service checks again)."""
    if upload.size > storage.max_upload_bytes():
        raise forms.ValidationError(
            _("Tệp vượt quá dung lượng cho phép (%(mb)s MB).")
            % {"mb": round(storage.max_upload_bytes() / 1048576, 1)}
        )
    data = upload.read()
    upload.seek(0)
    try:
        storage.check_upload(data, field=field_label)
    except DomainError as error:
        raise forms.ValidationError(error.message) from None


class ResultForm(ActionForm):
    title = forms.CharField(
        label=_("Tên kết quả"),
        max_length=300,
        help_text=_("Ví dụ: Giấy chứng nhận, Quyết định, Văn bản trả lời."),
    )
    file = forms.FileField(label=_("Tệp kết quả"), help_text=_("PDF, ảnh, DOCX hoặc XLSX."))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        _check_file(upload, "file")
        return upload


class HandOverForm(ReasonForm):
    to_agency = forms.ModelChoiceField(label=_("Chuyển đến cơ quan"), queryset=Agency.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Nội dung chuyển")
        if self.dossier is not None:
            dossier = self.dossier
            taking_part = ProcedureAgency.objects.filter(procedure_id=dossier.procedure_id).values(
                "agency_id"
            )
            field = self.fields["to_agency"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = (
                Agency.objects.filter(Q(pk__in=taking_part) | Q(pk=dossier.agency_id), is_active=True)
                .exclude(pk=handling_agency(dossier).pk)
                .order_by("name")
            )


def _amount_field(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=1, widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1})
    )


class PaymentRequestForm(ReasonForm):
    amount = _amount_field(_("Số tiền phải nộp thêm (đồng)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Khoản phải nộp (phí, lệ phí, thuế…)")


class PaymentForm(ActionForm):
    amount = _amount_field(_("Số tiền đã nộp (đồng)"))
    receipt = forms.CharField(label=_("Số biên lai / mã giao dịch"), required=False, max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.dossier is not None and not self.is_bound:
            self.initial.setdefault("amount", self.dossier.fee_due - self.dossier.fee_paid)


class ApologyForm(ReasonForm):
    new_due_at = forms.DateTimeField(
        label=_("Hẹn lại ngày trả kết quả"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Ngày giờ theo giờ Việt Nam, sau ngày hẹn hiện tại."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Lý do chậm")


# --- desk intake ------------------------------------------------------------------------------------------


class ComponentForm(forms.Form):
    """One paper of the dossier: what it is and its file. A row left empty is skipped."""

    title = forms.CharField(label=_("Tên giấy tờ"), required=False, max_length=300)
    file = forms.FileField(label=_("Tệp"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        title, upload = (data.get("title") or "").strip(), data.get("file")
        if upload and not title:
            self.add_error("title", _("Hãy ghi tên giấy tờ của tệp này."))
        if title and not upload and "file" not in self.errors:
            self.add_error("file", _("Hãy chọn tệp cho giấy tờ này."))
        if upload:
            try:
                _check_file(upload, "file")
            except forms.ValidationError as error:
                self.add_error("file", error)
        data["title"] = title
        return data


ComponentFormSet = forms.formset_factory(
    ComponentForm,
    extra=3,
    max_num=MAX_COMPONENTS,
    validate_max=True,
    absolute_max=MAX_COMPONENTS,
)
COMPONENT_PREFIX = "thanh-phan"


def _procedure_label(implementation: ProcedureAgency) -> str:
    procedure = implementation.procedure
    return f"{procedure.code} — {procedure.name}"


class IntakeForm(forms.Form):
    """A dossier handed in at the desk (or arriving by post): agency, procedure, applicant, fee paid."""

    agency = forms.TypedChoiceField(label=_("Cơ quan tiếp nhận"), coerce=int)
    procedure = forms.ChoiceField(
        label=_("Thủ tục hành chính"),
        help_text=_("Chỉ gồm các thủ tục cơ quan đang thực hiện; gõ mã thủ tục để tìm nhanh."),
    )
    channel = forms.ChoiceField(
        label=_("Hình thức nộp"),
        choices=[(Channel.DESK, Channel.DESK.label), (Channel.POSTAL, Channel.POSTAL.label)],
        initial=Channel.DESK,
        widget=forms.RadioSelect,
    )
    applicant_kind = forms.ChoiceField(
        label=_("Người nộp là"),
        choices=ApplicantKind.choices,
        initial=ApplicantKind.PERSON,
        widget=forms.RadioSelect,
    )
    applicant_name = forms.CharField(label=_("Họ và tên / tên tổ chức"), max_length=300)
    applicant_id_number = forms.CharField(
        label=_("Số định danh cá nhân / mã số thuế"),
        max_length=20,
        help_text=_("Cá nhân: 12 chữ số. Tổ chức: mã số thuế 10 chữ số (hoặc 10 chữ số-3 chữ số)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    applicant_date_of_birth = forms.DateField(
        label=_("Ngày sinh"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    applicant_address = forms.CharField(label=_("Địa chỉ"), max_length=500, required=False)
    applicant_phone = forms.CharField(
        label=_("Điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    applicant_email = forms.EmailField(label=_("Thư điện tử"), required=False, max_length=254)
    fee_paid = forms.IntegerField(
        label=_("Phí, lệ phí đã thu (đồng)"),
        min_value=0,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
    )

    # One per rendered form, kept across re-renders with errors: a second submission of the same form (a double
    # click, the browser sending it again) answers with the dossier the first one created.
    submission = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(
        self,
        *args: Any,
        agencies: list[Agency],
        implementations: list[ProcedureAgency],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("submission", uuid.uuid4().hex)
        agency_field = self.fields["agency"]
        assert isinstance(agency_field, forms.ChoiceField)
        agency_field.choices = [(a.pk, a.name) for a in agencies]
        if len(agencies) == 1:
            self.initial.setdefault("agency", agencies[0].pk)
        self.agencies = {a.pk: a for a in agencies}
        procedure_field = self.fields["procedure"]
        assert isinstance(procedure_field, forms.ChoiceField)
        if len(agencies) == 1:
            procedure_field.choices = [("", _("— Chọn thủ tục —"))] + [
                (i.procedure.code, _procedure_label(i)) for i in implementations
            ]
        else:
            # Grouped by agency: the same procedure may be implemented by several of the officer's desks.
            groups: dict[int, list[tuple[str, str]]] = {}
            for i in implementations:
                groups.setdefault(i.agency_id, []).append((i.procedure.code, _procedure_label(i)))
            procedure_field.choices = [("", _("— Chọn thủ tục —"))] + [
                (a.name, groups[a.pk]) for a in agencies if a.pk in groups
            ]

    def clean_agency(self) -> Agency:
        return self.agencies[self.cleaned_data["agency"]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, number = data.get("applicant_kind"), (data.get("applicant_id_number") or "").strip()
        if number and kind == ApplicantKind.PERSON and not is_citizen_id(number):
            self.add_error("applicant_id_number", _("Số định danh cá nhân phải gồm đúng 12 chữ số."))
        if number and kind == ApplicantKind.ORGANISATION and not is_tax_code(number):
            self.add_error(
                "applicant_id_number",
                _("Mã số thuế phải gồm 10 chữ số, hoặc 10 chữ số, dấu gạch và 3 chữ số (đơn vị phụ thuộc)."),
            )
        return data

    def applicant(self) -> dict[str, Any]:
        """The applicant as the service takes it."""
        data = self.cleaned_data
        return {
            "kind": data["applicant_kind"],
            "name": data["applicant_name"],
            "id_number": data["applicant_id_number"],
            "date_of_birth": data.get("applicant_date_of_birth"),
            "address": data.get("applicant_address") or "",
            "phone": data.get("applicant_phone") or "",
            "email": data.get("applicant_email") or "",
        }
