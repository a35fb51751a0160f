from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "vigil.retention"
    label = "retention"
    verbose_name = "Retention"
