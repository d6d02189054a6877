"""Catalogue API: public search and procedure pages (``catalog/api_public.py`` fills this router), and the
administrators' import endpoints (``catalog/api_import.py``)."""

from ninja import Router

from .api_import import router as import_router
from .api_public import router as public_router

router = Router()
# Imports first: "/procedures/imports" would otherwise be read as a procedure code by the public routes.
router.add_router("", import_router)
router.add_router("", public_router)
