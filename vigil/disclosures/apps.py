from django.apps import AppConfig


class DisclosuresConfig(AppConfig):
    name = "vigil.disclosures"
    label = "disclosures"
    verbose_name = "Disclosures"
