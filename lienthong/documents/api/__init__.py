"""The documents API, mounted by :mod:`lienthong.api` at ``/api/v1/documents/``.

Reading: officers see what :mod:`lienthong.documents.selectors` lets them; an API credential sees its agency's
issued, non-secret documents. Every action (drafting, signing, issuing, registering, assigning) is a person's:
an API credential gets 403 ``person_required``. Refusals are RFC 9457 problem documents naming field and rule.
"""

from __future__ import annotations

from ninja import Router

from . import incoming, outgoing, search, workfiles

router = Router()
router.add_router("", outgoing.router)
router.add_router("", incoming.router)
router.add_router("", workfiles.router)
router.add_router("", search.router)

__all__ = ["router"]
