from django.apps import AppConfig


class InvestigationsConfig(AppConfig):
    name = "vigil.investigations"
    label = "investigations"
    verbose_name = "Investigations"
