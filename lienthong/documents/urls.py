"""The documents pages under ``/van-ban/`` (namespace ``documents``), with the search and register pages of
:mod:`.search_urls`."""

from django.urls import URLPattern, URLResolver, path

from . import search_urls, views, views_incoming, views_outgoing, views_workfiles

app_name = "documents"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("di/soan/", views_outgoing.draft_new, name="draft"),
    path("di/<int:pk>/", views_outgoing.detail, name="outgoing"),
    path("di/<int:pk>/sua/", views_outgoing.draft_edit, name="draft_edit"),
    path("di/<int:pk>/ky/", views_outgoing.sign_page, name="sign"),
    path("di/<int:pk>/thao-tac/", views_outgoing.act, name="outgoing_act"),
    path("di/<int:pk>/tep.pdf", views_outgoing.file, name="outgoing_file"),
    path("di/<int:pk>/phu-luc/<int:item>.pdf", views_outgoing.attachment, name="outgoing_attachment"),
    path("den/vao-so/", views_incoming.register, name="register_incoming"),
    path("den/<int:pk>/", views_incoming.detail, name="incoming"),
    path("den/<int:pk>/thao-tac/", views_incoming.act, name="incoming_act"),
    path("den/<int:pk>/tep.pdf", views_incoming.file, name="incoming_file"),
    path("ho-so/", views_workfiles.work_files, name="work_files"),
    path("ho-so/<int:pk>/", views_workfiles.work_file, name="work_file"),
    path("ho-so/<int:pk>/dong/", views_workfiles.close, name="work_file_close"),
    path("ho-so/<int:pk>/bo/<int:item>/", views_workfiles.remove, name="work_file_remove"),
    *search_urls.urlpatterns,
]
