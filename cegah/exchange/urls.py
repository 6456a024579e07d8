from django.urls import path

from . import views

urlpatterns = [
    path("import/", views.import_page, name="import"),
    path("import/<int:pk>/", views.import_job, name="import-job"),
    path("import/<int:pk>/status/", views.import_job_status, name="import-job-status"),
    path("template/<str:code>.xlsx", views.data_set_template, name="data-set-template"),
]
