from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "cegah.api"
    label = "api"
    verbose_name = "API"
