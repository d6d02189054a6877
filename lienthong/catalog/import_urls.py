"""Importing procedures from files (system administrators); merged into the ``catalog`` namespace by ``urls.py``."""

from django.urls import URLPattern, path

from . import views_import

urlpatterns: list[URLPattern] = [
    path("nhap/", views_import.import_page, name="import"),
    path("nhap/<int:pk>/", views_import.import_detail, name="import_detail"),
    path("nhap/<int:pk>/ap-dung/", views_import.import_apply, name="import_apply"),
    path("nhap/tai-ve/", views_import.export_sheet, name="import_export"),
]
