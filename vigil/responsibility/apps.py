from django.apps import AppConfig


class ResponsibilityConfig(AppConfig):
    name = "vigil.responsibility"
    label = "responsibility"
    verbose_name = "Responsibility ledger"
