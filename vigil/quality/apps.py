from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "vigil.quality"
    label = "quality"
    verbose_name = "Quality assurance"
