"""What the documents app needs to know about a PDF before anyone signs it: that it is one (by content, by
structure, not encrypted), its pages and their sizes, and the designated text fields it may already carry.

Reading goes through :mod:`lienthong.signing.pades` (pyHanko), so a file the signing step would refuse is
refused here first, with the same rules (``pdf_not_pdf``, ``pdf_damaged``, ``pdf_encrypted``) on our field.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from pyhanko.pdf_utils import generic, misc

from lienthong.core import files as storage
from lienthong.core.errors import DomainError
from lienthong.signing import pades

from .layout import FIELDS, PageSize, Place


@dataclass(frozen=True)
class PdfFacts:
    page_sizes: tuple[PageSize, ...]
    #: Places of the designated text fields the file already has (so_ky_hieu, ngay_ban_hanh), by name.
    own_fields: dict[str, Place]

    @property
    def page_count(self) -> int:
        return len(self.page_sizes)


def check_pdf(data: bytes, *, field: str) -> None:
    """Refuse anything but a well-formed PDF: by content (images are asked for as PDF), size and structure."""
    content_type = storage.check_upload(data, field=field)
    if content_type in (storage.PNG, storage.JPEG):
        raise DomainError(
            message=_("Tệp là ảnh; hãy quét hoặc chuyển văn bản sang PDF rồi tải lên."),
            rule="pdf_required",
            field=field,
        )
    if content_type != storage.PDF:
        raise DomainError(
            message=_("Văn bản phải là tệp PDF (nhận được %(kind)s).")
            % {"kind": storage.SHORT_NAMES[content_type]},
            rule="pdf_required",
            field=field,
        )


def _field_place(reader: object, ref: generic.IndirectObject, pages: dict[int, int]) -> Place | None:
    field = ref.get_object()
    widget = field
    if "/Rect" not in field and "/Kids" in field and len(field["/Kids"]) == 1:
        widget = field["/Kids"][0].get_object()
    if "/Rect" not in widget:
        return None
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    page_ref = widget.raw_get("/P") if "/P" in widget else None
    page = pages.get(page_ref.idnum) if isinstance(page_ref, generic.IndirectObject) else None
    if page is None:
        return None
    return Place(page, min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))


def inspect_pdf(data: bytes, *, field: str) -> PdfFacts:
    """Pages and own designated fields of ``data`` (already checked by :func:`check_pdf`)."""
    reader = pades.open_pdf(data, field)
    try:
        count = pades.page_count(reader)
        if count < 1:
            raise DomainError(message=_("Tệp PDF không có trang nào."), rule="pdf_damaged", field=field)
        sizes: list[PageSize] = []
        pages: dict[int, int] = {}
        for index in range(count):
            x1, y1, x2, y2 = pades.page_rect(reader, index)
            sizes.append((x2 - x1, y2 - y1))
            pages[reader.find_page_for_modification(index)[0].idnum] = index
        own: dict[str, Place] = {}
        for name, ref in pades.form_fields(reader).items():
            if name in FIELDS and ref.get_object().get("/FT") == "/Tx":
                place = _field_place(reader, ref, pages)
                if place is not None:
                    own[name] = place
    except (misc.PdfError, KeyError, TypeError, ValueError, IndexError, AttributeError):
        raise DomainError(
            message=_("Tệp PDF bị hỏng, không đọc được."), rule="pdf_damaged", field=field
        ) from None
    return PdfFacts(page_sizes=tuple(sizes), own_fields=own)
