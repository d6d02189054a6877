"""Read queries about dossiers. Scoping to what an officer may see comes with the pages and the API."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Dossier, DossierEvent


def dossier_by_code(code: str) -> Dossier | None:
    return (
        Dossier.objects.select_related("procedure", "procedure_version", "agency")
        .filter(code=code.strip())
        .first()
    )


def timeline_of(dossier: Dossier) -> QuerySet[DossierEvent]:
    """The dossier's events in the order they happened."""
    return DossierEvent.objects.filter(dossier=dossier).order_by("at", "id")
