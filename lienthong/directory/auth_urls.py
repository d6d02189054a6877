"""Sign-in, sign-out and the second factor (merged into the ``directory`` namespace by ``urls.py``)."""

from django.urls import URLPattern, path

from . import auth_views

urlpatterns: list[URLPattern] = [
    path("dang-nhap/", auth_views.login_view, name="login"),
    path("dang-nhap/ma-xac-thuc/", auth_views.totp_verify_view, name="totp_verify"),
    path("dang-xuat/", auth_views.logout_view, name="logout"),
    path("tai-khoan/xac-thuc-hai-lop/", auth_views.totp_setup_view, name="totp_setup"),
]
