from django.urls import path

from . import views

urlpatterns = [
    path("wilayah/", views.region_browser, name="region-browser"),
    path("wilayah/<str:code>/", views.region_detail, name="region-detail"),
    path("kantor/", views.office_list, name="office-list"),
    path("kantor/baru/", views.office_create, name="office-create"),
    path("kantor/<str:code>/", views.office_detail, name="office-detail"),
    path("kantor/<str:code>/ubah/", views.office_edit, name="office-edit"),
    path("kantor/<str:code>/pensiun/", views.office_retire, name="office-retire"),
]
