from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("riwayat/", views.changelog_list, name="changelog"),
    path("healthz", views.healthz, name="healthz"),
]
