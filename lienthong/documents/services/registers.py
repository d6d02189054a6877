"""Numbers from the registers (sổ văn bản): 1, 2, 3… per agency, year and direction, secret ones apart.

:func:`take_number` locks the register's row (``SELECT … FOR UPDATE``) and increments it inside the caller's
transaction, which must also write the document: the lock holds until commit, so no two documents get the
same number, and a transaction that fails after taking a number rolls the increment back — no gap.
"""

from __future__ import annotations

from django.db import transaction

from lienthong.directory.models import Agency

from ..models import Direction, Register


def register_for(agency: Agency, year: int, direction: str, secret: bool) -> Register:
    """The register, created empty on first use (two first users at once both end up with the one row)."""
    found = Register.objects.filter(agency=agency, year=year, direction=direction, secret=secret).first()
    if found is not None:
        return found
    Register.objects.bulk_create(
        [Register(agency=agency, year=year, direction=direction, secret=secret)], ignore_conflicts=True
    )
    return Register.objects.get(agency=agency, year=year, direction=direction, secret=secret)


def take_number(agency: Agency, year: int, direction: Direction | str, secret: bool) -> tuple[Register, int]:
    """The next number of the register, locked until the caller's transaction ends."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take_number must run inside the transaction that stores the document")
    register = register_for(agency, year, str(direction), secret)
    locked = Register.objects.select_for_update().get(pk=register.pk)
    locked.last_number += 1
    Register.objects.filter(pk=locked.pk).update(last_number=locked.last_number)
    return locked, locked.last_number
