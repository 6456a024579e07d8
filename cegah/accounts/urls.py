from django.urls import path

from . import views, views_users

urlpatterns = [
    path("login/", views.CegahLoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("profil/", views.profile, name="profile"),
    path("profil/token/", views.token_create, name="token-create"),
    path("profil/token/<int:pk>/cabut/", views.token_revoke, name="token-revoke"),
]

urlpatterns += [
    path("pengguna/", views_users.user_list, name="user-list"),
    path("pengguna/baru/", views_users.user_create, name="user-create"),
    path("pengguna/<int:pk>/", views_users.user_detail, name="user-detail"),
    path("pengguna/<int:pk>/ubah/", views_users.user_edit, name="user-edit"),
]
