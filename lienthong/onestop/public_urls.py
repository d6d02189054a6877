"""Public one-stop pages (no sign-in), included under ``/ho-so/`` in the ``onestop`` namespace."""

from django.urls import URLPattern, path

from . import views_public

urlpatterns: list[URLPattern] = [
    path("tra-cuu/", views_public.status, name="status"),
]
