from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.CegahLoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("profil/", views.profile, name="profile"),
    path("profil/token/", views.token_create, name="token-create"),
    path("profil/token/<int:pk>/cabut/", views.token_revoke, name="token-revoke"),
]
