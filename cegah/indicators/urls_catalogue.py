"""The catalogue pages under /indikator/. Codes are capitals, so the lowercase words
(baru, ubah, elemen-data, set-data) never collide with one."""

from django.urls import path

from . import views_catalogue as views

urlpatterns = [
    path("", views.indicator_list, name="indicator-list"),
    path("baru/", views.indicator_create, name="indicator-create"),
    path("elemen-data/", views.data_element_list, name="data-element-list"),
    path("elemen-data/baru/", views.data_element_create, name="data-element-create"),
    path("elemen-data/<str:code>/", views.data_element_detail, name="data-element-detail"),
    path("elemen-data/<str:code>/ubah/", views.data_element_edit, name="data-element-edit"),
    path("set-data/", views.data_set_list, name="data-set-list"),
    path("set-data/<str:code>/", views.data_set_detail, name="data-set-detail"),
    path("<str:code>/", views.indicator_detail, name="indicator-detail"),
    path("<str:code>/ubah/", views.indicator_edit, name="indicator-edit"),
]
