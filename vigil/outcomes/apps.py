from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "vigil.outcomes"
    label = "outcomes"
    verbose_name = "Outcomes and closure"
