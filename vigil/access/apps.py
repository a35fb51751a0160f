from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "vigil.access"
    label = "access"
