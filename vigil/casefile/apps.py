from django.apps import AppConfig


class CasefileConfig(AppConfig):
    name = "vigil.casefile"
    label = "casefile"
    verbose_name = "Case file"
