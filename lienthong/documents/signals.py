"""Events of the documents app that other apps subscribe to (the exchange, the reports).

Both are sent *after* the transaction that made the change commits, through ``send_robust``: a failing
receiver is logged and never undoes the committed change.

``outgoing_issued`` — an outgoing document got its number and the agency's signature. Keyword ``document``
(an :class:`~lienthong.documents.models.OutgoingDocument`). Recipients outside the platform are then waiting
in :class:`~lienthong.documents.models.OutboundDelivery`.

``incoming_registered`` — an incoming document entered an agency's incoming register. Keywords ``document``
(an :class:`~lienthong.documents.models.IncomingDocument`) and ``source`` (``"platform"``, ``"manual"`` or
``"exchange"``).
"""

from __future__ import annotations

from django.dispatch import Signal

outgoing_issued = Signal()
incoming_registered = Signal()
