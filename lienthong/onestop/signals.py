"""Events of the one-stop app that other apps subscribe to (national-portal sync, indicators).

``dossier_status_changed`` is sent once per status change, *after* the transaction that made it commits, with
keyword arguments ``dossier`` (the :class:`~lienthong.onestop.models.Dossier`), ``action`` (``"receive"``,
``"accept"``…), ``from_status`` (an int, or ``None`` for a new dossier) and ``to_status`` (an int).
Receivers run through ``send_robust``: a failing receiver is logged and never undoes the committed change.
"""

from __future__ import annotations

from django.dispatch import Signal

dossier_status_changed = Signal()
