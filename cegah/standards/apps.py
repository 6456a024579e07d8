from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    name = "cegah.standards"
    label = "standards"
    verbose_name = _("Standards and assessments")

    def ready(self):
        from cegah.sites.signals import sites_changed

        from . import derived

        derived.register()
        sites_changed.connect(derived.on_sites_changed, dispatch_uid="standards-derived-sites")
