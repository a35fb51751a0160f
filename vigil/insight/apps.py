from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "vigil.insight"
    label = "insight"
    verbose_name = "Performance insight"
