from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from lienthong import views
from lienthong.api import api

urlpatterns = [
    # First: systems calling the API are the busiest clients, and a request walks the patterns in order.
    path("api/v1/", api.urls),
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("lienthong.directory.urls")),
    path("lich-lam-viec/", include("lienthong.worktime.urls")),
    path("thu-tuc/", include("lienthong.catalog.urls")),
    path("ho-so/", include("lienthong.onestop.urls")),
    path("van-ban/", include("lienthong.documents.urls")),
    path("ky-so/", include("lienthong.signing.urls")),
    # The admin signs in through our page, so lock-out and the second factor apply there too.
    path("quan-tri/login/", RedirectView.as_view(pattern_name="directory:login", query_string=True)),
    path("quan-tri/", admin.site.urls),
]

admin.site.site_header = "LiênThông – Quản trị hệ thống"
admin.site.site_title = "LiênThông"

handler404 = "lienthong.views.not_found"
handler403 = "lienthong.views.forbidden"
handler500 = "lienthong.views.server_error"
