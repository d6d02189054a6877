"""The whole dossier API as one router, mounted by :mod:`lienthong.api` at ``/api/v1/dossiers/``.

The endpoint modules import the shared schemas from :mod:`.api`, so they are put together here rather than in
:mod:`.api` itself (which would import them while they import it). Order matters: the workflow and the slips
come before :mod:`.api_actions`, whose catch-all for unknown action names must be the last route.
"""

from __future__ import annotations

from . import api_actions, api_slips, api_workflow
from .api import router

router.add_router("", api_workflow.router)
router.add_router("", api_slips.router)
router.add_router("", api_actions.router)

__all__ = ["router"]
