"""A draft's PDF rendered by the platform from the drafting form: WeasyPrint, Liberation Serif, Decree 30 layout.

The template (``templates/documents/pdf/draft.html``) leaves four places empty: the number under the agency's
name, the date under the motto, and the signature block at the foot (title lines, signature image and name
are all painted there by the leader's signature). Their positions are read from WeasyPrint's layout of the
very document it renders, so the places always match the page, however long the body runs.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .layout import DATE, NUMBER, SIGNER, PageSize, Place

_PX_TO_PT = 0.75  # CSS pixels are 1/96 in, PDF points 1/72 in
_PLACE_IDS = (NUMBER, DATE, SIGNER)


@dataclass(frozen=True)
class Sheet:
    """What the template prints: plain values only."""

    agency_name: str
    parent_name: str
    type_name: str
    is_letter: bool
    subject: str
    body: str
    recipients: Sequence[str] = ()
    keep_line: str = "Lưu: VT"
    marks: Sequence[str] = field(default=())

    @property
    def paragraphs(self) -> list[str]:
        return [line.strip() for line in self.body.splitlines() if line.strip()]


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    places: dict[str, Place]
    page_sizes: tuple[PageSize, ...]


class _NoFetching(URLFetcher):
    """The template needs no outside resource; refuse every URL so nothing on disk or the network is read."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        raise ValueError(f"documents render no outside resource: {url[:80]}")


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", None) or ():
        yield from _boxes(child)


def render_sheet(sheet: Sheet) -> Rendered:
    """The PDF of ``sheet`` and where its designated places are, in PDF points from the bottom left."""
    with translation.override("vi"):
        html = render_to_string("documents/pdf/draft.html", {"sheet": sheet})
    document = HTML(string=html, base_url=None, url_fetcher=_NoFetching()).render()
    sizes = tuple((page.width * _PX_TO_PT, page.height * _PX_TO_PT) for page in document.pages)
    places: dict[str, Place] = {}
    for index, page in enumerate(document.pages):
        page_height = page.height * _PX_TO_PT
        for box in _boxes(page._page_box):
            element = getattr(box, "element", None)
            name = element.get("id") if element is not None else None
            if name in _PLACE_IDS and name not in places:
                x1 = box.content_box_x() * _PX_TO_PT
                top = box.content_box_y() * _PX_TO_PT
                places[name] = Place(
                    index,
                    x1,
                    page_height - top - box.height * _PX_TO_PT,
                    x1 + box.width * _PX_TO_PT,
                    page_height - top,
                )
    missing = [name for name in _PLACE_IDS if name not in places]
    if missing:
        raise RuntimeError(f"the draft template lost its places: {missing}")
    pdf = document.write_pdf()
    assert isinstance(pdf, bytes)
    return Rendered(pdf=pdf, places=places, page_sizes=sizes)
