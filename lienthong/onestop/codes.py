"""Dossier codes (mã hồ sơ) and applicant identifiers, as pure functions — importable without Django.

A dossier code is ``{receiving agency code}-{yyMMdd}-{NNNN}`` (identifiers.md), e.g.
``000.00.06.H56-231027-0361``: the sequence runs per receiving agency and restarts every day. Four digits is
the usual width; the two-digit year is read as 20yy. From 10 000 on the number simply gets longer (``…-10000``), so the shape stays
``agency-date-digits`` and codes of one day still sort by number within each width.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from lienthong.directory.codes import AGENCY_CODE_PATTERN

SEQUENCE_WIDTH = 4
DOSSIER_CODE_PATTERN = AGENCY_CODE_PATTERN.rstrip("$") + r"-[0-9]{6}-[0-9]{4,}$"
_DOSSIER_CODE = re.compile(
    r"^(?P<agency>[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2})-(?P<day>[0-9]{6})-(?P<number>[0-9]{4,})$"
)
_AGENCY_CODE = re.compile(AGENCY_CODE_PATTERN)
_CITIZEN_ID = re.compile(r"^[0-9]{12}$")
# Enterprise tax code: 10 digits; a dependent unit (branch) appends a dash and 3 digits.
_TAX_CODE = re.compile(r"^[0-9]{10}(-[0-9]{3})?$")


@dataclass(frozen=True)
class DossierCode:
    agency_code: str
    day: date
    number: int

    def __str__(self) -> str:
        return format_dossier_code(self.agency_code, self.day, self.number)


def format_dossier_code(agency_code: str, day: date, n: int) -> str:
    """``{agency}-{yyMMdd}-{NNNN}``: at least four digits, more once ``n`` passes 9999."""
    if not _AGENCY_CODE.fullmatch(agency_code):
        raise ValueError(f"agency code {agency_code!r} does not have the shape NNN.NN.NN.XNN")
    if n < 1:
        raise ValueError("the sequence number of a dossier starts at 1")
    return f"{agency_code}-{day:%y%m%d}-{n:0{SEQUENCE_WIDTH}d}"


def parse_dossier_code(code: str) -> DossierCode:
    """The parts of a dossier code; ``ValueError`` when ``code`` is not exactly what :func:`format_dossier_code`
    writes (a wrong shape, an impossible date, number 0, or extra leading zeros past four digits)."""
    match = _DOSSIER_CODE.fullmatch(code)
    if match is None:
        raise ValueError(f"{code!r} is not a dossier code of the shape NNN.NN.NN.XNN-yyMMdd-NNNN")
    digits = match["day"]
    try:
        # yy is read as 20yy: electronic one-stop dossiers start this century (strptime would make 69–99 19yy).
        day = date(2000 + int(digits[:2]), int(digits[2:4]), int(digits[4:]))
    except ValueError as error:
        raise ValueError(f"{code!r} has an impossible date {digits}") from error
    number = int(match["number"])
    parsed = DossierCode(match["agency"], day, number)
    if number < 1 or str(parsed) != code:
        raise ValueError(f"{code!r} has a sequence number that is not written canonically")
    return parsed


def is_dossier_code(code: str) -> bool:
    try:
        parse_dossier_code(code)
    except ValueError:
        return False
    return True


def is_citizen_id(value: str) -> bool:
    """Citizen identity number (số định danh cá nhân, CCCD): twelve digits. Shape only."""
    return bool(_CITIZEN_ID.fullmatch(value))


def is_tax_code(value: str) -> bool:
    """Enterprise tax code (mã số thuế, also the enterprise code): ten digits, or ten + ``-`` + three for a
    dependent unit. Shape only."""
    return bool(_TAX_CODE.fullmatch(value))
