"""Search and register pages of the documents app, included by :mod:`lienthong.documents.urls`."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
