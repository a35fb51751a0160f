from django.apps import AppConfig


class CommsdataConfig(AppConfig):
    name = "vigil.commsdata"
    label = "commsdata"
    verbose_name = "Communications data"
