from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "cegah.indicators"
    label = "indicators"
    verbose_name = _("Indicators")

    def ready(self):
        from . import checks, derived, signals  # noqa: F401 (checks registers itself)

        signals.data_values_changed.connect(
            derived.on_values_changed, dispatch_uid="indicators-derived-values"
        )
