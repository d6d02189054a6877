"""The applicant's financial obligation during processing (status 6): the clock stops until they pay.

Money is integer VND. Asking for a payment adds the amount to what the dossier owes; recording the payment
must settle exactly what is outstanding, so a second click on "paid" finds the dossier no longer waiting (409)
and nothing is counted twice.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from lienthong.core.errors import DomainError

from .actions import (
    _apply,
    _clean_reason,
    _close_pause,
    _moment,
    _require_status,
    handling_agency,
    require_processing_role,
)
from .models import Dossier, NationalStatus
from .services import Actor, _locked, require_desk_role

S = NationalStatus
#: No obligation of one dossier comes near this (10 000 billion đồng); larger is a typing mistake.
_MAX_AMOUNT = 10**13


def _clean_amount(amount: object, field: str = "amount") -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise DomainError(message=_("Số tiền phải là số nguyên đồng."), rule="integer", field=field)
    if amount <= 0:
        raise DomainError(message=_("Số tiền phải lớn hơn 0."), rule="positive", field=field)
    if amount > _MAX_AMOUNT:
        raise DomainError(message=_("Số tiền quá lớn."), rule="max_value", field=field)
    return amount


@transaction.atomic
def request_payment(
    *,
    actor: Actor,
    dossier: Dossier,
    amount: int,
    reason: str,
    at: datetime | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """Ask the applicant to pay a fee, charge or tax (4 → 6); the clock stops now."""
    dossier = _locked(dossier, expected_version)
    require_processing_role(actor, handling_agency(dossier))
    before = _require_status(dossier, (S.PROCESSING,), _("yêu cầu thực hiện nghĩa vụ tài chính"))
    value = _clean_amount(amount)
    note = _clean_reason(reason)
    moment = _moment(dossier, at)
    return _apply(
        actor=actor,
        dossier=dossier,
        action="request_payment",
        at=moment,
        before=before,
        to=S.AWAITING_PAYMENT,
        fields={"paused_at": moment, "fee_due": dossier.fee_due + value},
        note=note,
    )


@transaction.atomic
def record_payment(
    *,
    actor: Actor,
    dossier: Dossier,
    amount: int,
    receipt: str = "",
    at: datetime | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """Record that the applicant paid what is outstanding (6 → 4): the clock restarts and the appointment
    moves by the working time it was stopped. The desk (or the payment system, ``actor=None``) records it."""
    dossier = _locked(dossier, expected_version)
    require_desk_role(actor, dossier.agency)
    before = _require_status(dossier, (S.AWAITING_PAYMENT,), _("ghi nhận đã nộp tiền"))
    value = _clean_amount(amount)
    outstanding = dossier.fee_due - dossier.fee_paid
    if value != outstanding:
        raise DomainError(
            message=_("Số tiền nộp (%(paid)s đồng) phải đúng số còn phải nộp (%(due)s đồng).")
            % {"paid": f"{value:,}".replace(",", "."), "due": f"{outstanding:,}".replace(",", ".")},
            rule="amount_mismatch",
            field="amount",
        )
    note = _clean_reason(receipt, required=False)
    moment = _moment(dossier, at)
    changes = _close_pause(dossier, moment)
    return _apply(
        actor=actor,
        dossier=dossier,
        action="pay",
        at=moment,
        before=before,
        to=S.PROCESSING,
        fields={"fee_paid": dossier.fee_paid + value},
        changes=changes,
        note=note,
    )
