"""Import and export of the directory as CSV/XLSX (merged into the ``directory`` namespace by ``urls.py``)."""

from django.urls import URLPattern, path

from . import import_views

urlpatterns: list[URLPattern] = [
    path("danh-ba/nhap/", import_views.import_page, name="import"),
    path("danh-ba/nhap/ap-dung/", import_views.import_apply, name="import_apply"),
    path("danh-ba/xuat/", import_views.export_page, name="export"),
    path("danh-ba/xuat/tai-ve/", import_views.export_download, name="export_download"),
]
