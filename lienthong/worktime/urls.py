from django.urls import path

from . import views

app_name = "worktime"
urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("nam/<int:year>/", views.calendar, name="calendar_year"),
    path("ngay/<int:pk>/", views.day, name="day"),
    path("ngay/<int:pk>/bo/", views.day_remove, name="day_remove"),
    path("gio-lam-viec/", views.hours, name="hours"),
    path("gio-lam-viec/bo/", views.hours_reset, name="hours_reset"),
]
