from django.urls import path

from . import views

urlpatterns = [
    path("", views.site_list, name="site-list"),
    path("ekspor/", views.site_export, name="site-export"),
    path("impor/", views.site_import, name="site-import"),
    path("impor/templat/", views.site_import_template, name="site-import-template"),
    path("baru/", views.site_create, name="site-create"),
    path("<int:pk>/", views.site_detail, name="site-detail"),
    path("<int:pk>/ubah/", views.site_edit, name="site-edit"),
]
