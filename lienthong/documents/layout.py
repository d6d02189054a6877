"""The designated places on an outgoing document's PDF: where the number, the issue date, the leader's
signature and the agency's seal go.

A place is a rectangle in PDF user space (points, origin bottom-left, page counted from 0), the form
:class:`lienthong.signing.pades.Box` takes. A draft keeps its places as JSON (``OutgoingDocument.layout``):

``{"so_ky_hieu": {"page": 0, "x1": …, "y1": …, "x2": …, "y2": …}, "ngay_ban_hanh": {…}, "signer": {…},
"seal": {…}}`` — ``seal`` is optional: without it the seal goes over the left third of the signer's place,
at the seal image's real size (Decree 30).

For a rendered draft the places come from the template's layout (:mod:`.render`); for an uploaded PDF the
drafter gives them, or they come from the PDF's own text fields ``so_ky_hieu`` / ``ngay_ban_hanh``, or from
the document type's default layout, or from :data:`DEFAULT_LAYOUT`. In a default, ``"page"`` may also be
``"first"`` or ``"last"``. This module is pure: no Django, no PDF library.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

NUMBER = "so_ky_hieu"
DATE = "ngay_ban_hanh"
SIGNER = "signer"
SEAL = "seal"
#: The text fields the leader's signature covers and the agency's signature fills.
FIELDS = (NUMBER, DATE)
REQUIRED = (NUMBER, DATE, SIGNER)
PLACES = (NUMBER, DATE, SIGNER, SEAL)

MM = 72 / 25.4
#: A seal's usual diameter (35–42 mm); used only when the agency's seal has no image to measure.
SEAL_DIAMETER = 36 * MM
#: Smallest sensible place: a line of 13 pt text needs about this much height.
MIN_HEIGHT = 10.0
MIN_WIDTH = 40.0

PageSize = tuple[float, float]


@dataclass(frozen=True)
class Place:
    page: int
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def width(self) -> float:
        return self.x2 - self.x1

    @property
    def height(self) -> float:
        return self.y2 - self.y1

    def as_dict(self) -> dict[str, float | int]:
        return {
            "page": self.page,
            "x1": round(self.x1, 2),
            "y1": round(self.y1, 2),
            "x2": round(self.x2, 2),
            "y2": round(self.y2, 2),
        }


class LayoutError(ValueError):
    """A place is missing or wrong; ``field`` names it (``layout.signer.x2``) and ``rule`` the rule broken."""

    def __init__(self, field: str, rule: str, detail: str = "") -> None:
        super().__init__(f"{field}: {rule} {detail}".strip())
        self.field = field
        self.rule = rule
        self.detail = detail


def _mm_box(page: int | str, left: float, bottom: float, width: float, height: float) -> dict[str, Any]:
    return {
        "page": page,
        "x1": left * MM,
        "y1": bottom * MM,
        "x2": (left + width) * MM,
        "y2": (bottom + height) * MM,
    }


#: Where Decree 30's layout puts the places on an A4 page (margins 20–25 mm top, 30–35 mm left, 15–20 mm right):
#: the number under the agency's name top left, the date under the motto top right, the signature in the right
#: half near the foot of the last page. A guess for uploaded files without fields: the drafter corrects it.
DEFAULT_LAYOUT: dict[str, dict[str, Any]] = {
    NUMBER: _mm_box("first", 35, 297 - 52, 65, 8),
    DATE: _mm_box("first", 105, 297 - 52, 88, 8),
    SIGNER: _mm_box("last", 125, 45, 60, 30),
}


def _number(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise LayoutError(field, "number", "phải là một số (điểm PDF)")
    return float(value)


def _page(value: Any, pages: int, field: str) -> int:
    if value == "first":
        return 0
    if value == "last":
        return pages - 1
    if isinstance(value, bool) or not isinstance(value, int):
        raise LayoutError(field, "page", "phải là số trang (từ 0), “first” hoặc “last”")
    if not 0 <= value < pages:
        raise LayoutError(field, "box_outside_page", f"tài liệu có {pages} trang (đánh số từ 0)")
    return value


def parse_place(data: Any, page_sizes: Sequence[PageSize], field: str) -> Place:
    """One place from JSON, checked against the pages it must lie on."""
    if not isinstance(data, Mapping):
        raise LayoutError(field, "place", "phải là {page, x1, y1, x2, y2}")
    unknown = sorted(set(data) - {"page", "x1", "y1", "x2", "y2"})
    if unknown:
        raise LayoutError(f"{field}.{unknown[0]}", "unknown_field")
    for key in ("page", "x1", "y1", "x2", "y2"):
        if key not in data:
            raise LayoutError(f"{field}.{key}", "required")
    page = _page(data["page"], len(page_sizes), f"{field}.page")
    x1, y1, x2, y2 = (_number(data[k], f"{field}.{k}") for k in ("x1", "y1", "x2", "y2"))
    if x2 - x1 < MIN_WIDTH or y2 - y1 < MIN_HEIGHT:
        raise LayoutError(field, "box_too_small", f"cần rộng ≥ {MIN_WIDTH:g} và cao ≥ {MIN_HEIGHT:g} điểm")
    width, height = page_sizes[page]
    if x1 < -0.5 or y1 < -0.5 or x2 > width + 0.5 or y2 > height + 0.5:
        raise LayoutError(field, "box_outside_page", f"trang rộng {width:g}, cao {height:g} điểm")
    return Place(page, x1, y1, x2, y2)


def parse_layout(data: Any, page_sizes: Sequence[PageSize], *, field: str = "layout") -> dict[str, Place]:
    """The places of a layout, every required one present and on its page; ``seal`` optional."""
    if not isinstance(data, Mapping):
        raise LayoutError(field, "layout", "phải là một đối tượng JSON")
    unknown = sorted(set(data) - set(PLACES))
    if unknown:
        raise LayoutError(f"{field}.{unknown[0]}", "unknown_field")
    places: dict[str, Place] = {}
    for name in PLACES:
        if name in data and data[name] is not None:
            places[name] = parse_place(data[name], page_sizes, f"{field}.{name}")
        elif name in REQUIRED:
            raise LayoutError(f"{field}.{name}", "required")
    return places


def merged(*layouts: Mapping[str, Any] | None) -> dict[str, Any]:
    """Places from the first layout that has each one (a drafter's places over the type's over the default)."""
    result: dict[str, Any] = {}
    for layout in reversed([item for item in layouts if item]):
        result.update({k: v for k, v in layout.items() if v is not None})
    return result


def as_json(places: Mapping[str, Place]) -> dict[str, dict[str, float | int]]:
    return {name: place.as_dict() for name, place in places.items()}


def from_json(data: Mapping[str, Any]) -> dict[str, Place]:
    """Places stored by :func:`as_json` (already checked when they were stored)."""
    return {
        name: Place(int(v["page"]), float(v["x1"]), float(v["y1"]), float(v["x2"]), float(v["y2"]))
        for name, v in data.items()
    }


def seal_place(signer: Place, seal_size: PageSize | None, page_size: PageSize) -> Place:
    """The seal over the left third of the signer's place, centred on it vertically (Decree 30), at the seal's
    real size (``seal_size`` in points; a 36 mm disc when unknown), kept inside the page."""
    width, height = seal_size or (SEAL_DIAMETER, SEAL_DIAMETER)
    right = signer.x1 + signer.width / 3
    middle = (signer.y1 + signer.y2) / 2
    x1, y1 = right - width, middle - height / 2
    page_width, page_height = page_size
    x1 = min(max(x1, 0.0), page_width - width)
    y1 = min(max(y1, 0.0), page_height - height)
    return Place(signer.page, x1, y1, x1 + width, y1 + height)


def attachment_stamp_place(page_size: PageSize, width: float = 62 * MM, height: float = 16 * MM) -> Place:
    """Top right of page one, inside a 15 mm margin: where an attachment's agency text signature goes."""
    page_width, page_height = page_size
    margin = 15 * MM
    width = min(width, page_width - 2 * margin)
    height = min(height, page_height - 2 * margin)
    return Place(
        0,
        page_width - margin - width,
        page_height - margin - height,
        page_width - margin,
        page_height - margin,
    )
