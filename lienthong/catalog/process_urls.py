"""Internal-process pages (quy trình nội bộ), under ``/thu-tuc/`` in the ``catalog`` namespace (signed in).

``/thu-tuc/quy-trinh/<agency>/`` lists what an agency implements; ``/thu-tuc/<code>/quy-trinh/<agency>/`` edits
the steps of one procedure there. The code segment only matches the national code's shape.
"""

from django.urls import URLPattern, path, re_path

from . import views_process

urlpatterns: list[URLPattern] = [
    path("quy-trinh/<str:agency_code>/", views_process.process_list, name="process_list"),
    re_path(
        r"^(?P<code>[1-3]\.[0-9]{6})/quy-trinh/(?P<agency_code>[^/]+)/$",
        views_process.process_edit,
        name="process_edit",
    ),
]
