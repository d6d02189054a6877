"""Number, notation, date line and identifier of an official document — pure, importable without Django.

Rules (identifiers.md, Decree 30/2020/NĐ-CP Annex I):

* The number is printed with a leading zero below 10: ``Số: 05/QĐ-UBND``; from 10 on as it is.
* The notation joins the document-type abbreviation, the issuing agency's abbreviation and (optionally) the
  drafting unit's abbreviation with ``-``; a plain letter (công văn) has no type abbreviation: ``05/BNV-VP``.
* The date line reads ``<place>, ngày 06 tháng 12 năm 2026``: days below 10 and the months 1 and 2 take a
  leading zero (so "tháng 1" cannot become "tháng 11"); the other months do not.
* The exchange identifies a document as ``{agency code},{yyyy/MM/dd},{number}/{notation}``.
"""

from __future__ import annotations

import re
from datetime import date

_NUMBER_NOTATION = re.compile(r"^\s*(?:Số\s*:?\s*)?([0-9]{1,7})\s*/\s*(\S.*?)\s*$", re.IGNORECASE)


def format_number(number: int) -> str:
    """``5`` → ``"05"``, ``15`` → ``"15"``."""
    if number < 1:
        raise ValueError("document numbers start at 1")
    return f"{number:02d}"


def notation(type_abbreviation: str, agency_abbreviation: str, unit_abbreviation: str = "") -> str:
    """``QĐ`` + ``UBND`` → ``QĐ-UBND``; a letter (no type) of ``BNV`` drafted by ``VP`` → ``BNV-VP``."""
    parts = [p.strip() for p in (type_abbreviation, agency_abbreviation, unit_abbreviation)]
    return "-".join(p for p in parts if p)


def number_and_notation(number: int, notation_text: str) -> str:
    """``05/QĐ-UBND``."""
    return f"{format_number(number)}/{notation_text}"


def number_and_notation_text(number_text: str, notation_text: str) -> str:
    """The printed form of a number and notation as received (either may be missing)."""
    if number_text and notation_text:
        return f"{number_text}/{notation_text}"
    return number_text or notation_text


def number_line(number: int, notation_text: str) -> str:
    """What fills the designated number place: ``Số: 05/QĐ-UBND``."""
    return f"Số: {number_and_notation(number, notation_text)}"


def date_line(place: str, day: date) -> str:
    """What fills the designated date place: ``Thành Lam, ngày 06 tháng 12 năm 2026``."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    text = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {text}" if place else text.capitalize()


def document_identifier(agency_code: str, day: date, number: int, notation_text: str) -> str:
    """``000.00.02.H99,2026/12/06,05/QĐ-SNV``: the document as the exchange names it."""
    return f"{agency_code},{day:%Y/%m/%d},{number_and_notation(number, notation_text)}"


def parse_number_notation(text: str) -> tuple[str, str]:
    """``"Số: 05/QĐ-UBND"`` or ``"05/QĐ-UBND"`` → ``("05", "QĐ-UBND")``; ``ValueError`` on another shape."""
    found = _NUMBER_NOTATION.match(text or "")
    if not found:
        raise ValueError(text)
    return found.group(1), found.group(2)
