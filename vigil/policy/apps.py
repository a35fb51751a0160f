from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "vigil.policy"
    label = "policy"
