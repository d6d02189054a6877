"""Officer pages of the one-stop desk (sign-in required), included under ``/ho-so/`` in the ``onestop``
namespace after the public pages (so ``tra-cuu/`` is never read as a dossier code)."""

from django.urls import URLPattern, path

from . import views_officer

urlpatterns: list[URLPattern] = [
    path("", views_officer.queues, name="queues"),
    path("<str:code>/", views_officer.detail, name="detail"),
    path("<str:code>/thao-tac/", views_officer.act, name="act"),
]
