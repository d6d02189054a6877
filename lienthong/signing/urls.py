"""Signing pages, included under ``/ky-so/`` in the ``signing`` namespace."""

from django.urls import URLPattern, path

from . import views

app_name = "signing"
urlpatterns: list[URLPattern] = [
    path("kiem-tra/", views.verify_pdf_page, name="verify"),
]
