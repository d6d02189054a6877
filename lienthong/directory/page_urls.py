"""Directory pages, mounted at the site root under the ``directory`` namespace (Vietnamese paths)."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("co-quan/", views.agency_list, name="agency_list"),
    path("co-quan/<str:code>/", views.agency_detail, name="agency_detail"),
    path("co-quan/<str:code>/sua/", views.agency_edit, name="agency_edit"),
    path("co-quan/<str:code>/don-vi/them/", views.unit_create, name="unit_create"),
    path("co-quan/<str:code>/don-vi/<int:pk>/sua/", views.unit_edit, name="unit_edit"),
    path("co-quan/<str:code>/can-bo/", views.agency_people, name="agency_people"),
    path("co-quan/<str:code>/phan-quyen/them/", views.role_grant, name="role_grant"),
    path("co-quan/<str:code>/phan-quyen/<int:pk>/thu-hoi/", views.role_revoke, name="role_revoke"),
    path("co-quan/<str:code>/khoa-api/", views.credentials, name="credentials"),
    path("co-quan/<str:code>/khoa-api/<int:pk>/thu-hoi/", views.credential_revoke, name="credential_revoke"),
    path("can-bo/<int:pk>/", views.person_detail, name="person_detail"),
]
