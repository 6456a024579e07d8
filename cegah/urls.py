from django.urls import include, path

from cegah.api.urls import api

urlpatterns = [
    path("", include("cegah.core.urls")),
    path("", include("cegah.accounts.urls")),
    path("", include("cegah.regions.urls")),
    path("sites/", include("cegah.sites.urls")),
    path("", include("cegah.standards.urls")),
    path("indikator/", include("cegah.indicators.urls_catalogue")),
    path("data/", include("cegah.indicators.urls_data")),
    path("approvals/", include("cegah.indicators.urls_approvals")),
    path("data/", include("cegah.exchange.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
]

handler404 = "cegah.core.views.not_found"
