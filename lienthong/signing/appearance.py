"""What a visible signature looks like (Decree 30/2020): the leader's stamp, the agency's seal, filled fields.

- The leader's stamp: the title lines (authority prefix and position, bold capitals), the blue handwritten
  signature image centred below them, the name (bold) at the bottom; text only when there is no image. One font
  size for every line, the largest up to 13 pt that fits the box.
- The agency's seal: the red seal image at its real size (from the PNG's resolution, 96 dpi when it has none),
  centred in its box and shrunk only when the box is smaller; or, for attachments in separate files, text lines
  in Liberation Serif 10 pt black followed by the signing time in ISO 8601.
- A designated field (number and notation, issue date) filled at signing: its value in Liberation Serif, left
  aligned, vertically centred.

Images are decoded and compressed once per process (a leader signs with the same image every day); fonts come
prepared from :mod:`.pdffont`.
"""

from __future__ import annotations

import functools
import io
import warnings
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.content import AppearanceContent, PdfResources
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.stamp import TextStampStyle

from lienthong.core.errors import DomainError

from .pdffont import EmbeddedFont, liberation_serif

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_FONT_SIZE = 13.0  # Decree 30: the signature block is set in 13–14 pt
MIN_FONT_SIZE = 5.0
SEAL_TEXT_SIZE = 10.0  # Decree 30: attachments' text signature, Times New Roman 10 pt
LINE_HEIGHT = 1.2
PADDING = 2.0
DEFAULT_DPI = 96.0
MAX_IMAGE_PIXELS = 16_000_000
# pyHanko hands the signing time to text styles formatted with this; we parse it back (see _PaintedStyle).
_TS_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


# --- images ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreparedImage:
    """A PNG decoded and compressed for PDF once: colour samples, alpha as a soft mask, real size."""

    pixels_wide: int
    pixels_high: int
    width_pt: float
    height_pt: float
    colour: bytes  # Flate-compressed RGB samples
    alpha: bytes | None  # Flate-compressed alpha samples; None when fully opaque

    def add_to(self, writer: BasePdfFileWriter) -> generic.IndirectObject:
        entries = {
            pdf_name("/Type"): pdf_name("/XObject"),
            pdf_name("/Subtype"): pdf_name("/Image"),
            pdf_name("/Width"): generic.NumberObject(self.pixels_wide),
            pdf_name("/Height"): generic.NumberObject(self.pixels_high),
            pdf_name("/ColorSpace"): pdf_name("/DeviceRGB"),
            pdf_name("/BitsPerComponent"): generic.NumberObject(8),
            pdf_name("/Filter"): pdf_name("/FlateDecode"),
        }
        if self.alpha is not None:
            entries[pdf_name("/SMask")] = writer.add_object(
                generic.StreamObject(
                    {
                        pdf_name("/Type"): pdf_name("/XObject"),
                        pdf_name("/Subtype"): pdf_name("/Image"),
                        pdf_name("/Width"): generic.NumberObject(self.pixels_wide),
                        pdf_name("/Height"): generic.NumberObject(self.pixels_high),
                        pdf_name("/ColorSpace"): pdf_name("/DeviceGray"),
                        pdf_name("/BitsPerComponent"): generic.NumberObject(8),
                        pdf_name("/Filter"): pdf_name("/FlateDecode"),
                    },
                    encoded_data=self.alpha,
                )
            )
        return writer.add_object(generic.StreamObject(entries, encoded_data=self.colour))


def _unreadable(field_name: str) -> DomainError:
    return DomainError(
        message=_("Ảnh chữ ký hoặc con dấu không đọc được: phải là tệp PNG hợp lệ."),
        rule="image_unreadable",
        field=field_name,
    )


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png_intact(data: bytes) -> bool:
    """Every chunk whole with a matching CRC, up to IEND. Pillow alone cannot say: WeasyPrint switches on
    Pillow's LOAD_TRUNCATED_IMAGES for the whole process, and a cut-off PNG then decodes as half an image."""
    if not data.startswith(_PNG_SIGNATURE):
        return False
    position = len(_PNG_SIGNATURE)
    while position + 12 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        end = position + 8 + length
        if end + 4 > len(data):
            return False
        if zlib.crc32(data[position + 4 : end]) != int.from_bytes(data[end : end + 4], "big"):
            return False
        if kind == b"IEND":
            return True
        position = end + 4
    return False


@functools.lru_cache(maxsize=32)
def _prepare_png(data: bytes) -> PreparedImage | None:
    if not _png_intact(data):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format != "PNG" or image.width * image.height > MAX_IMAGE_PIXELS:
                return None
            image.load()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombWarning):
        return None
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    dpi = image.info.get("dpi") or (DEFAULT_DPI, DEFAULT_DPI)
    alpha: bytes | None = None
    rgb = image.convert("RGBA") if has_alpha else image.convert("RGB")
    if has_alpha:
        mask = rgb.getchannel("A")
        if mask.getextrema() != (255, 255):
            alpha = zlib.compress(mask.tobytes(), 6)
        rgb = rgb.convert("RGB")
    colour = zlib.compress(rgb.tobytes(), 6)
    x_dpi = float(dpi[0]) if dpi[0] else DEFAULT_DPI
    y_dpi = float(dpi[1]) if dpi[1] else x_dpi
    return PreparedImage(
        pixels_wide=image.width,
        pixels_high=image.height,
        width_pt=image.width * 72 / x_dpi,
        height_pt=image.height * 72 / y_dpi,
        colour=colour,
        alpha=alpha,
    )


def prepare_png(data: bytes, field_name: str) -> PreparedImage:
    """The PNG ``data`` ready to embed; a file that is not a readable PNG is a DomainError on ``field_name``."""
    prepared = _prepare_png(bytes(data))
    if prepared is None:
        raise _unreadable(field_name)
    return prepared


# --- resources shared within one update -----------------------------------------------------------------


class Resources:
    """Fonts and images added to one incremental update, each written once however often it is drawn.

    A font already in the document's ``/AcroForm /DR`` under our name (put there by add_designated_fields) is
    reused instead of being embedded again.
    """

    def __init__(self, writer: BasePdfFileWriter) -> None:
        self.writer = writer
        self._fonts: dict[bool, generic.IndirectObject] = {}
        self._images: dict[int, generic.IndirectObject] = {}

    def font(self, bold: bool) -> tuple[EmbeddedFont, generic.IndirectObject]:
        embedded = liberation_serif(bold)
        if bold not in self._fonts:
            self._fonts[bold] = self._existing_font(embedded) or embedded.add_to(self.writer)
        return embedded, self._fonts[bold]

    def image(self, prepared: PreparedImage) -> generic.IndirectObject:
        key = id(prepared)
        if key not in self._images:
            self._images[key] = prepared.add_to(self.writer)
        return self._images[key]

    def _existing_font(self, embedded: EmbeddedFont) -> generic.IndirectObject | None:
        try:
            fonts = self.writer.root["/AcroForm"]["/DR"]["/Font"]
        except (KeyError, TypeError):
            return None
        if not isinstance(fonts, generic.DictionaryObject):
            return None
        for key in fonts:
            ref = fonts.raw_get(key)
            if isinstance(ref, generic.IndirectObject):
                font = ref.get_object()
                if (
                    isinstance(font, generic.DictionaryObject)
                    and font.get("/BaseFont") == "/" + embedded.base_font
                ):
                    return ref
        return None


def _fmt(value: float) -> bytes:
    return (b"%.3f" % value).rstrip(b"0").rstrip(b".") or b"0"


def _text(font_name: bytes, font: EmbeddedFont, size: float, x: float, y: float, text: str) -> bytes:
    return b"BT %s %s Tf %s %s Td %s Tj ET" % (font_name, _fmt(size), _fmt(x), _fmt(y), font.encode(text))


def _fitting_size(font: EmbeddedFont, lines: Sequence[str], width: float, largest: float) -> float:
    size = largest
    for line in lines:
        unit = font.width(line, 1.0)
        if unit > 0:
            size = min(size, (width - 2 * PADDING) / unit)
    return max(size, MIN_FONT_SIZE)


def _draw_image(name: bytes, prepared: PreparedImage, x: float, y: float, w: float, h: float) -> bytes:
    """``prepared`` fitted into the rectangle (x, y, w, h), aspect kept, centred."""
    scale = min(w / prepared.width_pt, h / prepared.height_pt)
    dw, dh = prepared.width_pt * scale, prepared.height_pt * scale
    ox, oy = x + (w - dw) / 2, y + (h - dh) / 2
    return b"q %s 0 0 %s %s %s cm %s Do Q" % (_fmt(dw), _fmt(dh), _fmt(ox), _fmt(oy), name)


# --- the stamps -----------------------------------------------------------------------------------------

Painted = tuple[bytes, PdfResources]


def paint_signer(
    book: Resources,
    width: float,
    height: float,
    *,
    title: str,
    name: str,
    image: PreparedImage | None,
) -> Painted:
    """The leader's stamp: title lines, the signature image centred below them, the name at the bottom."""
    font, font_ref = book.font(bold=True)
    titles = [line.strip() for line in title.splitlines() if line.strip()]
    texts = [*titles, name] if name else titles
    count = max(len(texts), 1)
    # With an image the text may take a little over half the height; without, it is all there is (plus one
    # blank line between title and name).
    share = 0.55 if image is not None else 1.0
    spare_lines = 0 if image is not None else 1
    size = min(
        _fitting_size(font, texts, width, MAX_FONT_SIZE),
        max((height * share - 2 * PADDING) / ((count + spare_lines) * LINE_HEIGHT), MIN_FONT_SIZE),
    )
    step = size * LINE_HEIGHT
    ascent = font.ascent * size / 1000
    descent = -font.descent * size / 1000
    resources = PdfResources()
    resources.font[pdf_name("/FS")] = font_ref
    parts = [b"q 0 g"]

    def centred(text: str, baseline: float) -> bytes:
        return _text(b"/FS", font, size, (width - font.width(text, size)) / 2, baseline, text)

    if image is not None:
        top = height - PADDING - ascent
        for index, line in enumerate(titles):
            parts.append(centred(line, top - index * step))
        name_baseline = PADDING + descent
        if name:
            parts.append(centred(name, name_baseline))
        region_top = height - PADDING - len(titles) * step
        region_bottom = (name_baseline + ascent + size * 0.2) if name else PADDING
        if region_top - region_bottom > 1:
            resources.xobject[pdf_name("/Sig")] = book.image(image)
            parts.append(
                _draw_image(
                    b"/Sig", image, PADDING, region_bottom, width - 2 * PADDING, region_top - region_bottom
                )
            )
    else:
        block = (len(titles) + (2 if name else 0)) * step
        top = (height + block) / 2 - ascent
        for index, line in enumerate(titles):
            parts.append(centred(line, top - index * step))
        if name:
            parts.append(centred(name, top - (len(titles) + 1) * step if titles else top))
    parts.append(b"Q")
    return b"\n".join(parts), resources


def seal_text_lines(text_lines: Sequence[str], signer_name: str, signed_at: datetime) -> list[str]:
    """The text of an agency's text signature: the caller's lines (or the agency's name), then the time."""
    stamp_time = signed_at.astimezone(VN_TZ).isoformat(timespec="seconds")
    lines = [line for line in text_lines if line.strip()] or [signer_name]
    return [*lines, _("Thời gian ký: %(time)s") % {"time": stamp_time}]


def paint_seal(
    book: Resources,
    width: float,
    height: float,
    *,
    image: PreparedImage | None,
    lines: Sequence[str],
) -> Painted:
    """The agency's seal at real size (shrunk only to fit), or its text lines in 10 pt black."""
    resources = PdfResources()
    if image is not None:
        resources.xobject[pdf_name("/Seal")] = book.image(image)
        w = min(image.width_pt, width)
        h = min(image.height_pt, height)
        return _draw_image(b"/Seal", image, (width - w) / 2, (height - h) / 2, w, h), resources
    font, font_ref = book.font(bold=False)
    resources.font[pdf_name("/FS")] = font_ref
    size = min(
        _fitting_size(font, lines, width, SEAL_TEXT_SIZE),
        max((height - 2 * PADDING) / (max(len(lines), 1) * LINE_HEIGHT), MIN_FONT_SIZE),
    )
    top = height - PADDING - font.ascent * size / 1000
    parts = [b"q 0 g"]
    parts += [
        _text(b"/FS", font, size, PADDING, top - index * size * LINE_HEIGHT, line)
        for index, line in enumerate(lines)
    ]
    parts.append(b"Q")
    return b"\n".join(parts), resources


def paint_field_value(book: Resources, width: float, height: float, value: str) -> Painted:
    """A filled text field: the value left aligned and vertically centred, up to 13 pt."""
    font, font_ref = book.font(bold=False)
    resources = PdfResources()
    resources.font[pdf_name("/FS")] = font_ref
    size = min(_fitting_size(font, [value], width, MAX_FONT_SIZE), max(height * 0.75, MIN_FONT_SIZE))
    baseline = (height - (font.ascent - font.descent) * size / 1000) / 2 - font.descent * size / 1000
    content = b"/Tx BMC q 0 g %s Q EMC" % _text(b"/FS", font, size, PADDING, baseline, value)
    return content, resources


def form_xobject(
    content: bytes, resources: PdfResources, width: float, height: float
) -> generic.StreamObject:
    stream = generic.StreamObject(
        {
            pdf_name("/Type"): pdf_name("/XObject"),
            pdf_name("/Subtype"): pdf_name("/Form"),
            pdf_name("/BBox"): generic.ArrayObject(generic.FloatObject(v) for v in (0, 0, width, height)),
            pdf_name("/Resources"): resources.as_pdf_object(),
        },
        stream_data=content,
    )
    stream.compress()
    return stream


# --- the bridge to pyHanko's signer ---------------------------------------------------------------------

Painter = Callable[[float, float, datetime], Painted]


class _PaintedStamp(AppearanceContent):
    def __init__(
        self, writer: BasePdfFileWriter, box: layout.BoxConstraints, painter: Painter, signed_at: datetime
    ) -> None:
        super().__init__(writer=writer, box=box)
        self._painter = painter
        self._signed_at = signed_at

    def render(self) -> bytes:
        content, resources = self._painter(self.box.width, self.box.height, self._signed_at)
        self._resources = resources
        return content


@dataclass(frozen=True)
class PaintedStyle(TextStampStyle):
    """A pyHanko stamp style that draws with one of the painters above.

    It is a text style only because pyHanko gives text styles the signing time it writes into the signature
    dictionary, which the agency's text signature must show.
    """

    painter: Painter | None = field(default=None, compare=False)
    timestamp_format: str = _TS_FORMAT
    border_width: int = 0

    def create_stamp(  # type: ignore[override]
        self, writer: BasePdfFileWriter, box: layout.BoxConstraints, text_params: dict[str, str]
    ) -> _PaintedStamp:
        assert self.painter is not None
        signed_at = datetime.strptime(text_params["ts"], _TS_FORMAT)
        return _PaintedStamp(writer, box, self.painter, signed_at)
