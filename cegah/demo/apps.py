from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "cegah.demo"
    label = "demo"
    verbose_name = "Demo"
