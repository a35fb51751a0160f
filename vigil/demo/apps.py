from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "vigil.demo"
    label = "demo"
