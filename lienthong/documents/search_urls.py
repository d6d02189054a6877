"""Search and register pages of the documents app, included by :mod:`lienthong.documents.urls`."""

from django.urls import URLPattern, path

from . import views_search

urlpatterns: list[URLPattern] = [
    path("tra-cuu/", views_search.search, name="search"),
    path("so-van-ban/", views_search.registers, name="registers"),
    path("so-van-ban/<int:pk>.xlsx", views_search.register_xlsx, name="register_xlsx"),
    path("so-van-ban/<int:pk>.pdf", views_search.register_pdf, name="register_pdf"),
]
