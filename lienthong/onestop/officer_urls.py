"""Officer pages of the one-stop desk (sign-in required), included under ``/ho-so/`` in the ``onestop``
namespace after the public pages (so ``tra-cuu/`` is never read as a dossier code)."""

from django.urls import URLPattern, path

from . import views_intake, views_officer, views_slips

urlpatterns: list[URLPattern] = [
    path("", views_officer.queues, name="queues"),
    path("so-theo-doi.xlsx", views_slips.register_xlsx, name="register_xlsx"),
    path("tiep-nhan/", views_intake.intake, name="intake"),
    path("<str:code>/", views_officer.detail, name="detail"),
    path("<str:code>/thao-tac/", views_officer.act, name="act"),
    path("<str:code>/tep/<int:file_id>/", views_officer.download, name="file"),
    path("<str:code>/phieu/<str:form>.pdf", views_slips.slip_pdf, name="slip_pdf"),
]
