from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "cegah.analytics"
    label = "analytics"
    verbose_name = _("Analytics")

    def ready(self):
        from cegah.indicators.signals import data_values_changed

        from . import cube

        data_values_changed.connect(cube.on_values_changed, dispatch_uid="analytics-cube")
