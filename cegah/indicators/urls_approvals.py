"""/approvals/: the inbox, completeness, one approval and its transitions."""

from django.urls import path

from . import views_approvals

urlpatterns = [
    path("", views_approvals.inbox, name="approval-inbox"),
    path("completeness/", views_approvals.completeness, name="approval-completeness"),
    path("submit/", views_approvals.approval_submit, name="approval-submit"),
    path("<int:pk>/", views_approvals.approval_detail, name="approval-detail"),
    path("<int:pk>/<str:action>/", views_approvals.approval_transition, name="approval-transition"),
]
