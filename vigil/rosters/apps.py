from django.apps import AppConfig


class RostersConfig(AppConfig):
    name = "vigil.rosters"
    label = "rosters"
