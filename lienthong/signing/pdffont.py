"""Liberation Serif embedded in signature appearances and filled form fields, with every Vietnamese letter.

The font is subset once per process to Latin and Vietnamese (about 320 glyphs, 13 KB compressed) and written as
a composite font (Type0, Identity-H) with a ``/W`` width array and a ``/ToUnicode`` map, so a viewer draws and
copies the text exactly and ``pdftotext`` extracts it.

Why our own font objects instead of pyHanko's OpenType support: pyHanko subsets the font and lays out glyphs again
for every signature, which was most of its 280–500 ms per visible signature; here a signature adds a handful of
prepared objects whose streams were compressed once (the TrueType font's own units per em do not matter, because
the PDF widths are computed here in thousandths of an em). And the character ids are the glyphs numbered in
order of width (a ``/CIDToGIDMap`` stream maps them back), so ``/W`` is about 40 ranges instead of 300 numbers:
a validator parses every object of a signed revision again for each later signature, and reading numbers was a
third of a validation.

Text is normalised to NFC first: Vietnamese precomposed letters (ắ, ữ, Ỹ …) all have their own glyph in
``fonts-liberation2``; a letter outside the subset is drawn as "?" rather than as an empty box.
"""

from __future__ import annotations

import functools
import hashlib
import io
import unicodedata
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.writer import BasePdfFileWriter

FONT_DIR = Path("/usr/share/fonts/truetype/liberation2")
REGULAR_FILE = "LiberationSerif-Regular.ttf"
BOLD_FILE = "LiberationSerif-Bold.ttf"

# ASCII, Latin-1 (foreign names: é, ü, ç …), the Vietnamese letters outside it (Ă Đ Ĩ Ũ Ơ Ư and U+1EA0–U+1EF9),
# dashes, quotes, the bullet, the ellipsis and the đồng sign. Kept this small on purpose: fewer glyphs means fewer
# distinct widths in /W and a smaller font in every signed revision.
_CODE_POINTS: tuple[int, ...] = (
    *range(0x20, 0x7F),
    *range(0xA0, 0x100),
    *(ord(c) for c in "ĂăĐđĨĩŨũƠơƯư"),
    *range(0x1EA0, 0x1EFA),
    *(0x2010, 0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2026, 0x20AB),
)
_FALLBACK = ord("?")


class FontUnavailable(RuntimeError):
    """The Debian package fonts-liberation2 is not installed."""


@dataclass(frozen=True)
class EmbeddedFont:
    """A prepared subset font: glyph look-up and widths for layout, compressed streams for embedding."""

    base_font: str
    glyph_of: Mapping[int, int]  # code point → character id (our code for the glyph)
    widths: tuple[int, ...]  # advance width by character id, thousandths of an em
    default_width: int
    width_ranges: tuple[tuple[int, int, int], ...]  # (first cid, last cid, width), default width left out
    cid_to_gid: bytes  # the CIDToGIDMap stream, Flate-compressed
    ascent: int
    descent: int
    cap_height: int
    bbox: tuple[int, int, int, int]
    stem_v: int
    font_file: bytes  # the TrueType subset, Flate-compressed
    font_file_length: int
    to_unicode: bytes  # the ToUnicode CMap, Flate-compressed

    def glyphs(self, text: str) -> list[int]:
        fallback = self.glyph_of.get(_FALLBACK, 0)
        return [self.glyph_of.get(ord(ch), fallback) for ch in unicodedata.normalize("NFC", text)]

    def encode(self, text: str) -> bytes:
        """``text`` as a PDF hex string of two-byte character ids, ready for ``Tj``."""
        return b"<" + b"".join(b"%04X" % cid for cid in self.glyphs(text)) + b">"

    def width(self, text: str, size: float) -> float:
        """Width of ``text`` set at ``size`` points, in points."""
        return sum(self.widths[cid] for cid in self.glyphs(text)) * size / 1000

    def add_to(self, writer: BasePdfFileWriter) -> generic.IndirectObject:
        """Write the font's objects into ``writer``; return a reference to the Type0 font."""
        font_file = writer.add_object(
            generic.StreamObject(
                {
                    pdf_name("/Filter"): pdf_name("/FlateDecode"),
                    pdf_name("/Length1"): generic.NumberObject(self.font_file_length),
                },
                encoded_data=self.font_file,
            )
        )
        descriptor = writer.add_object(
            generic.DictionaryObject(
                {
                    pdf_name("/Type"): pdf_name("/FontDescriptor"),
                    pdf_name("/FontName"): pdf_name("/" + self.base_font),
                    pdf_name("/Flags"): generic.NumberObject(34),  # serif, non-symbolic
                    pdf_name("/FontBBox"): generic.ArrayObject(generic.NumberObject(v) for v in self.bbox),
                    pdf_name("/ItalicAngle"): generic.NumberObject(0),
                    pdf_name("/Ascent"): generic.NumberObject(self.ascent),
                    pdf_name("/Descent"): generic.NumberObject(self.descent),
                    pdf_name("/CapHeight"): generic.NumberObject(self.cap_height),
                    pdf_name("/StemV"): generic.NumberObject(self.stem_v),
                    pdf_name("/FontFile2"): font_file,
                }
            )
        )
        descendant = writer.add_object(
            generic.DictionaryObject(
                {
                    pdf_name("/Type"): pdf_name("/Font"),
                    pdf_name("/Subtype"): pdf_name("/CIDFontType2"),
                    pdf_name("/BaseFont"): pdf_name("/" + self.base_font),
                    pdf_name("/CIDSystemInfo"): generic.DictionaryObject(
                        {
                            pdf_name("/Registry"): generic.pdf_string("Adobe"),
                            pdf_name("/Ordering"): generic.pdf_string("Identity"),
                            pdf_name("/Supplement"): generic.NumberObject(0),
                        }
                    ),
                    pdf_name("/FontDescriptor"): descriptor,
                    pdf_name("/DW"): generic.NumberObject(self.default_width),
                    pdf_name("/W"): generic.ArrayObject(
                        generic.NumberObject(v) for triple in self.width_ranges for v in triple
                    ),
                    pdf_name("/CIDToGIDMap"): writer.add_object(
                        generic.StreamObject(
                            {pdf_name("/Filter"): pdf_name("/FlateDecode")}, encoded_data=self.cid_to_gid
                        )
                    ),
                }
            )
        )
        to_unicode = writer.add_object(
            generic.StreamObject(
                {pdf_name("/Filter"): pdf_name("/FlateDecode")}, encoded_data=self.to_unicode
            )
        )
        return writer.add_object(
            generic.DictionaryObject(
                {
                    pdf_name("/Type"): pdf_name("/Font"),
                    pdf_name("/Subtype"): pdf_name("/Type0"),
                    pdf_name("/BaseFont"): pdf_name("/" + self.base_font),
                    pdf_name("/Encoding"): pdf_name("/Identity-H"),
                    pdf_name("/DescendantFonts"): generic.ArrayObject([descendant]),
                    pdf_name("/ToUnicode"): to_unicode,
                }
            )
        )


def _to_unicode_cmap(glyph_of: Mapping[int, int]) -> bytes:
    by_glyph: dict[int, int] = {}
    for code_point, cid in sorted(glyph_of.items()):
        by_glyph.setdefault(cid, code_point)
    entries = sorted(by_glyph.items())
    lines = [
        b"/CIDInit /ProcSet findresource begin",
        b"12 dict begin",
        b"begincmap",
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        b"/CMapName /Adobe-Identity-UCS def",
        b"/CMapType 2 def",
        b"1 begincodespacerange",
        b"<0000> <FFFF>",
        b"endcodespacerange",
    ]
    for start in range(0, len(entries), 100):  # at most 100 entries per block
        block = entries[start : start + 100]
        lines.append(b"%d beginbfchar" % len(block))
        lines.extend(b"<%04X> <%04X>" % (cid, code_point) for cid, code_point in block)
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CIDInit /ProcSet findresource pop end", b"end"]
    return b"\n".join(lines)


def _subset_tag(font_file: bytes, gid_of_cid: list[int]) -> str:
    """Six capitals naming this exact subset and numbering. A document keeps the font it was prepared with
    (in the form's resources) and a later signature reuses it only when the tag matches, so a server with
    another release of fonts-liberation2, or another version of this module, never writes codes for a font
    numbered differently."""
    digest = hashlib.sha256(font_file + bytes(str(gid_of_cid), "ascii")).digest()
    return "".join(chr(ord("A") + b % 26) for b in digest[:6])


def _prepare(file_name: str) -> EmbeddedFont:
    path = FONT_DIR / file_name
    if not path.exists():
        raise FontUnavailable(f"{path}: thiếu phông chữ; cài gói fonts-liberation2")
    font = TTFont(str(path))
    options = subset.Options()
    options.hinting = False  # screens and printers rasterise signature text fine without hints; half the size
    options.layout_features = []
    options.notdef_outline = True
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "FFTM", "DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=_CODE_POINTS)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    data = buffer.getvalue()

    units = font["head"].unitsPerEm

    def scaled(value: float) -> int:
        return round(value * 1000 / units)

    order = font.getGlyphOrder()
    gid_of_name = {name: gid for gid, name in enumerate(order)}
    metrics = font["hmtx"].metrics
    advance = [scaled(metrics[glyph][0]) for glyph in order]
    # Character 0 stays .notdef (glyph 0), as PDF requires; the others go in order of width.
    gid_of_cid = [0, *sorted(range(1, len(order)), key=lambda gid: (advance[gid], gid))]
    cid_of_gid = {gid: cid for cid, gid in enumerate(gid_of_cid)}
    widths = tuple(advance[gid] for gid in gid_of_cid)
    default_width = max(set(widths), key=widths.count)
    ranges: list[tuple[int, int, int]] = []
    for cid, width in enumerate(widths):
        if ranges and ranges[-1][2] == width and ranges[-1][1] == cid - 1:
            ranges[-1] = (ranges[-1][0], cid, width)
        else:
            ranges.append((cid, cid, width))
    glyph_of = {cp: cid_of_gid[gid_of_name[name]] for cp, name in font.getBestCmap().items()}
    head, os2 = font["head"], font["OS/2"]
    name = font["name"].getDebugName(6) or file_name.rsplit(".", 1)[0]
    return EmbeddedFont(
        base_font=f"{_subset_tag(data, gid_of_cid)}+{name}",
        glyph_of=glyph_of,
        widths=widths,
        default_width=default_width,
        width_ranges=tuple(r for r in ranges if r[2] != default_width),
        cid_to_gid=zlib.compress(b"".join(gid.to_bytes(2, "big") for gid in gid_of_cid), 9),
        ascent=scaled(os2.sTypoAscender),
        descent=scaled(os2.sTypoDescender),
        cap_height=scaled(getattr(os2, "sCapHeight", 0) or 660 * units / 1000),
        bbox=(scaled(head.xMin), scaled(head.yMin), scaled(head.xMax), scaled(head.yMax)),
        stem_v=140 if "Bold" in file_name else 80,
        font_file=zlib.compress(data, 9),
        font_file_length=len(data),
        to_unicode=zlib.compress(_to_unicode_cmap(glyph_of), 9),
    )


@functools.cache
def liberation_serif(bold: bool = False) -> EmbeddedFont:
    """Liberation Serif (Times-compatible) regular or bold, prepared once per process."""
    return _prepare(BOLD_FILE if bold else REGULAR_FILE)
