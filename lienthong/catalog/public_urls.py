"""Public catalogue pages, mounted at ``/thu-tuc/`` in the ``catalog`` namespace (no sign-in).

The code segment only matches the national code's shape (``1.001193``), so these patterns, listed first in
``catalog/urls.py``, never shadow the import and internal-process pages (``/thu-tuc/nhap/`` …).
"""

from django.urls import URLPattern, path, re_path

from . import views_public

CODE = r"(?P<code>[1-3]\.[0-9]{6})"

urlpatterns: list[URLPattern] = [
    path("", views_public.search, name="search"),
    re_path(rf"^{CODE}/$", views_public.detail, name="detail"),
    re_path(rf"^{CODE}/lich-su/$", views_public.history, name="history"),
    re_path(rf"^{CODE}/so-sanh/$", views_public.diff, name="diff"),
]
