"""Agency electronic identification codes (mã định danh), as pure functions.

Shape per QCVN 102 and Decision 20/2020: ``NNN.NN.NN.XNN`` — read right to left, level 1 is a letter and two
digits, levels 2–4 are digits, unused lower levels are zeros. Only the *shape* is checked here: the table
of which letter and number means which body changes (the 2025 mergers) and is data, not code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

AGENCY_CODE_PATTERN = r"^[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}$"
_AGENCY_CODE = re.compile(AGENCY_CODE_PATTERN)


@dataclass(frozen=True)
class AgencyCode:
    level4: str
    level3: str
    level2: str
    level1: str

    @property
    def depth(self) -> int:
        """1 for a top body (``000.00.00.H56``), up to 4 for the deepest unit."""
        if self.level4 != "000":
            return 4
        if self.level3 != "00":
            return 3
        if self.level2 != "00":
            return 2
        return 1


def is_agency_code(value: str) -> bool:
    return bool(_AGENCY_CODE.fullmatch(value))


def parse_agency_code(value: str) -> AgencyCode:
    """Split a code into its levels; raise ``ValueError`` naming the rule when the shape is wrong."""
    if not is_agency_code(value):
        raise ValueError(
            f"Mã định danh '{value}' sai định dạng: phải là NNN.NN.NN.XNN "
            "(ví dụ 000.00.00.H56), X là chữ in hoa, N là chữ số."
        )
    level4, level3, level2, level1 = value.split(".")
    return AgencyCode(level4, level3, level2, level1)
