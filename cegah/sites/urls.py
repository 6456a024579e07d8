from django.urls import path

from . import views

urlpatterns = [
    path("", views.site_list, name="site-list"),
    path("baru/", views.site_create, name="site-create"),
    path("<int:pk>/", views.site_detail, name="site-detail"),
    path("<int:pk>/ubah/", views.site_edit, name="site-edit"),
]
