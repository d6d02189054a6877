"""Forms of the documents pages. They only shape input (required fields, dates, files); the services decide,
and their refusals are placed on the field they name (:func:`place_error`)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lienthong.core.errors import DomainError
from lienthong.directory.models import Agency, Person, Unit

from .models import (
    AuthorityPrefix,
    DocumentType,
    IncomingDocument,
    NoteKind,
    OutgoingDocument,
    RetentionPeriod,
    Secrecy,
    Urgency,
)
from .services import RecipientInput

_INDEXED = re.compile(r"^([a-z_]+)\[(\d+)\](?:\.(\w+))?$")
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonChoiceField(forms.ModelChoiceField[Person]):
    def label_from_instance(self, obj: Person) -> str:
        return obj.full_name or obj.username


class AgencyChoiceField(forms.ModelChoiceField[Agency]):
    def label_from_instance(self, obj: Agency) -> str:
        return f"{obj.name} ({obj.code})"


class AgencyMultipleChoiceField(forms.ModelMultipleChoiceField[Agency]):
    def label_from_instance(self, obj: Agency) -> str:
        return f"{obj.name} ({obj.code})"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the attachments)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


def place_error(form: forms.Form, error: DomainError, names: dict[str, str] | None = None) -> None:
    """Show a service's refusal on the fields it names (``recipients[2].agency_code`` → the recipients
    field), or above the form when no field of this form matches."""
    placed = False
    for problem in error.problems or []:
        name = problem.field or ""
        match = _INDEXED.match(name)
        if match:
            name = match.group(1)
        name = (names or {}).get(problem.field or "", (names or {}).get(name, name))
        if name in form.fields and not form.fields[name].widget.is_hidden:
            form.add_error(name, problem.message)
            placed = True
    if not placed:
        form.add_error(None, error.message)


# --- outgoing -------------------------------------------------------------------------------------------


class DraftForm(forms.Form):
    agency = AgencyChoiceField(label=_("Cơ quan ban hành"), queryset=Agency.objects.none())
    document_type = forms.ModelChoiceField(
        label=_("Loại văn bản"), queryset=DocumentType.objects.none(), to_field_name="code"
    )
    subject = forms.CharField(label=_("Trích yếu"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    summary = forms.CharField(
        label=_("Tóm tắt nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    body = forms.CharField(
        label=_("Nội dung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Hệ thống tạo tệp PDF theo thể thức từ nội dung này khi bạn không tải tệp lên."),
    )
    pdf = forms.FileField(
        label=_("Hoặc tải lên tệp PDF"),
        required=False,
        help_text=_("Để trống vùng chữ ký, số và ngày; hệ thống điền khi ký và phát hành."),
    )
    signer = PersonChoiceField(label=_("Người ký"), queryset=Person.objects.none())
    signer_position = forms.CharField(
        label=_("Chức vụ người ký"),
        required=False,
        max_length=150,
        help_text=_("Để trống: lấy chức vụ lãnh đạo của người ký."),
    )
    authority_prefix = forms.ChoiceField(
        label=_("Quyền hạn ký"), choices=AuthorityPrefix.choices, required=False
    )
    authority_of = forms.CharField(
        label=_("Ký thay mặt / thay cho"),
        required=False,
        max_length=150,
        help_text=_("Ví dụ “Ủy ban nhân dân” trong TM. ỦY BAN NHÂN DÂN."),
    )
    platform_recipients = AgencyMultipleChoiceField(
        label=_("Nơi nhận trên hệ thống"),
        queryset=Agency.objects.none(),
        to_field_name="code",
        required=False,
        help_text=_(
            "Nhận ngay khi văn bản được phát hành. Giữ phím Ctrl (Cmd trên máy Mac) để chọn nhiều nơi."
        ),
    )
    outside_recipients = forms.CharField(
        label=_("Nơi nhận ngoài hệ thống (gửi qua trục liên thông)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Mỗi dòng một nơi nhận: mã định danh rồi tên cơ quan, ví dụ 000.00.00.G22 Văn phòng Chính phủ."
        ),
    )
    urgency = forms.ChoiceField(label=_("Độ khẩn"), choices=Urgency.choices, initial=Urgency.NORMAL)
    secrecy = forms.ChoiceField(label=_("Độ mật"), choices=Secrecy.choices, initial=Secrecy.NONE)
    reply_due = forms.DateField(label=_("Hạn trả lời"), required=False, widget=_DATE)
    reply_to = forms.ModelChoiceField(
        queryset=IncomingDocument.objects.none(), required=False, widget=forms.HiddenInput
    )
    completes_reply = forms.BooleanField(
        label=_("Phát hành thì hoàn thành văn bản đến được trả lời"), required=False, initial=True
    )
    attachments = MultipleFileField(
        label=_("Phụ lục (tệp PDF riêng)"), required=False, help_text=_("Có thể chọn nhiều tệp.")
    )

    def __init__(
        self,
        *args: Any,
        agencies: QuerySet[Agency],
        signers: QuerySet[Person],
        recipients: QuerySet[Agency],
        replies: QuerySet[IncomingDocument],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["document_type"].queryset = DocumentType.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["signer"].queryset = signers  # type: ignore[attr-defined]
        self.fields["platform_recipients"].queryset = recipients  # type: ignore[attr-defined]
        self.fields["reply_to"].queryset = replies  # type: ignore[attr-defined]
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0]
            self.fields["agency"].widget = forms.HiddenInput()

    def recipient_inputs(self) -> list[RecipientInput]:
        """Platform recipients first, then the outside ones (each line: code, then the name)."""
        found = [RecipientInput(a.code) for a in self.cleaned_data.get("platform_recipients") or []]
        for line in (self.cleaned_data.get("outside_recipients") or "").splitlines():
            line = line.strip()
            if not line:
                continue
            parts = re.split(r"[\s,;|]+", line, maxsplit=1)
            name = parts[1].strip(" -–") if len(parts) > 1 else ""
            found.append(RecipientInput(parts[0], name, external=True))
        return found

    def recipient_field(self, index: int) -> str:
        platform = len(self.cleaned_data.get("platform_recipients") or [])
        return "platform_recipients" if index < platform else "outside_recipients"


class VersionForm(forms.Form):
    """An action on the version the person saw: someone may have changed the draft since."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class SubmitForm(VersionForm):
    reviewer = PersonChoiceField(
        label=_("Người thẩm định"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_(
            "Trưởng đơn vị thẩm định trước khi trình ký. Trưởng đơn vị, lãnh đạo soạn: để trống để trình thẳng người ký."
        ),
    )

    def __init__(self, *args: Any, reviewers: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers  # type: ignore[attr-defined]


class ReviewForm(VersionForm):
    decision = forms.ChoiceField(
        choices=[("approve", _("Đồng ý")), ("return", _("Trả lại"))], widget=forms.HiddenInput
    )
    note = forms.CharField(
        label=_("Ý kiến"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bắt buộc khi trả lại."),
    )


class SecretForm(VersionForm):
    secret = forms.CharField(
        label=_("Mật khẩu khóa ký số hoặc mã PIN"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )


# --- incoming -------------------------------------------------------------------------------------------


class IncomingForm(forms.Form):
    agency = AgencyChoiceField(label=_("Cơ quan nhận"), queryset=Agency.objects.none())
    pdf = forms.FileField(
        label=_("Tệp văn bản (PDF, kể cả bản quét)"),
        help_text=_("Bản quét cũng phải là PDF; ảnh PNG, JPEG không được nhận."),
    )
    issuer_code = forms.CharField(
        label=_("Mã định danh cơ quan ban hành"),
        required=False,
        max_length=20,
        help_text=_("Ví dụ 000.00.00.H56."),
    )
    issuer_name = forms.CharField(label=_("Cơ quan ban hành"), required=False, max_length=300)
    number_notation = forms.CharField(
        label=_("Số, ký hiệu"),
        required=False,
        max_length=80,
        help_text=_("Như in trên văn bản, ví dụ 05/QĐ-UBND."),
    )
    document_date = forms.DateField(label=_("Ngày văn bản"), widget=_DATE)
    document_type = forms.ModelChoiceField(
        label=_("Loại văn bản"), queryset=DocumentType.objects.none(), to_field_name="code", required=False
    )
    subject = forms.CharField(label=_("Trích yếu"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    summary = forms.CharField(label=_("Tóm tắt"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    urgency = forms.ChoiceField(label=_("Độ khẩn"), choices=Urgency.choices, initial=Urgency.NORMAL)
    secrecy = forms.ChoiceField(label=_("Độ mật"), choices=Secrecy.choices, initial=Secrecy.NONE)
    signer_name = forms.CharField(label=_("Người ký"), required=False, max_length=150)
    signer_position = forms.CharField(label=_("Chức vụ người ký"), required=False, max_length=150)
    reply_due = forms.DateField(label=_("Hạn trả lời do nơi gửi yêu cầu"), required=False, widget=_DATE)
    confirm_duplicate = forms.BooleanField(
        label=_("Đây là một bản khác của văn bản đã vào sổ (ví dụ bản giấy đến sau bản điện tử)"),
        required=False,
    )

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["document_type"].queryset = DocumentType.objects.filter(is_active=True)  # type: ignore[attr-defined]
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0]
            self.fields["agency"].widget = forms.HiddenInput()


def handler_choices(people: QuerySet[Person], units: QuerySet[Unit]) -> list[tuple[str, Any]]:
    """Units and people of the agency as one list of choices: ``u:ID`` and ``p:ID``."""
    return [
        (str(_("Đơn vị")), [(f"u:{u.pk}", u.name) for u in units]),
        (str(_("Cán bộ")), [(f"p:{p.pk}", p.full_name or p.username) for p in people]),
    ]


class AssignForm(forms.Form):
    main = forms.ChoiceField(label=_("Chủ trì"))
    cooperating = forms.MultipleChoiceField(
        label=_("Phối hợp"), required=False, widget=forms.SelectMultiple(attrs={"size": 5})
    )
    due_in_days = forms.IntegerField(
        label=_("Hạn xử lý: số ngày làm việc"),
        required=False,
        min_value=1,
        max_value=365,
        help_text=_("Tính theo lịch làm việc của cơ quan, kể từ bây giờ."),
    )
    due_date = forms.DateField(
        label=_("Hoặc hạn xử lý: ngày cụ thể"),
        required=False,
        widget=_DATE,
        help_text=_("Hết giờ làm việc ngày đó. Chỉ ghi một trong hai cách."),
    )
    note = forms.CharField(
        label=_("Ý kiến chỉ đạo"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["main"].choices = [("", "—"), *choices]  # type: ignore[attr-defined]
        self.fields["cooperating"].choices = choices  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=NoteKind.choices, initial=NoteKind.OPINION)
    text = forms.CharField(label=_("Nội dung"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class CompleteForm(forms.Form):
    result_note = forms.CharField(
        label=_("Kết quả xử lý"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    reply = forms.ModelChoiceField(
        label=_("Văn bản trả lời đã phát hành"),
        queryset=OutgoingDocument.objects.none(),
        required=False,
        help_text=_("Ghi kết quả hoặc chọn văn bản trả lời (một trong hai)."),
    )

    def __init__(self, *args: Any, replies: QuerySet[OutgoingDocument], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reply"].queryset = replies  # type: ignore[attr-defined]


# --- work files -----------------------------------------------------------------------------------------


class WorkFileForm(forms.Form):
    agency = AgencyChoiceField(label=_("Cơ quan"), queryset=Agency.objects.none())
    year = forms.IntegerField(label=_("Năm"))
    code = forms.CharField(label=_("Số, ký hiệu hồ sơ"), max_length=50)
    title = forms.CharField(label=_("Tiêu đề hồ sơ"), max_length=500)
    retention = forms.ModelChoiceField(label=_("Thời hạn bảo quản"), queryset=RetentionPeriod.objects.all())
    description = forms.CharField(
        label=_("Ghi chú"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["year"].initial = timezone.localdate().year
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0]
            self.fields["agency"].widget = forms.HiddenInput()


class AddDocumentForm(forms.Form):
    document = forms.ChoiceField(label=_("Văn bản"))

    def __init__(self, *args: Any, choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = [("", "—"), *choices]  # type: ignore[attr-defined]
