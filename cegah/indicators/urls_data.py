"""/data/: entry, validation violations and targets (the catalogue and imports have their
own URL modules)."""

from django.urls import path

from . import views_entry, views_targets

urlpatterns = [
    path("entry/", views_entry.data_entry, name="data-entry"),
    path("entry/value/", views_entry.entry_value, name="data-entry-value"),
    path("entry/comment/", views_entry.entry_comment, name="data-entry-comment"),
    path("entry/history/", views_entry.entry_history, name="data-entry-history"),
    path("entry/sites/", views_entry.entry_sites, name="data-entry-sites"),
    path("validation/", views_entry.validation_list, name="data-validation"),
    path("targets/", views_targets.target_list, name="target-list"),
    path("targets/<int:pk>/", views_targets.target_detail, name="target-detail"),
]
